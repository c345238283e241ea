"""A migration job's mutable record inside the manager, and its frozen progress snapshot.

Only ``MigrationManager`` mutates jobs; everyone else sees ``MigrationProgress``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from lpmtui.hmc.commands import command_line
from lpmtui.migration_limits import SlotUse
from lpmtui.migration_outcome import Command, JobView
from lpmtui.migration_progress import ProgressMeter
from lpmtui.migration_types import MigrationProgress, MigrationRequest, MigrationState
from lpmtui.model import MigrationStatus

# States the watcher polls for: a command may be in flight or the truth is not known yet.
WATCHED = frozenset(
    {
        MigrationState.STARTING,
        MigrationState.IN_PROGRESS,
        MigrationState.STOPPING,
        MigrationState.RECOVERING,
        MigrationState.OUTCOME_UNKNOWN,
    }
)


@dataclass(eq=False)
class Job:
    id: str
    request: MigrationRequest
    kind: str
    argv: tuple[str, ...]
    hmc: str
    meter: ProgressMeter
    state: MigrationState = MigrationState.QUEUED
    message: str = ""
    command: Command = Command.NONE
    command_message: str = ""  # the HMC's output of the last failed command, verbatim
    stop_requested: bool = False
    reattached: bool = False
    outcome_open: bool = False  # an audit "outcome unknown" awaits the true outcome
    validation: str = ""
    sent_at: float | None = None  # manager clock
    elapsed_before: float = 0.0  # time spent before this process took the job over
    ended_at: float | None = None
    ok_at: float | None = None  # when migrlpar ended with rc 0 (placement confirmation)
    status: MigrationStatus | None = None
    tasks: set[asyncio.Task] = field(default_factory=set)

    @property
    def watched(self) -> bool:
        return self.state in WATCHED

    def slot_use(self) -> SlotUse:
        req = self.request
        source_msp = req.source_msp_name or (self.status.source_msp_name if self.status else "")
        dest_msp = req.dest_msp_name or (self.status.dest_msp_name if self.status else "")
        return SlotUse(req.partition, req.source, req.target, self.kind, source_msp, dest_msp)

    def view(self, *, confirm_expired: bool) -> JobView:
        req = self.request
        return JobView(
            state=self.state,
            partition=req.partition,
            source=req.source,
            target=req.target,
            command=self.command,
            command_message=self.command_message,
            stop_requested=self.stop_requested,
            confirm_expired=confirm_expired,
        )

    def elapsed(self, now: float) -> float:
        if self.sent_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else now
        return self.elapsed_before + max(0.0, end - self.sent_at)

    def progress(self, now: float, queue_position: int | None) -> MigrationProgress:
        req = self.request
        reading = self.meter.reading(now)
        moving = self.state in (MigrationState.STARTING, MigrationState.IN_PROGRESS)
        percent = 100.0 if self.state is MigrationState.SUCCEEDED else reading.percent
        return MigrationProgress(
            job_id=self.id,
            partition=req.partition,
            source=req.source,
            target=req.target,
            kind=self.kind,
            state=self.state,
            hmc=self.hmc,
            remote_hmc=req.remote_hmc,
            percent=percent,
            bytes_moved=reading.moved,
            bytes_total=reading.total,
            rate=reading.rate if moving else None,
            eta=reading.eta if moving else None,
            elapsed=self.elapsed(now),
            stalled=reading.stalled and moving,
            message=self.message,
            queue_position=queue_position,
            reattached=self.reattached,
            command=command_line(self.argv),
        )
