"""Entry point for ``python -m smtp_tui`` and the ``smtp-tui`` console script."""

import sys

from smtp_tui.cli.commands import main

if __name__ == "__main__":
    sys.exit(main())
