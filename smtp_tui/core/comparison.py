"""The generated prose of a comparison of two codes: summary, key differences, when to use which.

Built only from the two entries and the facts derived from their digits, so every pair of codes gets
a deterministic comparison without anyone writing it by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from smtp_tui.core import i18n
from smtp_tui.core.errors import CannotCompare
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import (
    Code,
    Comparison,
    EnhancedCode,
    Reference,
    ReplyCode,
    actor_words,
    command_words,
    subject_name,
)


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``, in the interface language."""
    return i18n.join(tuple(items))


def cite(references: Iterable[Reference]) -> str:
    """References grouped by RFC: ``RFC 5321 §4.2.2, §4.3.2; RFC 1870 §6.2``, with the
    interface language's separators (Arabic ``،`` and ``؛``) so a sentence does not mix two sets."""
    sections: dict[int, list[str]] = {}
    for reference in references:
        found = sections.setdefault(reference.rfc, [])
        if reference.section and reference.section not in found:
            found.append(reference.section)
    parts = []
    for rfc, found in sections.items():
        shown = _t("list.separator").join(f"§{section}" for section in found)
        parts.append(f"RFC {rfc} {shown}".rstrip())
    return _t("list.semicolon").join(parts)


def rfc_links(references: Iterable[Reference]) -> list[tuple[str, str]]:
    """Each RFC cited, once, with its page at the RFC Editor: the reference sites' "Learn more"."""
    rfcs = dict.fromkeys(reference.rfc for reference in references)
    return [(f"RFC {rfc}", f"https://www.rfc-editor.org/rfc/rfc{rfc}") for rfc in rfcs]


def _named(code: Code) -> str:
    return _t("compare.named", code=code.code, name=code.name)


def _ordered_by_class(a: ReplyCode, b: ReplyCode) -> tuple[ReplyCode, ReplyCode]:
    """(transient, permanent) of two codes of classes 4 and 5."""
    return (a, b) if a.reply_class.value < b.reply_class.value else (b, a)


def _summary(a: ReplyCode, b: ReplyCode, counterparts: bool) -> str:
    ca, cb = a.reply_class, b.reply_class
    if ca is not cb:
        text = _t(
            "compare.classes_differ", a=_named(a), b=_named(b), class_a=ca.title, class_b=cb.title
        )
        if counterparts:
            transient, permanent = _ordered_by_class(a, b)
            more = _t("compare.counterparts", transient=transient.code, permanent=permanent.code)
        else:
            more = _t(
                "compare.class_meanings",
                a=a.code,
                b=b.code,
                meaning_a=ca.meaning,
                meaning_b=cb.meaning,
            )
        return i18n.sentences(text, more)
    text = _t(
        "compare.same_class",
        a=_named(a),
        b=_named(b),
        label=ca.label,
        title=ca.title,
        meaning=ca.meaning,
    )
    if a.read_as or b.read_as:
        return text  # the digits name no category: the key differences say what they mean
    if a.category is b.category:
        more = _t("compare.same_category", title=a.category.title, label=a.category.label)
    else:
        more = _t(
            "compare.categories_differ",
            a=a.code,
            b=b.code,
            title_a=a.category.title,
            title_b=b.category.title,
            label_a=a.category.label,
            label_b=b.category.label,
            meaning_a=a.category.meaning,
            meaning_b=b.category.meaning,
        )
    return i18n.sentences(text, more)


_DIGIT_KEYS = {
    "reply_class": ("compare.class_same", "compare.class_differ"),
    "category": ("compare.category_same", "compare.category_differ"),
}
"""The sentences for both codes' class (first digit) or category (second digit): the same, or
not."""


def _digit(a: ReplyCode, b: ReplyCode, which: str) -> str:
    """The class (first digit) or category (second digit) of both codes, as one difference."""
    da, db = getattr(a, which), getattr(b, which)
    same, differ = _DIGIT_KEYS[which]
    if da is db:
        return _t(same, label=da.label, title=da.title, meaning=da.meaning)
    return _t(
        differ,
        a=a.code,
        b=b.code,
        label_a=da.label,
        label_b=db.label,
        title_a=da.title,
        title_b=db.title,
        meaning_a=da.meaning,
        meaning_b=db.meaning,
    )


