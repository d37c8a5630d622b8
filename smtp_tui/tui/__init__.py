"""The Textual browser. Imported only when the browser starts, so the CLI never pays for Textual."""
