"""The browser's screens: each a whole view the user moves between."""
