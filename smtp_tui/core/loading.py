"""Loading the data: the folders of basic, enhanced and translated codes (and the user's own
file) read, checked as a whole (links, duplicates) and made into a `Repository`.

Nothing here chooses for the user: the front end names the data folder, the language and the
user's code file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from smtp_tui.core import i18n
from smtp_tui.core.cache import cache_path, read_cache, write_cache
from smtp_tui.core.errors import DataError, Words
from smtp_tui.core.model import ENHANCED_CODE, PROSE_FIELDS, Code, ReplyCode
from smtp_tui.core.repository import Repository, Translations

if TYPE_CHECKING:
    from smtp_tui.core.entries import EntryPlace

DATA_ENV = "SMTP_TUI_DATA"
"""Environment variable naming a data folder that overrides the shipped one."""


def default_data_dir() -> Path:
    """Where the data is: inside the installed package, else the checkout's ``data/``.

    The wheel puts the data at ``smtp_tui/data``. Looking beside this file finds it in every
    installed layout, and looking above it finds a checkout's; `importlib.resources` is asked only
    when both fail (a zipped package), because importing it costs start-up time on every run.
    """
    package = Path(__file__).resolve().parents[1]
    beside = package / "data"
    if beside.is_dir():
        return beside
    checkout = package.parent / "data"
    if checkout.is_dir():
        return checkout
    from importlib import resources

    shipped = resources.files("smtp_tui") / "data"
    if shipped.is_dir():
        return Path(str(shipped))
    return checkout


def _shown(path: Path) -> str:
    from smtp_tui.core.entries import shown_path

    return shown_path(path)


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """An explicit path wins, then ``$SMTP_TUI_DATA``, then the shipped data."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env)
    return default_data_dir()


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    language: str = i18n.DEFAULT,
    user_codes: Path | None = None,
) -> Repository:
    """Read and validate every data file; `DataError` (one line) on the first problem found.

    The codes are shown in `language`, which the front end chose. The user's own code file, when
    the front end hands one (``settings.user_codes_file()``), is validated the same way, but a
    problem there only becomes a warning on the repository: the shipped codes still load.

    Parsing and validating the TOML is most of what start-up spends on our own work, so the result
    is kept in the user's cache folder, keyed by every data and code file's size and time; any
    change, or any trouble reading the cache, means a fresh parse.
    """
    root = data_dir(path)
    basic = root / "basic"
    if not basic.is_dir():
        raise DataError("data.no_basic_folder", path=_shown(root))
    files = sorted(basic.glob("*.toml"))
    if not files:
        raise DataError("data.no_files", path=_shown(basic))
    enhanced = sorted((root / "enhanced").glob("*.toml"))
    translated = sorted((root / "translations").glob("*/*.toml"))
    extra = [user_codes] if user_codes is not None and user_codes.is_file() else []
    # A codes.toml that is a folder (or a device...) is said once, not passed over in silence;
    # added outside the cache, which is the same as for no code file at all.
    unread: list[Words] = []
    if user_codes is not None and not extra and user_codes.exists():
        unread.append(Words("data.not_a_file", path=_shown(user_codes)))
    cache = cache_path(root, user_codes, [*files, *enhanced, *translated, *extra])
    cached = read_cache(cache)
    if cached is not None:
        cached.show_in(language)
        cached.warnings = (*cached.warnings, *unread)
        return cached
    # Parsing: the only time the data files' reader is needed (every warm start skips it).
    from smtp_tui.core.entries import load_file, parse_basic, parse_enhanced

    codes: dict[str, Code] = {}
    parsers = [(f, parse_basic) for f in files] + [(f, parse_enhanced) for f in enhanced]
    for file, parse in parsers:
        _add(codes, load_file(file, parse))
    _check_links(codes)
    translations = _load_translations(root / "translations", codes)
    warnings: list[Words] = []
    for file in extra:
        try:
            mine = dict(codes)
            _add(mine, load_file(file, _parse_any), shipped=codes)
            _check_links(mine)
            codes = mine
        except DataError as error:
            warnings.append(Words("data.not_loaded", message=error))
    repository = Repository(codes.values(), warnings, translations)
    write_cache(cache, repository)
    repository.show_in(language)
    repository.warnings = (*repository.warnings, *unread)
    return repository


