"""Which character a key types, answered without Unicode's name table for the keys Textual names.

While the search box has focus, Textual asks of every key bound on the screen which character it
types (`textual.keys.key_to_character`), so that the box keeps the keys it types; it does so each
time it gathers the bindings, for the key bar first of all. It answers by looking the key's name up
in Unicode's name table (`unicodedata.lookup`), and those first lookups bring about 0.7 MiB of the
table into memory: a tenth of what the browser adds to a bare Textual app's memory (issue 14). The
keys that Textual names are few and fixed, so their characters are written here;
`tests/app/test_keys.py` checks each against the table. Any other key is asked of Textual.

Pinned to textual 8.2.8, where only `Screen._binding_chain` asks:
https://github.com/Textualize/textual/blob/v8.2.8/src/textual/screen.py#L432
"""

from __future__ import annotations

import textual.keys
import textual.screen

TYPED = {
    "backspace": "\x08",
    "delete": "\x7f",
    "escape": "\x1b",
    "space": " ",
    "tab": "\t",
    "exclamation_mark": "!",
    "quotation_mark": '"',
    "number_sign": "#",
    "dollar_sign": "$",
    "percent_sign": "%",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "plus_sign": "+",
    "hyphen_minus": "-",
    "full_stop": ".",
    "less_than_sign": "<",
    "equals_sign": "=",
    "greater_than_sign": ">",
    "question_mark": "?",
    "commercial_at": "@",
    "left_square_bracket": "[",
    "reverse_solidus": "\\",
    "right_square_bracket": "]",
    "circumflex_accent": "^",
    "low_line": "_",
    "grave_accent": "`",
    "left_curly_bracket": "{",
    "vertical_line": "|",
    "right_curly_bracket": "}",
    "solidus": "/",
}
"""The character each key that Textual names types, where it types one."""

NAMED = frozenset(
    {key.value for key in textual.keys.Keys}
    | set(textual.keys.KEY_TO_UNICODE_NAME)
    | set(textual.keys.KEY_ALIASES)
    | set(textual.keys.KEY_DISPLAY_ALIASES)
    | set(textual.keys.KEY_NAME_REPLACEMENTS)
    | set(textual.keys.KEY_NAME_REPLACEMENTS.values())
)
"""Every key that Textual names: those not in `TYPED` type no character, as Textual answers
(its friendlier names too: ``slash`` types nothing, ``solidus`` types ``/``)."""

_textual_key_to_character = textual.keys.key_to_character


def key_to_character(key: str) -> str | None:
    """The character `key` types, or None: what Textual answers, from our table where we can."""
    _, separator, bare = key.rpartition("+")
    if separator:
        return None  # a key with a modifier other than shift types nothing
    if len(bare) == 1:
        return bare
    if bare in NAMED:
        return TYPED.get(bare)
    return _textual_key_to_character(key)


def install() -> None:
    """Textual's screens ask this module from now on; calling it again does nothing."""
    textual.screen.key_to_character = key_to_character  # type: ignore[attr-defined,assignment]
