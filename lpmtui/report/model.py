"""A maintenance window as the records remember it: ``build(audit, journal, evacuations)``.

Reads the three append-only files' records (lists of dicts, as ``store.jsonl.read_jsonl`` gives
them) and folds them into frozen rows: every migration (joined by job id across the journal and
the audit log), every evacuation with its moves, what stayed and what came home, and every HMC
validation. Nothing here formats or escapes: the renderers do (``visible`` for every string that
came from an HMC or a file). A field an older record does not carry is ``None`` and is shown as
"unknown".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lpmtui.store.journal import JournalJob, fold_jobs

# outcomes that go first: something for the operator to look at
FAILED = frozenset(
    {"failed", "outcome unknown", "needs_recovery", "stopped", "cancelled", "refused", "unknown"}
)
GB = 1024**3


def parse_time(text: Any) -> datetime | None:
    """An ISO 8601 time from a record (``Z`` or an offset; a naive one is UTC), or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def iso(when: datetime | None) -> str | None:
    """ISO 8601 with its zone, to the second (``2026-12-03T14:17:25+00:00``)."""
    return None if when is None else when.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Migration:
    job: str
    partition: str | None
    lpar_id: int | None
    source: str | None
    target: str | None
    hmc: str | None
    console_host: str | None
    user: str | None
    queued_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    duration: float | None  # seconds on the HMC: from sending migrlpar to its end
    bytes_moved: int | None
    outcome: str
    message: str  # the HMC's own words (verbatim), or the console's when the HMC said nothing
    evacuation: str | None = None
    confirmation: str | None = None
    typed: str | None = None
    actions: tuple[str, ...] = ()  # stop / recover requests, as "op by user at time"

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED

    @property
    def gb(self) -> float | None:
        return None if self.bytes_moved is None else self.bytes_moved / GB

    @property
    def rate(self) -> float | None:
        """Average bytes per second over the time on the HMC."""
        if self.bytes_moved is None or not self.duration:
            return None
        return self.bytes_moved / self.duration


@dataclass(frozen=True, slots=True)
class Evacuation:
    id: str
    frame: str
    hmc: str | None
    at: datetime | None
    moves: tuple[tuple[str, str], ...]  # (partition, the frame it was sent to)
    stays: tuple[tuple[str, str], ...] | None  # (partition, why); None: not recorded (old file)
    returned: tuple[tuple[str, datetime | None], ...] = ()  # (partition, when written down home)
    closed: bool = False
    migrations: tuple[Migration, ...] = ()  # its moves out and home, as run


@dataclass(frozen=True, slots=True)
class Validation:
    at: datetime | None
    partition: str | None
    lpar_id: int | None
    source: str | None
    target: str | None
    hmc: str | None
    user: str | None
    outcome: str
    message: str

    @property
    def failed(self) -> bool:
        return self.outcome != "ok"


@dataclass(frozen=True, slots=True)
class Window:
    since: datetime | None
    until: datetime | None
    migrations: tuple[Migration, ...]  # failures first, then by start
    evacuations: tuple[Evacuation, ...]
    validations: tuple[Validation, ...]  # failures first, then by time
    problems: tuple[str, ...] = field(default=())

    @property
    def failures(self) -> tuple[Migration, ...]:
        return tuple(m for m in self.migrations if m.failed)

    @property
    def span(self) -> tuple[datetime | None, datetime | None]:
        """The window asked for; an open end is the first (last) record in it."""
        times = [
            t
            for m in self.migrations
            for t in (m.queued_at, m.started_at, m.ended_at)
            if t is not None
        ]
        times += [e.at for e in self.evacuations if e.at is not None]
        times += [v.at for v in self.validations if v.at is not None]
        first, last = (min(times), max(times)) if times else (None, None)
        return self.since or first, self.until or last


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _migration(
    job_id: str, journaled: JournalJob | None, audits: list[dict[str, Any]]
) -> Migration:
    request = journaled.request if journaled is not None else {}
    sent = next((a for a in audits if a.get("op") == "migrate" and a.get("phase") == "sent"), {})
    first = sent or next(iter(audits), {})
    dones = [a for a in audits if a.get("op") == "migrate" and a.get("phase") == "done"]
    done = dones[-1] if dones else {}
    hmc_end = next((a for a in dones if a.get("determined_by") != "re-attach"), {})
    state = journaled.state if journaled is not None else ""
    outcome = state if state and state not in ("queued", "waiting", "starting") else ""
    outcome = outcome or _text(done.get("outcome")) or ("sent" if sent else "unknown")
    message = _text(done.get("message")) or (journaled.command_message if journaled else "")
    if not message and journaled is not None and outcome in FAILED:
        message = journaled.message
    ended = parse_time(done.get("at")) if done else None
    if ended is None and journaled is not None and outcome not in ("in_progress", "sent"):
        ended = parse_time(journaled.updated_at)
    actions = tuple(
        f"{a.get('op')} by {a.get('user') or 'unknown'} at {iso(parse_time(a.get('at')))}"
        for a in audits
        if a.get("op") in ("stop", "recover") and a.get("phase") == "sent"
    )
    return Migration(
        job=job_id,
        partition=_text(request.get("partition")) or _text(first.get("partition")),
        lpar_id=_int(request.get("lpar_id")) or _int(first.get("lpar_id")),
        source=_text(request.get("source")) or _text(first.get("source")),
        target=_text(request.get("target")) or _text(first.get("target")),
        hmc=(journaled.hmc if journaled else "") or _text(first.get("hmc")),
        console_host=_text(sent.get("console_host")),
        user=_text(sent.get("user")),
        queued_at=parse_time(journaled.queued_at) if journaled else None,
        started_at=parse_time(journaled.sent_at if journaled else None)
        or parse_time(sent.get("at")),
        ended_at=ended,
        duration=_number(hmc_end.get("duration")),
        bytes_moved=_int(hmc_end.get("bytes_moved")),
        outcome=outcome,
        message=message or "",
        evacuation=_text(sent.get("evacuation")),
        confirmation=_text(sent.get("confirmation")),
        typed=_text(sent.get("typed")),
        actions=actions,
    )


