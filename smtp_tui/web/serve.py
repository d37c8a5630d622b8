"""``smtp-tui serve``: the same browser in a web page, through textual-serve.

textual-serve stops an app by sending it a "quit" message. An app that has not drawn its first frame
yet never reads that message; on these machines it then spins at about 90% CPU and ignores SIGTERM
(TEXTUAL-NOTES.md, seen 6 times in 6). So every app runs in a session of its own, and whatever is
still alive a moment after the quit is killed with its whole process group.

textual-serve's own ``Server.serve`` prints "Serving …" before the socket is bound (a taken port
then shows a traceback after it), and on Ctrl+C waits for aiohttp's graceful shutdown, which waits
for every open tab's websocket: about 21 s. So the server is run here: bind, then say so; on
SIGINT or SIGTERM, say so, end every tab's app at once, close the websockets, stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from smtp_tui.core.i18n import text as _t
from smtp_tui.core.rtl import RTL_ENV

if TYPE_CHECKING:
    from textual_serve.server import Server

GRACE = 2.0
"""Seconds an app gets to quit by itself before it is killed."""

STOP_GRACE = 0.5
"""Seconds an app gets to quit when the whole server stops: it is stopped within 2 s in all."""


class ServeError(Exception):
    """The server could not start listening: one line, exit status 2."""


def app_command(lang: str | None = None, data: str | None = None) -> str:
    """The command each browser tab runs: this Python, this package, in `lang`, on `data`."""
    command = f"{shlex.quote(sys.executable)} -m smtp_tui"
    if lang:
        command += f" --lang {shlex.quote(lang)}"
    if data:
        command += f" --data {shlex.quote(os.path.abspath(data))}"
    return command


def serve(host: str, port: int, lang: str | None = None, data: str | None = None) -> int:
    """Serve until SIGINT (exit status 130) or SIGTERM (0); `ServeError` if it cannot listen.

    Imported lazily so the other sub-commands never pay for aiohttp.
    """
    from textual_serve import server as serve_module
    from textual_serve.app_service import AppService

    services: set[CleanAppService] = set()

    class CleanAppService(AppService):
        """An app process that cannot outlive its browser tab."""

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
            environment = self._build_environment(width=width, height=height)
            # xterm.js draws Arabic letter by letter, whatever terminal started the server: the
            # tab's app shapes and reorders it itself.
            environment[RTL_ENV] = "visual"
            self._process = process = await asyncio.create_subprocess_exec(
                *shlex.split(self.command),
                stdin=PIPE,
                stdout=PIPE,
                stderr=PIPE,
                env=environment,
                start_new_session=True,  # its own process group, to kill it whole
            )
            assert process.stdin is not None
            self._stdin = process.stdin
            services.add(self)
            return process

        async def stop(self, grace: float = GRACE) -> None:
            try:
                await asyncio.wait_for(super().stop(), grace)
            except (TimeoutError, ConnectionError, OSError):
                pass
            finally:
                await _end(self._process)
                services.discard(self)

    class QuietServer(serve_module.Server):
        """textual-serve's server, minus its banner: ours comes once the socket listens."""

        async def on_startup(self, app: object) -> None:
            pass

    # textual-serve builds its AppService by name inside the websocket handler.
    serve_module.AppService = CleanAppService  # type: ignore[attr-defined]
    server = QuietServer(app_command(lang, data), host=host, port=port, title="smtp-tui")
    server.initialize_logging()

    async def stop_tabs() -> None:
        """Each tab's app is asked to quit, then killed; then its websocket is closed."""
        ending = list(services)
        await asyncio.gather(*(service.stop(STOP_GRACE) for service in ending))
        for service in ending:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(service.remote_close(), STOP_GRACE)

    return asyncio.run(_run(server, host, port, stop_tabs))


async def _run(
    server: Server, host: str, port: int, stop_tabs: Callable[[], Awaitable[None]]
) -> int:
    from aiohttp import web

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    received: list[int] = []

    def request_stop(signum: int) -> None:
        received.append(signum)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, request_stop, signum)
    # The open tabs are closed by `stop_tabs` before cleanup; this only bounds the rest.
    runner = web.AppRunner(await server._make_app(), handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except (OSError, OverflowError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise ServeError(
                _t("serve.cannot_listen", host=host, port=port, reason=reason)
            ) from None
        _say(_t("serve.serving", url=server.public_url))
        await stop.wait()
        _say(_t("serve.stopping"))
        await stop_tabs()
    finally:
        await runner.cleanup()
    return 130 if received and received[0] == signal.SIGINT else 0


def _say(line: str) -> None:
    """One line on stdout, now (a service manager's log may be a pipe)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, flush=True)


async def _end(process: Process | None) -> None:
    """Kill the app's process group if it is still running, and reap it."""
    if process is None or process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(process.wait(), GRACE)
