"""``lpmtui report [--config F | --demo] [--since T] [--until T] [--format md|html|json]
[-o FILE]``: the window, from the audit log, the journal and the evacuation records.

``--since``/``--until`` take an ISO 8601 time (a time without a zone is UTC) or an age such as
``90m``, ``12h`` or ``7d`` (that long ago). Reading the records needs no credentials: with
``--config`` only the config's ``paths`` are read. Bad arguments, a config error and an
unreadable file are one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lpmtui.common.visible import visible
from lpmtui.store.jsonl import read_jsonl

EXIT_OK, EXIT_ERROR = 0, 2
_AGE = re.compile(r"^(\d+)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class ReportError(Exception):
    """Usage, config or file trouble: the message is the one line the user sees."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit
        raise ReportError(message)


def parse_when(text: str, now: datetime | None = None) -> datetime:
    age = _AGE.match(text.strip())
    if age:
        now = now or datetime.now(UTC)
        return now - timedelta(**{_UNITS[age.group(2)]: int(age.group(1))})
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 time (2026-12-03T22:00+01:00) or an age (90m, 12h, 7d), "
            f"got {text!r}"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="lpmtui report", description="Report a maintenance window.")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--config", metavar="FILE", help="read the record locations from it")
    source.add_argument("--demo", action="store_true", help="the records of `lpmtui demo`")
    p.add_argument("--since", type=parse_when, metavar="T", help="from (ISO 8601 or 12h)")
    p.add_argument("--until", type=parse_when, metavar="T", help="to (ISO 8601 or 12h)")
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    return p


def _paths(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """(audit, journal, evacuations) files."""
    from lpmtui.evacuation.records import EvacuationLog
    from lpmtui.store.audit import AuditLog
    from lpmtui.store.journal import Journal, state_dir

    if args.demo:
        from lpmtui.config.model import demo_state_dir

        base = demo_state_dir()
        audit, journal = base / AuditLog.FILENAME, base / Journal.FILENAME
    elif args.config:
        from lpmtui.config import loader

        try:
            paths = loader.load_paths(args.config)
        except Exception as exc:  # a config error is one line for the user, never a traceback
            raise ReportError(str(exc)) from None
        audit, journal = Path(paths.audit_file), Path(paths.journal_file)
    else:
        audit, journal = state_dir() / AuditLog.FILENAME, state_dir() / Journal.FILENAME
    return audit, journal, EvacuationLog.beside(journal).path


def render(args: argparse.Namespace) -> str:
    from lpmtui.report import data, markdown, model, page

    if args.since and args.until and args.since > args.until:
        raise ReportError("--since is after --until")
    records = []
    for path in _paths(args):
        try:
            found, problems = read_jsonl(path, missing_ok=True)
        except OSError as exc:
            raise ReportError(f"cannot read {path}: {exc.strerror or exc}") from None
        for problem in problems:
            print(f"lpmtui report: {visible(problem)}", file=sys.stderr)
        records.append(found)
    window = model.build(*records, since=args.since, until=args.until)
    renderer = {"md": markdown, "html": page, "json": data}[args.format]
    return renderer.render(window)


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise ReportError(f"cannot write {output}: {exc.strerror or exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """``lpmtui report``: the window as Markdown, HTML or JSON."""
    try:
        args = _parser().parse_args(list(argv or []))
        _write(render(args), args.output)
    except ReportError as exc:
        print(f"lpmtui report: {visible(exc)}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
