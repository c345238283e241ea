"""What a migration leaves in writing: the journal (before a command is sent, and every state
change) and the audit log (every state-changing command, before it is sent and when it ends).

A mixin of ``MigrationManager``; read-only refusals are audited here too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lpmtui.migration.jobs import Job
from lpmtui.migration.support import audit_command
from lpmtui.migration.types import MigrationError, MigrationRequest, ReadOnlyError

if TYPE_CHECKING:
    from lpmtui.migration.manager import MigrationManager

log = logging.getLogger("lpmtui.migration")


class JobRecords:
    def _audit(
        self: MigrationManager,
        op: str,
        job_or_request: Job | MigrationRequest,
        link: Any = None,
        **fields: Any,
    ) -> None:
        job = job_or_request if isinstance(job_or_request, Job) else None
        request = job.request if job is not None else job_or_request
        audit_command(self.audit, op, request, job_id=job.id if job else None, link=link, **fields)

    def _journal_or_refuse(self: MigrationManager, job_id: str, event: str, **fields: Any) -> None:
        """Journal a record that must exist before a command is sent; refuse to send without."""
        try:
            self.journal.append(job_id, event, **fields)
        except OSError as exc:
            raise MigrationError(
                f"cannot write the journal {self.journal.path}: {exc.strerror or exc}; "
                "nothing was sent"
            ) from None

    def _journal(self: MigrationManager, job_id: str, event: str, **fields: Any) -> None:
        """Journal a state change; a failed write is logged (the state is still shown)."""
        try:
            self.journal.append(job_id, event, **fields)
        except OSError as exc:
            log.warning("cannot write the journal %s: %s", self.journal.path, exc)

    def _refuse_read_only(
        self: MigrationManager, op: str, request: MigrationRequest, argv: Iterable[str]
    ) -> None:
        if not self.read_only:
            return
        message = f"read-only console: {op} of {request.partition} refused; nothing was sent"
        self._audit(
            op, request, phase="refused", argv=tuple(argv), outcome="refused", message=message
        )
        raise ReadOnlyError(message)
