"""``lpmtui audit [--config FILE | --demo | --file PATH] [--json] [--last N]``: the audit log,
readably (one line per record, the HMC's message indented below) or as its raw JSON lines.

Reading a local file needs no credentials: with ``--config`` only the config's ``paths`` are
read. Bad arguments, a config error and an unreadable file are one line on stderr and exit 2;
an audit log not written yet prints "No audit records" and exits 0, but a ``--file`` that does
not exist is an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lpmtui.common.visible import visible
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import state_dir
from lpmtui.store.jsonl import read_jsonl

EXIT_OK, EXIT_ERROR = 0, 2


class AuditError(Exception):
    """Usage, config or file trouble: the message is the one line the user sees."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit
        raise AuditError(message)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of records (1 or more), got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lpmtui audit", description="Show the audit log.")
    parser.add_argument("--config", help="read the audit file location from this config")
    parser.add_argument("--file", help="the audit file to read (default: the XDG state dir)")
    parser.add_argument("--demo", action="store_true", help="the audit log of `lpmtui demo`")
    parser.add_argument("--json", action="store_true", help="print the raw JSON records")
    parser.add_argument("--last", type=_positive, default=None, help="only the last N records")
    return parser


def _duration(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)):
        return ""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _known(value: Any) -> str:
    return "unknown" if value is None or value == "" else str(value)


def _subject(rec: dict[str, Any]) -> str:
    """``web1 (id 3) p9-a → p9-b``: the partition by name beside its id (older records have
    no id: "unknown")."""
    where = ""
    if rec.get("source") or rec.get("target"):
        where = f" {_known(rec.get('source'))} → {_known(rec.get('target'))}"
    return f"{_known(rec.get('partition'))} (id {_known(rec.get('lpar_id'))}){where}"


def format_record(rec: dict[str, Any]) -> str:
    """One readable line (plus indented message lines) for a record, control characters
    spelled out."""
    at = str(rec.get("at", "")).replace("T", " ")
    phase = str(rec.get("phase", ""))
    outcome = str(rec.get("outcome", "")) if phase != "sent" else "sent"
    if phase == "refused":
        outcome = "refused"
    head = [
        at,
        f"{_known(rec.get('user'))}@{_known(rec.get('console_host'))}",
        str(rec.get("hmc", "")) or "-",
        f"{outcome:<15}",
        _subject(rec),
        str(rec.get("command", "")) or " ".join(map(str, rec.get("argv", ()))),
    ]
    extras = []
    if rec.get("rc") is not None:
        extras.append(f"rc={rec['rc']}")
    if rec.get("duration") is not None:
        extras.append(_duration(rec.get("duration")))
    if rec.get("validation"):
        extras.append(f"validation: {rec['validation']}")
    if rec.get("confirmation"):
        typed = f": typed {rec['typed']!r}" if rec.get("typed") is not None else ""
        extras.append(f"confirmed: {rec['confirmation']}{typed}")
    if rec.get("evacuation"):
        extras.append(f"evacuation {rec['evacuation']}")
    if rec.get("determined_by"):
        extras.append(f"by {rec['determined_by']}")
    if not rec.get("changes_state", True):
        extras.append("read-only check")
    line = "  ".join(head) + (f"  ({', '.join(extras)})" if extras else "")
    message = str(rec.get("message", "") or "")
    return visible(line) + "".join(f"\n    {visible(m)}" for m in message.splitlines())


def _audit_path(args: argparse.Namespace) -> Path:
    if args.file:
        return Path(args.file)
    if args.demo:  # `lpmtui demo` keeps its own state beside the real console's
        from lpmtui.config.model import demo_state_dir

        return demo_state_dir() / AuditLog.FILENAME
    if args.config:
        from lpmtui.config import loader  # only when asked: a config names its own audit file

        return Path(loader.load_paths(args.config).audit_file)
    return state_dir() / AuditLog.FILENAME


def _show(args: argparse.Namespace) -> int:
    try:
        path = _audit_path(args)
    except Exception as exc:  # a config error is one line for the user, never a traceback
        raise AuditError(str(exc)) from None
    try:
        records, problems = read_jsonl(path, missing_ok=not args.file)
    except OSError as exc:
        raise AuditError(str(exc)) from None
    if args.last is not None:
        records = records[-args.last :]
    for problem in problems:
        print(f"lpmtui audit: {visible(problem)}", file=sys.stderr)
    if not records:
        print(f"No audit records in {visible(path)}.")
        return EXIT_OK
    for rec in records:
        print(json.dumps(rec, ensure_ascii=False) if args.json else format_record(rec))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``lpmtui audit``: print the audit log readably (or as JSON lines with ``--json``)."""
    try:
        return _show(_parser().parse_args(list(argv or [])))
    except AuditError as exc:
        print(f"lpmtui audit: {visible(exc)}", file=sys.stderr)
        return EXIT_ERROR
