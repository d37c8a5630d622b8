"""The interface's words in 14 languages: one TOML catalogue per language, looked up by stable key.

Why TOML and not gettext: gettext needs a compile step (.po to .mo, with a tool Python does not
ship) and keys its messages on the English text, so fixing an English typo orphans 13 translations.
Keyed TOML catalogues are read by the standard library, edited like our data files, and checked
by a test (every catalogue has every key, with the same fields). Plurals follow CLDR's cardinal
rules, as gettext's ``Plural-Forms`` would.

Plain Python, no Textual: the CLI and the repository use it too. The active language is
process-wide, as with ``gettext.install``: the CLI sets it once, the browser when the user switches.
"""

from __future__ import annotations

import marshal
import os
import string
import zlib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from smtp_tui.core.cache_home import cache_home
from smtp_tui.core.errors import SmtpTuiError

LANGUAGES: tuple[str, ...] = (
    "en",
    "de",
    "tr",
    "ru",
    "pt",
    "es",
    "vi",
    "ja",
    "ko",
    "id",
    "th",
    "ar",
    "hi",
    "zh-Hans",
)
"""The languages of the interface, in the reference site's order; English first as the fallback."""

DEFAULT = "en"
LANG_ENV = "SMTP_TUI_LANG"
"""Chooses the language over the locale (``--lang`` beats both)."""

LOCALES = Path(__file__).resolve().parent / "locales"

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

_ALIASES = {
    "zh": "zh-Hans",
    "zh-hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-my": "zh-Hans",
    "in": "id",  # the old ISO code some systems still use for Indonesian
}
"""Tags that mean one of our languages; Traditional Chinese (zh-TW, zh-Hant) is not one."""


def plural_category(lang: str, n: int) -> str:
    """CLDR's cardinal plural category of the whole number `n` in `lang`.

    The integer rules of CLDR 45 for our 14 languages; Spanish and Portuguese "many" (exact
    millions) never arises for counts of codes, so those two use one/other like English.
    """
    n = abs(n)
    if lang in ("ja", "ko", "zh-Hans", "th", "vi", "id"):
        return "other"
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if lang == "ar":
        if n in (0, 1, 2):
            return ("zero", "one", "two")[n]
        if 3 <= n % 100 <= 10:
            return "few"
        if 11 <= n % 100 <= 99:
            return "many"
        return "other"
    if lang in ("pt", "hi"):
        return "one" if n in (0, 1) else "other"
    return "one" if n == 1 else "other"


def required_categories(lang: str) -> frozenset[str]:
    """The categories a plural entry of `lang` must give: those `plural_category` yields, and
    "other", CLDR's category for fractions, which is also the fallback."""
    return frozenset(plural_category(lang, n) for n in range(0, 200)) | {"other"}


def normalise(tag: str | None) -> str | None:
    """Our language for a tag such as ``tr``, ``tr_TR.UTF-8``, ``pt-BR`` or ``zh_CN``; else None."""
    if not tag:
        return None
    base = tag.strip().split(".")[0].split("@")[0].replace("_", "-")
    lowered = base.lower()
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    for language in LANGUAGES:
        if lowered == language.lower():
            return language
    head = lowered.split("-")[0]
    if head == "zh":
        return None  # zh-TW, zh-HK, zh-Hant: Traditional Chinese, which we do not have
    return head if head in LANGUAGES else _ALIASES.get(head)


def _locale_tags(environ: Mapping[str, str]) -> list[str]:
    """The language tags the POSIX locale asks for, in order, read as gettext reads them.

    The locale of messages is the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set;
    when it is "C" or "POSIX" (or nothing is set, which means "C") gettext ignores ``LANGUAGE``,
    so that a script that sets ``LC_ALL=C`` gets untranslated output. Otherwise ``LANGUAGE``'s
    list (``de:en``) comes first, then that locale.
    """
    locale = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "")
    if locale.split(".")[0] in ("", "C", "POSIX"):
        return []
    language = [tag for tag in environ.get("LANGUAGE", "").split(":") if tag]
    return [*language, locale]


def from_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the POSIX locale asks for (`_locale_tags`): the first tag we have wins."""
    env = os.environ if environ is None else environ
    for tag in _locale_tags(env):
        found = normalise(tag)
        if found is not None:
            return found
    return None


TRADITIONAL_CHINESE = (
    "Traditional Chinese is not available yet, so smtp-tui is shown in English. "
    "目前尚無繁體中文介面，因此以英文顯示。"
)
"""Said once when the locale asks for Traditional Chinese, which we have no catalogue for.

