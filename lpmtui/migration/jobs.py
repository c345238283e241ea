"""A migration job's mutable state inside the manager, and its frozen progress snapshot.

Only the manager and its collaborators (``JobTable`` holds the jobs; the start queue, the
operator's actions, ``StateChanges`` and the watcher change them) mutate jobs; everyone else
sees ``MigrationProgress``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from lpmtui.hmc.commands import command_line
from lpmtui.migration.limits import SlotUse
from lpmtui.migration.outcome import JobView, LastCommand
from lpmtui.migration.progress import ProgressMeter
from lpmtui.migration.support import wall_seconds_since
from lpmtui.migration.types import MigrationProgress, MigrationRequest, MigrationState
from lpmtui.model import MigrationStatus
from lpmtui.store.journal import JournalJob

log = logging.getLogger(__name__)

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
    last_command: LastCommand = LastCommand.NONE
    command_message: str = ""  # the HMC's output of the last failed command, verbatim
    stop_requested: bool = False
    recovery_sent: bool = False  # migrlpar -o r was sent (the job's last command)
    reattached: bool = False
    # (op, argv) of a command audited as "outcome unknown" whose true outcome is still owed
    outcome_open: tuple[str, tuple[str, ...]] | None = None
    validation: str = ""
    confirmation: str = "partition name typed"  # what the user confirmed (for the audit log)
    typed: str = ""  # what the user typed to confirm (for the audit log)
    evacuation: str = ""  # the id of the evacuation (or its bring-home) this move belongs to
    queued_at: float | None = None  # manager clock: when the operator's request was queued
    sent_at: float | None = None  # manager clock: when the link sent migrlpar -o m to the HMC
    elapsed_before: float = 0.0  # time spent before this process took the job over
    ended_at: float | None = None
    ok_at: float | None = None  # when migrlpar ended with rc 0 (placement confirmation)
    command_ended_at: float | None = None  # when its last migrlpar returned an exit status
    # Bumped whenever one of its commands (migrlpar -o m/s/r) starts or ends: the watcher
    # judges it on no poll asked before the last bump (watch.py).
    commands: int = 0
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
            last_command=self.last_command,
            command_message=self.command_message,
            stop_requested=self.stop_requested,
            recovery_sent=self.recovery_sent,
            confirm_expired=confirm_expired,
        )

    def elapsed(self, now: float) -> float:
        """From the command's sending to its outcome (still growing while it has none)."""
        if self.sent_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else now
        return self.elapsed_before + max(0.0, end - self.sent_at)

    def waited(self, now: float) -> float:
        """Queued for the limits plus waiting for a channel: from the request to the sending
        (still growing while nothing was sent; up to the end if it never was)."""
        if self.queued_at is None:
            return 0.0
        end = self.sent_at if self.sent_at is not None else (self.ended_at or now)
        return max(0.0, end - self.queued_at)

    def progress(self, now: float, queue_position: int | None) -> MigrationProgress:
        req = self.request
        reading = self.meter.reading(now)
        moving = self.state in (MigrationState.STARTING, MigrationState.IN_PROGRESS)
        percent, moved = reading.percent, reading.moved
        if self.state is MigrationState.SUCCEEDED:
            # placed on the target: all of its memory arrived, whatever the last poll saw
            percent = 100.0
            if reading.total is not None:
                moved = max(moved or 0, reading.total)
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
            bytes_moved=moved,
            bytes_total=reading.total,
            rate=reading.rate if moving else None,
            eta=reading.eta if moving else None,
            elapsed=self.elapsed(now),
            waited=self.waited(now),
            stalled=reading.stalled and moving,
            message=self.message,
            queue_position=queue_position,
            reattached=self.reattached,
            command=command_line(self.argv),
        )


def job_from_journal(
    entry: JournalJob,
    build_command: Callable[[MigrationRequest], tuple[str, ...]],
    *,
    stall_after: float,
    now: float,
) -> Job | None:
    """A journaled migration that has not settled, as a job to re-attach to (None: skip it).

    A sent migration whose last known state was starting or in progress becomes "outcome
    unknown" until the HMC has been asked; a never-sent one keeps state QUEUED for the caller
    to cancel (it is never started late).
    """
    if not entry.request:
        return None
    try:
        state = MigrationState(entry.state)
        request = MigrationRequest.from_dict(entry.request)
    except (ValueError, TypeError) as exc:
        log.warning("journal job %s unreadable: %s", entry.job, exc)
        return None
    if state.terminal:
        return None
    job = Job(
        id=entry.job,
        request=request,
        kind=entry.kind or request.kind or "active",
        argv=entry.argv or build_command(request),
        hmc=entry.hmc,
        meter=ProgressMeter(stall_after=stall_after),
        reattached=True,
        stop_requested=entry.stop_sent,
        command_message=entry.command_message,
    )
    if not entry.sent:
        return job
    job.sent_at = now
    job.elapsed_before = wall_seconds_since(entry.sent_at)
    job.meter.start(now)
    job.state = state
    if state in (MigrationState.WAITING, MigrationState.STARTING, MigrationState.IN_PROGRESS):
        job.state, job.outcome_open = MigrationState.OUTCOME_UNKNOWN, ("migrate", job.argv)
        job.message = "re-attaching: asking the HMC"
    return job
