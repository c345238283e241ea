"""One collector per HMC: turns HMC command output into frozen HmcSnapshots.

Hot data (frames, partitions, capacity, migration states) is polled every few seconds with the
fewest commands: one ``lssyscfg -r sys`` per HMC, then per Operating frame one command each for
partitions, their memory and processors, their migration states, and the frame's memory,
processors and migration counts, all asking only for the ``-F`` fields the console uses. Cold
data (adapters, slots, profiles, shared processor pools, VIOS optical mappings and NPIV ports,
firmware level, SSH trust towards the other HMCs) comes at a slower cadence or on demand. A
frame that is not Operating is listed as it is and gets no partition-level commands. A failed
or garbled command becomes an error line in the snapshot and the previous data for that piece
is kept, so a bad poll never blanks a frame.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from lpmtui.hmc import commands, parse
from lpmtui.hmc.commands import Command
from lpmtui.hmc.errors import (
    HmcError,
    InvalidAttributeError,
    RemoteTrustError,
    UnsupportedError,
    error_from,
)
from lpmtui.hmc.parse import Parsed
from lpmtui.hmc.runner import CommandEvent, CommandResult
from lpmtui.model import (
    ColdData,
    ConnectionState,
    FrameSnapshot,
    HmcManager,
    HmcSnapshot,
    HmcVersion,
    ManagedSystem,
    MigrationStatus,
    Partition,
)

log = logging.getLogger("lpmtui.fleet")

T = TypeVar("T")
MAX_PROBLEMS_PER_COMMAND = 3  # more parse problems than this are summarised in one line


class HmcLink(Protocol):
    """What a collector needs from a connection (``transport.HmcConnection``, ``SimLink``)."""

    name: str
    host: str
    kind: str
    peer_address: str
    state: ConnectionState
    reconnect_attempt: int
    last_error: str
    host_key_fingerprint: str

    async def run(
        self, argv: Sequence[str], *, timeout: float | None = None
    ) -> CommandResult: ...


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


_SYSTEM_PIECES = ("sys_mem", "sys_proc", "sys_migr")


@dataclass
class _Frame:
    """What the collector remembers of a frame between polls.

    ``last_good`` holds the last good parse of each hot command, so a command that fails
    this time leaves the previous value of its piece in place (and an error line).
    """

    system: ManagedSystem
    partitions: tuple[Partition, ...] = ()
    migrations: tuple[MigrationStatus, ...] = ()
    cold: ColdData | None = None
    firmware: str = ""
    last_good: dict[str, tuple] = field(default_factory=dict)
    hot_errors: tuple[str, ...] = ()
    cold_errors: tuple[str, ...] = ()


class Collector:
    """Polls one HMC. ``poll()`` and ``cold()`` never overlap: both hold the same lock."""

    def __init__(
        self,
        link: HmcLink,
        *,
        peers: Sequence[HmcLink] = (),
        clock: Callable[[], float] = time.time,
        on_command: Callable[[CommandEvent], None] | None = None,
    ) -> None:
        self.link = link
        self.peers = tuple(peers)
        self.clock = clock
        self.on_command = on_command
        self.lock = asyncio.Lock()
        self._frames: dict[str, _Frame] = {}
        self._order: list[str] = []
        self._version: HmcVersion | None = None
        self._manager: HmcManager | None = None
        self._peer_trust: tuple[tuple[str, bool | None], ...] = ()
        self._taken_at = 0.0
        self._errors: tuple[str, ...] = ()
        self.cold_at = 0.0  # when the last cold pass started (clock time)
        self._full_listing: set[tuple[str, ...]] = set()  # listings this HMC refuses -F for
        self.snapshot = self._snapshot()

    # -- running commands ---------------------------------------------------------------------

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

    async def _listing(
        self,
        cmd: Command,
        parser: Callable[[str, Sequence[str], str], Parsed[T]],
        errors: list[str],
    ) -> Parsed[T]:
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
        parsed = parser(result.stdout, cmd.fields, cmd.delimiter)
        problems = parsed.problems
        if problems:
            shown = [f"{cmd.line}: {p}" for p in problems[:MAX_PROBLEMS_PER_COMMAND]]
            if len(problems) > MAX_PROBLEMS_PER_COMMAND:
                shown.append(f"{cmd.line}: {len(problems) - MAX_PROBLEMS_PER_COMMAND} more")
            errors.extend(shown)
            if not parsed.items and result.stdout.strip() != "No results were found.":
                raise CommandFailed(f"{cmd.line}: unreadable output")
        return parsed

    async def _piece(
        self, work: Awaitable[T], fallback: T, errors: list[str]
    ) -> T:
        """One piece of data: its new value, or on failure the previous one and an error."""
        try:
            return await work
        except CommandFailed as failed:
            errors.append(failed.line)
            return fallback

    # -- polls --------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self.link.state == ConnectionState.CONNECTED

    async def poll(self, *, cold_due: bool = False) -> HmcSnapshot:
        """One hot poll (plus the cold pass when due). Returns and keeps the new snapshot.

        When the link is not connected nothing is sent: the snapshot keeps the last frames
        and their ``taken_at``, with the link's state, so the UI shows them as stale.
        """
        async with self.lock:
            if self.connected:
                errors: list[str] = []
                if self._version is None or cold_due:
                    await self._hmc_facts(errors, trust=cold_due)
                if await self._hot(errors):
                    self._taken_at = self.clock()
                if cold_due:
                    self.cold_at = self.clock()
                    await self._cold_all()
                self._errors = tuple(errors)
            self.snapshot = self._snapshot()
            return self.snapshot

    async def cold(self, system_name: str) -> ColdData:
        """Fetch the cold data of one frame now (on demand) and return it."""
        async with self.lock:
            frame = self._frames.get(system_name)
            if frame is None:
                raise KeyError(system_name)
            if self.connected and frame.system.operating:
                await self._cold_frame(frame)
            self.snapshot = self._snapshot()
            return frame.cold or ColdData()

    async def _hmc_facts(self, errors: list[str], *, trust: bool) -> None:
        """HMC-wide facts that rarely change: version, remote-migration capability and (when
        ``trust``) SSH trust towards the other HMCs."""

        async def one(cmd: Command, parser):
            try:
                return (await self._listing(cmd, parser, errors)).one
            except CommandFailed as failed:
                errors.append(failed.line)
                return None

        version, manager, *trusted = await asyncio.gather(
            one(commands.hmc_version(), lambda text, _f, _d: parse.hmc_version(text)),
            one(commands.manager_migration(), parse.manager),
            *(self._trust(p) for p in (self.peers if trust else ())),
        )
        self._version = version or self._version
        self._manager = manager or self._manager
        if trust:
            self._peer_trust = tuple(trusted)

    async def _trust(self, peer: HmcLink) -> tuple[str, bool | None]:
        """``mkauthkeys --test`` towards a peer: True, False (HSCL3653) or None (unknown)."""
        address = peer.peer_address or peer.host
        result = await self.run(commands.mkauthkeys_test(address, link_user(peer)))
        error = error_from(result)
        if error is None:
            return (peer.name, True)
        if isinstance(error, RemoteTrustError):
            return (peer.name, False)
        return (peer.name, None)

    async def _hot(self, errors: list[str]) -> bool:
        """Frames and partitions; False when the frame listing itself failed (data kept)."""
        try:
            found = await self._listing(commands.systems(), parse.systems, errors)
        except CommandFailed as failed:
            errors.append(failed.line)
            return False
        frames: dict[str, _Frame] = {}
        for system in found:
            if system.name in frames:
                errors.append(f"two managed systems named {system.name!r}; the second ignored")
                continue
            frame = self._frames.get(system.name) or _Frame(system)
            frame.system = system
            if not system.operating:  # listed as it is; its partitions are not asked for
                frame.partitions, frame.migrations, frame.hot_errors = (), (), ()
                frame.last_good.clear()
            frames[system.name] = frame
        operating = [f for f in frames.values() if f.system.operating]
        await asyncio.gather(*(self._hot_frame(f) for f in operating))
        self._frames, self._order = frames, list(frames)
        return True

    async def _hot_frame(self, frame: _Frame) -> None:
        m = frame.system.mtms
        errors: list[str] = []

        async def get(cmd: Command, parser, what: str) -> None:
            try:
                frame.last_good[what] = (await self._listing(cmd, parser, errors)).items
            except CommandFailed as failed:  # keep the last good value of this piece
                errors.append(failed.line)

        await asyncio.gather(
            get(commands.partitions(m), self._partitions_of(frame), "partitions"),
            get(commands.partition_memory(m), parse.partition_memory, "lpar_mem"),
            get(commands.partition_processors(m), parse.partition_processors, "lpar_proc"),
            get(commands.partition_migrations(m), parse.migrations, "migrations"),
            get(commands.system_memory(m), parse.system_memory, "sys_mem"),
            get(commands.system_processors(m), parse.system_processors, "sys_proc"),
            get(commands.system_migration(m), parse.system_migration, "sys_migr"),
        )
        good = frame.last_good
        pieces = [good[k][0] for k in _SYSTEM_PIECES if good.get(k)]
        if frame.firmware:
            pieces.append({"firmware_level": frame.firmware})
        frame.system = parse.merge_system(frame.system, *pieces)
        frame.partitions = parse.merge_partitions(
            good.get("partitions", ()), good.get("lpar_mem", ()), good.get("lpar_proc", ())
        )
        frame.migrations = good.get("migrations", ())
        frame.hot_errors = tuple(errors)

    def _partitions_of(
        self, frame: _Frame
    ) -> Callable[[str, Sequence[str], str], Parsed[Partition]]:
        return lambda text, fields, delimiter: parse.partitions(
            text, frame.system.name, fields, delimiter
        )

    async def _cold_all(self) -> None:
        operating = [self._frames[n] for n in self._order if self._frames[n].system.operating]
        await asyncio.gather(*(self._cold_frame(f) for f in operating))

    async def _cold_frame(self, frame: _Frame) -> None:
        m = frame.system.mtms
        errors: list[str] = []
        old = frame.cold or ColdData()

        async def virtual(kind: commands.VirtualIoKind, parser, previous):
            try:
                return (await self._listing(commands.virtual_io(m, kind), parser, errors)).items
            except CommandFailed as failed:
                if isinstance(failed.error, UnsupportedError):
                    return ()  # e.g. no virtual FC on this system: nothing to list
                errors.append(failed.line)
                return previous

        async def listing(cmd: Command, parser, previous):
            return await self._piece(
                self._listing(cmd, parser, errors), Parsed(previous), errors
            )

        async def pools():
            try:
                cmd = commands.shared_proc_pools(m)
                return (await self._listing(cmd, parse.shared_pools, errors)).items
            except CommandFailed as failed:
                if isinstance(failed.error, UnsupportedError):
                    return None  # this HMC cannot list pools: the rule stays unknown
                errors.append(failed.line)
                return old.proc_pools

        scsi, fc, eth, slots, io, profiles, firmware, vios_data, proc_pools = await asyncio.gather(
            virtual("scsi", parse.scsi_adapters, old.scsi),
            virtual("fc", parse.fc_adapters, old.fc),
            virtual("eth", parse.eth_adapters, old.eth),
            virtual("slot", parse.virtual_slots, old.slots),
            listing(commands.io_slots(m), parse.io_slots, old.io_slots),
            listing(commands.profiles(m), parse.profiles, old.profiles),
            listing(commands.firmware_level(m), parse.firmware, ()),
            self._vios_data(frame, old, errors),
            pools(),
        )
        if firmware.one:
            frame.firmware = str(firmware.one.get("firmware_level", ""))
            frame.system = parse.merge_system(frame.system, firmware.one)
        frame.cold = ColdData(
            scsi=tuple(scsi),
            fc=tuple(fc),
            eth=tuple(eth),
            slots=tuple(slots),
            io_slots=io.items,
            profiles=profiles.items,
            optical=vios_data[0],
            taken_at=self.clock(),
            proc_pools=proc_pools,
            npiv_ports=vios_data[1],
            npiv_listed=vios_data[2],
        )
        frame.cold_errors = tuple(errors)

    async def _vios_data(self, frame: _Frame, old: ColdData, errors: list[str]):
        """Virtual optical mappings and NPIV ports (``viosvrcmd``) of every running VIOS whose
        RMC is up: (optical mappings, NPIV ports, names of the VIOSes whose lsnports answered).
        A VIOS that fails keeps its previous data."""
        vioses = [
            p for p in frame.partitions if p.is_vios and p.state == "Running" and p.rmc_active
        ]
        m = frame.system.mtms

        async def ask(cmd: Command, vios: Partition, parser, previous):
            result = await self.run(cmd)
            error = error_from(result)
            if error is not None:
                errors.append(f"{cmd.line}: {error.summary}")
                return None, tuple(x for x in previous if x.vios_name == vios.name)
            found = parser(result.stdout, vios.name)
            errors.extend(f"{cmd.line}: {p}" for p in found.problems[:MAX_PROBLEMS_PER_COMMAND])
            return vios.name, found.items

        async def one(vios: Partition):
            return await asyncio.gather(
                ask(commands.vios_optical_mappings(m, vios.lpar_id), vios,
                    parse.optical_mappings, old.optical),
                ask(commands.vios_npiv_ports(m, vios.lpar_id), vios, parse.npiv_ports,
                    old.npiv_ports),
            )

        per_vios = await asyncio.gather(*(one(v) for v in vioses))
        optical = tuple(o for (_, found), _ in per_vios for o in found)
        ports = tuple(x for _, (_, found) in per_vios for x in found)
        answered = {name for _, (name, _) in per_vios if name}
        kept = {v.name for v in vioses} & set(old.npiv_listed)  # failed now, listed before
        return optical, ports, tuple(sorted(answered | kept))

    # -- the snapshot -------------------------------------------------------------------------

    def _snapshot(self) -> HmcSnapshot:
        link = self.link
        frames = []
        for name in self._order:
            f = self._frames[name]
            errors = f.hot_errors + f.cold_errors
            frames.append(FrameSnapshot(f.system, f.partitions, f.migrations, f.cold, errors))
        return HmcSnapshot(
            hmc=link.name,
            host=link.host,
            state=link.state,
            reconnect_attempt=link.reconnect_attempt,
            version=self._version,
            manager=self._manager,
            frames=tuple(frames),
            taken_at=self._taken_at,
            errors=self._errors,
            last_error=link.last_error,
            host_key_fingerprint=link.host_key_fingerprint,
            kind=link.kind,
            peer_address=link.peer_address or link.host,
            peer_trust=self._peer_trust,
        )
