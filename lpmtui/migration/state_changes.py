"""A migration job's state changes, in one place: apply, journal, emit, and what follows.

``StateChanges.apply(job, state, message)`` is what the watcher, the operator's actions and
re-attach call. A settled job gets its end time; a command audited "outcome unknown" gets its
true outcome audited; both frames' cold data is refreshed after a migration settles
(``on_settled`` per frame); a job that stops running frees its slot (``pump``).
"""

from __future__ import annotations

from collections.abc import Callable

from lpmtui.common.clock import Clock
from lpmtui.migration.job_table import JobTable
from lpmtui.migration.jobs import Job
from lpmtui.migration.journal_audit import JournalAuditWriter
from lpmtui.migration.types import MigrationState as S

SETTLED = frozenset({S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY, S.CANCELLED})
# outcomes a migrlpar command's end decides (the watcher confirms them a poll later)
_COMMAND_ENDS = frozenset({S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY})


class StateChanges:
    def __init__(
        self,
        jobs: JobTable,
        writer: JournalAuditWriter,
        clock: Clock,
        *,
        on_settled: Callable[[str], None],
        pump: Callable[[], None],
    ) -> None:
        self.jobs = jobs
        self.writer = writer
        self.clock = clock
        self.on_settled = on_settled
        self.pump = pump

    def apply(self, job: Job, state: S, message: str) -> bool:
        """Apply, journal and emit a change; False when nothing changed (nothing emitted)."""
        changed = state is not job.state
        if not changed and message == job.message:
            return False
        job.state, job.message = state, message
        if changed:
            self.writer.journal_change(job.id, "state", state=state.value, message=message)
        if state in SETTLED:
            job.ended_at = self.clock.now()
            if state in _COMMAND_ENDS and job.command_ended_at is not None:
                # the HMC's outcome is when its command ended, not when a poll saw the result
                job.ended_at = min(job.ended_at, job.command_ended_at)
            if job.outcome_open is not None:
                op, argv = job.outcome_open
                job.outcome_open = None
                self.writer.audit(
                    op,
                    job,
                    phase="done",
                    argv=argv,
                    hmc=job.hmc,
                    outcome=state.value,
                    determined_by="re-attach",
                    message=message,
                )
        self.jobs.emit(job)
        if changed and state in SETTLED and state is not S.CANCELLED:
            for system in (job.request.source, job.request.target):
                self.on_settled(system)
        if changed and not state.running:
            self.pump()
        return True
