"""A bad data file stops the load with one line naming the file, line, entry and field."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.core import cache as cache_module
from smtp_tui.core import entries, i18n
from smtp_tui.core.cache import CODE_MODULES, MAX_CACHES, cache_path
from smtp_tui.core.errors import DataError, SmtpTuiError
from smtp_tui.core.loading import data_dir, default_data_dir, load
from smtp_tui.core.repository import Repository

GOOD = """
[[code]]
code = "452"
name = "Insufficient storage"
standard = true
description = "d"
when = "w"
fix_sender = "s"
fix_admin = "a"
server_guidance = "g"
commands = ["RCPT"]
references = ["RFC 5321 §4.2.3"]
related = []
action_by = ["sender"]
"""


def write(tmp_path: Path, text: str, name: str = "4xx.toml") -> Path:
    (tmp_path / "basic").mkdir(parents=True, exist_ok=True)
    (tmp_path / "basic" / name).write_text(text, encoding="utf-8")
    return tmp_path


def error_of(tmp_path: Path) -> str:
    with pytest.raises(DataError) as caught:
        load(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_good_entry_loads(tmp_path: Path) -> None:
    repo = load(write(tmp_path, GOOD))
    assert repo.get("452").name == "Insufficient storage"
    assert repo.get("452").checked == ()


def test_checked_sections_are_read(tmp_path: Path) -> None:
    text = GOOD.replace("related = []", 'checked = ["RFC 5321 §4.2.3"]\nrelated = []')
    assert [str(ref) for ref in load(write(tmp_path, text)).get("452").checked] == [
        "RFC 5321 §4.2.3"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('name = "Insufficient storage"', ""), "4xx.toml:2: entry 452: field 'name': missing"),
        (('code = "452"', 'code = "4521"'), "entry #1: field 'code': must be three digits"),
        (('code = "452"', 'code = "462"'), "field 'code': must be three digits"),
        (("standard = true", 'standard = "yes"'), "field 'standard': must be true or false"),
        (("standard = true", "standard = false"), "field 'origin': required when standard = false"),
        (('["RCPT"]', '["SEND"]'), "field 'commands': 'SEND' is not one of CONNECT"),
        (('["RFC 5321 §4.2.3"]', '["rfc5321"]'), "field 'references': 'rfc5321' is not like"),
        (('["RFC 5321 §4.2.3"]', "[]"), "field 'references': must not be empty"),
        (("related = []", 'checked = ["§4"]\nrelated = []'), "field 'checked': '§4' is not like"),
        (
            ("related = []", 'related = ["552"]'),
            "field 'related': unknown code 552 (not in the data)",
        ),
        (("related = []", 'related = ["452"]'), "a code cannot be related to itself"),
        (
            ("related = []", 'counterpart = "552"\nrelated = []'),
            "field 'counterpart': unknown code",
        ),
        (('fix_admin = "a"', 'fix_admin = "a"\nclass = "5xx"'), "field 'class': is derived from"),
        (('fix_admin = "a"', 'fix_admin = "a"\ndescripton = "x"'), "'descripton': unknown field"),
        (('when = "w"', 'when = "w\\u001b[31m"'), "field 'when': contains a control character"),
        (('action_by = ["sender"]', "action_by = 3"), "field 'action_by': must be a list"),
        (('when = "w"', "when = [1]"), "field 'when': must be non-empty text"),
        (("related = []", 'read_as = "5.2.2"\nrelated = []'), "field 'read_as': must be an"),
        (("related = []", 'read_as = "4.2.X"\nrelated = []'), "field 'read_as': must be an"),
        (("related = []", "read_as = 422\nrelated = []"), "field 'read_as': must be an"),
        (("related = []", 'read_as = "4.2.2"\nrelated = []'), "'read_as': unknown code X.2.2"),
        (
            ("related = []", 'defined_in = ["RFC 5321 §4.2.2"]\nrelated = []'),
            "field 'defined_in': 'RFC 5321 §4.2.2' must also be listed in references",
        ),
    ],
)
def test_each_problem_is_named(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    message = error_of(write(tmp_path, GOOD.replace(old, new, 1)))
    assert expected in message
    assert "4xx.toml" in message


def test_class_contradicting_the_digits_says_both(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, GOOD.replace('when = "w"', 'when = "w"\nclass = "5xx"')))
    assert "(4xx)" in message and "'5xx'" in message


def test_toml_syntax(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, GOOD.replace('name = "Insufficient', "name = Insufficient")))
    where, _, detail = message.partition(": TOML syntax: ")
    assert Path(where).parts[-2:] == ("basic", "4xx.toml"), message
    assert "line 4" in detail


def test_duplicate_code_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    message = error_of(tmp_path)
    assert "b.toml" in message and "duplicate code, also in" in message and "a.toml" in message


def test_a_duplicate_code_names_file_and_line_like_every_data_error(tmp_path: Path) -> None:
    """GOOD starts with a blank line, so its [[code]] header is line 2; twice over, line 2 + n."""
    second = 2 + GOOD.count("\n")
    write(tmp_path, GOOD + GOOD, "a.toml")
    message = error_of(tmp_path)
    assert message.endswith(
        f"a.toml:{second}: entry 452: field 'code': duplicate code, also in "
        f"{tmp_path / 'basic' / 'a.toml'}:2"
    ), message


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "basic").mkdir()
    (tmp_path / "basic" / "x.toml").write_bytes(b"\xff\xfe garbage")
    assert "not UTF-8" in error_of(tmp_path)


def test_missing_folder(tmp_path: Path) -> None:
    assert "no 'basic' folder" in error_of(tmp_path)


def test_an_explicit_path_wins_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_TUI_DATA", str(tmp_path / "env"))
    assert data_dir(tmp_path) == tmp_path
    assert data_dir() == tmp_path / "env"
    monkeypatch.delenv("SMTP_TUI_DATA")
    assert data_dir() == default_data_dir()
    assert (default_data_dir() / "basic").is_dir()


def test_the_cache_gives_the_same_codes_and_follows_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = write(tmp_path / "data", GOOD)
    first = load(data)
    caches = list((tmp_path / "cache" / "smtp-tui").glob("*.pickle"))
    assert len(caches) == 1
    assert list(load(data)) == list(first)
    target = data / "basic" / "4xx.toml"
    target.write_text(GOOD.replace("Insufficient storage", "Storage short"), encoding="utf-8")
    os.utime(target, ns=(1, 1))
    assert load(data).get("452").name == "Storage short"


def test_a_damaged_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = write(tmp_path / "data", GOOD)
    load(data)
    for cache in (tmp_path / "cache" / "smtp-tui").glob("*.pickle"):
        cache.write_bytes(b"garbage")
    assert load(data).get("452").name == "Insufficient storage"


def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SMTP_TUI_CACHE", "0")
    load(write(tmp_path / "data", GOOD))
    assert not (tmp_path / "cache").exists()


def test_only_the_cache_of_the_current_data_remains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stale versions of this data, the earlier naming and abandoned temporary files go; the
    cache of another data folder and anything not ours stay."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "smtp-tui"
    data = write(tmp_path / "data", GOOD)
    load(data)
    (first,) = folder.glob("*.pickle")
    source = first.name.split("-")[1]
    other_source = "0123abcd" if source != "0123abcd" else "4567ef01"
    stale = [f"data-{source}-00000000.pickle", f"data-{source}-deadbeef.pickle"]
    stale += ["data-351ae1ae-25.pickle", f"data-{source}-00000000.4242.tmp"]
    kept = ["notes.txt", "data-x.pickle", f"data-{other_source}-00000000.pickle"]
    for name in [*stale, *kept]:
        (folder / name).write_bytes(b"old")
    os.utime(folder / f"data-{source}-00000000.4242.tmp", (1, 1))  # a killed writer's leftover
    (folder / "data-351ae1ae-25.4243.tmp").write_bytes(b"being written")  # a live writer's
    target = data / "basic" / "4xx.toml"
    target.write_text(GOOD.replace("Insufficient storage", "Storage short"), encoding="utf-8")
    os.utime(target, ns=(3, 3))
    assert load(data).get("452").name == "Storage short"
    (current,) = [path for path in folder.glob(f"data-{source}-*.pickle")]
    assert current != first
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [current.name, "data-351ae1ae-25.4243.tmp", *kept]
    )


def test_caches_of_other_data_folders_are_few(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folders = [write(tmp_path / f"data{number}", GOOD) for number in range(MAX_CACHES + 2)]
    for second, data in enumerate(folders):
        load(data)
        for cache in (tmp_path / "cache" / "smtp-tui").glob("*.pickle"):
            if cache.stat().st_mtime > 1e6:
                os.utime(cache, (second + 10, second + 10))  # each newer than the last
                break
    assert len(list((tmp_path / "cache" / "smtp-tui").iterdir())) == MAX_CACHES
    with monkeypatch.context() as patched:
        patched.setattr(entries, "load_file", None)  # a parse would fail
        for data in folders[-MAX_CACHES:]:
            assert load(data).get("452")  # the newest are kept: served from the cache
        with pytest.raises(TypeError):
            load(folders[0])  # the oldest went: it would be parsed again


def test_a_cache_removed_by_another_process_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes clearing stale caches at once: the second finds the file already gone."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = write(tmp_path / "data", GOOD)
    load(data)
    (first,) = (tmp_path / "cache" / "smtp-tui").glob("*.pickle")
    (first.parent / "data-351ae1ae-25.pickle").write_bytes(b"old")
    removed_first = os.unlink

    def raced(path: str) -> None:
        removed_first(path)
        raise FileNotFoundError(path)

    os.utime(data / "basic" / "4xx.toml", ns=(4, 4))
    with monkeypatch.context() as patched:
        patched.setattr(os, "unlink", raced)
        assert load(data).get("452")
    assert [path.name for path in first.parent.iterdir()] != [first.name]
    assert len(list(first.parent.iterdir())) == 1


def test_one_cache_serves_every_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _private_config: Path
) -> None:
    """The user's code file's warnings are worded when shown, even when they come from a cache
    written in another language."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = write(tmp_path / "data", GOOD)
    mine = _private_config / "codes.toml"
    load(data, language="de", user_codes=mine)
    with monkeypatch.context() as patched:
        patched.setattr(entries, "load_file", None)  # a parse would fail: the cache serves
        assert load(data, language="de", user_codes=mine).get("452")
    _private_config.mkdir(parents=True)
    mine.write_text("not toml", "utf-8")
    (warning,) = load(data, language="de", user_codes=mine).warnings
    with monkeypatch.context() as patched:
        patched.setattr(entries, "load_file", None)
        (cached,) = load(data, language="en", user_codes=mine).warnings
    try:
        i18n.use("de")
        assert "(Ihre Codes wurden nicht geladen)" in str(warning)
        assert "(Ihre Codes wurden nicht geladen)" in str(cached)
        i18n.use("en")
        assert "(your codes were not loaded)" in str(warning)
        assert "(your codes were not loaded)" in str(cached)
    finally:
        i18n.use("en")
    assert len(list((tmp_path / "cache" / "smtp-tui").glob("*.pickle"))) == 1


