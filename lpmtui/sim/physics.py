"""Migration physics: phases, byte counts and MSP bandwidth, integrated exactly between events.

A job's rates change only at events (a phase change, a job starting or ending on the same MSP
pair), so ``advance`` steps from event to event: a test can jump a ManualClock 30 minutes and
get the same bytes and end time as a demo watching every second.

Active: Migration Starting (MSP set-up, the destination shell appears) -> Migration In
Progress: memory is copied at the MSP pair's rate, shared equally by the jobs on the pair,
while the partition re-dirties pages at its dirty rate (so a busy partition takes longer) ->
a brief suspend drains the last dirty pages -> resume on the target. Inactive migrations move
configuration only (seconds); suspended ones move the saved memory image without re-dirtying.
"""

from __future__ import annotations

from lpmtui.sim.settings import SimSettings
from lpmtui.sim.world.model import COPY_PHASES, MigrationJob, Phase
from lpmtui.sim.world.view import WorldView

MB = 1024 * 1024
_EPS_S = 1e-9
_EPS_BYTES = 1.0


def pair_rate(job: MigrationJob) -> float:
    """Bytes per second the job's MSP pair moves in total."""
    if job.source_msp is None or job.dest_msp is None:
        return 0.0
    return min(job.source_msp.lpm_rate, job.dest_msp.lpm_rate) * MB


def _rates(jobs: list[MigrationJob]) -> dict[MigrationJob, float]:
    sharing: dict[tuple[int, int], int] = {}
    for job in jobs:
        if job.phase in COPY_PHASES and job.kind != "inactive":
            key = (id(job.source_msp), id(job.dest_msp))
            sharing[key] = sharing.get(key, 0) + 1
    rates: dict[MigrationJob, float] = {}
    for job in jobs:
        key = (id(job.source_msp), id(job.dest_msp))
        n = sharing.get(key, 0)
        rates[job] = pair_rate(job) / n if n and job.phase in COPY_PHASES else 0.0
    return rates


class Physics:
    """Advances every live job of one world to the clock's present."""

    def __init__(self, world: WorldView, now: float) -> None:
        self.world = world
        self.last = now

    @property
    def settings(self) -> SimSettings:
        return self.world.settings

    def _dirty(self, job: MigrationJob, rate: float) -> float:
        if job.kind != "active":
            return 0.0
        return min(job.partition.dirty_rate * MB, self.settings.dirty_throttle * rate)

    def _phase_length(self, job: MigrationJob) -> float:
        s = self.settings
        if job.phase is Phase.STARTING:
            return s.inactive_start_seconds if job.kind == "inactive" else s.active_start_seconds
        if job.phase is Phase.FINISHING:
            extra = s.suspend_overhead_seconds if job.kind == "active" else 0.0
            return s.finish_seconds + extra
        return s.inactive_transfer_seconds  # inactive TRANSFER

    def _fail_due(self, job: MigrationJob) -> float | None:
        """Seconds until the injected failure fires at the current rate (None: not pending)."""
        f = job.failure
        if f is None or job.phase not in COPY_PHASES:
            return None
        if job.kind == "inactive":
            return max(0.0, f.after_fraction * self._phase_length(job) - job.phase_elapsed)
        rate = self._rate_cache.get(job, 0.0)
        if rate <= 0:
            return None
        return max(0.0, (f.after_fraction * job.mem_bytes - job.transmitted) / rate)

    def time_to_event(self, job: MigrationJob, rate: float) -> float:
        """Seconds until this job's next phase change at ``rate`` bytes/s (inf: never)."""
        due: list[float] = []
        fail = self._fail_due(job)
        if fail is not None:
            due.append(fail)
        if job.phase in (Phase.STARTING, Phase.FINISHING) or (
            job.phase is Phase.TRANSFER and job.kind == "inactive"
        ):
            due.append(max(0.0, self._phase_length(job) - job.phase_elapsed))
        elif job.phase is Phase.TRANSFER and job.kind == "active":
            net = rate - self._dirty(job, rate)
            left = job.remaining - self._stop_copy(job)
            due.append(max(0.0, left / net) if net > 0 else float("inf"))
        elif job.phase in COPY_PHASES:
            due.append(job.remaining / rate if rate > 0 else float("inf"))
        return min(due) if due else float("inf")

    def _stop_copy(self, job: MigrationJob) -> float:
        return min(self.settings.stop_copy_mb * MB, job.mem_bytes)

    def _move(self, job: MigrationJob, dt: float, rate: float) -> None:
        job.phase_elapsed += dt
        if job.phase not in COPY_PHASES or job.kind == "inactive":
            return
        job.transmitted += rate * dt
        drained = (rate - self._dirty(job, rate)) if job.phase is Phase.TRANSFER else rate
        job.remaining = max(0.0, job.remaining - drained * dt)

    def _enter(self, job: MigrationJob, phase: Phase) -> None:
        job.phase = phase
        job.phase_elapsed = 0.0

    def _transition(self, job: MigrationJob, now: float) -> None:
        f = job.failure
        if f is not None and job.phase in COPY_PHASES:
            fired = (
                job.phase_elapsed >= f.after_fraction * self._phase_length(job) - _EPS_S
                if job.kind == "inactive"
                else job.transmitted >= f.after_fraction * job.mem_bytes - _EPS_BYTES
            )
            if fired:
                self.world.fail_job(job, f.message, f.needs_force, now)
                return
        length_done = job.phase_elapsed >= self._phase_length(job) - _EPS_S
        if job.phase is Phase.STARTING and length_done:
            self._enter(job, Phase.TRANSFER)
        elif job.phase is Phase.TRANSFER:
            if job.kind == "inactive":
                if length_done:
                    self._enter(job, Phase.FINISHING)
            elif job.kind == "active":
                if job.remaining <= self._stop_copy(job) + _EPS_BYTES:
                    self._enter(job, Phase.SUSPEND)
            elif job.remaining <= _EPS_BYTES:
                job.remaining = 0.0
                self._enter(job, Phase.FINISHING)
        elif job.phase is Phase.SUSPEND and job.remaining <= _EPS_BYTES:
            job.remaining = 0.0
            self._enter(job, Phase.FINISHING)
        elif job.phase is Phase.FINISHING and length_done:
            self.world.complete_job(job, now)

    def advance(self, now: float) -> None:
        """Integrate from the last update to ``now``, stopping at every event on the way."""
        self._rate_cache: dict[MigrationJob, float] = {}
        for _ in range(1_000_000):
            live = [j for j in self.world.jobs if j.live]
            if not live:
                break
            self._rate_cache = _rates(live)
            step = now - self.last
            for job in live:
                step = min(step, self.time_to_event(job, self._rate_cache[job]))
            step = max(step, 0.0)
            for job in live:
                self._move(job, step, self._rate_cache[job])
            self.last += step
            for job in live:
                self._transition(job, self.last)
            if self.last >= now - _EPS_S and all(
                self.time_to_event(j, r) > _EPS_S
                for j, r in _rates([j for j in self.world.jobs if j.live]).items()
            ):
                break
        self.last = max(self.last, now)

    def eta(self, job: MigrationJob) -> float:
        """Seconds until this job's next event at the current rates (for blocking waiters)."""
        live = [j for j in self.world.jobs if j.live]
        self._rate_cache = _rates(live)
        return self.time_to_event(job, self._rate_cache.get(job, 0.0))
