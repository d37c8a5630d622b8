"""The command-line front end: `smtp-tui show|compare|list|search|explain|log|probe`."""
