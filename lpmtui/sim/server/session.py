"""One SSH session on a simulated HMC: an exec command, or the interactive restricted shell.

The command itself runs as a task owned by the HMC, not by the channel: when the client closes the
channel (or the connection drops) the command goes on, as an HMC task does, which is what lets a
``migrlpar -o m`` finish after its SSH channel is gone (ssh.md §1.8, §4.5).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, Protocol

import asyncssh

from lpmtui.common.clock import Clock
from lpmtui.sim.server.faults import CommandFault, HmcFaults, truncated
from lpmtui.sim.server.latency import Latency

log = logging.getLogger(__name__)


class Shell(Protocol):
    async def run(self, command_line: str) -> Any: ...


class SessionHost(Protocol):
    """What a session needs of the HMC it runs on (``hmc.HmcServer`` is one)."""

    name: str
    faults: HmcFaults
    latency: Latency | None
    clock: Clock

    def shell_for(self, user: str) -> Shell: ...

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]: ...


_EXEC_UNKNOWN = "/bin/bash: "
_INTERACTIVE_UNKNOWN = "bash: "
_TERMINAL_EVENTS = (asyncssh.BreakReceived, asyncssh.SignalReceived, asyncssh.TerminalSizeChanged)


async def serve_session(
    hmc: SessionHost,
    user: str,
    stdin: asyncssh.SSHReader[str],
    stdout: asyncssh.SSHWriter[str],
    _stderr: asyncssh.SSHWriter[str],
) -> None:
    """The stream handler asyncssh runs for each session channel."""
    command = stdout.channel.get_command()
    try:
        if command is None:
            await _interactive(hmc, user, stdin, stdout)
        else:
            await _exec(hmc, user, command, stdout)
    except (BrokenPipeError, ConnectionError, asyncssh.Error):
        pass  # the client went away mid-answer; there is no one left to tell


async def _exec(hmc: SessionHost, user: str, command: str, stdout: asyncssh.SSHWriter[str]) -> None:
    chan = stdout.channel
    fault = hmc.faults.take()
    closed = asyncio.ensure_future(chan.wait_closed())
    try:
        if fault is CommandFault.HANG:
            released = asyncio.ensure_future(hmc.faults.wait_released())
            await asyncio.wait({closed, released}, return_when=asyncio.FIRST_COMPLETED)
            released.cancel()
            if closed.done():
                return  # abandoned while hung: the command never ran
        job = hmc.spawn(_run(hmc, user, command))
        await asyncio.wait({closed, job}, return_when=asyncio.FIRST_COMPLETED)
        if not job.done() or chan.is_closing():
            return  # the channel is gone; the command carries on as an HMC task
        result = job.result()
        if result is None:
            chan.close()  # the simulator failed; to the client the outcome is unknown
            return
        text, rc = result
        if fault is CommandFault.TRUNCATE:
            stdout.write(truncated(text))
            chan.close()
            return
        if fault is CommandFault.GARBAGE:
            # Noise replaces the text; the exit status is the command's own (SSH carries it
            # apart from stdout, and nothing that garbles output turns a failure into rc 0).
            text = hmc.faults.garble(text)
        stdout.write(text)
        chan.exit(rc)
    finally:
        closed.cancel()


async def _run(hmc: SessionHost, user: str, command: str) -> tuple[str, int] | None:
    """Latency, then the HMC shell; None if the shell itself failed (logged, never shown)."""
    if hmc.latency is not None:
        delay = hmc.latency.delay_for(command)
        if delay > 0:
            await hmc.clock.sleep(delay)
    try:
        result: Any = await hmc.shell_for(user).run(command)
    except Exception:
        log.exception("simulated HMC %s failed on %r", hmc.name, command)
        return None
    return result.stdout, result.rc


async def _interactive(
    hmc: SessionHost,
    user: str,
    stdin: asyncssh.SSHReader[str],
    stdout: asyncssh.SSHWriter[str],
) -> None:
    """``hscroot@<hmc>:~>`` prompt loop; ``exit`` or end of input ends it."""
    chan = stdout.channel
    prompt = f"{user}@{hmc.name}:~> "
    while not chan.is_closing():
        stdout.write(prompt)
        try:
            line = await stdin.readline()
        except _TERMINAL_EVENTS:
            stdout.write("\n")
            continue
        if not line:
            break
        line = line.strip()
        if line in ("exit", "logout"):
            break
        if not line:
            continue
        result = await _run(hmc, user, line)
        if result is None:
            continue
        text = result[0]
        if text.startswith(_EXEC_UNKNOWN):
            # An interactive bash names itself "bash:", an exec one "/bin/bash:" (hmc-cli.md §9).
            text = _INTERACTIVE_UNKNOWN + text[len(_EXEC_UNKNOWN) :]
        stdout.write(text)
    with contextlib.suppress(OSError):
        chan.exit(0)