def _load_translations(folder: Path, codes: dict[str, Code]) -> Translations:
    """Each ``translations/<language>/*.toml``: prose of shipped codes, checked like the data."""
    from smtp_tui.core.entries import load_file

    found: Translations = {}
    if not folder.is_dir():
        return found
    for language in sorted(path for path in folder.iterdir() if path.is_dir()):
        lang = language.name
        if lang not in i18n.LANGUAGES or lang == i18n.DEFAULT:
            choices = ", ".join(i18n.LANGUAGES[1:])
            raise DataError("data.translation_language", path=_shown(language), choices=choices)
        table = found.setdefault(lang, {})
        for file in sorted(language.glob("*.toml")):
            for code, fields, place in load_file(file, _parse_translation):
                shipped = codes.get(code)
                if shipped is None:
                    raise place.error(code, "code", Words("data.translation_unknown"))
                allowed = PROSE_FIELDS[shipped.family]
                for name in fields:
                    if name not in allowed:
                        fields_text = ", ".join(allowed)
                        raise place.error(
                            code, name, Words("data.translation_field", fields=fields_text)
                        )
                if code in table:
                    raise place.error(code, "code", Words("data.translation_duplicate"))
                table[code] = fields
    return found


def _parse_translation(entry: object, place: EntryPlace) -> tuple[str, dict[str, str], EntryPlace]:
    from smtp_tui.core.entries import text_field

    if not isinstance(entry, dict):
        raise place.error(None, "code", Words("data.need_table"))
    code = entry.get("code")
    if not isinstance(code, str) or not code:
        raise place.error(None, "code", Words("data.missing"))
    fields = {name: text_field(entry, name, place, code, required=True) for name in entry}
    del fields["code"]
    return code, fields, place


def _add(codes: dict[str, Code], new: list[Code], shipped: dict[str, Code] | None = None) -> None:
    for code in new:
        if code.code in codes:
            where: Words | str = (
                Words("data.shipped")
                if shipped and code.code in shipped
                else _place(codes[code.code])
            )
            raise DataError(
                "data.field",
                where=_place(code),
                who=Words("data.entry", code=code.code),
                field="code",
                problem=Words("data.duplicate", where=where),
            )
        codes[code.code] = code


def _place(code: Code) -> str:
    """``file:line`` of a loaded entry, as every other data error names it."""
    shown = _shown(Path(code.source))
    return f"{shown}:{code.line}" if code.line else shown


def _parse_any(entry: object, place: EntryPlace) -> Code:
    """The user's file holds both families: the shape of the code says which."""
    from smtp_tui.core.entries import parse_basic, parse_enhanced

    code = entry.get("code") if isinstance(entry, dict) else None
    if isinstance(code, str) and ENHANCED_CODE.fullmatch(code):
        return parse_enhanced(entry, place)
    return parse_basic(entry, place)


def _check_links(codes: dict[str, Code]) -> None:
    for code in codes.values():
        links = list(code.related)
        if isinstance(code, ReplyCode) and code.counterpart:
            links.append(code.counterpart)
        if isinstance(code, ReplyCode) and code.read_as:
            registry = "X." + code.read_as.split(".", 1)[1]
            if registry not in codes:
                raise DataError(
                    "data.field",
                    where=_shown(Path(code.source)),
                    who=Words("data.entry", code=code.code),
                    field="read_as",
                    problem=Words("data.unknown_link", code=registry),
                )
        for item in links:
            if item not in codes:
                field_name = (
                    "counterpart"
                    if isinstance(code, ReplyCode) and item == code.counterpart
                    else "related"
                )
                raise DataError(
                    "data.field",
                    where=_place(code),
                    who=Words("data.entry", code=code.code),
                    field=field_name,
                    problem=Words("data.unknown_link", code=item),
                )
