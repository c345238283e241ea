"""Stop, recover and cancel: the operator's actions on a migration the manager already holds.

Kept apart from the manager because they are its second idea: acting on a running job rather
than starting and watching one. Each refuses in read-only mode, needs an explicit confirmation,
is journaled and audited before it is sent, and leaves the final word to the watcher, which
reads the HMC and the inventory.

``OperatorActions`` works on the shared ``JobTable`` and writes through the
``JournalAuditWriter``; the manager hands it ``set_state`` (apply, journal, emit a change),
``pump`` (start what the queue allows), ``watch`` (make sure the watcher runs) and ``look``
(one look at the HMCs now).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from lpmtui.common.clock import Clock
from lpmtui.migration import hmc_io
from lpmtui.migration.job_table import JobTable
from lpmtui.migration.jobs import Job
from lpmtui.migration.journal_audit import JournalAuditWriter
from lpmtui.migration.outcome import LastCommand
from lpmtui.migration.support import hmc_message, link_for, run_command
from lpmtui.migration.types import (
    ConfirmationError,
    MigrationError,
    MigrationProgress,
)
from lpmtui.migration.types import MigrationState as S


class OperatorActions:
    def __init__(
        self,
        jobs: JobTable,
        writer: JournalAuditWriter,
        fleet: Any,
        clock: Clock,
        *,
        command_timeout: float,
        set_state: Callable[[Job, S, str], bool],
        pump: Callable[[], None],
        watch: Callable[[], None],
        look: Callable[[], Awaitable[None]],
    ) -> None:
        self.jobs = jobs
        self.writer = writer
        self.fleet = fleet
        self.clock = clock
        self.command_timeout = command_timeout
        self.set_state = set_state
        self.pump = pump
        self.watch = watch
        self.look = look

    async def stop(self, job_id: str, *, confirmed: bool = False) -> MigrationProgress:
        """``migrlpar -o s`` on the source's HMC; the watcher reports ``stopped`` when done."""
        job = self.jobs.get(job_id)
        argv = hmc_io.stop_argv(job.request)
        self.writer.refuse_read_only("stop", job.request, argv)
        if not confirmed:
            raise ConfirmationError(f"stop of {job.request.partition} not confirmed; not sent")
        if job.state is S.QUEUED:
            return self.cancel(job_id)
        if job.state not in (S.STARTING, S.IN_PROGRESS, S.OUTCOME_UNKNOWN):
            raise MigrationError(f"cannot stop {job.request.partition}: it is {job.state}")
        link = link_for(self.fleet, job.request.source, job.hmc)
        previous = job.state
        # Journal first: if that is refused nothing is sent, and the job must not count as
        # stopping (a later failure would otherwise be reported as "stopped").
        self.writer.journal_or_refuse(job.id, "stop", argv=list(argv))
        job.stop_requested = True
        job.commands += 1
        self.set_state(job, S.STOPPING, "stop requested")
        self.writer.audit("stop", job, phase="sent", argv=argv, link=link, confirmation="confirmed")
        started = self.clock.now()
        result = await run_command(link, argv, long=False, timeout=self.command_timeout)
        job.commands += 1
        outcome = {None: "outcome unknown", 0: "ok"}.get(result.rc, "failed")
        self.writer.audit(
            "stop",
            job,
            phase="done",
            argv=argv,
            link=link,
            rc=result.rc,
            outcome=outcome,
            duration=round(self.clock.now() - started, 3),
            message=hmc_message(result) if outcome == "failed" else "",
        )
        if outcome == "failed":
            job.stop_requested = False
            self.set_state(job, previous, f"stop failed: {hmc_message(result)}")
        elif outcome == "outcome unknown":
            self.set_state(job, S.STOPPING, "the stop may not have reached the HMC; watching")
        self.watch()
        return self.jobs.progress(job)

    async def recover(
        self, job_id: str, *, confirmed: bool = False, force: bool = False
    ) -> MigrationProgress:
        """``migrlpar -o r`` (``--force`` only when asked) for a failed or stuck migration."""
        job = self.jobs.get(job_id)
        argv = hmc_io.recover_argv(job.request, force=force)
        self.writer.refuse_read_only("recover", job.request, argv)
        if not confirmed:
            raise ConfirmationError(f"recovery of {job.request.partition} not confirmed; not sent")
        if job.state not in (S.NEEDS_RECOVERY, S.FAILED):
            raise MigrationError(f"cannot recover {job.request.partition}: it is {job.state}")
        link = link_for(self.fleet, job.request.source, job.hmc)
        self.writer.journal_or_refuse(job.id, "recover", argv=list(argv))
        job.last_command, job.ended_at, job.command_ended_at = LastCommand.RUNNING, None, None
        job.recovery_sent, job.commands = True, job.commands + 1
        self.set_state(job, S.RECOVERING, "recovery sent" + (" (--force)" if force else ""))
        self.writer.audit(
            "recover", job, link, phase="sent", argv=argv, confirmation="confirmed", force=force
        )
        started = self.clock.now()
        result = await run_command(link, argv, long=True, timeout=None)
        now = self.clock.now()
        self.writer.command_ended(job, "recover", link, result, now=now, duration=now - started)
        if job.state is not S.RECOVERING:
            pass  # the watcher settled it meanwhile (e.g. it landed): a late answer changes nothing
        elif job.last_command is LastCommand.ENDED_FAILED:
            self.set_state(job, S.NEEDS_RECOVERY, job.command_message)
        else:
            self.watch()
            await self.look()
        return self.jobs.progress(job)

    def cancel(self, job_id: str) -> MigrationProgress:
        """Drop a queued job (nothing was sent for it)."""
        job = self.jobs.get(job_id)
        if job.state is not S.QUEUED:
            raise MigrationError(f"cannot cancel {job.request.partition}: it is {job.state}")
        self.set_state(job, S.CANCELLED, "removed from the queue; nothing was sent")
        self.pump()
        return self.jobs.progress(job)
