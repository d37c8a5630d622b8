"""The code repository: every code of both families, looked up, searched, related and compared.

Everything smtp-tui shows (the browser, the CLI, the JSON) comes through here; `loading` builds
it from the data files. It imports neither Textual nor Rich, so the CLI starts fast (a test checks
that), and it never chooses a language: the front end says which one the codes are shown in.
"""

from __future__ import annotations

import marshal
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property

from smtp_tui.core import i18n
from smtp_tui.core.errors import CannotCompare, SmtpTuiError, Words
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import (
    ENHANCED_CODE,
    PROSE_FIELDS,
    Code,
    Comparison,
    EnhancedCode,
    ReplyClass,
    ReplyCode,
)
from smtp_tui.core.search import RANK_NAME, CodeView, SearchIndex, sort_key
from smtp_tui.core.text import query_words, quoted
from smtp_tui.core.vocabulary import EnhancedKind, Family

Translations = dict[str, dict[str, dict[str, str]]]
"""Language → code → field → text, as read from ``data/translations/<language>/*.toml``."""


def localize(code: Code, fields: dict[str, str]) -> Code:
    """`code` with its translated `fields`; those left in English are listed in `untranslated`."""
    missing = tuple(
        name for name in PROSE_FIELDS[code.family] if getattr(code, name) and name not in fields
    )
    return replace(code, **fields, untranslated=missing)  # type: ignore[arg-type]


class UnknownCode(SmtpTuiError, LookupError):
    """A code the repository does not hold; carries suggestions for the message."""

    def __init__(self, code: str, suggestions: Sequence[str]) -> None:
        Exception.__init__(self, code)
        self.code = code
        self.suggestions = tuple(suggestions)

    @property
    def message(self) -> str:
        text = self.code.strip()
        if re.fullmatch(r"[0-9]{3}", text):
            head = _t("error.unknown_code", code=text)
        elif ENHANCED_CODE.fullmatch(text):
            head = _t("error.unknown_enhanced", code=text)
        else:
            head = _t("error.not_a_code", text=quoted(text, limit=40))
        if self.suggestions:
            codes = _t("list.separator").join(self.suggestions)
            return _t("error.did_you_mean", message=head, codes=codes)
        return head


