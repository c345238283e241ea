"""Stop, recover and cancel: the operator's actions on a migration the manager already holds.

A mixin of ``MigrationManager`` (kept apart because they are the second idea of the manager:
acting on a running job rather than starting and watching one). Each refuses in read-only mode,
needs an explicit confirmation, is journaled and audited before it is sent, and leaves the
final word to the watcher, which reads the HMC and the inventory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lpmtui.migration import hmc_io
from lpmtui.migration.outcome import Command
from lpmtui.migration.support import hmc_message, link_for, run_command
from lpmtui.migration.types import (
    ConfirmationError,
    MigrationError,
    MigrationProgress,
)
from lpmtui.migration.types import MigrationState as S

if TYPE_CHECKING:
    from lpmtui.migration.manager import MigrationManager


class OperatorActions:
    async def stop(
        self: MigrationManager, job_id: str, *, confirmed: bool = False
    ) -> MigrationProgress:
        """``migrlpar -o s`` on the source's HMC; the watcher reports ``stopped`` when done."""
        job = self._get(job_id)
        argv = hmc_io.stop_argv(job.request)
        self._refuse_read_only("stop", job.request, argv)
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
        self._journal_or_refuse(job.id, "stop", argv=list(argv))
        job.stop_requested = True
        self._set_state(job, S.STOPPING, "stop requested")
        self._audit("stop", job, phase="sent", argv=argv, link=link, confirmation="confirmed")
        started = self.clock.now()
        result = await run_command(link, argv, long=False, timeout=self.command_timeout)
        outcome = {None: "outcome unknown", 0: "ok"}.get(result.rc, "failed")
        self._audit(
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
            self._set_state(job, previous, f"stop failed: {hmc_message(result)}")
        elif outcome == "outcome unknown":
            self._set_state(job, S.STOPPING, "the stop may not have reached the HMC; watching")
        self._ensure_watcher()
        return self._progress(job)

    async def recover(
        self: MigrationManager, job_id: str, *, confirmed: bool = False, force: bool = False
    ) -> MigrationProgress:
        """``migrlpar -o r`` (``--force`` only when asked) for a failed or stuck migration."""
        job = self._get(job_id)
        argv = hmc_io.recover_argv(job.request, force=force)
        self._refuse_read_only("recover", job.request, argv)
        if not confirmed:
            raise ConfirmationError(f"recovery of {job.request.partition} not confirmed; not sent")
        if job.state not in (S.NEEDS_RECOVERY, S.FAILED):
            raise MigrationError(f"cannot recover {job.request.partition}: it is {job.state}")
        link = link_for(self.fleet, job.request.source, job.hmc)
        self._journal_or_refuse(job.id, "recover", argv=list(argv))
        job.command, job.ended_at = Command.RUNNING, None
        self._set_state(job, S.RECOVERING, "recovery sent" + (" (--force)" if force else ""))
        self._audit(
            "recover", job, link, phase="sent", argv=argv, confirmation="confirmed", force=force
        )
        started = self.clock.now()
        result = await run_command(link, argv, long=True, timeout=None)
        self._command_ended(job, "recover", link, result, self.clock.now() - started)
        if job.command is Command.ENDED_FAILED:
            self._set_state(job, S.NEEDS_RECOVERY, job.command_message)
        else:
            self._ensure_watcher()
            await self._tick()
        return self._progress(job)

    def cancel(self: MigrationManager, job_id: str) -> MigrationProgress:
        """Drop a queued job (nothing was sent for it)."""
        job = self._get(job_id)
        if job.state is not S.QUEUED:
            raise MigrationError(f"cannot cancel {job.request.partition}: it is {job.state}")
        self._set_state(job, S.CANCELLED, "removed from the queue; nothing was sent")
        self._pump()
        return self._progress(job)
