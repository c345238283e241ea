"""Talking to one HMC for the fleet: the link a collector needs, and command running that
turns every failure into one error line instead of an exception.

A listing that gave nothing usable raises :class:`CommandFailed` (its ``line`` goes into the
snapshot); :meth:`HmcCommands.piece` turns that into "keep the previous value, add the line".
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from lpmtui.hmc.commands import Command
from lpmtui.hmc.errors import HmcError, InvalidAttributeError, UnsupportedError, error_from
from lpmtui.hmc.parse import Parsed
from lpmtui.hmc.runner import CommandEvent, CommandResult
from lpmtui.model import ConnectionState

log = logging.getLogger("lpmtui.fleet")

T = TypeVar("T")
MAX_PROBLEMS_PER_COMMAND = 3  # more parse problems than this are summarised in one line
# An output this large is parsed in a worker thread, so the console's loop stays responsive
# (parsers are pure functions of immutable text; their work is bounded per byte).
OFF_LOOP_BYTES = 64 * 1024
Parser = Callable[[str, Sequence[str], str], Parsed[T]]
_REPORT = object()  # piece(): an unsupported command is an error like any other


class HmcLink(Protocol):
    """What a collector needs from a connection (``transport.HmcConnection``, ``SimLink``)."""

    name: str
    host: str
    kind: str
    peer_address: str
    # site: str -- optional (read with getattr): where the config puts the HMC, "" = not said
    state: ConnectionState
    reconnect_attempt: int
    last_error: str
    host_key_fingerprint: str

    async def run(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult: ...


def link_user(link: HmcLink) -> str:
    """The user lpmtui logs in as on ``link`` (for ``--ip``/``-u`` towards it)."""
    config = getattr(link, "config", None)
    return getattr(link, "user", None) or getattr(config, "user", None) or "hscroot"


class CommandFailed(Exception):
    """A command that gave no usable data; ``line`` is the one-line reason for the snapshot."""

    def __init__(self, line: str, error: HmcError | None = None) -> None:
        super().__init__(line)
        self.line = line
        self.error = error


async def parse_output(parser: Callable[..., Parsed[T]], text: str, *args: Any) -> Parsed[T]:
    """``parser(text, *args)``, off the event loop when ``text`` is large.

    A parser bug (any exception) becomes ``CommandFailed`` for this one output: it never ends
    the poll of the whole HMC."""
    try:
        if len(text) >= OFF_LOOP_BYTES:
            return await asyncio.to_thread(parser, text, *args)
        return parser(text, *args)
    except Exception as exc:
        log.exception("parser %s raised", getattr(parser, "__name__", parser))
        raise CommandFailed(f"unreadable output ({type(exc).__name__})") from exc


def report_problems(cmd: Command, problems: Sequence[str], errors: list[str]) -> None:
    """Add a command's parse problems to ``errors``: the first few, then how many more."""
    errors.extend(f"{cmd.line}: {p}" for p in problems[:MAX_PROBLEMS_PER_COMMAND])
    if len(problems) > MAX_PROBLEMS_PER_COMMAND:
        errors.append(f"{cmd.line}: {len(problems) - MAX_PROBLEMS_PER_COMMAND} more")


class HmcCommands:
    """Runs commands on one HMC for a collector, reporting each to ``on_command``."""

    def __init__(
        self, link: HmcLink, on_command: Callable[[CommandEvent], None] | None = None
    ) -> None:
        self.link = link
        self.on_command = on_command
        self._full_listing: set[tuple[str, ...]] = set()  # listings this HMC refuses -F for

    async def run(self, cmd: Command, *, timeout: float | None = None) -> CommandResult:
        """Run one command on this HMC; never raises for a transport failure (rc None)."""
        started = time.time()
        try:
            result = await self.link.run(cmd.argv, timeout=timeout)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a transport bug must not end the collector
            log.exception("%s: %s raised", self.link.name, cmd.line)
            result = CommandResult(cmd.argv, None, "", f"{type(exc).__name__}: {exc}", started)
        if self.on_command is not None:
            error = error_from(result)
            self.on_command(
                CommandEvent(
                    self.link.name,
                    cmd.argv,
                    result.rc,
                    result.started or started,
                    result.duration or (time.time() - started),
                    error.summary if error else "",
                )
            )
        return result

    async def listing(self, cmd: Command, parser: Parser[T], errors: list[str]) -> Parsed[T]:
        """Run a listing and parse it; raise CommandFailed when it gave nothing usable.

        An HMC level that rejects one of the ``-F`` names gets the default listing instead
        (parsers are key-based), and keeps getting it for that command.
        """
        key = (*cmd.argv[:3], *cmd.fields)  # the kind of listing, not its target
        if key in self._full_listing:
            cmd = cmd.default_listing()
        result = await self.run(cmd)
        error = error_from(result)
        if isinstance(error, InvalidAttributeError) and cmd.fields:
            self._full_listing.add(key)
            cmd = cmd.default_listing()
            result = await self.run(cmd)
            error = error_from(result)
        if error is not None:
            raise CommandFailed(f"{cmd.line}: {error.summary}", error)
        try:
            parsed = await parse_output(parser, result.stdout, cmd.fields, cmd.delimiter)
        except CommandFailed as failed:
            raise CommandFailed(f"{cmd.line}: {failed.line}") from failed
        if parsed.problems:
            report_problems(cmd, parsed.problems, errors)
            if not parsed.items and result.stdout.strip() != "No results were found.":
                raise CommandFailed(f"{cmd.line}: unreadable output")
        return parsed

    async def piece(
        self,
        work: Callable[[], Awaitable[T]],
        fallback: T,
        errors: list[str],
        *,
        unsupported: Any = _REPORT,
    ) -> T:
        """One piece of data: ``work()``'s value, or on failure ``fallback`` and an error line.
        ``work`` is called here, not by the caller: a piece cancelled before it starts (a poll
        stopped as the console quits) leaves no coroutine that was never awaited.

        With ``unsupported`` given, a command this HMC or system does not support (e.g. no
        virtual FC) gives that value and no error: there is simply nothing to list.
        """
        try:
            return await work()
        except CommandFailed as failed:
            if unsupported is not _REPORT and isinstance(failed.error, UnsupportedError):
                return unsupported
            errors.append(failed.line)
            return fallback
