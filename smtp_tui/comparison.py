"""The generated prose of a comparison of two codes: summary, key differences, when to use which.

Built only from the two entries and the facts derived from their digits, so every pair of codes gets
a deterministic comparison without anyone writing it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import ACTORS, COMMANDS, Comparison, Reference, ReplyCode


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


def _classes(a: ReplyCode, b: ReplyCode) -> str:
    ca, cb = a.reply_class, b.reply_class
    if ca is cb:
        return f"Class: both are {ca.label} {ca.title}: {ca.meaning}."
    return (
        f"Class: {a.code} is {ca.label} {ca.title} ({ca.meaning}); "
        f"{b.code} is {cb.label} {cb.title} ({cb.meaning})."
    )


def _categories(a: ReplyCode, b: ReplyCode) -> str:
    ga, gb = a.category, b.category
    if ga is gb:
        return f"Category: both are {ga.label} {ga.title}, {ga.meaning}."
    return (
        f"Category: {a.code} is {ga.label} {ga.title} ({ga.meaning}); "
        f"{b.code} is {gb.label} {gb.title} ({gb.meaning})."
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


def _senders(a: ReplyCode, b: ReplyCode) -> tuple[str, ...]:
    return tuple(_lead(f"On {code.code}", code.code, code.fix_sender) for code in (a, b))


def _lead(label: str, code: str, text: str) -> str:
    """Prefix `text` with a label naming the code, unless its first words already name it."""
    if code in text.split(":", 1)[0][:40]:
        return text
    return f"{label}: {text}"


def build_comparison(one: ReplyCode, two: ReplyCode) -> Comparison:
    """Compare two different codes; the lower code always comes first, whatever the order asked."""
    a, b = sorted((one, two), key=lambda code: code.code)
    counterparts = a.counterpart == b.code or b.counterpart == a.code
    differences = [
        _classes(a, b),
        _categories(a, b),
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
    )
