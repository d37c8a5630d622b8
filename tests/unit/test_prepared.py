"""Prepared answers (`smtp_tui.cli.prepared`): the same bytes as the full command line, never a
stale one, and a lookup that imports almost nothing."""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.cli import commands, prepared, render
from smtp_tui.cli.output import open_repository
from smtp_tui.cli.terminal import Style, Writer
from smtp_tui.core import i18n
from smtp_tui.core.display import as_plain
from smtp_tui.core.loading import default_data_dir

ROOT = Path(__file__).resolve().parents[2]
ENTRY = "import sys; from smtp_tui.console import run; sys.exit(run())"


@pytest.fixture(autouse=True)
def _width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)


def full(argv: list[str], capsys: pytest.CaptureFixture[str], prepare: bool = False) -> str:
    """What the full command line prints (and, with `prepare`, the answers it leaves)."""
    assert commands.main(argv, prepare_answers=prepare) == 0
    return capsys.readouterr().out


def quick(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str | None:
    """What a prepared answer prints, or None when there is none to give."""
    status = prepared.answer(argv)
    printed = capsys.readouterr().out
    if status is None:
        assert printed == ""  # a refusal writes nothing: the full command line then writes all
        return None
    assert status == 0
    return printed


def test_a_prepared_answer_is_the_full_answer_byte_for_byte(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert quick(["show", "452"], capsys) is None  # nothing prepared yet
    first = full(["show", "452"], capsys, prepare=True)
    assert Path(prepared.answers_file() or "").is_file()
    for argv in (
        ["show", "452"],
        ["show", "5.1.1", "--json"],
        ["show", "--json", "x.7.1"],
        ["show", " 421 "],
        ["show", "2.0.0"],
        ["list"],
        ["list", "--json"],
        ["list", "--json", "--json"],  # read as the full command line reads it (`quick_args`)
    ):
        assert quick(argv, capsys) == full(argv, capsys), argv
    assert quick(["show", "452"], capsys) == first


@pytest.mark.parametrize("language", ["en", "ar", "hi", "ja"])
def test_every_prepared_code_draws_as_its_document(
    language: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every code prepared (with the classes an enhanced code is asked with), in scripts that
    wrap and read differently (Latin, Arabic, Devanagari, Japanese): the stored plain form draws
    exactly as the document built afresh."""
    monkeypatch.setenv("SMTP_TUI_LANG", language)
    full(["show", "452"], capsys, prepare=True)
    sheet = prepared._read()
    assert sheet is not None
    codes = sheet["codes"]
    assert isinstance(codes, dict) and len(codes) > 300
    repo = open_repository()
    for number, name in enumerate(codes):
        code = repo.get(name)
        out = io.StringIO()
        uses = commands.provider_uses(code)
        document = commands.shown_document(repo, code, uses)
        render.document(document, Writer(out, Style(False), 100))
        assert quick(["show", name], capsys) == out.getvalue(), name
        if number % 5 == 0:  # the JSON is stored as printed: a fifth of them is proof enough
            assert quick(["show", name, "--json"], capsys) == commands.shown_json(code, uses), name
    assert quick(["show", "452"], capsys) == full(["show", "452"], capsys)
    assert quick(["list"], capsys) == full(["list"], capsys)


def test_the_plain_form_survives_marshal(repo: object) -> None:
    import marshal

    from smtp_tui.core.loading import load

    repository = load()
    code = repository.get("550")
    plain = as_plain(commands.shown_document(repository, code, commands.provider_uses(code)))
    assert marshal.loads(marshal.dumps(plain)) == plain


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "452", "--lang", "de"],
        ["show", "452", "--color", "always"],
        ["show", "999"],
        ["show", "45"],
        ["show"],
        ["show", "452", "552"],
        ["show", "--json", "--json"],
        ["compare", "450", "550"],
        ["list", "--class", "4"],
        ["list", "extra"],
        ["search", "mailbox"],
        ["452"],
        [],
    ],
)
def test_anything_but_a_plain_show_goes_to_the_full_command_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    full(["show", "452"], capsys, prepare=True)
    assert quick(argv, capsys) is None


def change_settings(config: Path) -> None:
    (config / "settings.toml").write_text('language = "fr"\n')


def add_user_codes(config: Path) -> None:
    (config / "codes.toml").write_text("")


@pytest.mark.parametrize(
    "change",
    [
        "data file edited",
        "data file added",
        "settings saved",
        "own codes added",
        "language in the environment",
        "damaged answers",
        "answers of another format",
    ],
)
def test_a_prepared_answer_is_never_stale(
    change: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    monkeypatch.setenv("SMTP_TUI_DATA", str(data))
    config = Path(os.environ["SMTP_TUI_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    full(["show", "452"], capsys, prepare=True)
    assert quick(["show", "452"], capsys) is not None
    answers = Path(prepared.answers_file() or "")
    if change == "data file edited":
        basic = sorted((data / "basic").glob("*.toml"))[0]
        basic.write_text(basic.read_text() + "\n")
    elif change == "data file added":
        (data / "enhanced" / "zz-new.toml").write_text("")
    elif change == "settings saved":
        change_settings(config)
    elif change == "own codes added":
        add_user_codes(config)
    elif change == "language in the environment":
        monkeypatch.setenv("LANG", "de_DE.UTF-8")
    elif change == "damaged answers":
        answers.write_bytes(answers.read_bytes()[:1000])
    else:
        monkeypatch.setattr(prepared, "FORMAT", prepared.FORMAT + 1)
    assert quick(["show", "452"], capsys) is None


def test_the_answers_watch_every_file_that_went_into_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Not the checkout's files changed in a test: that they are watched (a change to any
    watched file is seen, as the test above shows for the data and the settings)."""
    full(["show", "452"], capsys, prepare=True)
    sheet = prepared._read()
    assert sheet is not None
    watched = {Path(name) for name, _size, _time in sheet["files"]}  # type: ignore[attr-defined]
    package = Path(prepared.__file__).parents[1]
    for needed in (
        i18n.LOCALES / "ar.toml",
        package / "core" / "display" / "code.py",
        package / "cli" / "render.py",
        package / "core" / "line_breaking.py",
        default_data_dir() / "basic",
        next((default_data_dir() / "providers").glob("*.toml")),
        Path(os.environ["SMTP_TUI_CONFIG_DIR"]) / "settings.toml",
        Path(os.environ["SMTP_TUI_CONFIG_DIR"]) / "codes.toml",
    ):
        assert needed.resolve() in {path.resolve() for path in watched}, needed


def test_no_answers_are_prepared_when_the_full_command_line_warned(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A damaged settings file is said on stderr; a prepared answer would not say it."""
    config = Path(os.environ["SMTP_TUI_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text("language = [")
    full(["show", "452"], capsys, prepare=True)
    assert not Path(prepared.answers_file() or "").exists()
    monkeypatch.setenv("SMTP_TUI_LANG", "de")
    full(["show", "452", "--lang", "es"], capsys, prepare=True)  # an explicit language: no
    assert not Path(prepared.answers_file() or "").exists()


def test_an_unwritable_cache_costs_speed_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file where a folder should be
    built: list[object] = []
    sheet = prepared._sheet
    monkeypatch.setattr(prepared, "_sheet", lambda *args: built.append(args) or sheet(*args))
    assert "452" in full(["show", "452"], capsys, prepare=True)
    assert quick(["show", "452"], capsys) is None
    assert built == []  # found out before the answers were built: every lookup would pay
    monkeypatch.setenv("SMTP_TUI_CACHE", "0")
    assert prepared.answers_file() is None


LEAN = """
import sys
from smtp_tui.console import run
status = run()
print(" ".join(sorted(sys.modules)), file=sys.stderr)
sys.exit(status)
"""


@pytest.mark.parametrize("argv", [["show", "452"], ["list"]])
def test_a_prepared_lookup_imports_almost_nothing(
    argv: list[str], private_env: dict[str, str]
) -> None:
    """Not a timing: what a prepared lookup imports, which is what its time goes to (typing,
    dataclasses and pathlib alone cost more than the whole answer)."""
    env = {**private_env, "COLUMNS": "100"}
    first = subprocess.run(
        [sys.executable, "-c", ENTRY, *argv], env=env, cwd=ROOT, capture_output=True
    )
    assert first.returncode == 0, first.stderr
    second = subprocess.run(
        [sys.executable, "-c", LEAN, *argv], env=env, cwd=ROOT, capture_output=True
    )
    assert second.returncode == 0
    assert second.stdout == first.stdout
    loaded = set(second.stderr.decode().split())
    assert "smtp_tui.cli.prepared" in loaded
    heavy = {
        "typing",
        "dataclasses",
        "pathlib",
        "tomllib",
        "json",
        "argparse",
        "platformdirs",
        "smtp_tui.cli.commands",
        "smtp_tui.core.i18n",
        "smtp_tui.core.repository",
        "smtp_tui.core.display",
        "email",
        "textual",
        "rich",
    }
    assert loaded & heavy == set()


ENVIRONMENT_READ = re.compile(r"""environ(?:\.get)?[\[(]\s*["']([A-Z_]+)["']""")


def test_every_environment_variable_we_read_is_in_the_context_or_drawing() -> None:
    """A new variable that changes what a lookup says must be part of the prepared answers'
    context, or a prepared answer would ignore it."""
    read: set[str] = set()
    for path in (ROOT / "smtp_tui").rglob("*.py"):
        source = path.read_text()
        read.update(ENVIRONMENT_READ.findall(source))
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and any(isinstance(t, ast.Name) and t.id.endswith("_ENV") for t in node.targets)
            ):
                read.add(str(node.value.value))
    assert "SMTP_TUI_LANG" in read and "COLUMNS" in read  # the search itself works
    not_lookups = {"TEXTUAL_DRIVER"}  # the browser's
    for name in read - not_lookups:
        assert (
            name.startswith(prepared.CONTEXT_PREFIXES)
            or name in prepared.CONTEXT_NAMES
            or name in prepared.DRAWING_NAMES
        ), name
