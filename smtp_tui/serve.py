"""``smtp-tui serve``: the same browser in a web page, through textual-serve.

textual-serve stops an app by sending it a "quit" message. An app that has not drawn its first frame
yet never reads that message; on these machines it then spins at about 90% CPU and ignores SIGTERM
(TEXTUAL-NOTES.md, seen 6 times in 6). So every app runs in a session of its own, and whatever is
still alive a moment after the quit is killed with its whole process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
from asyncio.subprocess import PIPE, Process

GRACE = 2.0
"""Seconds an app gets to quit by itself before it is killed."""


def app_command(lang: str | None = None) -> str:
    """The command each browser tab runs: this Python, this package, in `lang` if one was asked."""
    command = f"{shlex.quote(sys.executable)} -m smtp_tui"
    return f"{command} --lang {shlex.quote(lang)}" if lang else command


def serve(host: str, port: int, lang: str | None = None) -> None:
    """Serve until interrupted; imported lazily so the other sub-commands never pay for aiohttp."""
    from textual_serve import server as serve_module
    from textual_serve.app_service import AppService

    class CleanAppService(AppService):
        """An app process that cannot outlive its browser tab."""

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
            environment = self._build_environment(width=width, height=height)
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
            return process

        async def stop(self) -> None:
            try:
                await asyncio.wait_for(super().stop(), GRACE)
            except (TimeoutError, ConnectionError, OSError):
                pass
            finally:
                await _end(self._process)

    # textual-serve builds its AppService by name inside the websocket handler.
    serve_module.AppService = CleanAppService  # type: ignore[attr-defined]
    server = serve_module.Server(app_command(lang), host=host, port=port, title="smtp-tui")
    server.serve()


async def _end(process: Process | None) -> None:
    """Kill the app's process group if it is still running, and reap it."""
    if process is None or process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(process.wait(), GRACE)
