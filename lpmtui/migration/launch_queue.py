"""The start queue: queued migrations are launched, oldest first, while the limits allow
(``limits``); launching journals and audits the ``migrlpar -o m`` before it leaves, runs it on
its own channel and notes how the command ended.

A launched job is "waiting for a channel" until the link actually sends the command (the
transport keeps a channel free for polls, so a long command may wait for one); only then is it
"starting", and its elapsed time counts from there. A job whose command never left is
cancelled, never reported as running.

``LaunchQueue`` works on the shared ``JobTable`` and writes through the ``JournalAuditWriter``;
``on_sent`` (start watching) and ``after_command`` (look at the HMC now) come from the manager.
The watcher settles the outcome from the HMC and the inventory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from lpmtui.common.clock import Clock
from lpmtui.migration.job_table import JobTable
from lpmtui.migration.jobs import Job
from lpmtui.migration.journal_audit import JournalAuditWriter
from lpmtui.migration.limits import slot_refusal
from lpmtui.migration.outcome import LastCommand
from lpmtui.migration.support import connected, link_for, run_command
from lpmtui.migration.types import MigrationError
from lpmtui.migration.types import MigrationState as S


class LaunchQueue:
    def __init__(
        self,
        jobs: JobTable,
        writer: JournalAuditWriter,
        fleet: Any,
        clock: Clock,
        *,
        fallback_limit: int,
        msp_capacity: int,
        on_sent: Callable[[], None],
        after_command: Callable[[], Awaitable[None]],
    ) -> None:
        self.jobs = jobs
        self.writer = writer
        self.fleet = fleet
        self.clock = clock
        self.fallback_limit = fallback_limit
        self.msp_capacity = msp_capacity
        self.on_sent = on_sent
        self.after_command = after_command
        self.closed = False

    def pump(self) -> None:
        """Start queued jobs, oldest first, while the limits allow."""
        if self.closed:
            return
        running = [j.slot_use() for j in self.jobs.committed()]
        for job in self.jobs.queued():
            if job.state is not S.QUEUED:  # started or cancelled meanwhile (a subscriber)
                continue
            reason = slot_refusal(
                self.fleet.snapshot,
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
                    self.jobs.emit(job)
                continue
            running.append(job.slot_use())
            self._launch(job)

    def _launch(self, job: Job) -> None:
        now = self.clock.now()
        try:
            # Journal first: if the console dies after this line, re-attach knows it may have gone.
            self.writer.journal_or_refuse(
                job.id, "sent", state=S.WAITING.value, argv=list(job.argv)
            )
            link = link_for(self.fleet, job.request.source, job.hmc)
            self.writer.audit(
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
            self.writer.journal_change(
                job.id, "state", state=S.CANCELLED.value, message=job.message
            )
            self.jobs.emit(job)
            return
        job.state, job.message = S.WAITING, f"allowed; waiting for a free channel to {job.hmc}"
        _spawn(job, self._run_migrate(job))
        self.jobs.emit(job)

    def _sent(self, job: Job) -> None:
        """The link sends the command now: from here it runs, and its time counts."""
        now = self.clock.now()
        job.state, job.message, job.sent_at = S.STARTING, "", now
        job.last_command = LastCommand.RUNNING
        job.commands += 1
        job.meter.start(now)
        self.writer.journal_change(job.id, "state", state=S.STARTING.value, message="")
        self.on_sent()
        self.jobs.emit(job)

    async def _run_migrate(self, job: Job) -> None:
        link = link_for(self.fleet, job.request.source, job.hmc)
        try:
            result = await run_command(link, job.argv, long=True, on_sent=lambda: self._sent(job))
        except asyncio.CancelledError:
            if job.sent_at is None:  # the console closed while it waited: it never left
                self._not_sent(job, "the console closed before a channel was free")
            raise
        now = self.clock.now()
        if job.sent_at is None:
            said = result.stderr.strip().removeprefix("lpmtui: ").removeprefix("not sent: ")
            self._not_sent(job, said or "the link did not send it")
            self.writer.audit(
                "migrate", job, link, phase="done", argv=job.argv, rc=None, outcome="not sent",
                queued=round(job.waited(now), 3), message=job.message,
            )  # fmt: skip
            self.pump()
            return
        self.writer.command_ended(
            job, "migrate", link, result, now=now, duration=now - job.sent_at,
            queued=job.sent_at - job.queued_at if job.queued_at is not None else None,
        )  # fmt: skip
        await self.after_command()

    def _not_sent(self, job: Job, reason: str) -> None:
        job.state, job.ended_at = S.CANCELLED, self.clock.now()
        job.message = f"not sent: {reason}"
        self.writer.journal_change(job.id, "state", state=S.CANCELLED.value, message=job.message)
        self.jobs.emit(job)


def _spawn(job: Job, coro: Coroutine[Any, Any, None]) -> None:
    """Run ``coro`` as one of ``job``'s tasks (cancelled when the manager closes)."""
    task = asyncio.get_running_loop().create_task(coro)
    job.tasks.add(task)
    task.add_done_callback(job.tasks.discard)
