"""Shared fixtures: the shipped repository, loaded once; deterministic Textual runs."""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from smtp_tui.core import i18n
from smtp_tui.core.loading import load
from smtp_tui.core.repository import Repository

os.environ["SMTP_TUI_CACHE"] = "0"
"""Test modules read the catalogues while they are collected, before any fixture below has given
the run a home of its own: nothing is cached then (`_isolate` removes the variable again)."""

HOME_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_CACHE_HOME": ".cache",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
}
"""Where platformdirs (settings, codes.toml) and the data cache look, each given its own folder."""


def _isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point the home and every folder the app reads or writes below `home`, and forget the
    developer's SMTP_TUI_* choices; child processes inherit it all through the environment."""
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    for variable, folder in HOME_FOLDERS.items():
        monkeypatch.setenv(variable, str(home / folder))
    for variable in [name for name in os.environ if name.startswith("SMTP_TUI_")]:
        monkeypatch.delenv(variable)


@pytest.fixture(scope="session", autouse=True)
def _private_session_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A home for the session fixtures (the shared repository loads before any test's own)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        home = tmp_path_factory.mktemp("home")
        _isolate(monkeypatch, home)
        monkeypatch.setenv("SMTP_TUI_CONFIG_DIR", str(home / "smtp-tui-config"))
        yield home


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own home, config, cache and data folders: nothing it does reaches the
    developer's (a test once renamed a real settings.toml), and no test sees another's files.
    Beside `tmp_path`, not in it: tests that list their `tmp_path` find only their own files."""
    home = tmp_path_factory.mktemp("home")
    _isolate(monkeypatch, home)
    return home


@pytest.fixture
def private_env(private_home: Path) -> dict[str, str]:
    """The variables that carry the isolation, for a child started with a minimal environment."""
    names = ("HOME", *HOME_FOLDERS, "SMTP_TUI_CONFIG_DIR")
    return {name: os.environ[name] for name in names}


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_home: Path) -> Path:
    """Each test starts with no settings and no user codes, as a first run does."""
    folder = tmp_path / "config"
    monkeypatch.setenv("SMTP_TUI_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def repo(_private_session_home: Path) -> Repository:
    return load()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch, repo: Repository) -> Iterator[None]:
    """Every test starts in English whatever the machine's locale, and leaves it in English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", i18n.LANG_ENV):
        monkeypatch.delenv(variable, raising=False)
    repo.show_in(i18n.DEFAULT)
    i18n.use(i18n.DEFAULT)
    yield
    repo.show_in(i18n.DEFAULT)
    i18n.use(i18n.DEFAULT)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


def _loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """No test reaches past 127.0.0.1, even by accident (random keys that open the probe screen
    and press enter): a connection or datagram elsewhere fails at once, as on a machine with no
    network, and is recorded here for the tests that check it."""
    refused: list[object] = []
    connect, connect_ex, sendto = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.socket.sendto,
    )
    getaddrinfo = socket.getaddrinfo

    def guard(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not _loopback(host):
                refused.append(address)
                raise OSError(errno.ENETUNREACH, f"tests stay on 127.0.0.1, not {host}")

    def guarded_connect(sock: socket.socket, address: object) -> None:
        guard(sock, address)
        connect(sock, address)  # type: ignore[arg-type]

    def guarded_connect_ex(sock: socket.socket, address: object) -> int:
        guard(sock, address)
        return connect_ex(sock, address)  # type: ignore[arg-type]

    def guarded_sendto(sock: socket.socket, data: bytes, *rest: object) -> int:
        guard(sock, rest[-1])
        return sendto(sock, data, *rest)  # type: ignore[call-overload, no-any-return]

    def guarded_getaddrinfo(host: object, *rest: object, **named: object) -> object:
        if host is not None and not _loopback(host):
            refused.append(host)
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve no name but localhost: {host}")
        return getaddrinfo(host, *rest, **named)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", guarded_sendto)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return refused
