"""JSON Lines files the console appends to (journal, audit log, evacuation log) and reads back.

``append_jsonl(path, record)`` writes one line durably: the file is created 0600 in a 0700
directory (a file left with wider permissions is narrowed), written and fsynced.
``read_jsonl(path, missing_ok=True)`` returns ``(records, problems)``: a torn line (the writer died
mid-record) or a line that is not a JSON object is skipped and described in ``problems``. A file
that cannot be read raises ``UnreadableFile``, whose text is one line naming the file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class UnreadableFile(OSError):
    """A JSONL file that is missing (when it must exist) or cannot be read."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot read {path}: {reason}")
        self.path = path
        self.reason = reason


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


def read_jsonl(path: Path, *, missing_ok: bool = True) -> tuple[list[dict[str, Any]], list[str]]:
    """All records of a JSONL file and one-line descriptions of the lines that were unreadable.

    A missing file is an empty log (``UnreadableFile`` when ``missing_ok`` is false). A torn
    line (the writer died mid-record) is reported in the second list and skipped.
    """
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        if missing_ok:
            return [], []
        raise UnreadableFile(path, "no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(path, "it is a directory") from None
    except OSError as exc:
        raise UnreadableFile(path, exc.strerror or str(exc)) from None
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
