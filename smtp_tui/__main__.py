"""Entry point for ``python -m smtp_tui``: the same as the ``smtp-tui`` console script."""

import sys

from smtp_tui.console import run

if __name__ == "__main__":
    sys.exit(run())
