"""The audit log: every state-changing HMC command this console sent, and what came of it.

Append-only JSON Lines at ``$XDG_STATE_HOME/lpmtui/audit.jsonl`` (mode 0600, one fsync per
record), separate from any debug log. A command gets a ``sent`` record before it leaves and a
``done`` record when its outcome is known (``outcome unknown`` when the connection dropped; a
later ``done`` with ``determined_by: re-attach`` when the console learned the truth from the
HMC). Refusals (read-only) are recorded too. Fields: ``at`` (UTC), ``user`` (local OS user),
``console_host`` (the machine the console ran on), ``session``, ``hmc``, ``hmc_host``, ``op``
(migrate/stop/recover/validate), ``changes_state``, ``phase`` (sent/done/refused), ``argv``,
``command``, ``job``, ``partition`` (name) and ``lpar_id``, ``source``, ``target``,
``validation`` (summary), ``confirmation`` (how) and ``typed`` (what was typed),
``evacuation`` (the id of the evacuation or bring-home a move belongs to), ``rc``, ``outcome``,
``duration`` (seconds), ``bytes_moved`` (migrate: what the HMC reported moved), ``message``
(first lines of the HMC's output, verbatim). Older records lack the newer fields; readers show
them as unknown.

Secrets: nothing this module is given should hold one (argv never carries passwords), and as a
second guard every string is scrubbed of the ``secrets`` the caller registers (configured
passwords and passphrases) before it is written.

``lpmtui audit`` (lpmtui/cli/audit.py) prints it; this module only writes and reads.
"""

from __future__ import annotations

import getpass
import os
import socket
import uuid
from collections.abc import Iterable
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
        host: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        self.path = Path(path) if path is not None else state_dir() / self.FILENAME
        self.user = user if user is not None else _local_user()
        self.session = session or uuid.uuid4().hex[:12]
        self.host = host if host is not None else socket.gethostname()
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
        rec = {
            "at": utc_now(),
            "user": self.user,
            "console_host": self.host,
            "session": self.session,
            **fields,
        }
        rec = self._scrub(rec)
        append_jsonl(self.path, rec)
        return rec

    def records(self) -> list[dict[str, Any]]:
        return read_jsonl(self.path)[0]