def _category(a: ReplyCode, b: ReplyCode) -> str:
    """The category of both, or what the digits mean where a number is read as an enhanced code."""
    if not (a.read_as or b.read_as):
        return _digit(a, b, "category")
    return _t(
        "compare.category_words",
        a=a.code,
        b=b.code,
        words_a=a.category_words,
        words_b=b.category_words,
    )


def _retry(a: ReplyCode, b: ReplyCode) -> str:
    if a.retry == b.retry:
        return _t("compare.retry_same", retry=a.retry)
    return _t("compare.retry_differ", a=a.code, b=b.code, retry_a=a.retry, retry_b=b.retry)


def _actors(code: ReplyCode) -> str:
    return join_words([actor_words(actor) for actor in code.action_by])


def _who_acts(a: ReplyCode, b: ReplyCode) -> str:
    if a.action_by == b.action_by:
        return _t("compare.actors_same", actors=_actors(a))
    return _t("compare.actors_differ", a=a.code, b=b.code, actors_a=_actors(a), actors_b=_actors(b))


def _commands(a: ReplyCode, b: ReplyCode) -> str:
    shared = [command_words(c) for c in a.commands if c in b.commands]
    only_a = [command_words(c) for c in a.commands if c not in b.commands]
    only_b = [command_words(c) for c in b.commands if c not in a.commands]
    parts = []
    if shared:
        parts.append(_t("compare.commands_shared", commands=join_words(shared)))
    key = "compare.commands_only_of_two"  # said once: 214 answers HELP too, not only 211
    for code, only in ((a, only_a), (b, only_b)):
        if only:
            parts.append(_t(key, code=code.code, commands=join_words(only)))
            key = "compare.commands_only"
    return _t("compare.commands", parts=_t("list.semicolon").join(parts))


def _relationship(a: ReplyCode, b: ReplyCode, counterparts: bool) -> str:
    if counterparts:
        transient, permanent = _ordered_by_class(a, b)
        return _t(
            "compare.relation_counterparts", transient=transient.code, permanent=permanent.code
        )
    if b.code in a.related and a.code in b.related:
        return _t("compare.relation_mutual")
    for one, other in ((a, b), (b, a)):
        if other.code in one.related:
            return _t("compare.relation_one", one=one.code, other=other.code)
    return _t("compare.relation_none")


def _defined(code: ReplyCode) -> str:
    """Where a standard code is defined, apart from the references that only mention it."""
    if not code.defined_in:  # a user's code that does not say: no claim of definition
        return _t("compare.standard_cited", code=code.code, references=cite(code.references))
    defining = cite(code.defined_in)
    mentions = [reference for reference in code.references if reference not in code.defined_in]
    if not mentions:
        return _t("compare.defined_in", code=code.code, references=defining)
    return _t("compare.defined_in_also", code=code.code, defined=defining, cited=cite(mentions))


def _standing(a: ReplyCode, b: ReplyCode) -> str:
    parts = []
    for code in (a, b):
        if code.standard:
            parts.append(_defined(code))
        else:
            parts.append(_t("compare.not_standard", code=code.code, origin=code.origin))
    return _t("compare.standards", parts=_t("list.semicolon").join(parts))


def _servers(a: ReplyCode, b: ReplyCode, counterparts: bool) -> tuple[str, ...]:
    advice = []
    ca, cb = a.reply_class, b.reply_class
    if {ca.value, cb.value} == {4, 5}:
        transient, permanent = _ordered_by_class(a, b)
        key = "compare.server_choose_counterparts" if counterparts else "compare.server_choose"
        advice.append(_t(key, transient=transient.code, permanent=permanent.code))
    advice += [_lead("compare.server_send", code.code, code.server_guidance) for code in (a, b)]
    return tuple(advice)


