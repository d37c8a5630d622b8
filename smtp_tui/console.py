"""The ``smtp-tui`` console script: Ctrl+C at any moment, even while the program loads, ends
with status 130 and no traceback.

`cli` takes a good part of a second to import (argparse, the data layer, the catalogues); a
Ctrl+C in that time used to print a traceback, because `cli.main` only catches it once running.
This module imports nothing, so the window before its handler is as small as it can be.
"""


def run() -> int:
    """Import the CLI and run it, as ``smtp-tui`` on the command line."""
    try:
        from smtp_tui.cli.commands import main

        return main()
    except KeyboardInterrupt:
        return 130
