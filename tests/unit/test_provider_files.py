"""Every provider file in data/providers/ keeps to the schema, checked field by field.

Checked here directly with tomllib rather than through the loader, so a malformed fact is caught
even in a file the loader has not been taught about yet; each failure names entry and field.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from smtp_tui.core.reasons import Bounce, Fault, Reason

PROVIDERS = Path(__file__).resolve().parents[2] / "data" / "providers"
FILES = sorted(PROVIDERS.glob("*.toml"))

ENTRY_TEXT_FIELDS = ("meaning", "description", "fix_sender", "fix_admin", "retry")
HARD_REASONS = {Reason.USERUNKNOWN, Reason.HOSTUNKNOWN, Reason.HASMOVED}
REPLY = re.compile(r"[2-5]\d\d")
ENHANCED = re.compile(r"([245])\.\d{1,3}\.\d{1,3}(?:-\d{1,3})?")  # a range: 5.7.606-649


def code_problem(code: object) -> str | None:
    """Why `code` is not a reply code, an enhanced code or a matching pair of both, if it is not."""
    if not isinstance(code, str):
        return f"{code!r} is not a string"
    parts = code.split(" ")
    if len(parts) == 1:
        if REPLY.fullmatch(code) or ENHANCED.fullmatch(code):
            return None
        return f"{code!r} is neither a reply code nor an enhanced code"
    if len(parts) == 2 and REPLY.fullmatch(parts[0]) and (enhanced := ENHANCED.fullmatch(parts[1])):
        if enhanced.group(1) != parts[0][0]:
            return f"{code!r}: the enhanced class does not match the reply class"
        return None
    return f"{code!r} is not of the form '550', '5.1.1' or '550 5.1.1'"


def entry_problems(entry: dict[str, Any]) -> list[str]:
    """Every way `entry` breaks the schema, each as 'field: what is wrong'."""
    problems: list[str] = []
    codes = entry.get("codes")
    if not isinstance(codes, list) or not codes:
        problems.append("codes: missing or empty")
    else:
        problems += [f"codes: {p}" for c in codes if (p := code_problem(c))]
    for field in ENTRY_TEXT_FIELDS:
        value = entry.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{field}: missing or empty")
    if len(str(entry.get("meaning", ""))) > 80:
        problems.append("meaning: longer than a short name")
    if "pattern" in entry:
        try:
            re.compile(entry["pattern"], re.IGNORECASE)
        except (re.error, TypeError) as error:
            problems.append(f"pattern: does not compile ({error})")
    reason = entry.get("reason")
    if reason not in set(Reason):
        problems.append(f"reason: {reason!r} is not in the vocabulary")
    if entry.get("fault") not in set(Fault):
        problems.append(f"fault: {entry.get('fault')!r} is not in the vocabulary")
    bounce = entry.get("bounce")
    if bounce not in set(Bounce):
        problems.append(f"bounce: {bounce!r} is neither hard nor soft")
    elif bounce == Bounce.HARD and isinstance(codes, list):
        permanent = all(str(c).startswith("5") for c in codes)
        allowed = reason in HARD_REASONS or (reason == Reason.NOTACCEPT and permanent)
        if not (allowed and permanent):
            problems.append(f"bounce: hard is not allowed for {reason!r} with codes {codes}")
    source = entry.get("source")
    if not isinstance(source, str) or not source.startswith("https://"):
        problems.append(f"source: {source!r} is not an https address")
    checked = entry.get("checked")
    if type(checked) is not datetime.date:
        problems.append(f"checked: {checked!r} is not a TOML date")
    return problems


def file_problems(path: Path) -> list[str]:
    """Every way the provider file at `path` breaks the schema."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    provider = data.get("provider")
    if not isinstance(provider, dict):
        return ["[provider]: missing"]
    if provider.get("slug") != path.stem:
        problems.append(f"[provider] slug: {provider.get('slug')!r} is not the file name")
    if not isinstance(provider.get("name"), str) or not provider["name"].strip():
        problems.append("[provider] name: missing")
    hosts, markers = provider.get("hosts", []), provider.get("markers", [])
    if not all(isinstance(h, str) and h == h.lower() and h for h in hosts):
        problems.append("[provider] hosts: each must be a lowercase host or domain")
    if not all(isinstance(m, str) and m for m in markers):
        problems.append("[provider] markers: each must be a non-empty string")
    if not hosts and not markers:
        problems.append("[provider]: names no host and no marker, so it can never be detected")
    docs = provider.get("docs")
    if not isinstance(docs, str) or not docs.startswith("https://"):
        problems.append(f"[provider] docs: {docs!r} is not an https address")
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries:
        problems.append("[[entry]]: none")
        return problems
    for number, entry in enumerate(entries, 1):
        label = f"entry {number} ({entry.get('meaning', '?')})"
        problems += [f"{label}: {p}" for p in entry_problems(entry)]
    return problems


def test_there_are_provider_files() -> None:
    assert FILES, f"no provider files in {PROVIDERS}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_provider_file_keeps_to_the_schema(path: Path) -> None:
    assert file_problems(path) == []


def test_the_check_finds_what_it_is_meant_to_find(tmp_path: Path) -> None:
    """A file with one fault of each kind is reported field by field, so the check can fail."""
    bad = tmp_path / "example.toml"
    bad.write_text(
        '[provider]\nslug = "example"\nname = "Example"\ndocs = "http://example.com"\n'
        "[[entry]]\n"
        'codes = ["550 4.1.1", "650"]\npattern = "(unclosed"\nmeaning = "m"\n'
        'description = "d"\nfix_sender = "s"\nfix_admin = "a"\nreason = "blocked"\n'
        'bounce = "hard"\nfault = "nobody"\nretry = "r"\nsource = "http://example.com"\n'
        'checked = "2026-12-03"\n',
        encoding="utf-8",
    )
    found = "\n".join(file_problems(bad))
    for expected in (
        "never be detected",
        "docs:",
        "enhanced class does not match",
        "'650' is neither",
        "pattern: does not compile",
        "bounce: hard is not allowed",
        "fault: 'nobody'",
        "source:",
        "checked:",
    ):
        assert expected in found
