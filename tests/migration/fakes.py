"""A small scripted HMC fleet for the migration core's unit tests.

Frames hold partitions; ``migrlpar -o m`` starts a migration that moves ``rate`` bytes per sim
second on a ManualClock and blocks until it ends, like the real command. Tests can fail a
migration, drop a link (the migration goes on, the command's outcome becomes unknown) and read
every argv each HMC received.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from lpmtui.common.clock import ManualClock
from lpmtui.hmc import records
from lpmtui.hmc.runner import CommandResult
from lpmtui.model import (
    ConnectionState,
    FleetSnapshot,
    FrameSnapshot,
    HmcSnapshot,
    ManagedSystem,
    MigrationStatus,
    Partition,
)

TRUST_TEXT = (
    "HSCL3653 The Secure Shell (SSH) communication configuration between the source and "
    "destination management consoles has not been set up properly for the remote user hscroot. "
    "Run the mkauthkeys command to set up the SSH communication authentication keys"
)
FAIL_TEXT = "HSCLSIM01 The migration of partition {name} failed: simulated suspend timeout."


@dataclass
class FakeMigration:
    name: str
    source: str
    target: str
    total: int
    rate: int
    moved: int = 0
    state: str = "Migration Starting"
    fail_after: float | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    rc: int = 0
    started: float = 0.0


class FakeWorld:
    def __init__(self, clock: ManualClock, *, supported: int = 4) -> None:
        self.clock = clock
        self.frames: dict[str, dict[str, str]] = {}  # system -> partition -> lssyscfg state
        self.hmc_of: dict[str, str] = {}
        self.supported = supported
        self.migrations: dict[str, FakeMigration] = {}
        self.received: list[tuple[str, tuple[str, ...]]] = []
        self.rate = 1024**3  # 1 GiB per sim second
        self.size = 8 * 1024**3
        self.fail_next: float | None = None  # fail the next migration after this many seconds
        self.stall_next = False
        self.validate_errors = ""
        self.trusted: set[str] = set()  # remote HMC addresses with mkauthkeys done
        # lslparmigr answers (rc 0) served instead of the frame's records, one per poll
        self.garbled: list[str] = []

    def add_frame(self, system: str, hmc: str, partitions: dict[str, str]) -> None:
        self.frames[system] = dict(partitions)
        self.hmc_of[system] = hmc

    def in_progress(self, system: str) -> int:
        return sum(
            1
            for m in self.migrations.values()
            if m.state.startswith("Migration")
            and system in (m.source, m.target)
            and not m.done.is_set()
        )

    # -- physics ------------------------------------------------------------------------------

    async def _move(self, mig: FakeMigration) -> None:
        await self.clock.sleep(1)
        mig.state = "Migration In Progress"
        self.frames[mig.source][mig.name] = "Migrating - Running"
        self.frames[mig.target][mig.name] = "Migrating - Running"
        while not mig.done.is_set():
            if mig.fail_after is not None and self.clock.now() - mig.started >= mig.fail_after:
                mig.state, mig.rc = "Migration Failed", 1
                del self.frames[mig.target][mig.name]
                mig.done.set()
                return
            if mig.moved >= mig.total:
                del self.frames[mig.source][mig.name]
                self.frames[mig.target][mig.name] = "Running"
                mig.state = "Not Migrating"
                mig.done.set()
                return
            await self.clock.sleep(1)
            if not mig.done.is_set():
                mig.moved = min(mig.total, mig.moved + mig.rate)

    # -- commands -----------------------------------------------------------------------------

    def _opt(self, argv: tuple[str, ...], flag: str) -> str | None:
        return argv[argv.index(flag) + 1] if flag in argv else None

    def lslparmigr(self, system: str) -> str:
        lines = []
        for i, name in enumerate(self.frames.get(system, {}), start=1):
            mig = self.migrations.get(name)
            if mig is not None and mig.source == system and mig.state != "Not Migrating":
                lines.append(
                    {
                        "name": name,
                        "lpar_id": str(i),
                        "migration_state": mig.state,
                        "migration_type": "active",
                        "dest_sys_name": mig.target,
                        "bytes_transmitted": str(mig.moved),
                        "bytes_remaining": str(mig.total - mig.moved),
                    }
                )
            else:
                lines.append({"name": name, "lpar_id": str(i), "migration_state": "Not Migrating"})
        return records.format_records(lines)

    async def run(self, hmc: str, argv: tuple[str, ...]) -> tuple[int, str]:
        self.received.append((hmc, argv))
        if argv[0] == "lslparmigr":
            if self.garbled:
                return 0, self.garbled.pop(0)
            return 0, self.lslparmigr(self._opt(argv, "-m") or "")
        op, name = self._opt(argv, "-o"), self._opt(argv, "-p") or ""
        source = self._opt(argv, "-m") or ""
        if op == "v":
            return (1, f"Errors:\n{self.validate_errors}\n") if self.validate_errors else (0, "")
        if op == "m":
            target = self._opt(argv, "-t") or ""
            if target not in self.frames:
                return 1, f"HSCLSIM02 The managed system {target} was not found."
            remote = self._opt(argv, "--ip")
            if remote is not None and remote not in self.trusted:
                return 1, TRUST_TEXT
            mig = FakeMigration(
                name,
                source,
                target,
                self.size,
                0 if self.stall_next else self.rate,
                fail_after=self.fail_next,
                started=self.clock.now(),
            )
            self.fail_next, self.stall_next = None, False
            self.migrations[name] = mig
            task = asyncio.get_running_loop().create_task(self._move(mig))
            mig.task = task  # type: ignore[attr-defined]  # keep a reference
            await mig.done.wait()
            if mig.rc:
                reason = "stopped by request" if mig.state == "Not Migrating" else "failed"
                return mig.rc, FAIL_TEXT.format(name=name).replace("failed", reason)
            return 0, ""
        if op == "s":
            mig = self.migrations.get(name)
            if mig is None or mig.done.is_set():
                return 1, f"HSCLSIM03 Partition {name} is not migrating."
            mig.state, mig.rc = "Not Migrating", 1
            self.frames[mig.source][name] = "Running"
            self.frames[mig.target].pop(name, None)
            mig.done.set()
            return 0, ""
        if op == "r":
            mig = self.migrations.get(name)
            if mig is None or mig.state != "Migration Failed":
                return 1, f"HSCLSIM04 Partition {name} does not need recovery."
            mig.state = "Not Migrating"
            self.frames[mig.source][name] = "Running"
            return 0, ""
        return 1, f"HSCLSIM99 unexpected command {argv}"


class FakeLink:
    """One HMC connection: run, run_long, and a drop that loses in-flight commands."""

    def __init__(self, world: FakeWorld, name: str) -> None:
        self.world, self.name, self.host = world, name, f"{name}.example"
        self.kind, self.peer_address = "hmc", f"10.0.0.{len(name)}"
        self.state = ConnectionState.CONNECTED
        self._dropped = asyncio.Event()

    def drop(self) -> None:
        self.state = ConnectionState.RECONNECTING
        self._dropped.set()
        self._dropped = asyncio.Event()

    def restore(self) -> None:
        self.state = ConnectionState.CONNECTED

    async def run(self, argv, *, timeout=None) -> CommandResult:
        argv = tuple(argv)
        if self.state is not ConnectionState.CONNECTED:
            return CommandResult(argv, None, "", "not connected")
        dropped = self._dropped
        work = asyncio.ensure_future(self.world.run(self.name, argv))
        lost = asyncio.ensure_future(dropped.wait())
        await asyncio.wait({work, lost}, return_when=asyncio.FIRST_COMPLETED)
        if not work.done():
            lost.cancel()
            return CommandResult(argv, None, "", "connection lost")
        lost.cancel()
        rc, out = work.result()
        return CommandResult(argv, rc, out)

    async def run_long(self, argv) -> CommandResult:
        return await self.run(argv)


class FakeFleet:
    def __init__(self, world: FakeWorld, hmcs: list[str]) -> None:
        self.world = world
        self.links = {name: FakeLink(world, name) for name in hmcs}
        self.refreshes = 0
        self._subscribers: list = []

    def link_for_system(self, system: str) -> FakeLink:
        return self.links[self.world.hmc_of[system]]

    def subscribe(self, callback):
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    async def refresh_now(self) -> None:
        self.refreshes += 1

    def _state(self, partition: Partition) -> str:
        mig = self.world.migrations.get(partition.name)
        if mig is None or mig.source != partition.system or mig.done.is_set():
            return "Not Migrating"
        return mig.state

    @property
    def snapshot(self) -> FleetSnapshot:
        w = self.world
        hmcs = []
        for hmc in self.links:
            frames = []
            for system, parts in w.frames.items():
                if w.hmc_of[system] != hmc:
                    continue
                sys = ManagedSystem(
                    name=system,
                    state="Operating",
                    num_active_migrations_supported=w.supported,
                    num_active_migrations_in_progress=w.in_progress(system),
                    num_inactive_migrations_supported=w.supported,
                    num_inactive_migrations_in_progress=0,
                )
                partitions = tuple(
                    Partition(system=system, name=n, lpar_id=i, state=s)
                    for i, (n, s) in enumerate(parts.items(), start=1)
                )
                statuses = tuple(
                    MigrationStatus(name=p.name, lpar_id=p.lpar_id, migration_state=self._state(p))
                    for p in partitions
                )
                frames.append(FrameSnapshot(system=sys, partitions=partitions, migrations=statuses))
            hmcs.append(HmcSnapshot(hmc=hmc, state=self.links[hmc].state, frames=tuple(frames)))
        return FleetSnapshot(hmcs=tuple(hmcs))
