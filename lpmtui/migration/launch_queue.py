"""The start queue: queued migrations are launched, oldest first, while the limits allow
(``migration_limits``); launching journals and audits the ``migrlpar -o m`` before it leaves,
runs it on its own channel and records how the command ended.

A mixin of ``MigrationManager``; the watcher settles the outcome from the HMC and inventory.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from lpmtui.hmc.runner import CommandResult
from lpmtui.migration.jobs import Job
from lpmtui.migration.limits import slot_refusal
from lpmtui.migration.outcome import Command
from lpmtui.migration.support import connected, hmc_message, link_for, run_command
from lpmtui.migration.types import MigrationError
from lpmtui.migration.types import MigrationState as S
from lpmtui.model import FleetSnapshot

if TYPE_CHECKING:
    from lpmtui.migration.manager import MigrationManager


class LaunchQueue:
    def _on_snapshot(self: MigrationManager, _snapshot: FleetSnapshot) -> None:
        if any(j.state is S.QUEUED for j in self._jobs.values()):
            self._pump()

    def _pump(self: MigrationManager) -> None:
        """Start queued jobs, oldest first, while the limits allow."""
        if self._closed:
            return
        running = [j.slot_use() for j in self._jobs.values() if j.state.running]
        for job in [j for j in self._jobs.values() if j.state is S.QUEUED]:
            if job.state is not S.QUEUED:  # started or cancelled meanwhile (a subscriber)
                continue
            reason = slot_refusal(
                self._snapshot(),
                job.slot_use(),
                running,
                fallback_limit=self.fallback_limit,
                msp_capacity=self.msp_capacity,
            )
            if not reason:
                try:
                    link = link_for(self.fleet, job.request.source, job.hmc)
                    if not connected(link):
                        reason = f"{link.name} is not connected ({link.state})"
                except MigrationError as exc:
                    reason = str(exc)
            if reason:
                if job.message != f"waiting: {reason}":
                    job.message = f"waiting: {reason}"
                    self._emit(job)
                continue
            running.append(job.slot_use())
            self._launch(job)

    def _launch(self: MigrationManager, job: Job) -> None:
        now = self.clock.now()
        try:
            # Journal first: if the console dies after this line, re-attach knows it may have gone.
            self._journal_or_refuse(job.id, "sent", state=S.STARTING.value, argv=list(job.argv))
            link = link_for(self.fleet, job.request.source, job.hmc)
            self._audit(
                "migrate",
                job,
                link,
                phase="sent",
                argv=job.argv,
                validation=job.validation,
                confirmation=job.confirmation,
            )
        except (MigrationError, OSError) as exc:
            # Nothing was sent, but the journal may already say "sent": it must hear otherwise,
            # or a later re-attach would watch a migration that never went out.
            job.state, job.message, job.ended_at = S.CANCELLED, f"not sent: {exc}", now
            self._journal(job.id, "state", state=S.CANCELLED.value, message=job.message)
            self._emit(job)
            return
        job.state, job.message, job.sent_at = S.STARTING, "", now
        job.command = Command.RUNNING
        job.meter.start(now)
        self._spawn(job, self._run_migrate(job))
        self._ensure_watcher()
        self._emit(job)

    def _spawn(self: MigrationManager, job: Job, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        job.tasks.add(task)
        task.add_done_callback(job.tasks.discard)

    async def _run_migrate(self: MigrationManager, job: Job) -> None:
        link = link_for(self.fleet, job.request.source, job.hmc)
        started = self.clock.now()
        result = await run_command(link, job.argv, long=True)
        self._command_ended(job, "migrate", link, result, self.clock.now() - started)
        await self._tick()

    def _command_ended(
        self: MigrationManager, job: Job, op: str, link: Any, result: CommandResult, duration: float
    ) -> None:
        if result.rc is None:
            job.command, job.reattached = Command.LOST, True
            job.outcome_open = (op, tuple(result.argv))
            outcome = "outcome unknown"
            job.message = f"connection lost during {op} ({result.stderr.strip() or 'no reason'})"
        elif result.rc == 0:
            job.command, outcome = Command.ENDED_OK, "ok"
            job.ok_at = self.clock.now()
        else:
            job.command, outcome = Command.ENDED_FAILED, "failed"
            job.command_message = hmc_message(result)
        self._journal(job.id, "ended", op=op, rc=result.rc, message=job.command_message)
        self._audit(
            op,
            job,
            link,
            phase="done",
            argv=result.argv or job.argv,
            rc=result.rc,
            outcome=outcome,
            duration=round(duration, 3),
            message=job.command_message if outcome == "failed" else "",
        )
