"""What a migration leaves in writing: the journal (before a command is sent, and every state
change) and the audit log (every state-changing command, before it is sent and when it ends).

``JournalAuditWriter`` is handed to the manager's collaborators (start queue, operator actions);
read-only refusals are audited here too, and how a command ended is noted on its job here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from lpmtui.hmc.runner import CommandResult
from lpmtui.migration.jobs import Job
from lpmtui.migration.outcome import LastCommand
from lpmtui.migration.support import audit_command, hmc_message
from lpmtui.migration.types import MigrationError, MigrationRequest, ReadOnlyError
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal

log = logging.getLogger("lpmtui.migration")


class JournalAuditWriter:
    def __init__(self, journal: Journal, audit: AuditLog, *, read_only: bool) -> None:
        self.journal = journal
        self.audit_log = audit
        self.read_only = read_only

    def audit(
        self,
        op: str,
        job_or_request: Job | MigrationRequest,
        link: Any = None,
        **fields: Any,
    ) -> None:
        job = job_or_request if isinstance(job_or_request, Job) else None
        request = job.request if job is not None else job_or_request
        fields.setdefault("lpar_id", request.lpar_id)
        if job is not None:
            fields.setdefault("evacuation", job.evacuation or None)
            if "confirmation" in fields:
                fields.setdefault("typed", job.typed)
        audit_command(
            self.audit_log, op, request, job_id=job.id if job else None, link=link, **fields
        )

    def journal_or_refuse(self, job_id: str, event: str, **fields: Any) -> None:
        """Journal an entry that must exist before a command is sent; refuse to send without."""
        try:
            self.journal.append(job_id, event, **fields)
        except OSError as exc:
            raise MigrationError(
                f"cannot write the journal {self.journal.path}: {exc.strerror or exc}; "
                "nothing was sent"
            ) from None

    def journal_change(self, job_id: str, event: str, **fields: Any) -> None:
        """Journal a state change; a failed write is logged (the state is still shown)."""
        try:
            self.journal.append(job_id, event, **fields)
        except OSError as exc:
            log.warning("cannot write the journal %s: %s", self.journal.path, exc)

    def refuse_read_only(self, op: str, request: MigrationRequest, argv: Iterable[str]) -> None:
        """Raise ``ReadOnlyError`` (audited as refused) when this console is read-only."""
        if not self.read_only:
            return
        message = f"read-only console: {op} of {request.partition} refused; nothing was sent"
        self.audit(
            op, request, phase="refused", argv=tuple(argv), outcome="refused", message=message
        )
        raise ReadOnlyError(message)

    def command_ended(
        self,
        job: Job,
        op: str,
        link: Any,
        result: CommandResult,
        *,
        now: float,
        duration: float,
        queued: float | None = None,
    ) -> None:
        """Note on ``job`` how its ``migrlpar`` ended (rc, or lost with the connection), and
        journal and audit that end. The watcher still settles the job's state.

        ``duration`` runs from the command's sending to its end; ``queued`` (audited apart) is
        the time before it was sent: queued for the limits and waiting for a channel."""
        job.commands += 1  # the HMC's answers from before this end say nothing of it
        if result.rc is None:
            job.last_command, job.reattached = LastCommand.LOST, True
            job.outcome_open = (op, tuple(result.argv))
            outcome = "outcome unknown"
            job.message = f"connection lost during {op} ({result.stderr.strip() or 'no reason'})"
        elif result.rc == 0:
            job.last_command, outcome = LastCommand.ENDED_OK, "ok"
            job.ok_at = job.command_ended_at = now
        else:
            job.last_command, outcome = LastCommand.ENDED_FAILED, "failed"
            job.command_message = hmc_message(result)
            job.command_ended_at = now
        extra: dict[str, Any] = {} if queued is None else {"queued": round(queued, 3)}
        if op == "migrate":  # what the HMC reported moved (all of it, once placed)
            reading = job.meter.reading(now)
            moved = reading.moved
            if result.rc == 0 and reading.total is not None:
                moved = max(moved or 0, reading.total)
            extra["bytes_moved"] = moved
        self.journal_change(job.id, "ended", op=op, rc=result.rc, message=job.command_message)
        self.audit(
            op,
            job,
            link,
            phase="done",
            argv=result.argv or job.argv,
            rc=result.rc,
            outcome=outcome,
            duration=round(duration, 3),
            **extra,
            message=job.command_message if outcome == "failed" else "",
        )
