"""The audit log: every state-changing HMC command this console sent, and what came of it.

Append-only JSON Lines at ``$XDG_STATE_HOME/lpmtui/audit.jsonl`` (mode 0600, one fsync per
record), separate from any debug log. A command gets a ``sent`` record before it leaves and a
``done`` record when its outcome is known (``outcome unknown`` when the connection dropped; a
later ``done`` with ``determined_by: re-attach`` when the console learned the truth from the
HMC). Refusals (read-only) are recorded too. Fields: ``at`` (UTC), ``user`` (local OS user),
``session``, ``hmc``, ``hmc_host``, ``op`` (migrate/stop/recover/validate), ``changes_state``,
``phase`` (sent/done/refused), ``argv``, ``command``, ``job``, ``partition``, ``source``,
``target``, ``validation`` (summary), ``confirmation``, ``rc``, ``outcome``, ``duration``
(seconds), ``message`` (first lines of the HMC's output, verbatim).

Secrets: nothing this module is given should hold one (argv never carries passwords), and as a
second guard every string is scrubbed of the ``secrets`` the caller registers (configured
passwords and passphrases) before it is written.

``lpmtui audit [--config FILE | --demo | --file PATH] [--json] [--last N]`` prints it
(``main(argv)``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lpmtui.store.journal import state_dir, utc_now
from lpmtui.store.jsonl import append_jsonl, read_jsonl

REDACTED = "[redacted]"
MESSAGE_LINES = 6


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


class AuditLog:
    """Writes audit records. One instance per console session."""

    FILENAME = "audit.jsonl"

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        user: str | None = None,
        session: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        self.path = Path(path) if path is not None else state_dir() / self.FILENAME
        self.user = user if user is not None else _local_user()
        self.session = session or uuid.uuid4().hex[:12]
        self._secrets: set[str] = set()
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        """Strings that must never be written (e.g. a password typed at a prompt)."""
        self._secrets.update(s for s in secrets if s and len(s) >= 3)

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self._secrets:
                value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, (list, tuple)):
            return [self._scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: self._scrub(v) for k, v in value.items()}
        return value

    def record(self, **fields: Any) -> dict[str, Any]:
        """Append one record (``at``, ``user`` and ``session`` are added) and return it."""
        message = fields.get("message")
        if isinstance(message, str):
            fields["message"] = "\n".join(message.strip().splitlines()[:MESSAGE_LINES])
        rec = {"at": utc_now(), "user": self.user, "session": self.session, **fields}
        rec = self._scrub(rec)
        append_jsonl(self.path, rec)
        return rec

    def records(self) -> list[dict[str, Any]]:
        return read_jsonl(self.path)[0]


# -- lpmtui audit -------------------------------------------------------------------------------


def _duration(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)):
        return ""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def format_record(rec: dict[str, Any]) -> str:
    """One readable line (plus indented message lines) for a record."""
    at = str(rec.get("at", "")).replace("T", " ")
    phase = str(rec.get("phase", ""))
    outcome = str(rec.get("outcome", "")) if phase != "sent" else "sent"
    if phase == "refused":
        outcome = "refused"
    head = [
        at,
        str(rec.get("user", "")),
        str(rec.get("hmc", "")) or "-",
        f"{outcome:<15}",
        str(rec.get("command", "")) or " ".join(map(str, rec.get("argv", ()))),
    ]
    extras = []
    if rec.get("rc") is not None:
        extras.append(f"rc={rec['rc']}")
    if rec.get("duration") is not None:
        extras.append(_duration(rec.get("duration")))
    if rec.get("validation"):
        extras.append(f"validation: {rec['validation']}")
    if rec.get("determined_by"):
        extras.append(f"by {rec['determined_by']}")
    if not rec.get("changes_state", True):
        extras.append("read-only check")
    line = "  ".join(head) + (f"  ({', '.join(extras)})" if extras else "")
    message = str(rec.get("message", "") or "")
    return line + "".join(f"\n    {m}" for m in message.splitlines())


def _audit_path(args: argparse.Namespace) -> Path:
    if args.file:
        return Path(args.file)
    if args.demo:  # `lpmtui demo` keeps its own state beside the real console's
        from lpmtui.config.model import demo_state_dir

        return demo_state_dir() / AuditLog.FILENAME
    if args.config:
        from lpmtui.config import (
            loader as config,  # only when asked: a config names its own audit file
        )

        return Path(config.load(args.config).audit_file)
    return state_dir() / AuditLog.FILENAME


def main(argv: Sequence[str] | None = None) -> int:
    """``lpmtui audit``: print the audit log readably (or as JSON lines with ``--json``)."""
    parser = argparse.ArgumentParser(prog="lpmtui audit", description="Show the audit log.")
    parser.add_argument("--config", help="read the audit file location from this config")
    parser.add_argument("--file", help="the audit file to read (default: the XDG state dir)")
    parser.add_argument("--demo", action="store_true", help="the audit log of `lpmtui demo`")
    parser.add_argument("--json", action="store_true", help="print the raw JSON records")
    parser.add_argument("--last", type=int, default=0, help="only the last N records")
    args = parser.parse_args(list(argv or []))
    try:
        path = _audit_path(args)
    except Exception as exc:  # a config error is one line for the user, never a traceback
        print(f"lpmtui audit: {exc}", file=sys.stderr)
        return 2
    records, problems = read_jsonl(path)
    if args.last > 0:
        records = records[-args.last :]
    for problem in problems:
        print(f"lpmtui audit: {problem}", file=sys.stderr)
    if not records:
        print(f"No audit records in {path}.")
        return 0
    for rec in records:
        print(json.dumps(rec, ensure_ascii=False) if args.json else format_record(rec))
    return 0