def _senders(a: Code, b: Code) -> tuple[str, ...]:
    if a.fix_sender == b.fix_sender:  # one registry entry with two classes
        return (_t("compare.sender_either", text=a.fix_sender),)
    # Always labelled: "On 452:" names the situation, so it never repeats the advice's verb.
    return tuple(_t("compare.sender_on", code=code.code, text=code.fix_sender) for code in (a, b))


def _first_sentence(text: str) -> str:
    found = _SENTENCE_END.search(text)
    return text[: found.start()] if found else text


_SENTENCE_END = re.compile(r"(?<=[.!?])\s|。")
"""Where the first sentence of a code's prose ends (a full stop before a space, or a 。)."""


def _lead(key: str, code: str, text: str) -> str:
    """Prefix `text` with a label naming the code, unless its first sentence names the code.

    By the sentence, not by its first words: Turkish puts the verb and its object last
    ("… kaynaklanıyorsa 452 gönderin"), so a label "452 gönderin:" before it says it twice.
    A text that does not name its code (422: "Send a standard code with 4.2.2") gets a label
    that names it without telling anyone to send it.
    """
    named = re.compile(rf"(?<![\w.]){re.escape(code)}(?![\w]|\.\w)")
    if named.search(_first_sentence(text)):
        return text
    return _t(key, code=code, text=text)


def build_comparison(one: Code, two: Code, *, as_asked: bool = False) -> Comparison:
    """Compare two different codes of one family; the lower code comes first, whatever the order,
    unless `as_asked`."""
    if isinstance(one, ReplyCode) and isinstance(two, ReplyCode):
        return _compare_basic(one, two, as_asked)
    if isinstance(one, EnhancedCode) and isinstance(two, EnhancedCode):
        return _compare_enhanced(one, two, as_asked)
    basic, enhanced = (one, two) if isinstance(one, ReplyCode) else (two, one)
    raise CannotCompare("compare.error_families", basic=basic.code, enhanced=enhanced.code)


def _compare_basic(one: ReplyCode, two: ReplyCode, as_asked: bool = False) -> Comparison:
    a, b = (one, two) if as_asked else sorted((one, two), key=lambda code: code.code)
    counterparts = a.counterpart == b.code or b.counterpart == a.code
    differences = [
        _digit(a, b, "reply_class"),
        _category(a, b),
        _retry(a, b),
        _who_acts(a, b),
        _commands(a, b),
        _relationship(a, b, counterparts),
        _standing(a, b),
    ]
    differences += [
        _t("compare.watch_out", code=code.code, notes=code.notes) for code in (a, b) if code.notes
    ]
    return Comparison(
        first=a,
        second=b,
        summary=_summary(a, b, counterparts),
        key_differences=tuple(differences),
        for_servers=_servers(a, b, counterparts),
        for_senders=_senders(a, b),
        counterparts=counterparts,
    )


# ---------------------------------------------------------------------------- enhanced codes


def _enhanced_order(code: EnhancedCode) -> tuple[int, int, int]:
    _, subject, detail = code.parts
    number = int(detail) if detail.isdigit() else -1
    status = code.status_class.value if code.status_class else 0
    return (int(subject) if subject.isdigit() else -1, number, status)


def _class_phrase(code: EnhancedCode) -> str:
    if code.status_class is None:
        return _t("compare.enhanced.class_any")
    status = code.status_class
    return _t("compare.enhanced.class_phrase", title=status.title, label=status.label)


def _subject_phrase(code: EnhancedCode) -> str:
    if code.subject is None:
        return _t("compare.enhanced.subject_none")
    return _t("compare.enhanced.subject_phrase", n=code.subject, name=subject_name(code.subject))


