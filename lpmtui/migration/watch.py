"""The migration watcher's one look at the HMCs: a poll per source frame, then a verdict per job.

``Watcher.tick(jobs)`` runs ONE ``lslparmigr -r lpar -m SRC`` per source frame (never one per
partition), feeds the byte counters to each job's progress meter, refreshes the fleet inventory
when a verdict depends on it (a command ended, or the partition stopped migrating), and hands
each job's new state to the manager through ``apply``. Ticks never overlap.

A partition the answer does not let us read (an unreadable record, or not listed in an answer
with unreadable lines) is unknown this round, exactly like an HMC that cannot be asked: it is
never read as "not migrating", no verdict is drawn from it, and the next poll asks again.

A job whose command (``migrlpar -o m/s/r``) started or ended after this round began is not
judged this round: its ``lslparmigr`` answer, and the inventory refreshed after it, may have
been taken before the command had its effect (issue #17: a poll answered before a forced
recovery ran, judged after its rc 0, said "needs recovery"). Whoever ended the command looks
again (``look``/``after_command``), or the job is still watched and the next round judges it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from lpmtui.migration import hmc_io
from lpmtui.migration.inventory import partition_on
from lpmtui.migration.jobs import Job
from lpmtui.migration.outcome import LastCommand, Observation, judge
from lpmtui.migration.support import hmc_message, link_for, run_command
from lpmtui.migration.types import MigrationError
from lpmtui.migration.types import MigrationState as S

# (the frame's answer or None, why it is missing or partly unreadable)
Polled = tuple[hmc_io.FrameStatuses | None, str]


class Watcher:
    def __init__(
        self,
        fleet: Any,
        clock: Any,
        *,
        apply: Callable[[Job, S, str], bool],
        emit: Callable[[Job], None],
        command_timeout: float,
        confirm_timeout: float,
    ) -> None:
        self.fleet = fleet
        self.clock = clock
        self.apply = apply
        self.emit = emit
        self.command_timeout = command_timeout
        self.confirm_timeout = confirm_timeout
        self._lock = asyncio.Lock()

    async def tick(self, jobs: Callable[[], list[Job]]) -> None:
        """Look once at every frame the watched ``jobs()`` migrate from, and judge each job."""
        async with self._lock:
            watched = jobs()
            if not watched:
                return
            asked = {j.id: j.commands for j in watched}  # before any poll is sent
            frames = {j.request.source: j.hmc for j in reversed(watched)}
            results = await asyncio.gather(*(self._poll_frame(f, h) for f, h in frames.items()))
            polled = dict(zip(frames, results, strict=True))
            fresh: frozenset[str] | None = None  # None: no inventory needed this round
            if any(self._needs_inventory(j, polled[j.request.source][0]) for j in watched):
                fresh = await self._refresh_inventory()
            now = self.clock.now()
            for job in watched:
                if job.commands != asked[job.id]:
                    continue  # a command started or ended since the poll was asked: no verdict
                statuses, error = polled[job.request.source]
                if fresh is not None and self._needs_inventory(job, statuses):
                    stale = [f for f in (job.request.source, job.request.target) if f not in fresh]
                    if stale and self._inventory_known(stale):
                        # A verdict on an old partition list is a guess: not this round.
                        statuses = None
                        error = f"the partition list of {', '.join(stale)} was not refreshed"
                self._observe(job, statuses, error, now)

    async def _refresh_inventory(self) -> frozenset[str]:
        """Refresh the partition lists; the frames whose list is now fresh: listed by a
        connected HMC whose poll reported no error, and whose own listings read cleanly."""
        refresh = getattr(self.fleet, "refresh_now", None)
        if callable(refresh):
            try:
                await refresh()
            except Exception:  # nothing is fresh: judge nothing on the old lists
                return frozenset()
        return frozenset(
            f.system.name
            for h in self.fleet.snapshot.hmcs
            if str(h.state) == "connected" and not h.errors
            for f in h.frames
            if not f.hot_errors
        )

    def _inventory_known(self, frames: list[str]) -> bool:
        """True when one of ``frames`` is in the fleet (a target outside it is judged on what
        the source says, as before)."""
        return any(self.fleet.snapshot.frame(f) is not None for f in frames)

    async def _poll_frame(self, system: str, hmc_name: str) -> Polled:
        """One ``lslparmigr -r lpar`` for a whole frame: (answer, what of it was unreadable)
        or (None, why there is no answer)."""
        try:
            link = link_for(self.fleet, system, hmc_name)
        except MigrationError as exc:
            return None, str(exc)
        result = await run_command(link, hmc_io.status_argv(system), timeout=self.command_timeout)
        if result.rc is None:
            return None, f"{link.name}: {result.stderr.strip() or 'connection lost'}"
        if result.rc != 0:
            return None, f"{link.name}: {hmc_message(result).splitlines()[0]}"
        try:
            answer = hmc_io.parse_statuses(result.stdout)
        except ValueError as exc:
            return None, f"{link.name}: unreadable lslparmigr output ({exc})"
        if not answer.problems:
            return answer, ""
        return answer, f"{link.name}: unreadable lslparmigr output ({answer.problems[0]})"

    def _needs_inventory(self, job: Job, answer: hmc_io.FrameStatuses | None) -> bool:
        if answer is None or job.last_command is LastCommand.RUNNING:
            return False
        readable, status = answer.lookup(job.request.partition)
        return readable and (status is None or not status.migrating)

    def _observe(
        self, job: Job, answer: hmc_io.FrameStatuses | None, error: str, now: float
    ) -> None:
        readable, status = (False, None) if answer is None else answer.lookup(job.request.partition)
        if not readable:
            observation = Observation(status_known=False, poll_error=error)
        else:
            job.status = status
            if job.status is not None:
                job.meter.feed(now, job.status.bytes_transmitted, job.status.bytes_remaining)
            req = job.request
            _, on_source = partition_on(self.fleet, req.source, req.partition)
            watched, on_target = partition_on(self.fleet, req.target, req.partition)
            observation = Observation(
                status_known=True,
                status=job.status,
                on_source=on_source,
                on_target=on_target,
                target_watched=watched,
            )
        expired = job.ok_at is not None and now - job.ok_at >= self.confirm_timeout
        state, message = judge(job.view(confirm_expired=expired), observation)
        if state is S.OUTCOME_UNKNOWN and job.outcome_open is None:
            job.outcome_open = ("migrate", job.argv)
        if state is job.state and not message and job.message.startswith("stop"):
            message = job.message
        if not self.apply(job, state, message):
            self.emit(job)  # the numbers (bytes, rate, ETA, elapsed) moved on
