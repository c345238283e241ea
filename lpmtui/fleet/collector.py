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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from lpmtui.fleet.cold import fetch_cold
from lpmtui.fleet.kept import kept
from lpmtui.fleet.link import (
    MAX_PROBLEMS_PER_COMMAND,
    CommandFailed,
    HmcCommands,
    HmcLink,
    Parser,
    link_user,
)
from lpmtui.hmc import commands, parse
from lpmtui.hmc.commands import Command
from lpmtui.hmc.errors import RemoteTrustError, error_from
from lpmtui.hmc.parse import Parsed
from lpmtui.hmc.runner import CommandEvent
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

__all__ = [
    "MAX_PROBLEMS_PER_COMMAND",
    "Collector",
    "CommandFailed",
    "HmcLink",
    "link_user",
]

_SYSTEM_PIECES = ("sys_mem", "sys_proc", "sys_migr")
# A frame's own capacity and migration counters (lshwres --level sys, lslparmigr -r sys) change
# when its partitions do: they are asked again when the partition-level listings of a hot poll
# differ from the last time they were asked, and at least every SYSTEM_REFRESH_EVERY hot polls.
# A quiet frame then costs 4 commands per hot poll instead of 7.
SYSTEM_REFRESH_EVERY = 6


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
    system_basis: object = None  # the partition-level data when the system pieces were asked
    polls_since_system: int = 0


class Collector(HmcCommands):
    """Polls one HMC. ``poll()`` and ``cold()`` never overlap: both hold the same lock."""

    def __init__(
        self,
        link: HmcLink,
        *,
        peers: Sequence[HmcLink] = (),
        clock: Callable[[], float] = time.time,
        on_command: Callable[[CommandEvent], None] | None = None,
    ) -> None:
        super().__init__(link, on_command)
        self.peers = tuple(peers)
        self.clock = clock
        self.lock = asyncio.Lock()
        self._frames: dict[str, _Frame] = {}
        self._order: list[str] = []
        self._version: HmcVersion | None = None
        self._manager: HmcManager | None = None
        self._peer_trust: tuple[tuple[str, bool | None], ...] = ()
        self._taken_at = 0.0
        self._errors: tuple[str, ...] = ()
        # The frames of the last snapshot: what reads the same again is handed out again
        # (fleet.kept), so every consumer sees "unchanged" by identity.
        self._shown: dict[str, FrameSnapshot] = {}
        self.cold_at = 0.0  # when the last cold pass started (clock time)
        self.snapshot = self._snapshot()

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
                # The HMC-wide facts and the hot listing do not depend on each other: run them
                # side by side, each with its own error list so the lines keep a fixed order.
                facts_errors: list[str] = []
                hot_errors: list[str] = []
                work = [self._hot(hot_errors)]
                if self._version is None:
                    # the level decides which -F names the listings ask (command_fields):
                    # the first poll reads lshmc -V before its listings
                    await self._hmc_facts(facts_errors, trust=cold_due)
                elif cold_due:
                    work.append(self._hmc_facts(facts_errors, trust=cold_due))
                # wait for both even if one raises: nothing may run on outside the lock
                hot_ok, *failures = await asyncio.gather(*work, return_exceptions=True)
                for outcome in (hot_ok, *failures):
                    if isinstance(outcome, BaseException):
                        raise outcome
                if hot_ok:
                    self._taken_at = self.clock()
                if cold_due:
                    self.cold_at = self.clock()
                    await self._cold_all()
                self._errors = (*facts_errors, *hot_errors)
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

        async def one(cmd: Command, parser: Parser):
            work = partial(self.listing, cmd, parser, errors)
            return (await self.piece(work, Parsed(), errors)).one

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
        fields = commands.for_level(commands.SYSTEM_FIELDS, "sys", self._version)
        work = partial(self.listing, commands.systems(fields), parse.systems, errors)
        found = await self.piece(work, None, errors)
        if found is None:
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

        async def get(cmd: Command, parser: Parser, what: str) -> None:
            # a failed command keeps the last good value of its piece
            found = await self.piece(partial(self.listing, cmd, parser, errors), None, errors)
            if found is not None:
                frame.last_good[what] = found.items

        def own() -> list:
            return [
                get(commands.system_memory(m), parse.system_memory, "sys_mem"),
                get(commands.system_processors(m), parse.system_processors, "sys_proc"),
                get(commands.system_migration(m), parse.system_migration, "sys_migr"),
            ]

        lpar_fields = commands.for_level(commands.PARTITION_FIELDS, "lpar", self._version)
        first = frame.system_basis is None  # never asked: everything at once
        await asyncio.gather(
            get(commands.partitions(m, lpar_fields), self._partitions_of(frame), "partitions"),
            get(commands.partition_memory(m), parse.partition_memory, "lpar_mem"),
            get(commands.partition_processors(m), parse.partition_processors, "lpar_proc"),
            get(commands.partition_migrations(m), parse.migrations, "migrations"),
            *(own() if first else ()),
        )
        good = frame.last_good
        basis = (
            good.get("partitions"),
            good.get("lpar_mem"),
            good.get("lpar_proc"),
            tuple((s.lpar_id, s.migration_state) for s in good.get("migrations", ())),
        )
        frame.polls_since_system += 1
        if not first and (
            basis != frame.system_basis
            or frame.polls_since_system >= SYSTEM_REFRESH_EVERY
            or not all(good.get(k) for k in _SYSTEM_PIECES)
        ):
            await asyncio.gather(*own())
            first = True
        if first:
            frame.system_basis, frame.polls_since_system = basis, 0
        pieces = [good[k][0] for k in _SYSTEM_PIECES if good.get(k)]
        if frame.firmware:
            pieces.append({"firmware_level": frame.firmware})
        frame.system = parse.merge_system(frame.system, *pieces)
        frame.partitions = parse.merge_partitions(
            good.get("partitions", ()), good.get("lpar_mem", ()), good.get("lpar_proc", ())
        )
        frame.migrations = good.get("migrations", ())
        frame.hot_errors = tuple(errors)

    def _partitions_of(self, frame: _Frame) -> Parser[Partition]:
        return lambda text, fields, delimiter: parse.partitions(
            text, frame.system.name, fields, delimiter
        )

    async def _cold_all(self) -> None:
        operating = [self._frames[n] for n in self._order if self._frames[n].system.operating]
        await asyncio.gather(*(self._cold_frame(f) for f in operating))

    async def _cold_frame(self, frame: _Frame) -> None:
        old = frame.cold or ColdData()
        found = await fetch_cold(
            self, frame.system, frame.partitions, old, self.clock, self._version
        )
        if found.firmware:
            frame.firmware = str(found.firmware.get("firmware_level", ""))
            frame.system = parse.merge_system(frame.system, found.firmware)
        frame.cold = found.cold
        frame.cold_errors = found.errors

    # -- the snapshot -------------------------------------------------------------------------

    def _snapshot(self) -> HmcSnapshot:
        link = self.link
        frames = []
        for name in self._order:
            f = self._frames[name]
            errors = f.hot_errors + f.cold_errors
            frame = FrameSnapshot(
                f.system, f.partitions, f.migrations, f.cold, errors, f.hot_errors
            )
            frames.append(kept(self._shown.get(name), frame))  # compared once, here
        self._shown = {fs.system.name: fs for fs in frames}
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
            site=getattr(link, "site", ""),  # optional: a link may not say (test doubles)
            peer_trust=self._peer_trust,
        )