Not in a catalogue: it is shown exactly when the reader's language has none, so it is written in
English, the language used instead, and in Traditional Chinese. English rather than Simplified
Chinese, as gettext does: a zh_TW locale never falls back to zh_CN, and many readers of
Traditional characters do not want Simplified ones chosen for them.
"""


def _traditional_chinese(tag: str) -> bool:
    parts = tag.split(".")[0].split("@")[0].replace("_", "-").lower().split("-")
    return parts[0] == "zh" and bool({"tw", "hk", "mo", "hant"} & set(parts[1:]))


def fallback_note(
    explicit: str | None = None,
    saved: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """Why English is shown when the locale asked for a language we do not have, or None.

    Only for Traditional Chinese, the one language people ask for by locale that a near
    catalogue (zh-Hans) might seem to cover; any other locale simply gets English, as in gettext.
    """
    env = os.environ if environ is None else environ
    if explicit is not None or normalise(env.get(LANG_ENV)) or normalise(saved):
        return None
    tags = _locale_tags(env)
    if from_locale(env) is None and any(_traditional_chinese(tag) for tag in tags):
        return TRADITIONAL_CHINESE
    return None


def choose(
    explicit: str | None = None,
    saved: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to use: ``--lang``, then ``SMTP_TUI_LANG``, then the saved choice, then the
    locale, then English.

    An unknown ``--lang`` is the caller's error to report (`UnknownLanguage`); an unknown value
    from the environment or the settings is ignored, since it was not typed just now.
    """
    env = os.environ if environ is None else environ
    if explicit is not None:
        found = normalise(explicit)
        if found is None:
            raise UnknownLanguage(explicit, choose(None, saved, env))
        return found
    for candidate in (env.get(LANG_ENV), saved):
        found = normalise(candidate)
        if found is not None:
            return found
    return from_locale(env) or DEFAULT


def environment_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """What to say when ``SMTP_TUI_LANG`` names no language of ours: `choose` passes over it,
    and the user would otherwise never learn why their setting did nothing."""
    env = os.environ if environ is None else environ
    value = env.get(LANG_ENV)
    if not value or normalise(value) is not None:
        return None
    choices = ", ".join(LANGUAGES)
    return text("error.language_env", variable=LANG_ENV, lang=tag_shown(value), choices=choices)


class UnknownLanguage(SmtpTuiError, ValueError):
    """A language we have no catalogue for; the message lists the ones we have.

    Worded in `lang`, the language that would have been used without the bad tag (the
    environment's, the saved one, the locale's), since the reader asked for none we know.
    """

    def __init__(self, tag: str, lang: str | None = None) -> None:
        Exception.__init__(self, tag)
        self.tag = tag
        self.lang = lang

    @property
    def message(self) -> str:
        words = catalogue(self.lang) if self.lang else active()
        shown = tag_shown(self.tag, words)
        return words.text("error.unknown_language", lang=shown, choices=", ".join(LANGUAGES))


def tag_shown(tag: str, words: Catalogue | None = None) -> str:
    """A user's tag, quoted and made printable (it may hold anything)."""
    safe = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in tag[:30])
    return (words or active()).text("list.quote", text=safe)


Message = str | dict[str, str]


def _flatten(table: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, Message]]:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if "other" in value and set(value) <= set(PLURAL_CATEGORIES):
                yield name, {str(k): str(v) for k, v in value.items()}
            else:
                yield from _flatten(value, f"{name}.")
        else:
            yield name, str(value)


class Catalogue:
    """One language's messages; a key it lacks is looked up in English, so nothing shows blank."""

    def __init__(self, lang: str, messages: Mapping[str, Message]) -> None:
        self.lang = lang
        self.messages = dict(messages)

    @classmethod
    def read(cls, lang: str, folder: Path = LOCALES) -> Catalogue:
        source = folder / f"{lang}.toml"
        cache = _cache_file(lang, source)
        messages = _read_cache(cache)
        if messages is None:
            import tomllib  # only on a cache miss: importing and parsing cost more than a lookup

            with source.open("rb") as stream:
                messages = dict(_flatten(tomllib.load(stream)))
            _write_cache(cache, messages)
        return cls(lang, messages)

    @property
    def name(self) -> str:
        """The language's own name: Türkçe, 日本語."""
        return str(self.messages.get("language.name", self.lang))

    @property
    def rtl(self) -> bool:
        return self.messages.get("language.direction") == "rtl"

    def lookup(self, key: str) -> Message | None:
        found = self.messages.get(key)
        if found is None and self.lang != DEFAULT:
            found = catalogue(DEFAULT).messages.get(key)
        return found

    def text(self, key: str, /, **values: object) -> str:
        found = self.lookup(key)
        if found is None:
            return key  # a missing key shows itself rather than crashing; a test forbids it
        if isinstance(found, dict):
            found = found["other"]
        return _fill(found, values)

    def plural(self, key: str, n: int, /, **values: object) -> str:
        found = self.lookup(key)
        if found is None:
            return key
        if isinstance(found, str):
            return _fill(found, {"n": n, **values})
        form = found.get(plural_category(self.lang, n), found["other"])
        return _fill(form, {"n": n, **values})

    def join(self, items: list[str] | tuple[str, ...]) -> str:
        """``a``, ``a and b``, ``a, b and c`` in this language."""
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        if len(items) == 2:
            return self.text("list.pair", first=items[0], second=items[1])
        rest = self.text("list.separator").join(items[:-1])
        return self.text("list.last", rest=rest, last=items[-1])

    def sentences(self, *parts: str) -> str:
        """Sentences run together as this language writes them: a space in English, nothing
        after Japanese and Chinese ``。``."""
        return self.text("list.sentence").join(part for part in parts if part)

    def label(self, label: str) -> str:
        """``label`` with this language's label colon: ``Retry: `` but ``再試行：``."""
        return label + self.text("list.colon")