def test_a_broken_file_is_reported_even_after_a_good_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = write(tmp_path / "data", GOOD)
    load(data)
    target = data / "basic" / "4xx.toml"
    target.write_text(GOOD.replace('name = "Insufficient storage"\n', ""), encoding="utf-8")
    os.utime(target, ns=(2, 2))
    with pytest.raises(DataError, match="field 'name': missing"):
        load(data)


ENHANCED = """
[[code]]
code = "X.1.1"
name = "Bad destination mailbox address"
standard = true
description = "d"
when = "w"
fix_sender = "s"
fix_admin = "a"
references = ["RFC 3463 §3.2"]
reply_codes = ["452"]
related = []
"""


def with_enhanced(tmp_path: Path, text: str) -> Path:
    write(tmp_path, GOOD)
    (tmp_path / "enhanced").mkdir()
    (tmp_path / "enhanced" / "x1.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_good_enhanced_entry_loads_and_links(tmp_path: Path) -> None:
    repo = load(with_enhanced(tmp_path, ENHANCED))
    assert repo.get("4.1.1").name == "Bad destination mailbox address"
    assert [code.code for code in repo.related(repo.get("452"))] == ["4.1.1"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('code = "X.1.1"', 'code = "5.1.1"'), "registry entries are written X.1.1"),
        (('code = "X.1.1"', 'code = "X.9.1"'), "subjects run from 0 to 7"),
        (('code = "X.1.1"', 'code = "x.1.1"'), "must be like X.1.1"),
        (('reply_codes = ["452"]', 'reply_codes = ["45"]'), "'45' is not a reply code"),
        (("related = []", 'related = ["X.1.2"]'), "field 'related': unknown code X.1.2"),
        (("related = []", 'related = ["5.1"]'), "'5.1' is not an enhanced code"),
        (("standard = true", "standard = false"), "field 'origin': required"),
        (
            ("related = []", 'related = []\nregistry_replies = ["any"]'),
            "field 'registry_replies': 'any' is not one of Any, 2XX, 4XX, 5XX",
        ),
        (
            ("related = []", 'related = []\nregistry_replies = "5XX"'),
            "field 'registry_replies': must be a list of strings",
        ),
        (
            ("related = []", 'related = []\nregistry_replies = ["Any"]'),
            "field 'registry_replies': “Any” already covers every reply code",
        ),
    ],
)
def test_each_enhanced_problem_is_named(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    message = error_of(with_enhanced(tmp_path, ENHANCED.replace(old, new, 1)))
    assert expected in message and "x1.toml" in message


def test_the_cache_is_stale_when_any_module_that_loads_changes() -> None:
    """Every module of ours that loading runs (or that defines what is pickled) is in the cache's
    signature, so editing one of them, split off or not, means a fresh parse."""
    script = (
        "import sys; from smtp_tui.core.loading import load; load().search('452'); "
        "print(' '.join(sorted(n for n in sys.modules if n.startswith('smtp_tui.core.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    used = {name.removeprefix("smtp_tui.core.") for name in result.stdout.split()}
    assert "search" in used
    assert used <= set(CODE_MODULES)


def test_editing_a_signed_module_makes_a_new_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = write(tmp_path / "data", GOOD)
    before = cache_path(data, None, [])
    package = tmp_path / "core"
    package.mkdir()
    for name in CODE_MODULES:
        (package / f"{name}.py").write_text("")
    monkeypatch.setattr(cache_module, "__file__", str(package / "cache.py"))
    moved = cache_path(data, None, [])
    (package / "search.py").write_text("# changed\n")
    assert before != moved != cache_path(data, None, [])


def test_the_front_end_chooses_the_language_not_the_repository(repo: Repository) -> None:
    """The codes come in the language the caller names; the interface's language is left alone,
    whether the repository is loaded in another language or switched to one."""
    turkish = load(language="tr")
    assert i18n.current() == "en"
    assert turkish.language == "tr"
    assert turkish.get("452").name != repo.get("452").name
    assert not turkish.get("452").untranslated
    turkish.show_in("en")
    assert i18n.current() == "en"
    assert turkish.get("452").name == repo.get("452").name
    repo.show_in("tr")
    try:
        assert i18n.current() == "en"
    finally:
        repo.show_in("en")


def test_loading_never_reads_the_users_folder_by_itself(_private_config: Path) -> None:
    """The user's code file is read only when the front end hands it over."""
    _private_config.mkdir(parents=True)
    mine = _private_config / "codes.toml"
    mine.write_text("not toml", "utf-8")
    assert not load().warnings
    (warning,) = load(user_codes=mine).warnings
    assert "codes.toml" in str(warning)


def test_errors_share_one_base_and_are_worded_when_shown(tmp_path: Path, repo: Repository) -> None:
    """Made in one language, shown in another: the words are those of the moment shown, and
    they survive the pickle the cache keeps warnings in."""
    with pytest.raises(DataError) as caught:
        load(write(tmp_path, GOOD.replace('name = "Insufficient storage"\n', "")))
    made = caught.value
    errors: list[SmtpTuiError] = [made, pickle.loads(pickle.dumps(made))]
    with pytest.raises(SmtpTuiError):
        repo.get("599")
    with pytest.raises(SmtpTuiError):
        repo.compare("452", "452")
    with pytest.raises(SmtpTuiError):
        i18n.choose("xx", None)
    try:
        i18n.use("de")
        for error in errors:
            assert "'name': fehlt" in error.message == str(error)
    finally:
        i18n.use("en")
    assert all("'name': missing" in str(error) for error in errors)


def _repeated(repository: Repository) -> tuple[list[object], list[str]]:
    """Every citation, and every code a code names as related, over the whole catalogue."""
    citations: list[object] = []
    related: list[str] = []
    for code in repository:
        citations += [*code.references, *code.checked]
        related += code.related
    return citations, related


def test_what_repeats_in_the_catalogue_is_kept_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """About 0.27 MiB of the browser's memory (issue 14): 1,164 citations of some 150 sections,
    and 524 related codes of 121. Shared when parsed, and still shared read from the cache."""
    monkeypatch.setenv(cache_module.CACHE_ENV, "1")
    for repository in (load(), load()):  # parsed and cached, then read from the cache
        citations, related = _repeated(repository)
        assert len(citations) > 2 * len(set(citations))
        assert len({id(citation) for citation in citations}) == len(set(citations))
        assert len({id(code) for code in related}) == len(set(related))
