"""Small files kept in our cache folder: read back only for the key they were kept for, never an
error when the folder is off, unwritable or holds a damaged file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smtp_tui.core.cache_home import CACHE_ENV, cache_home, read_marshalled, write_marshalled


def test_the_folder_is_beside_the_other_caches(private_home: Path) -> None:
    assert cache_home() == str(Path(os.environ["XDG_CACHE_HOME"]) / "smtp-tui")
    assert str(private_home) in str(cache_home())


def test_a_value_is_read_back_for_its_key_only() -> None:
    write_marshalled("kept.marshal", ("v1", 3), [(1, 2, 0), (3, 4, 1)])
    assert read_marshalled("kept.marshal", ("v1", 3)) == [(1, 2, 0), (3, 4, 1)]
    assert read_marshalled("kept.marshal", ("v2", 3)) is None
    assert read_marshalled("other.marshal", ("v1", 3)) is None


def test_caching_off_neither_reads_nor_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    write_marshalled("kept.marshal", "key", "value")
    monkeypatch.setenv(CACHE_ENV, "0")
    assert cache_home() is None
    assert read_marshalled("kept.marshal", "key") is None
    write_marshalled("new.marshal", "key", "value")
    monkeypatch.delenv(CACHE_ENV)
    assert read_marshalled("new.marshal", "key") is None
    assert read_marshalled("kept.marshal", "key") == "value"


def test_a_damaged_file_is_worked_out_again() -> None:
    write_marshalled("kept.marshal", "key", "value")
    home = cache_home()
    assert home is not None
    Path(home, "kept.marshal").write_bytes(b"\x00not marshal")
    assert read_marshalled("kept.marshal", "key") is None


def test_an_unwritable_folder_or_a_value_that_is_not_data_costs_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    write_marshalled("kept.marshal", "key", "value")  # no error
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write_marshalled("kept.marshal", "key", object())  # no error, no file, no leftover
    assert read_marshalled("kept.marshal", "key") is None
    assert not any((tmp_path / "cache" / "smtp-tui").iterdir())
