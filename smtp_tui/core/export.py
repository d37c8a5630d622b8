"""Codes and comparisons as plain data: the CLI's JSON, a direct export of the domain objects.

One place defines the schema documented in the README. What a code or a comparison shows in
words (terminal text, Markdown, the panes) is a document of `smtp_tui.core.display` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from smtp_tui.core import i18n
from smtp_tui.core.model import Code, Comparison, EnhancedCode, subject_name

if TYPE_CHECKING:
    from smtp_tui.core.provider_uses import ProviderUse


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


def provider_uses_to_list(uses: Sequence[ProviderUse]) -> list[dict[str, Any]]:
    """Of ``show --json``: what providers mean by the code, as its text lists it."""
    return [
        {
            "provider": use.provider,
            "provider_name": use.provider_name,
            "code": use.code,
            "meaning": use.meaning,
            "reason": use.reason,
            "bounce": use.bounce,
            "source": use.source,
        }
        for use in uses
    ]
