"""Codes and comparisons as plain data (the CLI's JSON) and as Markdown (the browser's copy).

One place defines the schema documented in the README, so the CLI and the browser cannot drift.
"""

from __future__ import annotations

from typing import Any

from smtp_tui.core import i18n
from smtp_tui.core.comparison import cite, rfc_links
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import (
    Code,
    Comparison,
    EnhancedCode,
    ReplyCode,
    english_note,
    in_english,
    subject_name,
)


def standing(code: Code) -> str:
    """ "standard", or "non-standard: <origin>", in the interface language."""
    return _t("code.standard") if code.standard else _t("code.nonstandard", origin=code.origin)


def prose_text(code: Code, name: str) -> str:
    """A prose field, marked when it is shown in English inside a translated code."""
    value: str = getattr(code, name)
    return f"{value} {_t('code.field_in_english')}" if in_english(code, name) else value


def retry_text(code: Code) -> str:
    """The Retry line: the code's own where its class's rule does not fit, marked if in English."""
    return prose_text(code, "retry_line") if code.retry_line else code.retry


def code_to_dict(code: Code) -> dict[str, Any]:
    common: dict[str, Any] = {
        "family": code.family,
        "code": code.code,
        "language": i18n.current(),
        "untranslated": list(code.untranslated),
        "name": code.name,
        "standard": code.standard,
        "origin": code.origin or None,
        "description": code.description,
        "when": code.when,
        "fix": {"sender": code.fix_sender, "admin": code.fix_admin},
        "retry": code.retry,
        "rfc": [str(reference) for reference in code.references],
        "checked_against": [str(reference) for reference in code.checked],
        "related": list(code.related),
    }
    if isinstance(code, EnhancedCode):
        status = code.status_class
        return {
            **common,
            "class": status.label if status else None,
            "class_name": status.title if status else None,
            "subject": f"X.{code.subject}.X" if code.subject is not None else None,
            "subject_name": subject_name(code.subject) if code.subject is not None else None,
            "registry_code": code.registry_code,
            "reply_codes": list(code.reply_codes),
            "registry_replies": list(code.registry_replies),
        }
    return {
        **common,
        "class": code.reply_class.label,
        "class_name": code.reply_class.title,
        "category": code.category.label,
        "category_name": code.category_words if code.read_as else code.category.title,
        "read_as": code.read_as or None,
        "server_guidance": code.server_guidance,
        "commands": list(code.commands),
        "action_by": list(code.action_by),
        "counterpart": code.counterpart,
        "defined_in": [str(reference) for reference in code.defined_in],
        "notes": code.notes or None,
    }


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    return {
        "title": comparison.title,
        "summary": comparison.summary,
        "counterparts": comparison.counterparts,
        "codes": [code_to_dict(comparison.first), code_to_dict(comparison.second)],
        "key_differences": list(comparison.key_differences),
        "when_to_use": {
            "server": list(comparison.for_servers),
            "sender": list(comparison.for_senders),
        },
    }


def code_markdown(code: Code, heading: str = "#") -> str:
    sub = f"{heading}#"
    lines = [
        f"{heading} {code.code} {code.name}",
        "",
        f"*{code.classification} · {standing(code)}*",
    ]
    note = english_note(code)
    if note:
        lines += ["", f"*{note}*"]
    lines += [
        "",
        f"{sub} {_t('heading.description')}",
        "",
        prose_text(code, "description"),
        "",
        f"{sub} {_t('heading.when')}",
        "",
        prose_text(code, "when"),
        "",
        f"{sub} {_t('heading.fix')}",
        "",
        f"- **{i18n.label(_t('label.sender')).rstrip()}** {prose_text(code, 'fix_sender')}",
        f"- **{i18n.label(_t('label.admin')).rstrip()}** {prose_text(code, 'fix_admin')}",
        "",
    ]
    if isinstance(code, ReplyCode):
        lines += [
            f"{sub} {_t('heading.server')}",
            "",
            prose_text(code, "server_guidance"),
            "",
            f"- **{i18n.label(_t('label.who_acts')).rstrip()}** {i18n.join(code.actor_names)}",
            f"- **{i18n.label(_t('label.commands')).rstrip()}** {i18n.join(code.command_names)}",
        ]
    else:
        lines.append(f"- **{i18n.label(_t('label.reply_codes')).rstrip()}** {code.replies_text}")
    lines += [
        f"- **{i18n.label(_t('label.retry')).rstrip()}** {retry_text(code)}",
        f"- **{i18n.label(_t('label.references')).rstrip()}** {cite(code.references)}",
    ]
    if code.related:
        lines.append(f"- **{i18n.label(_t('label.related')).rstrip()}** {', '.join(code.related)}")
    if isinstance(code, ReplyCode) and code.notes:
        lines += ["", f"{sub} {_t('heading.watch_out')}", "", prose_text(code, "notes")]
    lines += ["", f"{sub} {_t('heading.learn_more')}", ""]
    lines += [f"- [{name}]({url})" for name, url in rfc_links(code.references)]
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: Comparison) -> str:
    numbered = enumerate(comparison.key_differences, 1)
    parts = [
        f"# {comparison.title}",
        "",
        comparison.summary,
        "",
        code_markdown(comparison.first, heading="##"),
        code_markdown(comparison.second, heading="##"),
        f"## {_t('heading.key_differences')}",
        "",
        *[f"{number}. {text}" for number, text in numbered],
        "",
        f"## {_t('heading.when_to_use')}",
        "",
        _t("label.for_servers"),
        "",
        *[f"- {text}" for text in comparison.for_servers],
        "",
        _t("label.for_senders"),
        "",
        *[f"- {text}" for text in comparison.for_senders],
    ]
    return "\n".join(parts) + "\n"
