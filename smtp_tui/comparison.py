"""The generated prose of a comparison of two codes: summary, key differences, when to use which.

Built only from the two entries and the facts derived from their digits, so every pair of codes gets
a deterministic comparison without anyone writing it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import (
    ACTORS,
    COMMANDS,
    SUBJECTS,
    Code,
    Comparison,
    EnhancedCode,
    Reference,
    ReplyCode,
)


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def cite(references: Iterable[Reference]) -> str:
    """References grouped by RFC: ``RFC 5321 §4.2.2, §4.3.2; RFC 1870 §6.2``."""
    sections: dict[int, list[str]] = {}
    for reference in references:
        found = sections.setdefault(reference.rfc, [])
        if reference.section and reference.section not in found:
            found.append(reference.section)
    parts = []
    for rfc, found in sections.items():
        shown = ", ".join(f"§{section}" for section in found)
        parts.append(f"RFC {rfc} {shown}".rstrip())
    return "; ".join(parts)


def _named(code: ReplyCode) -> str:
    return f"{code.code} ({code.name})"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _summary(a: ReplyCode, b: ReplyCode, counterparts: bool) -> str:
    ca, cb = a.reply_class, b.reply_class
    if ca is not cb:
        text = (
            f"{_named(a)} is {_article(ca.title)} {ca.title} response, while {_named(b)} is "
            f"{_article(cb.title)} {cb.title} response. "
        )
        if counterparts:
            transient, permanent = (a, b) if ca.value < cb.value else (b, a)
            text += (
                f"They report the same condition: {transient.code} says it should clear, so the "
                f"client keeps the message and tries again, while {permanent.code} says that "
                f"trying again unchanged will not help."
            )
        else:
            text += f"With {a.code}, {ca.meaning}; with {b.code}, {cb.meaning}."
        return text
    text = (
        f"Both {_named(a)} and {_named(b)} belong to the {ca.label} {ca.title} category: "
        f"{ca.meaning}. "
    )
    if a.category is b.category:
        text += (
            f"Both are {a.category.title} replies ({a.category.label}), so the difference lies in "
            f"the situation each one reports, set out below."
        )
    else:
        text += (
            f"{a.code} is {_article(a.category.title)} {a.category.title} reply "
            f"({a.category.label}, {a.category.meaning}), whereas {b.code} is "
            f"{_article(b.category.title)} {b.category.title} reply ({b.category.label}, "
            f"{b.category.meaning})."
        )
    return text


def _digit(heading: str, a: ReplyCode, b: ReplyCode, which: str, joiner: str) -> str:
    """The class (first digit) or category (second digit) of both codes, as one difference."""
    da, db = getattr(a, which), getattr(b, which)
    if da is db:
        return f"{heading}: both are {da.label} {da.title}{joiner} {da.meaning}."
    return (
        f"{heading}: {a.code} is {da.label} {da.title} ({da.meaning}); "
        f"{b.code} is {db.label} {db.title} ({db.meaning})."
    )


def _retry(a: ReplyCode, b: ReplyCode) -> str:
    ca, cb = a.reply_class, b.reply_class
    if ca is cb:
        return f"Retrying the same command: for both, {ca.retry}."
    return f"Retrying the same command: after {a.code}, {ca.retry}; after {b.code}, {cb.retry}."


def _actors(code: ReplyCode) -> str:
    return join_words([ACTORS[actor] for actor in code.action_by])


def _who_acts(a: ReplyCode, b: ReplyCode) -> str:
    if a.action_by == b.action_by:
        return f"Who has to act: for both, {_actors(a)}."
    return f"Who has to act: for {a.code}, {_actors(a)}; for {b.code}, {_actors(b)}."


def _commands(a: ReplyCode, b: ReplyCode) -> str:
    shared = [COMMANDS[c] for c in a.commands if c in b.commands]
    only_a = [COMMANDS[c] for c in a.commands if c not in b.commands]
    only_b = [COMMANDS[c] for c in b.commands if c not in a.commands]
    parts = []
    if shared:
        parts.append(f"both can answer {join_words(shared)}")
    if only_a:
        parts.append(f"only {a.code} answers {join_words(only_a)}")
    if only_b:
        parts.append(f"only {b.code} answers {join_words(only_b)}")
    return f"Commands: {'; '.join(parts)}."


def _relationship(a: ReplyCode, b: ReplyCode, counterparts: bool) -> str:
    if counterparts:
        transient, permanent = (a, b) if a.reply_class.value < b.reply_class.value else (b, a)
        return (
            f"Relationship: counterparts. They describe the same condition, transient in "
            f"{transient.code} and permanent in {permanent.code}; the class alone decides whether "
            f"the sender's server retries or bounces the message."
        )
    if b.code in a.related and a.code in b.related:
        return (
            "Relationship: each lists the other as a related code; they are neighbours, not twins."
        )
    for one, other in ((a, b), (b, a)):
        if other.code in one.related:
            return f"Relationship: {one.code} lists {other.code} as a related code."
    return "Relationship: none directly; they report different conditions."


def _standing(a: ReplyCode, b: ReplyCode) -> str:
    parts = []
    for code in (a, b):
        if code.standard:
            parts.append(f"{code.code} is defined in {cite(code.references)}")
        else:
            parts.append(f"{code.code} is not standard ({code.origin})")
    return f"Standards: {'; '.join(parts)}."


def _servers(a: ReplyCode, b: ReplyCode, counterparts: bool) -> tuple[str, ...]:
    advice = []
    ca, cb = a.reply_class, b.reply_class
    if {ca.value, cb.value} == {4, 5}:
        transient, permanent = (a, b) if ca.value == 4 else (b, a)
        lead = "For the same condition, choose" if counterparts else "Choose"
        advice.append(
            f"{lead} by asking whether the same command could succeed later without any "
            f"change: if it could, send {transient.code}; if it cannot, send {permanent.code}."
        )
    advice += [_lead(f"Send {code.code}", code.code, code.server_guidance) for code in (a, b)]
    return tuple(advice)


def _senders(a: Code, b: Code) -> tuple[str, ...]:
    if a.fix_sender == b.fix_sender:  # one registry entry with two classes
        return (f"On either: {a.fix_sender}",)
    return tuple(_lead(f"On {code.code}", code.code, code.fix_sender) for code in (a, b))


def _lead(label: str, code: str, text: str) -> str:
    """Prefix `text` with a label naming the code, unless its first words already name it."""
    if code in text.split(":", 1)[0][:40]:
        return text
    return f"{label}: {text}"


def build_comparison(one: Code, two: Code) -> Comparison:
    """Compare two different codes of one family; the lower code comes first, whatever the order."""
    if isinstance(one, ReplyCode) and isinstance(two, ReplyCode):
        return _compare_basic(one, two)
    if isinstance(one, EnhancedCode) and isinstance(two, EnhancedCode):
        return _compare_enhanced(one, two)
    basic, enhanced = (one, two) if isinstance(one, ReplyCode) else (two, one)
    raise ValueError(
        f"compare codes of one family: {basic.code} is a reply code and {enhanced.code} an "
        f"enhanced status code; 'smtp-tui show {basic.code}' lists the enhanced codes sent with it"
    )


def _compare_basic(one: ReplyCode, two: ReplyCode) -> Comparison:
    a, b = sorted((one, two), key=lambda code: code.code)
    counterparts = a.counterpart == b.code or b.counterpart == a.code
    differences = [
        _digit("Class", a, b, "reply_class", ":"),
        _digit("Category", a, b, "category", ","),
        _retry(a, b),
        _who_acts(a, b),
        _commands(a, b),
        _relationship(a, b, counterparts),
        _standing(a, b),
    ]
    differences += [f"Watch out ({code.code}): {code.notes}" for code in (a, b) if code.notes]
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
        return "a registry code that can be sent with any class"
    title = code.status_class.title
    return f"{_article(title)} {title} ({code.status_class.label})"


def _subject_phrase(code: EnhancedCode) -> str:
    if code.subject is None:
        return "no subject in particular"
    return f"X.{code.subject}.X {SUBJECTS.get(code.subject, 'unknown subject')}"


def _replies(code: EnhancedCode) -> list[str]:
    return list(code.class_replies)


def _compare_enhanced(one: EnhancedCode, two: EnhancedCode) -> Comparison:
    a, b = sorted((one, two), key=_enhanced_order)
    same_detail = a.registry_code == b.registry_code
    classes = {c.status_class.value for c in (a, b) if c.status_class}
    counterparts = same_detail and classes == {4, 5}
    if same_detail:
        summary = (
            f"{a.code} and {b.code} are the same {a.kind}, {a.name} ({a.registry_code}), sent with "
            f"a different class: {a.code} is {_class_phrase(a)} and {b.code} is "
            f"{_class_phrase(b)}. "
        )
        if counterparts:
            summary += (
                "The class alone turns the report from transient, where the sending server keeps "
                "the message and retries, into permanent, where the message bounces."
            )
        else:
            summary += "Only the class differs, and with it what the sending server does next."
    elif a.status_class != b.status_class:
        summary = (
            f"{a.code} ({a.name}) is {_class_phrase(a)}, while {b.code} ({b.name}) is "
            f"{_class_phrase(b)}."
        )
    else:
        summary = f"Both {a.code} ({a.name}) and {b.code} ({b.name}) are {_class_phrase(a)}."
    if not same_detail:
        if a.subject == b.subject:
            summary += f" Both belong to the subject {_subject_phrase(a)}."
        else:
            summary += (
                f" {a.code} belongs to the subject {_subject_phrase(a)}, {b.code} to "
                f"{_subject_phrase(b)}."
            )
    differences = [
        f"Class: {a.code} is {_class_phrase(a)}; {b.code} is {_class_phrase(b)}.",
        f"Subject: {a.code} is about {_subject_phrase(a)}; {b.code} is about {_subject_phrase(b)}.",
        f"Retrying: after {a.code}, {a.retry}; after {b.code}, {b.retry}.",
    ]
    replies_a, replies_b = _replies(a), _replies(b)
    if replies_a or replies_b:
        differences.append(
            f"Reply codes it goes with: {a.code} with {join_words(replies_a) or 'none listed'}; "
            f"{b.code} with {join_words(replies_b) or 'none listed'}."
        )
    if same_detail:
        relation = f"the same registry entry {a.registry_code} with a different class"
    elif b.registry_code in a.related or a.registry_code in b.related:
        relation = "the registry entries list each other as related"
    elif a.subject == b.subject:
        relation = "neighbours in one subject, reporting different conditions"
    else:
        relation = "none directly; they report different conditions"
    differences.append(f"Relationship: {relation}.")
    standing = [
        f"{code.code} is defined in {cite(code.references)}"
        if code.standard
        else f"{code.code} is not in the registry ({code.origin})"
        for code in (a, b)
    ]
    differences.append(f"Standards: {'; '.join(standing)}.")
    servers = []
    if counterparts:
        transient, permanent = (a, b) if a.tone == 4 else (b, a)
        servers.append(
            f"For the same condition, choose by asking whether a later attempt could succeed "
            f"without any change: if it could, send {transient.code}; if not, send "
            f"{permanent.code}, with a basic reply code of the same class."
        )
    servers += [
        f"Send {code.code} when the problem is: {code.name[:1].lower()}{code.name[1:]}"
        + (f", with {join_words(_replies(code))}." if _replies(code) else ".")
        for code in (a, b)
    ]
    return Comparison(
        first=a,
        second=b,
        summary=summary,
        key_differences=tuple(differences),
        for_servers=tuple(servers),
        for_senders=_senders(a, b),
        counterparts=counterparts,
    )
