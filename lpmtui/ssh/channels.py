"""Running one command on one exec channel: deadline, clean close, honest outcome.

``async with`` around the process closes the channel on timeout or cancellation (asyncssh's
``run(timeout=)`` would leave it open and hold a server session slot). A process that ends with
neither an exit status nor a signal lost its connection: the outcome is unknown, never success.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import asyncssh

OPEN_RETRY_DELAYS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32)


@dataclass(frozen=True, slots=True)
class Exchange:
    rc: int | None
    stdout: str = ""
    stderr: str = ""
    error: str = ""  # a one-line reason when rc is None


async def open_channel(conn: asyncssh.SSHClientConnection, line: str) -> asyncssh.SSHClientProcess:
    """A new exec channel; the server's "open failed" (MaxSessions) is retried with backoff."""
    for delay in (*OPEN_RETRY_DELAYS, None):
        try:
            return await conn.create_process(
                line, stdin=asyncssh.DEVNULL, encoding="utf-8", errors="replace"
            )
        except asyncssh.ChannelOpenError as exc:
            if (
                delay is None
                or exc.code != asyncssh.OPEN_CONNECT_FAILED
                or "open failed" not in exc.reason
            ):
                raise
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # the loop either returns or raises


async def exchange(
    conn: asyncssh.SSHClientConnection, line: str, deadline: float | None
) -> Exchange:
    proc = await open_channel(conn, line)
    async with proc:  # closes the channel however we leave
        try:
            async with asyncio.timeout(deadline):
                done = await proc.wait()
        except TimeoutError:
            return Exchange(
                None, error=f"timed out after {deadline:g} s; channel closed, outcome unknown"
            )
    out, err = _text(done.stdout), _text(done.stderr)
    if done.exit_signal:
        return Exchange(None, out, err, f"ended by signal {done.exit_signal[0]}; outcome unknown")
    if done.exit_status is None:
        return Exchange(None, out, err, "connection lost; outcome unknown")
    return Exchange(done.exit_status, out, err)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
