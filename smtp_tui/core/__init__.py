"""The Textual-free core: the code data, search, scanning and explaining, for every front end."""
