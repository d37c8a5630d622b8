"""Codes and comparisons as plain data (the CLI's JSON) and as Markdown (the browser's copy).

One place defines the schema documented in the README, so the CLI and the browser cannot drift.
"""

from __future__ import annotations

from typing import Any

from .comparison import cite
from .model import ACTORS, SUBJECTS, Code, Comparison, EnhancedCode, ReplyCode


def _standing(code: Code) -> str:
    return "standard" if code.standard else f"non-standard: {code.origin}"


def code_to_dict(code: Code) -> dict[str, Any]:
    common: dict[str, Any] = {
        "family": code.family,
        "code": code.code,
        "name": code.name,
        "standard": code.standard,
        "origin": code.origin or None,
        "description": code.description,
        "when": code.when,
        "fix": {"sender": code.fix_sender, "admin": code.fix_admin},
        "retry": code.retry,
        "rfc": [str(reference) for reference in code.references],
        "related": list(code.related),
    }
    if isinstance(code, EnhancedCode):
        status = code.status_class
        return {
            **common,
            "class": status.label if status else None,
            "class_name": status.title if status else None,
            "subject": f"X.{code.subject}.X" if code.subject is not None else None,
            "subject_name": SUBJECTS.get(code.subject) if code.subject is not None else None,
            "registry_code": code.registry_code,
            "reply_codes": list(code.reply_codes),
        }
    return {
        **common,
        "class": code.reply_class.label,
        "class_name": code.reply_class.title,
        "category": code.category.label,
        "category_name": code.category.title,
        "server_guidance": code.server_guidance,
        "commands": list(code.commands),
        "action_by": list(code.action_by),
        "counterpart": code.counterpart,
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
    lines = [
        f"{heading} {code.code} {code.name}",
        "",
        f"*{code.classification} · {_standing(code)}*",
        "",
        f"{heading}# Description",
        "",
        code.description,
        "",
        f"{heading}# When you see it",
        "",
        code.when,
        "",
        f"{heading}# How to fix",
        "",
        f"- **Sender:** {code.fix_sender}",
        f"- **Administrator:** {code.fix_admin}",
        "",
    ]
    if isinstance(code, ReplyCode):
        lines += [
            f"{heading}# When a server sends it",
            "",
            code.server_guidance,
            "",
            f"- **Who acts:** {', '.join(ACTORS[actor] for actor in code.action_by)}",
            f"- **Commands:** {', '.join(code.command_names)}",
        ]
    else:
        lines.append(f"- **Reply codes:** {code.replies_text}")
    lines += [f"- **Retry:** {code.retry}", f"- **References:** {cite(code.references)}"]
    if code.related:
        lines.append(f"- **Related:** {', '.join(code.related)}")
    if isinstance(code, ReplyCode) and code.notes:
        lines += ["", f"{heading}# Watch out", "", code.notes]
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: Comparison) -> str:
    parts = [
        f"# {comparison.title}",
        "",
        comparison.summary,
        "",
        code_markdown(comparison.first, heading="##"),
        code_markdown(comparison.second, heading="##"),
        "## Key differences",
        "",
        *[f"{number}. {text}" for number, text in enumerate(comparison.key_differences, 1)],
        "",
        "## When to use which",
        "",
        "For a server choosing which reply to send:",
        "",
        *[f"- {text}" for text in comparison.for_servers],
        "",
        "For the sender reacting to it:",
        "",
        *[f"- {text}" for text in comparison.for_senders],
    ]
    return "\n".join(parts) + "\n"
