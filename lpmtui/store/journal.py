"""The migration journal: what was asked, what was sent, and every state change after.

The journal is how the console survives an SSH drop, a bastion drop or its own death
(even ``kill -9``): each migration is written here *before* its ``migrlpar -o m`` is sent, and
every state change after that. ``MigrationManager.reattach()`` folds it back into jobs and asks
the HMC (``lslparmigr`` + the inventory) what really happened. A migration journaled as sent is
never sent again automatically.

Format: JSON Lines at ``$XDG_STATE_HOME/lpmtui/journal.jsonl`` (mode 0600), one ``fsync`` per
record. A record is ``{"at": UTC ISO time, "job": id, "event": ..., ...}`` with events

- ``queued``  ``request`` (MigrationRequest as a dict), ``hmc``, ``kind``, and ``hmc_id``
  (the HMC's configured ``host:port``; absent in older journals, see migration.hmc_identity)
- ``sent``    ``argv`` (written before the command leaves)
- ``state``   ``state``, ``message`` (and ``rc`` when a command ended)
- ``stop``    ``argv`` (a stop was requested; written before it is sent)
- ``ended``   ``rc`` and ``message`` (the HMC's output, verbatim) when a command ended here

A torn last line (the process died mid-write) is skipped, never fatal.

Public API: ``state_dir()``, ``utc_now()``, ``append_jsonl`` / ``read_jsonl`` (from
``lpmtui.store.jsonl``, re-exported),
``Journal(path=None)`` with ``append(job, event, **fields)``, ``records()``, ``jobs()`` ->
``dict[job id, JournalJob]`` in first-seen order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lpmtui.config.model import default_state_dir
from lpmtui.store.jsonl import append_jsonl, read_jsonl

__all__ = [
    "Journal",
    "JournalJob",
    "append_jsonl",
    "fold_jobs",
    "read_jsonl",
    "state_dir",
    "utc_now",
]


def state_dir() -> Path:
    """``$XDG_STATE_HOME/lpmtui`` (``~/.local/state/lpmtui`` when the variable is unset)."""
    return default_state_dir()


def utc_now() -> str:
    """The current UTC time as ISO 8601 with a ``Z`` (second precision is enough for humans)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class JournalJob:
    """One migration as the journal remembers it (folded from its records)."""

    job: str
    request: dict[str, Any] = field(default_factory=dict)
    hmc: str = ""
    hmc_id: str = ""  # "host:port" of the configured HMC ("" when journaled without one)
    kind: str = ""  # active | inactive, as decided when it was queued
    state: str = "queued"
    message: str = ""
    sent: bool = False  # the migrate command may have reached the HMC
    argv: tuple[str, ...] = ()
    stop_sent: bool = False
    rc: int | None = None  # of the last command that ended in a console process
    command_message: str = ""
    queued_at: str = ""
    sent_at: str = ""
    updated_at: str = ""


class Journal:
    """The append-only migration journal (see the module docstring for the record format)."""

    FILENAME = "journal.jsonl"

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else state_dir() / self.FILENAME
        self.problems: list[str] = []

    def append(self, job: str, event: str, **fields: Any) -> None:
        append_jsonl(self.path, {"at": utc_now(), "job": job, "event": event, **fields})

    def records(self) -> list[dict[str, Any]]:
        records, self.problems = read_jsonl(self.path)
        return records

    def jobs(self) -> dict[str, JournalJob]:
        """Every journaled migration, latest state folded in, oldest first."""
        return fold_jobs(self.records())


def fold_jobs(records: list[dict[str, Any]]) -> dict[str, JournalJob]:
    """Every migration of a journal's ``records``, latest state folded in, oldest first."""
    jobs: dict[str, JournalJob] = {}
    for rec in records:
        job_id = rec.get("job")
        if not isinstance(job_id, str):
            continue
        job = jobs.setdefault(job_id, JournalJob(job=job_id))
        at = str(rec.get("at", ""))
        job.updated_at = at
        event = rec.get("event")
        if event == "queued":
            request = rec.get("request")
            job.request = request if isinstance(request, dict) else {}
            job.hmc = str(rec.get("hmc", ""))
            job.hmc_id = str(rec.get("hmc_id", ""))
            job.kind = str(rec.get("kind", ""))
            job.queued_at = at
        elif event == "sent":
            job.sent = True
            job.sent_at = at
            job.argv = tuple(str(a) for a in rec.get("argv", ()))
        elif event == "stop":
            job.stop_sent = True
        elif event == "ended":
            rc = rec.get("rc")
            job.rc = rc if isinstance(rc, int) else None
            job.command_message = str(rec.get("message", ""))
        if "state" in rec:
            job.state = str(rec["state"])
            job.message = str(rec.get("message", ""))
    return jobs
