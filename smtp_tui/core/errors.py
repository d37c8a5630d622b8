"""The errors and warnings of the core, worded only when a front end shows them.

Why: the core runs before the front end has chosen a language (settings and data are read first)
and a repository's warnings are kept in the parsed-data cache across runs in other languages. So
an error carries a catalogue key and its values, not a sentence; ``str()`` words it in the
language of the moment it is shown.
"""

from __future__ import annotations


class Words:
    """A sentence still to be worded: a catalogue key and its values (themselves `Words` or
    errors where a sentence nests another). Plain data, so it pickles with the repository."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values

    def __getstate__(self) -> tuple[str, dict[str, object]]:
        return self.key, self.values

    def __setstate__(self, state: tuple[str, dict[str, object]]) -> None:
        self.key, self.values = state

    def __str__(self) -> str:
        from smtp_tui.core.i18n import text  # i18n raises our errors: imported when worded

        return text(self.key, **self.values)

    def __repr__(self) -> str:
        return f"Words({self.key!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)


class SmtpTuiError(Exception):
    """The base of every error smtp-tui reports to a user: a front end catches this one class and
    shows `message`, one line, worded in the language of that moment."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.words = Words(key, **values)

    @property
    def message(self) -> str:
        return str(self.words)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Exception pickles its args, which would lose the values; keep the state instead.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(kind: type[SmtpTuiError], state: dict[str, object]) -> SmtpTuiError:
    error = kind.__new__(kind)
    error.__dict__.update(state)
    return error


class DataError(SmtpTuiError):
    """A data file is wrong; the message is one line naming the file, the entry and the field."""


class CannotCompare(SmtpTuiError, ValueError):
    """Two codes that cannot be compared: the same code twice, or codes of different families."""
