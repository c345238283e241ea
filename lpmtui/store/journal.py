"""The migration journal: what was asked, what was sent, and every state change after.

The journal is how the console survives an SSH drop, a bastion drop or its own death
(even ``kill -9``): each migration is written here *before* its ``migrlpar -o m`` is sent, and
every state change after that. ``MigrationManager.reattach()`` folds it back into jobs and asks
the HMC (``lslparmigr`` + the inventory) what really happened. A migration journaled as sent is
never sent again automatically.

Format: JSON Lines at ``$XDG_STATE_HOME/lpmtui/journal.jsonl`` (mode 0600), one ``fsync`` per
record. A record is ``{"at": UTC ISO time, "job": id, "event": ..., ...}`` with events

- ``queued``  ``request`` (MigrationRequest as a dict), ``hmc``, ``kind``
- ``sent``    ``argv`` (written before the command leaves)
- ``state``   ``state``, ``message`` (and ``rc`` when a command ended)
- ``stop``    ``argv`` (a stop was requested; written before it is sent)
- ``ended``   ``rc`` and ``message`` (the HMC's output, verbatim) when a command ended here

A torn last line (the process died mid-write) is skipped, never fatal.

Public API: ``state_dir()``, ``append_jsonl(path, record)``, ``read_jsonl(path)``,
``Journal(path=None)`` with ``append(job, event, **fields)``, ``records()``, ``jobs()`` ->
``dict[job id, JournalJob]`` in first-seen order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lpmtui.config.model import default_state_dir


def state_dir() -> Path:
    """``$XDG_STATE_HOME/lpmtui`` (``~/.local/state/lpmtui`` when the variable is unset)."""
    return default_state_dir()


def utc_now() -> str:
    """The current UTC time as ISO 8601 with a ``Z`` (second precision is enough for humans)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def append_jsonl(path: Path, record: Mapping[str, Any]) -> None:
    """Append one JSON line durably: created 0600 (in a 0700 directory), written, fsynced."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps(record, sort_keys=False, separators=(",", ":"), default=str) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        # A file created by an older version or another umask must not stay world-readable.
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_jsonl(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """All records of a JSONL file and one-line descriptions of the lines that were unreadable.

    A missing file is an empty log. A torn line (the writer died mid-record) is reported in the
    second list and skipped.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], []
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: unreadable record skipped ({exc.msg})")
            continue
        if isinstance(value, dict):
            records.append(value)
        else:
            problems.append(f"{path}:{number}: not a JSON object, skipped")
    return records, problems


@dataclass
class JournalJob:
    """One migration as the journal remembers it (folded from its records)."""

    job: str
    request: dict[str, Any] = field(default_factory=dict)
    hmc: str = ""
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
        jobs: dict[str, JournalJob] = {}
        for rec in self.records():
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
