"""Migrations started elsewhere (the HMC GUI, another console, PowerVC, a script): seen in the
fleet's ``lslparmigr -r lpar`` answers, shown beside this console's own, and stoppable.

``ExternalMigrations`` is fed every fleet snapshot. A partition the HMC lists as migrating that
no job of this console moves becomes a ``MigrationProgress`` with ``started_here=False`` and a
job id of its own (``elsewhere:<source>/<name>``), its percent, GB and rate from the HMC's byte
counters (``ProgressMeter``). When the HMC no longer lists it, what became of it is said from
the inventory, never guessed: running on the target only is "succeeded", back on the source
"stopped" when this console stopped it, else "failed" with what is known (it was not started
here: the HMC's message went to whoever started it); on both frames or neither, not yet said.

``stop`` is like any stop: refused read-only (and audited as refused), confirmed, audited when
sent and when it ended, with the exact argv ``stop_command`` gives the confirmation to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lpmtui.common.clock import Clock
from lpmtui.hmc.commands import command_line
from lpmtui.migration import hmc_io
from lpmtui.migration.job_table import JobTable
from lpmtui.migration.journal_audit import JournalAuditWriter
from lpmtui.migration.progress import ProgressMeter
from lpmtui.migration.support import hmc_message, link_for, run_command
from lpmtui.migration.types import (
    ConfirmationError,
    MigrationError,
    MigrationProgress,
    MigrationRequest,
)
from lpmtui.migration.types import MigrationState as S
from lpmtui.model import FleetSnapshot, HmcSnapshot, MigrationStatus

PREFIX = "elsewhere:"


@dataclass(eq=False)
class Seen:
    """One migration started elsewhere, as long as the HMC lists it (and its end)."""

    request: MigrationRequest
    kind: str
    hmc: str
    meter: ProgressMeter
    first_seen: float
    state: S = S.IN_PROGRESS
    message: str = "started elsewhere (not by this console)"
    stop_sent: bool = False
    ended_at: float | None = None
    taken_at: float = 0.0  # the HMC's poll this was last read from
    status: MigrationStatus | None = field(default=None, repr=False)


def _on(snapshot: FleetSnapshot, name: str) -> set[str]:
    """The frames that list a partition named ``name``."""
    return {
        f.system.name
        for h in snapshot.hmcs
        for f in h.frames
        for p in f.partitions
        if p.name == name
    }


class ExternalMigrations:
    def __init__(
        self, fleet: Any, writer: JournalAuditWriter, clock: Clock, jobs: JobTable
    ) -> None:
        self.fleet = fleet
        self.writer = writer
        self.clock = clock
        self.jobs = jobs  # this console's own: never shown twice
        self.stall_after = 120.0
        self.command_timeout = 60.0
        self.seen: dict[str, Seen] = {}

    def emit(self, progress: MigrationProgress) -> None:
        self.jobs.emit_progress(progress)

    def ours(self) -> set[str]:
        """Partitions this console moves, or moved in the last two minutes (an HMC may list a
        migration that just ended a poll longer): never shown as started elsewhere."""
        now = self.clock.now()
        return {
            j.request.partition for j in self.jobs if j.ended_at is None or now - j.ended_at < 120
        }

    def __contains__(self, job_id: object) -> bool:
        return job_id in self.seen

    def observe(self, snapshot: FleetSnapshot) -> None:
        """Take a new snapshot: new migrations appear, listed ones move on, gone ones end."""
        now = self.clock.now()
        ours = self.ours()
        listed: set[str] = set()
        for hmc in snapshot.hmcs:
            for frame in hmc.frames:
                for status in frame.migrations:
                    # The source lists it with its destination; the target lists it too.
                    if not status.migrating or status.dest_sys_name in ("", frame.system.name):
                        continue
                    if status.name in ours:
                        continue
                    key = f"{PREFIX}{frame.system.name}/{status.name}"
                    listed.add(key)
                    self._listed(key, hmc, frame.system.name, status, now)
        for key, seen in self.seen.items():
            # a source frame missing from this snapshot (its HMC is away) tells nothing
            watched = snapshot.frame(seen.request.source) is not None
            if key not in listed and not seen.state.terminal and watched:
                self._ended(key, seen, snapshot, now)

    def _listed(
        self, key: str, hmc: HmcSnapshot, source: str, status: MigrationStatus, now: float
    ) -> None:
        """A snapshot lists it. Each merged snapshot repeats every HMC's last answer: only a
        new poll of its HMC (``taken_at``) is a new reading, or a stall would be invented."""
        seen = self.seen.get(key)
        if seen is not None and not seen.state.terminal and seen.taken_at == hmc.taken_at:
            return
        if seen is None or seen.state.terminal:
            request = MigrationRequest(
                status.name,
                source,
                status.dest_sys_name,
                lpar_id=status.lpar_id,
                kind=status.migration_type or "active",
            )
            meter = ProgressMeter(stall_after=self.stall_after)
            meter.start(now)
            seen = self.seen[key] = Seen(request, request.kind or "active", hmc.hmc, meter, now)
        seen.status, seen.taken_at = status, hmc.taken_at
        seen.meter.feed(now, status.bytes_transmitted, status.bytes_remaining)
        self.emit(self.progress(key))

    def _ended(self, key: str, seen: Seen, snapshot: FleetSnapshot, now: float) -> None:
        """No longer listed as migrating: where the partition is says how it ended. On both
        frames or on neither (an HMC's list is a poll behind), nothing is said yet."""
        req = seen.request
        on = _on(snapshot, req.partition)
        if on == {req.target}:
            seen.state, seen.message = S.SUCCEEDED, "ended elsewhere: running on the target"
        elif on == {req.source} and seen.stop_sent:
            seen.state, seen.message = S.STOPPED, "stopped from this console: back on the source"
        elif on == {req.source}:
            seen.state = S.FAILED
            seen.message = (
                "ended without moving: back on the source (started elsewhere: "
                "the HMC's message went to whoever started it)"
            )
        else:
            seen.message = "no longer listed as migrating; waiting for the inventory"
            return
        seen.ended_at = now
        self.emit(self.progress(key))

    def progress(self, key: str) -> MigrationProgress:
        seen = self.seen[key]
        now = self.clock.now()
        reading = seen.meter.reading(now)
        moving = not seen.state.terminal
        end = seen.ended_at if seen.ended_at is not None else now
        return MigrationProgress(
            job_id=key,
            partition=seen.request.partition,
            source=seen.request.source,
            target=seen.request.target,
            kind=seen.kind,
            state=seen.state,
            hmc=seen.hmc,
            percent=100.0 if seen.state is S.SUCCEEDED else reading.percent,
            bytes_moved=reading.moved,
            bytes_total=reading.total,
            rate=reading.rate if moving else None,
            eta=reading.eta if moving else None,
            elapsed=max(0.0, end - seen.first_seen),
            stalled=reading.stalled and moving,
            message=seen.message,
            command=command_line(self.stop_command(key)),
            started_here=False,
        )

    def stop_command(self, key: str) -> tuple[str, ...]:
        """The exact argv ``stop(key)`` sends: what a confirmation must show."""
        return hmc_io.stop_argv(self._get(key).request)

    def _get(self, key: str) -> Seen:
        try:
            return self.seen[key]
        except KeyError:
            raise MigrationError(f"no migration {key!r} seen on the HMCs") from None

    async def stop(self, key: str, *, confirmed: bool = False) -> MigrationProgress:
        """``migrlpar -o s`` on the source's HMC for a migration started elsewhere."""
        seen = self._get(key)
        req = seen.request
        argv = hmc_io.stop_argv(req)
        self.writer.refuse_read_only("stop", req, argv)
        if not confirmed:
            raise ConfirmationError(f"stop of {req.partition} not confirmed; not sent")
        if seen.state.terminal:
            raise MigrationError(f"cannot stop {req.partition}: it is {seen.state}")
        link = link_for(self.fleet, req.source, seen.hmc)
        fields = {"started_here": False, "confirmation": "confirmed"}
        self.writer.audit("stop", req, link, phase="sent", argv=argv, **fields)
        seen.stop_sent, seen.state, seen.message = True, S.STOPPING, "stop requested"
        self.emit(self.progress(key))
        started = self.clock.now()
        result = await run_command(link, argv, long=False, timeout=self.command_timeout)
        outcome = {None: "outcome unknown", 0: "ok"}.get(result.rc, "failed")
        message = hmc_message(result) if outcome == "failed" else ""
        self.writer.audit(
            "stop",
            req,
            link,
            phase="done",
            argv=argv,
            rc=result.rc,
            outcome=outcome,
            duration=round(self.clock.now() - started, 3),
            message=message,
            **fields,
        )
        if outcome == "failed":  # still migrating: the HMC said why
            seen.state, seen.message = S.IN_PROGRESS, f"stop failed: {message}"
        self.emit(self.progress(key))
        return self.progress(key)
