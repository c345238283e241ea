"""Run-time fault switches for a running simulated fleet: one line, one fault.

``apply_line(fleet, line)`` runs one command and returns a one-line answer (``ok ...``) or raises
``ControlError`` (bad command, unknown HMC). ``lpmtui sim --faults "CMD; CMD"`` applies some at
start, ``lpmtui sim --control PATH`` serves them on a UNIX socket (one answer line per line).

    drop HMC            abort every connection of HMC (a dead network path)
    drop HMC keep       ... and every new one too, until ``clear HMC``
    drop-jump           abort every connection of the jump host (every tunnel through it)
    hang HMC [N]        the next N commands (default 1) are never answered
    release HMC         let the hung commands run
    garbage HMC [N]     the next N commands answer unparseable text (their own exit status)
    truncate HMC [N]    the next N commands send half their output, no exit status
    restart HMC [SECS]  the HMC reboots; it listens again after SECS simulated seconds
    lock HMC [USER]     lock USER (default: the login user) as 3 failed logins would
    clear HMC           disarm everything armed on HMC and release its hangs
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

USAGE = (
    "drop HMC [keep] | drop-jump | hang HMC [N] | release HMC | garbage HMC [N] | "
    "truncate HMC [N] | restart HMC [SECS] | lock HMC [USER] | clear HMC"
)
MAX_LINE = 1024


class ControlError(ValueError):
    """A command the control channel cannot run: one line saying why."""


def _count(word: str | None, what: str) -> int:
    if word is None:
        return 1
    if not word.isdigit() or int(word) > 10000:
        raise ControlError(f"{what}: found {word!r}; expected a count 0-10000")
    return int(word)


def _seconds(word: str | None) -> float:
    if word is None:
        return 0.0
    try:
        value = float(word)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise ControlError(f"restart: found {word!r}; expected seconds 0-86400")
    return value


async def apply_line(fleet: Any, line: str) -> str:
    """Run one control command on ``fleet`` (a SimFleet); its one-line answer."""
    words = line.split()
    if not words:
        raise ControlError(f"empty command; expected {USAGE}")
    verb, args = words[0].lower(), words[1:]
    if verb == "drop-jump":
        if fleet.jump_host is None:
            raise ControlError("drop-jump: this fleet runs no jump host")
        return f"ok dropped {fleet.jump_host.drop_connections()} jump host connection(s)"
    if verb not in {"drop", "hang", "release", "garbage", "truncate", "restart", "lock", "clear"}:
        raise ControlError(f"unknown command {verb!r}; expected {USAGE}")
    if not args:
        raise ControlError(f"{verb}: which HMC? expected {USAGE}")
    if len(args) > 2:
        raise ControlError(f"{verb}: too many words; expected {USAGE}")
    name, extra = args[0], (args[1] if len(args) > 1 else None)
    try:
        faults = fleet.faults(name)
    except KeyError:
        raise ControlError(f"{verb}: no simulated HMC named {name!r}") from None
    if verb == "drop":
        if extra not in (None, "keep"):
            raise ControlError(f"drop: found {extra!r}; expected nothing or 'keep'")
        dropped = faults.drop_connections(keep_dropping=extra == "keep")
        return f"ok dropped {dropped} connection(s) of {name}"
    if verb in ("hang", "garbage", "truncate"):
        n = _count(extra, verb)
        getattr(faults, f"{verb}_next")(n)
        return f"ok the next {n} command(s) of {name}: {verb}"
    if verb == "restart":
        downtime = _seconds(extra)
        await faults.restart(downtime)
        return f"ok {name} restarted ({downtime:g} s down)"
    if verb == "lock":
        guard = fleet.logins(name)
        user = extra or fleet.endpoints[name].username
        while not guard.is_locked(user):
            guard.failed(user)
        return f"ok {user}@{name} locked ({guard.seconds_left(user):g} s)"
    if extra is not None:
        raise ControlError(f"{verb}: found {extra!r}; expected only the HMC")
    if verb == "release":
        faults.release_hangs()
        return f"ok released the hung commands of {name}"
    faults.clear()
    return f"ok cleared the faults of {name}"


async def apply_spec(fleet: Any, spec: str) -> list[str]:
    """Apply ``spec``: commands separated by ``;`` (``--faults``); the answers in order."""
    return [await apply_line(fleet, part) for part in spec.split(";") if part.strip()]


async def _session(fleet: Any, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while line := await reader.readline():
            if len(line) > MAX_LINE:
                answer = f"error: line longer than {MAX_LINE} characters"
            else:
                try:
                    answer = await apply_line(fleet, line.decode("utf-8", "replace"))
                except ControlError as exc:
                    answer = f"error: {exc}"
                log.warning("control: %s -> %s", line.decode("utf-8", "replace").strip(), answer)
            writer.write(answer.encode() + b"\n")
            await writer.drain()
    except (ConnectionError, ValueError, asyncio.LimitOverrunError):
        pass  # the controlling client went away or sent an endless line
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


def remove_socket(path: str | os.PathLike[str]) -> None:
    """Remove the socket file ``path`` if there is one (never a regular file)."""
    sock = Path(path)
    with contextlib.suppress(OSError):
        if sock.is_socket():
            sock.unlink()


async def serve_control(fleet: Any, path: str | os.PathLike[str]) -> asyncio.AbstractServer:
    """Listen on the UNIX socket ``path`` (mode 0600; a stale socket file is replaced)."""
    sock = Path(path)
    remove_socket(sock)
    old = os.umask(0o177)
    try:
        return await asyncio.start_unix_server(
            lambda r, w: _session(fleet, r, w), path=str(sock), limit=MAX_LINE * 2
        )
    finally:
        os.umask(old)
