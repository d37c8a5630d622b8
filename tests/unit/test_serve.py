"""`smtp-tui serve` in a real headless Chromium, driven over the DevTools protocol.

The page draws on a canvas about a second after load, so the test waits for the first byte, types
into xterm's hidden textarea and compares screenshots. It also checks that no app process outlives
its tab, including a tab that leaves before the app's first frame.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return str(response.read().decode("utf-8", "replace"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def wait_until_no_children(pid: int, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := children(pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "smtp_tui", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "COLORTERM": "truecolor"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        yield process, port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    assert CHROMIUM is not None
    port = free_port()
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium'}",
            f"--remote-debugging-port={port}",
            "--window-size=1000,700",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/json/version")
        yield process, port
    finally:
        process.kill()
        process.wait(10)


class DevTools:
    """The smallest DevTools client: send a command, wait for its answer."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.socket.send_str(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads((await self.socket.receive(timeout=30)).data)
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(message["error"])
                result: dict[str, Any] = message.get("result", {})
                return result

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def screenshot(self) -> bytes:
        return base64.b64decode((await self.call("Page.captureScreenshot"))["data"])


async def drive(devtools_port: int, app_url: str) -> tuple[bytes, bytes]:
    import aiohttp

    with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list") as response:
        pages = [t for t in json.loads(response.read()) if t["type"] == "page"]
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws,
    ):
        tools = DevTools(ws)
        await tools.call("Page.enable")
        await tools.call("Page.navigate", url=app_url)
        for _ in range(150):
            if "-first-byte" in str(await tools.evaluate("document.body.className")):
                break
            await asyncio.sleep(0.2)
        else:
            raise AssertionError("the app never sent its first byte")
        await asyncio.sleep(2.0)
        before = await tools.screenshot()
        await tools.evaluate("document.querySelector('textarea.xterm-helper-textarea').focus()")
        for char in "452":
            await tools.call("Input.dispatchKeyEvent", type="keyDown", text=char, key=char)
            await tools.call("Input.dispatchKeyEvent", type="keyUp", key=char)
        await asyncio.sleep(2.0)
        after = await tools.screenshot()
    return before, after


@needs_chromium
def test_the_browser_in_a_web_page_types_and_cleans_up(
    server: tuple[subprocess.Popen[bytes], int],
    chromium: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = server
    browser, devtools = chromium
    page = wait_for_http(f"http://127.0.0.1:{port}/")
    assert "smtp-tui" in page
    before, after = asyncio.run(drive(devtools, f"http://127.0.0.1:{port}/"))
    assert before.startswith(b"\x89PNG") and after.startswith(b"\x89PNG")
    assert before != after, "typing 452 did not change the screen"
    assert len(children(process.pid)) == 1  # the tab's app is running
    browser.kill()  # the browser goes away without a goodbye
    left = wait_until_no_children(process.pid)
    assert left == [], [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in left]


def test_a_tab_that_leaves_before_the_first_frame_leaves_no_process(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    import aiohttp

    process, port = server

    async def connect_resize_and_leave(delay: float) -> None:
        url = f"http://127.0.0.1:{port}/ws?width=80&height=24"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            # What a browser does while its window settles: resize, then go.
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            await asyncio.sleep(delay)
            await ws.send_json(["resize", {"width": 60, "height": 20}])
            await ws.close()

    for delay in (0.0, 0.05, 0.3, 1.5):
        asyncio.run(connect_resize_and_leave(delay))
    assert wait_until_no_children(process.pid) == []
    assert process.poll() is None  # the server itself keeps serving


def start_serving(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "smtp_tui", "serve", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], seconds: float = 10) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise
    return process.returncode, out, err


def test_a_taken_port_is_one_line_and_nothing_said_about_serving() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, out, err = finish(start_serving("--port", str(port)))
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"smtp-tui: cannot serve on 127.0.0.1 port {port}: ")
    assert "Serving" not in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--port", "70000"), "must be a port number from 1 to 65535 (got '70000')"),
        (("--port", "-1"), "must be a port number from 1 to 65535"),
        # A name under .invalid never resolves (RFC 6761 §6.4): no network is needed to fail.
        (("--host", "no.such.host.invalid", "--port", "1"), "cannot serve on no.such.host"),
    ],
)
def test_a_bad_address_is_one_line(args: tuple[str, ...], expected: str) -> None:
    started = time.monotonic()
    status, out, err = finish(start_serving(*args), seconds=20)
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert expected in err
    assert "Serving" not in out
    assert time.monotonic() - started < 10


def serving(process: subprocess.Popen[str]) -> str:
    """The first line on stdout: said once the socket listens, so it must answer at once."""
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("Serving smtp-tui on http://127.0.0.1:"), line
    return line


async def open_tab(port: int) -> Any:
    """A browser tab as textual-serve sees one: a websocket, the app started behind it."""
    import aiohttp

    session = aiohttp.ClientSession()
    ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24")
    await ws.send_json(["resize", {"width": 80, "height": 24}])
    await asyncio.wait_for(ws.receive(), 20)  # the app's first bytes: it is running
    return session, ws


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_serve_stops_at_once_with_a_tab_open(signum: int, status: int) -> None:
    port = free_port()
    process = start_serving("--port", str(port))
    try:
        serving(process)
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            pass  # listening already, not some time after saying so

        async def signal_with_a_tab_open() -> float:
            session, _tab = await open_tab(port)  # held open until the server stops
            try:
                assert len(children(process.pid)) == 1  # the tab's app
                started = time.monotonic()
                process.send_signal(signum)
                while process.poll() is None and time.monotonic() - started < 15:
                    await asyncio.sleep(0.02)
                return time.monotonic() - started
            finally:
                await session.close()

        apps_before = set(children(process.pid))
        took = asyncio.run(signal_with_a_tab_open())
        code, out, err = finish(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert took < 2.0, f"took {took:.1f} s to stop"
    assert code == status
    assert "Stopping: closing the open tabs" in out.splitlines()
    assert "Traceback" not in err, err
    for pid in apps_before:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