def _in_window(times: Iterable[datetime | None], since, until) -> bool:
    known = [t for t in times if t is not None]
    if not known:
        return since is None and until is None
    return (since is None or max(known) >= since) and (until is None or min(known) <= until)


def _evacuations(records: list[dict[str, Any]], migrations: tuple[Migration, ...]):
    found: dict[str, dict[str, Any]] = {}
    returned: dict[str, list[tuple[str, datetime | None]]] = {}
    closed: set[str] = set()
    problems = []
    for rec in records:
        try:
            key = str(rec["id"])
            if "moves" in rec:
                found[key] = rec
            else:
                at = parse_time(rec.get("at"))
                returned.setdefault(key, []).extend((str(n), at) for n in rec["returned"])
                if rec.get("closed") is True:
                    closed.add(key)
        except (KeyError, TypeError):
            problems.append(f"evacuations: a record this version cannot read: {str(rec)[:80]}")
    out = []
    for key, rec in found.items():
        try:
            moves = tuple((str(n), str(t)) for n, t in rec["moves"])
            stays = rec.get("stays")
            stays = None if stays is None else tuple((str(n), str(w)) for n, w in stays)
        except (TypeError, ValueError):
            problems.append(f"evacuations: a record this version cannot read: {key}")
            continue
        out.append(
            Evacuation(
                id=key,
                frame=str(rec.get("frame", "")),
                hmc=_text(rec.get("hmc")),
                at=parse_time(rec.get("at")),
                moves=moves,
                stays=stays,
                returned=tuple(returned.get(key, ())),
                closed=key in closed,
                migrations=tuple(m for m in migrations if m.evacuation == key),
            )
        )
    return out, problems


def _validation(rec: dict[str, Any]) -> Validation:
    return Validation(
        at=parse_time(rec.get("at")),
        partition=_text(rec.get("partition")),
        lpar_id=_int(rec.get("lpar_id")),
        source=_text(rec.get("source")),
        target=_text(rec.get("target")),
        hmc=_text(rec.get("hmc")),
        user=_text(rec.get("user")),
        outcome=_text(rec.get("outcome")) or "unknown",
        message=_text(rec.get("message")) or "",
    )


def _epoch(when: datetime | None) -> float:
    return when.timestamp() if when is not None else 0.0


def build(
    audit: list[dict[str, Any]],
    journal: list[dict[str, Any]],
    evacuations: list[dict[str, Any]],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Window:
    """The window [since, until] (either open) of the three files' records."""
    journaled = fold_jobs(journal)
    by_job: dict[str, list[dict[str, Any]]] = {}
    for rec in audit:
        job = rec.get("job")
        if isinstance(job, str) and rec.get("op") != "validate":
            by_job.setdefault(job, []).append(rec)
    jobs = list(journaled) + [j for j in by_job if j not in journaled]
    every = [_migration(j, journaled.get(j), by_job.get(j, [])) for j in jobs]
    every = [m for m in every if _in_window((m.queued_at, m.started_at, m.ended_at), since, until)]
    every.sort(key=lambda m: (not m.failed, _epoch(m.started_at or m.queued_at)))
    migrations = tuple(every)
    evacs, problems = _evacuations(evacuations, migrations)
    evacs = [
        e for e in evacs if _in_window((e.at, *(m.ended_at for m in e.migrations)), since, until)
    ]
    validations = [
        _validation(r)
        for r in audit
        if r.get("op") == "validate" and _in_window((parse_time(r.get("at")),), since, until)
    ]
    validations.sort(key=lambda v: (not v.failed, _epoch(v.at)))
    return Window(since, until, migrations, tuple(evacs), tuple(validations), tuple(problems))
