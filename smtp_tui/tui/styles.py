"""The browser's text styles, one table for every screen, so a 4xx reads the same everywhere.

Colours are our `$smtp-*` variables (see `legible`): the theme's colours, made readable.
"""

from __future__ import annotations

CLASS_STYLES = {
    0: "bold $smtp-class-0",
    2: "bold $smtp-class-2",
    3: "bold $smtp-class-3",
    4: "bold $smtp-class-4",
    5: "bold $smtp-class-5",
}
"""The colour of each class (0: an X.n.n code), shared by every pane so 4xx and 4.X.X match."""

HEADING = "bold $smtp-heading"
MUTED = "$smtp-muted"
"""Secondary text (instead of `dim`, whose blend can fall below 4.5:1)."""
WARNING = "$smtp-warning"
MATCH = "underline $smtp-match"
PICKED = "bold $smtp-heading"
