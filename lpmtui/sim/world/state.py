"""The simulated fleet: HMCs, frames and partitions, and the migrations running between them.

``World.from_yaml`` / ``World.demo`` load a fleet file (docs/simulator.md). Time comes from an
injectable clock; every read goes through ``update()`` first, so migrations progress (and
finish) whether or not anyone is waiting on the ``migrlpar`` that started them.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from lpmtui.common.clock import Clock, RealClock
from lpmtui.sim import messages
from lpmtui.sim.physics import Physics
from lpmtui.sim.settings import SimSettings
from lpmtui.sim.world.inflight import start_in_flight
from lpmtui.sim.world.load import FleetError, load_fleet
from lpmtui.sim.world.model import (
    Failure,
    FcAdapter,
    MigrationJob,
    Phase,
    ScsiAdapter,
    SimFrame,
    SimHmc,
    SimPartition,
)
from lpmtui.sim.world.received import CommandLog

DEMO_FLEET = Path(__file__).parent.parent / "fleets" / "demo.yaml"
HISTORY_KEEP = 1000  # finished, stopped and recovered jobs kept in World.history

__all__ = ["DEMO_FLEET", "FleetError", "World"]


class World:
    def __init__(
        self,
        hmcs: dict[str, SimHmc],
        frames: dict[str, SimFrame],
        settings: SimSettings | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.hmcs = hmcs
        self.frames = frames
        self.settings = settings or SimSettings()
        self.clock: Clock = clock or RealClock()
        # per HMC: the last commands in full, every migrlpar/mkauthkeys, the count (received.py)
        self.received: defaultdict[str, CommandLog] = defaultdict(CommandLog)
        self.jobs: list[MigrationJob] = []
        self.history: list[MigrationJob] = []  # the last HISTORY_KEEP ended jobs
        self.failures: dict[str, Failure] = {}  # partition name -> failure for its next job
        self.physics = Physics(self, self.clock.now())

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def from_yaml(cls, text_or_path: str | Path, clock: Clock | None = None) -> World:
        """Load a fleet from YAML text or a file path; FleetError (one line) when invalid."""
        if isinstance(text_or_path, Path) or (
            "\n" not in text_or_path and text_or_path.endswith((".yaml", ".yml"))
        ):
            path = Path(text_or_path)
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise FleetError(f"{path}: cannot read: {exc.strerror or exc}") from None
            source = str(path)
        else:
            text, source = str(text_or_path), "<fleet>"
        fleet = load_fleet(text, source)
        world = cls(fleet.hmcs, fleet.frames, fleet.settings, clock)
        if fleet.migrations:
            start_in_flight(world, fleet.migrations)
        return world

    @classmethod
    def demo(cls, clock: Clock | None = None) -> World:
        return cls.from_yaml(DEMO_FLEET, clock)

    # -- lookups ---------------------------------------------------------------------------

    def frames_of(self, hmc_name: str) -> list[SimFrame]:
        return [f for f in self.frames.values() if f.hmc == hmc_name]

    def find_frame(self, hmc_name: str, name_or_mtms: str) -> SimFrame | None:
        """A frame managed by ``hmc_name`` by user name or ``type-model*serial``."""
        for frame in self.frames_of(hmc_name):
            if name_or_mtms in (frame.name, frame.mtms):
                return frame
        return None

    def hmc_by_address(self, address: str) -> SimHmc | None:
        for hmc in self.hmcs.values():
            if address in (hmc.address, hmc.name):
                return hmc
        return None

    def vios_name(self, frame: SimFrame, lpar_id: int | None, fallback: str = "") -> str:
        p = frame.partitions.get(lpar_id) if lpar_id is not None else None
        return p.name if p is not None else fallback

    # -- trust between HMCs ----------------------------------------------------------------

    def trust(self, source_hmc: str, target_hmc: str) -> None:
        """``mkauthkeys`` from source to target: source may now drive target over SSH."""
        self.hmcs[source_hmc].trusts.add(target_hmc)

    def untrust(self, source_hmc: str, target_hmc: str) -> None:
        self.hmcs[source_hmc].trusts.discard(target_hmc)

    def trusted(self, source_hmc: str, target_hmc: str) -> bool:
        return source_hmc == target_hmc or target_hmc in self.hmcs[source_hmc].trusts

    # -- time ------------------------------------------------------------------------------

    def update(self) -> None:
        """Bring every migration up to the clock's present."""
        self.physics.advance(self.clock.now())

    def inject_failure(
        self,
        partition: str,
        after_fraction: float = 0.5,
        message: str | None = None,
        needs_force: bool = False,
    ) -> None:
        """Make the next (or current) migration of ``partition`` fail once that share is done."""
        if not 0.0 <= after_fraction <= 1.0:
            raise ValueError(f"after_fraction must be within 0..1, found {after_fraction}")
        text = message or messages.text("MIGRATION_FAILED", name=partition)
        failure = Failure(after_fraction, text, needs_force)
        for job in self.jobs:
            if job.partition.name == partition and job.live:
                job.failure = failure
                return
        self.failures[partition] = failure

    # -- job lifecycle (called by the shell and by Physics) --------------------------------

    def open_jobs(self) -> list[MigrationJob]:
        return [j for j in self.jobs if j.open]

    def job_for(self, frame: SimFrame, partition: SimPartition) -> MigrationJob | None:
        return next((j for j in self.jobs if j.partition is partition and j.source is frame), None)

    def start_job(self, job: MigrationJob, at: float | None = None) -> None:
        """Register a validated migration: the shell appears on the target at once.

        ``at`` (a past clock time the physics has reached) backdates a migration another
        console started before the world was loaded."""
        if at is None:
            self.update()
        p, target = job.partition, job.target
        now = self.clock.now() if at is None else at
        job.started_at = now
        job.original_state = p.state
        job.mem_bytes = float(p.mem) * 1024 * 1024 if job.kind != "inactive" else 0.0
        job.remaining = job.mem_bytes
        job.failure = self.failures.pop(p.name, None)
        shell = job.shell
        shell.job = job
        shell.is_shell = True
        target.partitions[shell.lpar_id] = shell
        p.job = job
        p.state = self._migrating_state(job)
        shell.state = p.state
        self.jobs.append(job)

    def _migrating_state(self, job: MigrationJob) -> str:
        if job.kind == "inactive":
            return "Migrating - Not Activated"
        if job.kind == "suspended":
            return self.settings.suspended_migrating_state
        return "Migrating - Running"

    def _retire(self, job: MigrationJob, phase: Phase, now: float) -> None:
        job.phase = phase
        job.ended_at = now
        if job in self.jobs:
            self.jobs.remove(job)
        self.history.append(job)
        if len(self.history) > HISTORY_KEEP:  # a long run (the 30-minute soak) keeps the latest
            del self.history[0]

    def _undo(self, job: MigrationJob) -> None:
        """Back to where it was: the partition on the source, no shell on the target."""
        job.partition.state = job.original_state
        job.partition.job = None
        job.target.partitions.pop(job.shell.lpar_id, None)
        job.shell.job = None

    def complete_job(self, job: MigrationJob, now: float) -> None:
        p, source, target, shell = job.partition, job.source, job.target, job.shell
        source.partitions.pop(p.lpar_id, None)
        for slot in source.io_slots:
            if slot.lpar_id == p.lpar_id:
                slot.lpar_id = None  # dedicated adapters stay behind (inactive migration only)
        for vios in source.vioses():
            vios.scsi = [a for a in vios.scsi if a.remote_id != p.lpar_id]
            vios.fc = [a for a in vios.fc if a.remote_id != p.lpar_id]
            vios.optical = [o for o in vios.optical if o.client_id != p.lpar_id]
        new_id = shell.lpar_id
        p.lpar_id = new_id
        p.state = {"inactive": "Not Activated", "suspended": "Suspended"}.get(job.kind, "Running")
        p.job = None
        p.console_open = False
        p.logical_serial = f"{target.serial}{new_id:X}"
        if target.pool(p.pool_id) is None:
            p.pool_id = 0
        self._rehost(job, p)
        target.partitions[new_id] = p
        self._retire(job, Phase.DONE, now)

    def _rehost(self, job: MigrationJob, p: SimPartition) -> None:
        """Point the client's adapters at the target VIOS chosen for them; add server ends."""
        target = job.target
        for adapter in [*p.scsi, *p.fc]:
            vios = target.partitions.get(job.vios_map.get(adapter.remote_id or -1, -1))
            if vios is None:
                continue
            slot = vios.next_slot()
            adapter.remote_id, adapter.remote_slot, adapter.remote_name = vios.lpar_id, slot, ""
            if isinstance(adapter, ScsiAdapter):
                vios.scsi.append(ScsiAdapter(slot, "server", p.lpar_id, adapter.slot))
            else:
                vios.fc.append(FcAdapter(slot, "server", p.lpar_id, adapter.slot))

    def fail_job(self, job: MigrationJob, message: str, needs_force: bool, now: float) -> None:
        """The migration stops where it is; the partition needs ``migrlpar -o r``."""
        job.phase = Phase.FAILED
        job.ended_at = now
        job.message = message
        job.needs_force = needs_force

    def stop_job(self, job: MigrationJob) -> None:
        self._undo(job)
        job.message = messages.text("MIGRATION_STOPPED", name=job.partition.name)
        self._retire(job, Phase.STOPPED, self.clock.now())

    def recover_job(self, job: MigrationJob) -> None:
        self._undo(job)
        self._retire(job, Phase.STOPPED, self.clock.now())

    async def wait(self, job: MigrationJob, poll: float = 5.0) -> None:
        """Block until the job leaves the live phases (the caller may go away; the job won't)."""
        while True:
            self.update()
            if not job.live:
                return
            await self.clock.sleep(max(min(self.physics.eta(job), poll), 1e-3))