def _fill(template: str, values: Mapping[str, object]) -> str:
    """``str.format`` that survives a broken translation: the template is shown as written."""
    try:
        return template.format_map(_Values(values))
    except (ValueError, IndexError, AttributeError):
        return template


class _Values(dict[str, object]):
    """Fields a template names but the caller did not give stay visible as ``{name}``."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fields_of(template: str) -> set[str]:
    """The ``{fields}`` a template uses; `ValueError` when its braces are broken."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _cache_file(lang: str, source: Path) -> Path | None:
    """``locale-<lang>-<source>-<version>.marshal`` in the data cache's folder: the source names
    the catalogue's path (two installs do not replace each other's), the version its size and
    time; None when caching is off (``SMTP_TUI_CACHE=0``)."""
    home = cache_home()
    if home is None:
        return None
    try:
        stat = source.stat()
    except OSError:
        return None
    where = str(source.resolve()).encode("utf-8", "surrogateescape")
    version = zlib.crc32(f"{stat.st_size}|{stat.st_mtime_ns}".encode(), zlib.crc32(where))
    return Path(home) / f"locale-{lang}-{zlib.crc32(where):08x}-{version:08x}.marshal"


def _read_cache(cache: Path | None) -> dict[str, Message] | None:
    """The messages cached by an earlier run: every command needs them, and unmarshalling a
    dict of strings costs a fraction of importing tomllib and parsing the catalogue."""
    if cache is None:
        return None
    try:
        with cache.open("rb") as stream:
            found = marshal.load(stream)
    except Exception:  # a missing or damaged cache only means parsing again
        return None
    return found if isinstance(found, dict) else None


def _write_cache(cache: Path | None, messages: dict[str, Message]) -> None:
    """Write atomically, and remove this language's caches of earlier catalogue versions."""
    if cache is None:
        return
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(messages))
        os.replace(temporary, cache)  # a reader never sees half a file
        prefix = cache.name.rsplit("-", 1)[0] + "-"
        for entry in os.scandir(cache.parent):
            name = entry.name
            if name.startswith(prefix) and name.endswith(".marshal") and name != cache.name:
                os.unlink(entry.path)
    except OSError:
        return  # an unwritable cache folder costs speed, never correctness


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of `lang`, read once; an unreadable one falls back to English."""
    try:
        return Catalogue.read(lang)
    except (OSError, ValueError):  # ValueError: tomllib's TOMLDecodeError, UnicodeDecodeError
        if lang == DEFAULT:
            return Catalogue(DEFAULT, {})
        return catalogue(DEFAULT)


_active: list[Catalogue] = []


def use(lang: str) -> Catalogue:
    """Make `lang` the active language of the process and return its catalogue."""
    found = catalogue(lang)
    _active[:] = [found]
    return found


def active() -> Catalogue:
    if not _active:
        use(DEFAULT)
    return _active[0]


def current() -> str:
    return active().lang


def text(key: str, /, **values: object) -> str:
    """The active language's message `key`, with its fields filled in."""
    return active().text(key, **values)


def plural(key: str, n: int, /, **values: object) -> str:
    return active().plural(key, n, **values)


def join(items: list[str] | tuple[str, ...]) -> str:
    return active().join(items)


def sentences(*parts: str) -> str:
    return active().sentences(*parts)


def label(label: str) -> str:
    return active().label(label)


def names() -> list[tuple[str, str, str]]:
    """Every language as (code, own name, English name), for pickers and ``--help``."""
    found = []
    for lang in LANGUAGES:
        entry = catalogue(lang)
        english = str(entry.messages.get("language.name.english", lang))
        found.append((lang, entry.name, english))
    return found
