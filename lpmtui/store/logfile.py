"""The console's log file: lpmtui's and asyncssh's messages, and every HMC command run.

Textual owns the terminal while the console runs, so nothing may print; what is worth keeping
goes to a rotating file in the configured ``log_dir``, readable by its owner only. Passwords never
reach it: the transport redacts ``--passwd`` values in CommandEvents and masks known secrets on
its loggers before records get here. Every message is written through ``visible``: an HMC name
holding a newline or an escape sequence cannot forge a log line or colour a ``tail -f``
(tracebacks keep their own lines).
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from lpmtui.common.visible import visible
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.runner import CommandEvent

LOG_FILE = "lpmtui.log"
COMMANDS = logging.getLogger("lpmtui.commands")


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Every file it opens, rotated ones included, is created with mode 0600."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class _VisibleFormatter(logging.Formatter):
    """One record, one line: control characters in the message are spelled out."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return visible(super().formatMessage(record))


def open_log(log_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Send the root logger to ``log_dir/lpmtui.log`` (2 MB x 4 files); None if it cannot be
    written (the console then runs without a log file rather than not at all)."""
    path = Path(log_dir).expanduser() / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _PrivateRotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(_VisibleFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _PrivateRotatingFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    # asyncssh logs every channel and command line at INFO; the command log below has them.
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    return path


def log_command(event: CommandEvent) -> None:
    """One line per HMC command: HMC, rc ('?' = outcome unknown), duration, the command."""
    rc = "?" if event.rc is None else str(event.rc)
    reason = f" ({event.error})" if event.error else ""
    COMMANDS.info(
        "%s rc=%s %.2fs %s%s", event.hmc, rc, event.duration, command_line(event.argv), reason
    )
