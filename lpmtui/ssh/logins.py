"""Failed logins per host and user, kept across runs: an HMC locks an account after 3.

The count lives in ``STATE_DIR/logins.json`` (0600), so each ``lpmtui check`` run does not start
again from zero. Only a login the server refused counts (credentials were sent); a key file that
cannot be read or a prompt nobody answered sends nothing and counts nothing. When the server says
the account is locked (an HMC sends "The account is locked due to 3 failed logins. (5 minutes
left to unlock)" as its SSH banner), that text is kept and no login is tried until the time it
names; after the third refusal without such a text, lpmtui waits the HMC's 5 minutes itself.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lpmtui.config.model import private_dir

log = logging.getLogger("lpmtui.transport")

LOCKOUT_AFTER = 3  # HMC: 3 consecutive failed logins lock the account
LOCK_SECONDS = 300.0  # ... for 5 minutes (a failure while locked restarts the timer)
_LEFT = re.compile(r"\((\d+)\s+minutes?\s+left", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LoginRecord:
    failures: int = 0
    locked_until: float = 0.0  # epoch seconds; 0 = not known to be locked
    message: str = ""  # the server's own lockout text


def lock_text(banners: list[str]) -> str:
    """The server's lockout text among the banners it sent, or ""."""
    for banner in banners:
        text = " ".join(banner.split())
        if "locked" in text.lower():
            return text
    return ""


def until_text(when: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(when))


class LoginLedger:
    def __init__(self, path: Path | None, now: Callable[[], float] = time.time) -> None:
        self.path = path
        self.now = now
        self._memory: dict[str, dict] = {}

    @staticmethod
    def key(user: str, host: str, port: int) -> str:
        return f"{user}@{host}:{port}"

    def _read(self) -> dict[str, dict]:
        if self.path is None:
            return self._memory
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("%s: unreadable, failed-login counts start again: %s", self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, dict]) -> None:
        if self.path is None:
            self._memory = data
            return
        try:
            private_dir(self.path.parent)
            fd, tmp = tempfile.mkstemp(prefix=".logins.", dir=self.path.parent)
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(data, out, indent=1, sort_keys=True)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("%s: cannot record failed logins: %s", self.path, exc.strerror)
            self._memory = data

    def record(self, key: str) -> LoginRecord:
        raw = self._read().get(key) or {}
        try:
            rec = LoginRecord(
                int(raw.get("failures", 0)),
                float(raw.get("locked_until", 0.0)),
                str(raw.get("message", "")),
            )
        except (TypeError, ValueError, AttributeError):
            return LoginRecord()
        if rec.locked_until and rec.locked_until <= self.now():
            return LoginRecord()  # the lock ran out: the HMC starts again from zero
        return rec

    def locked(self, key: str) -> LoginRecord | None:
        """The record while the account is (believed) locked, else None."""
        rec = self.record(key)
        return rec if rec.locked_until > self.now() else None

    def refused(self, key: str, banners: list[str]) -> LoginRecord:
        """A login was refused; returns the new record (locked when the server said so)."""
        rec = self.record(key)
        message = lock_text(banners)
        failures = rec.failures + 1
        until = 0.0
        if message:
            match = _LEFT.search(message)
            until = self.now() + (int(match.group(1)) * 60.0 if match else LOCK_SECONDS)
            failures = max(failures, LOCKOUT_AFTER)
        elif failures >= LOCKOUT_AFTER:
            until = self.now() + LOCK_SECONDS
        new = LoginRecord(failures, until, message)
        data = self._read()
        data[key] = {"failures": failures, "locked_until": until, "message": message}
        self._write(data)
        return new

    def succeeded(self, key: str) -> None:
        data = self._read()
        if key in data:
            del data[key]
            self._write(data)
