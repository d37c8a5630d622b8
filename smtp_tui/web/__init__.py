"""The web front end: `smtp-tui serve` puts the browser in a web page."""
