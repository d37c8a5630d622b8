"""Entry point for ``python -m smtp_tui`` and the ``smtp-tui`` console script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