def _enhanced_summary(a: EnhancedCode, b: EnhancedCode, counterparts: bool) -> str:
    same_detail = a.registry_code == b.registry_code
    if same_detail:
        summary = _t(
            "compare.enhanced.same_entry",
            a=a.code,
            b=b.code,
            kind=_t(a.kind.key),
            name=a.name,
            registry=a.registry_code,
            class_a=_class_phrase(a),
            class_b=_class_phrase(b),
        )
        more = (
            "compare.enhanced.same_entry_counterparts"
            if counterparts
            else "compare.enhanced.same_entry_other"
        )
        return i18n.sentences(summary, _t(more))
    names = {"a": a.code, "b": b.code, "name_a": a.name, "name_b": b.name}
    if a.status_class != b.status_class:
        summary = _t(
            "compare.enhanced.classes_differ",
            **names,
            class_a=_class_phrase(a),
            class_b=_class_phrase(b),
        )
    else:
        summary = _t("compare.enhanced.classes_same", **names, class_name=_class_phrase(a))
    if a.subject is None and b.subject is None:
        return summary  # two classes (4.X.X, 5.X.X): no subject to speak of
    if a.subject == b.subject:
        more = _t("compare.enhanced.subject_same", subject=_subject_phrase(a))
    else:
        more = _t(
            "compare.enhanced.subject_differ",
            a=a.code,
            b=b.code,
            subject_a=_subject_phrase(a),
            subject_b=_subject_phrase(b),
        )
    return i18n.sentences(summary, more)


def _replies_phrase(code: EnhancedCode) -> str:
    """The reply codes of its class in words, or the registry's range ("Any", "5XX"); empty
    when the registry gives none for its class."""
    return join_words([*code.class_replies, *code.class_ranges])


def _compare_enhanced(one: EnhancedCode, two: EnhancedCode, as_asked: bool = False) -> Comparison:
    a, b = (one, two) if as_asked else sorted((one, two), key=_enhanced_order)
    same_detail = a.registry_code == b.registry_code
    classes = {c.status_class.value for c in (a, b) if c.status_class}
    counterparts = same_detail and classes == {4, 5}
    pair = {"a": a.code, "b": b.code}
    differences = [
        _t("compare.enhanced.class", **pair, class_a=_class_phrase(a), class_b=_class_phrase(b))
    ]
    if a.subject is not None or b.subject is not None:
        subjects = {"subject_a": _subject_phrase(a), "subject_b": _subject_phrase(b)}
        differences.append(_t("compare.enhanced.subject", **pair, **subjects))
    differences.append(_t("compare.enhanced.retry", **pair, retry_a=a.retry, retry_b=b.retry))
    replies_a, replies_b = _replies_phrase(a), _replies_phrase(b)
    if replies_a or replies_b:
        none = _t("compare.enhanced.replies_none")
        differences.append(
            _t(
                "compare.enhanced.replies",
                **pair,
                replies_a=replies_a or none,
                replies_b=replies_b or none,
            )
        )
    if same_detail:
        relation = _t("compare.enhanced.relation_same_entry", registry=a.registry_code)
    elif b.registry_code in a.related or a.registry_code in b.related:
        relation = _t("compare.enhanced.relation_related")
    elif a.subject == b.subject:
        relation = _t("compare.enhanced.relation_neighbours")
    else:
        relation = _t("compare.enhanced.relation_none")
    differences.append(_t("compare.enhanced.relation", relation=relation))
    standing = [
        _t("compare.enhanced.registered", code=code.code, references=cite(code.references))
        if code.standard
        else _t("compare.enhanced.not_registered", code=code.code, origin=code.origin)
        for code in (a, b)
    ]
    differences.append(_t("compare.standards", parts=_t("list.semicolon").join(standing)))
    servers = []
    if counterparts:
        transient, permanent = (a, b) if a.tone == 4 else (b, a)
        servers.append(
            _t(
                "compare.enhanced.server_counterparts",
                transient=transient.code,
                permanent=permanent.code,
            )
        )
    for code in (a, b):
        replies = _replies_phrase(code)
        if replies:
            servers.append(
                _t(
                    "compare.enhanced.server_send_with",
                    code=code.code,
                    name=code.name,
                    replies=replies,
                )
            )
        else:
            servers.append(_t("compare.enhanced.server_send", code=code.code, name=code.name))
    return Comparison(
        first=a,
        second=b,
        summary=_enhanced_summary(a, b, counterparts),
        key_differences=tuple(differences),
        for_servers=tuple(servers),
        for_senders=_senders(a, b),
        counterparts=counterparts,
    )
