"""The browser's widgets: parts that screens are built from."""
