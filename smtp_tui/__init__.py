"""smtp-tui: a terminal browser for SMTP reply codes."""

__version__ = "0.1.0"