class Repository:
    def __init__(
        self,
        codes: Iterable[Code],
        warnings: Sequence[Words] = (),
        translations: Translations | None = None,
    ) -> None:
        self.warnings = tuple(warnings)
        """Problems that did not stop the load (the user's own code file), worded when shown."""
        self._translations = {
            lang: zlib.compress(marshal.dumps(table))
            for lang, table in (translations or {}).items()
        }
        """Language → its prose (code → field → text), compressed: only a reader of that language
        unpacks it (Turkish is 0.7 MiB of strings, 70 KiB packed, that others never need)."""
        self.language = i18n.DEFAULT
        """The language the codes' prose is shown in, as the front end chose (`show_in`)."""
        self._english = sorted(codes, key=sort_key)
        tables = list((translations or {}).values())
        self._search = SearchIndex(
            self._english,
            [
                [table[code.code] for table in tables if code.code in table]
                for code in self._english
            ],
        )
        self._index(self._english)

    def _index(self, ordered: list[Code]) -> None:
        """The lookups over `ordered`, the codes as shown in the current language."""
        self._ordered = ordered
        self._codes: dict[str, Code] = {code.code: code for code in ordered}
        self.__dict__.pop("all", None)
        self._enhanced_for: dict[str, list[EnhancedCode]] = {}
        for code in ordered:
            if isinstance(code, EnhancedCode):
                for reply in code.reply_codes:
                    self._enhanced_for.setdefault(reply, []).append(code)

    def show_in(self, lang: str) -> None:
        """Show the codes in `lang`, which the front end chose: translated prose where the data
        has it, English (marked as such) where it does not. The interface's own words are the
        front end's to switch (`i18n.use`); the search index covers every language already."""
        if lang == self.language:
            return
        self.language = lang
        packed = self._translations.get(lang)
        table: dict[str, dict[str, str]] = marshal.loads(zlib.decompress(packed)) if packed else {}
        if lang == i18n.DEFAULT:
            self._index(self._english)
        else:
            self._index([localize(code, table.get(code.code, {})) for code in self._english])

    @property
    def translations(self) -> Translations:
        """Every language's prose, unpacked (for tests and rebuilding; the codes shown in a
        language are `show_in`'s)."""
        return {
            lang: marshal.loads(zlib.decompress(packed))
            for lang, packed in self._translations.items()
        }

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._codes

    @cached_property
    def all(self) -> CodeView:
        return CodeView(tuple(self._codes.values()))

    def count(self, family: Family) -> int:
        return sum(1 for code in self._ordered if code.family == family)

    def get(self, text: str) -> Code:
        """The code, or `UnknownCode` with up to three close codes to suggest.

        An enhanced code with a class (5.1.1) is the registry's detail (X.1.1) with that class.
        """
        wanted = text.strip()
        found = self._codes.get(wanted)
        if found is not None:
            return found
        match = ENHANCED_CODE.fullmatch(wanted)
        if match is not None:
            wanted = f"{match['cls'].upper()}.{match['subject'].upper()}.{match['detail'].upper()}"
            found = self._codes.get(wanted)
            if found is not None:
                return found
            cls = match["cls"]
            if cls.isdigit():
                registry = self._codes.get(f"X.{match['subject']}.{match['detail']}".upper())
                if isinstance(registry, EnhancedCode):
                    return registry.with_class(int(cls))
        raise UnknownCode(text, self.suggest(wanted))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Codes to offer after a miss: the prefix's codes for "45", the nearest for "599"."""
        text = text.strip()[:12]
        basic = [code.code for code in self._ordered if isinstance(code, ReplyCode)]
        if text.isdigit() and len(text) < 3:
            return [code for code in basic if code.startswith(text)][:limit]
        if text.isdigit() and len(text) == 3:
            return sorted(basic, key=lambda code: (abs(int(code) - int(text)), code))[:limit]
        match = ENHANCED_CODE.fullmatch(text)
        if match is not None:
            subject = f".{match['subject']}."
            same = [code.code for code in self._ordered if subject in code.code]
            if same:
                import difflib  # only on a miss: it is not needed to start

                close = difflib.get_close_matches(text, same, n=limit, cutoff=0.0)
                return close or same[:limit]
        import difflib

        return difflib.get_close_matches(text, list(self._codes), n=limit, cutoff=0.6)

    def in_class(self, reply_class: ReplyClass | int) -> CodeView:
        wanted = ReplyClass(reply_class)
        return CodeView(
            tuple(
                code
                for code in self._codes.values()
                if isinstance(code, ReplyCode) and code.reply_class is wanted
            ),
            reply_class=wanted,
            family=Family.BASIC,
        )

    def in_family(self, family: Family | None) -> CodeView:
        if family is None:
            return self.all
        return CodeView(
            tuple(code for code in self._ordered if code.family == family), family=family
        )

    def search(
        self, query: str, reply_class: ReplyClass | int | None = None, family: Family | None = None
    ) -> CodeView:
        """Codes matching every word of `query`, best first: exact code, code prefix, name, text.

        Any text is accepted: it is only ever compared as a plain string. An enhanced query with a
        class ("5.7") shows the registry's codes with that class (5.7.1 rather than X.7.1).
        """
        wanted = ReplyClass(reply_class) if reply_class is not None else None
        if wanted is not None:
            family = Family.BASIC
        if not query_words(query):
            pool = self.in_class(wanted) if wanted else self.in_family(family)
            return CodeView(pool.codes, query, wanted, family, (RANK_NAME,) * len(pool))
        return self._search.search(self._ordered, query, wanted, family)

    def related(self, code: Code) -> list[Code]:
        """The codes to offer from `code`: counterpart, related, then the other family's links."""
        if isinstance(code, ReplyCode):
            wanted: list[str] = [code.counterpart] if code.counterpart else []
            wanted += code.related
            linked = [self._codes[item] for item in dict.fromkeys(wanted) if item in self._codes]
            return linked + list(self.enhanced_for(code))
        status = code.status_class.value if code.status_class else None
        items: list[Code] = []
        for item in code.related:
            other = self._codes.get(item)
            if isinstance(other, EnhancedCode) and status and other.status_class is None:
                other = other.with_class(status) if other.kind is not EnhancedKind.CLASS else other
            if other is not None:
                items.append(other)
        items += [self._codes[reply] for reply in code.class_replies if reply in self._codes]
        return items

    def enhanced_for(self, code: ReplyCode) -> list[EnhancedCode]:
        """Enhanced codes the registry associates with a basic code, in the basic code's class."""
        cls = code.reply_class.value
        found = []
        for entry in self._enhanced_for.get(code.code, []):
            if (
                entry.status_class is None
                and entry.kind is EnhancedKind.DETAIL
                and cls in (2, 4, 5)
            ):
                found.append(entry.with_class(cls))
            elif entry.status_class is None or entry.status_class.value == cls:
                found.append(entry)
        return found

    def counterpart(self, code: Code) -> Code | None:
        """The transient/permanent form of the same condition: 552 for 452, 5.2.2 for 4.2.2."""
        if isinstance(code, ReplyCode):
            return self._codes.get(code.counterpart) if code.counterpart else None
        if (
            code.status_class is None
            or code.status_class.value == 2
            or code.kind is EnhancedKind.CLASS
        ):
            return None
        other = 5 if code.status_class.value == 4 else 4
        try:
            return self.get(f"{other}.{code.parts[1]}.{code.parts[2]}")
        except UnknownCode:
            return None

    def compare(
        self, first: str | Code, second: str | Code, *, as_asked: bool = False
    ) -> Comparison:
        """The comparison of two different codes, lower code first whatever the order asked,
        or `as_asked` (the browser's swapped view: every sentence then names `first` first)."""
        a = first if not isinstance(first, str) else self.get(first)
        b = second if not isinstance(second, str) else self.get(second)
        if a.code == b.code:
            raise CannotCompare("compare.error_same", code=a.code)
        from smtp_tui.core.comparison import build_comparison  # only a comparison needs it

        return build_comparison(a, b, as_asked=as_asked)
