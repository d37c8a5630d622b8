"""The browser's first screen as plain data: what the digits mean, the classes with their counts,
the codes met most often and the keys to start with. Front ends render it; no Textual here."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from smtp_tui.core import i18n
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import Code, EnhancedCode, ReplyClass, ReplyCode, StatusClass
from smtp_tui.core.repository import Repository, UnknownCode

COMMON_CODES = ("250", "421", "450", "451", "452", "550", "552", "554", "4.2.2", "5.1.1", "5.7.1")
"""Codes a mail user or administrator meets most: success (250), the server going away (421),
the temporary (45x) and permanent (55x) failures of a mailbox, its storage and the transaction
(RFC 5321 §4.2.2, §4.2.3), and the enhanced codes for a full mailbox, an unknown address and a
refusal by policy (RFC 3463 §3.3, §3.2, §3.8)."""

START_KEYS = ("search", "explain", "help")
"""The commands, by binding id, that a new user needs first: find a code, explain a bounce,
and see every other key."""


class ClassLine(NamedTuple):
    """One class of codes: its label, its name, what it means and how many codes it holds."""

    label: str
    """``4xx`` or ``4.X.X``."""
    title: str
    meaning: str
    counted: str
    """``17 reply codes`` in the interface language; empty where codes have no class."""
    tone: int
    """The class digit, for colour."""


class Overview(NamedTuple):
    """Everything the first screen says, worded in the interface language."""

    title: str
    digits: str
    enhanced: str
    keys_heading: str
    keys: tuple[str, ...]
    """Binding ids: the front end shows each command's own key and words."""
    reply_heading: str
    reply_classes: tuple[ClassLine, ...]
    status_heading: str
    status_classes: tuple[ClassLine, ...]
    registry: str
    """How many registry codes (X.1.1) there are, and how a class goes in front of one."""
    common_heading: str
    common: tuple[Code, ...]


def overview(repository: Repository) -> Overview:
    """The overview of `repository` in the current language."""
    replies = Counter(code.reply_class for code in repository.all if isinstance(code, ReplyCode))
    registry = sum(
        1 for code in repository.all if isinstance(code, EnhancedCode) and code.status_class is None
    )
    common = []
    for wanted in COMMON_CODES:
        try:
            common.append(repository.get(wanted))
        except UnknownCode:
            continue  # a trimmed catalogue (tests, a user's own file) may lack some
    return Overview(
        title=_t("overview.title"),
        digits=_t("overview.digits"),
        enhanced=_t("overview.enhanced"),
        keys_heading=_t("overview.keys"),
        keys=START_KEYS,
        reply_heading=_t("overview.reply_classes"),
        reply_classes=tuple(
            ClassLine(
                each.label,
                each.title,
                each.meaning,
                i18n.plural("view.basic", replies[each]),
                each.value,
            )
            for each in ReplyClass
        ),
        status_heading=_t("overview.status_classes"),
        status_classes=tuple(
            ClassLine(each.label, each.title, each.meaning, "", each.value) for each in StatusClass
        ),
        registry=_t("overview.registry", count=i18n.plural("view.enhanced", registry)),
        common_heading=_t("overview.common"),
        common=tuple(common),
    )
