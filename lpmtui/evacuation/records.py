"""What left a frame and what came back: ``evacuations.jsonl`` (beside the journal, 0600,
append-only JSON Lines).

An evacuation is one line ``{"id", "frame", "hmc", "at", "moves": [[name, target]], "stays":
[[name, reason]]}`` (``stays``: what could not move and why; absent in older files), written
before its first migration is queued (``evacuation.run``). When every move of a bring-home has
ended, one line per evacuation it reversed says which of its partitions are home:
``{"id", "frame", "at", "returned": [name], "closed": bool}``. A partition that is home is not
planned again; an evacuation whose partitions are all home is closed, and "bring home" no longer
offers it. A move that failed or was stopped leaves its partition open for the next bring-home.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from lpmtui.evacuation.plan import RETURN, EvacuationPlan, PastEvacuation
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.store.journal import append_jsonl, read_jsonl, utc_now

log = logging.getLogger(__name__)


class EvacuationLog:
    FILENAME = "evacuations.jsonl"

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, journal_path: Path) -> EvacuationLog:
        return cls(journal_path.with_name(cls.FILENAME))

    def append(self, plan: EvacuationPlan) -> PastEvacuation:
        evacuation = PastEvacuation(
            id=uuid.uuid4().hex[:12],
            frame=plan.frame,
            hmc=plan.hmc,
            at=utc_now(),
            moves=tuple((m.partition, m.target) for m in plan.moves),
        )
        append_jsonl(
            self.path,
            {
                "id": evacuation.id,
                "frame": evacuation.frame,
                "hmc": evacuation.hmc,
                "at": evacuation.at,
                "moves": [list(m) for m in evacuation.moves],
                "stays": [[s.partition, s.reason] for s in plan.stays],
            },
        )
        return evacuation

    def record_return(self, plan: EvacuationPlan, home: Iterable[str]) -> list[dict[str, Any]]:
        """Write down which partitions of each evacuation ``plan`` reversed are ``home``; the
        lines written (none for an evacuation none of whose partitions is home)."""
        home = set(home)
        written = []
        for evacuation_id, names in plan.reverses:
            returned = [n for n in names if n in home]
            if not returned:
                continue
            entry = {
                "id": evacuation_id,
                "frame": plan.frame,
                "at": utc_now(),
                "returned": returned,
                "closed": len(returned) == len(names),
            }
            append_jsonl(self.path, entry)
            written.append(entry)
        return written

    def evacuations(self) -> list[PastEvacuation]:
        """Every evacuation, oldest first, with the partitions brought home since."""
        found, _torn = read_jsonl(self.path)
        out: list[PastEvacuation] = []
        returned: dict[str, set[str]] = {}
        closed: set[str] = set()
        for r in found:
            try:
                if "moves" not in r:
                    if not isinstance(r["returned"], list):
                        raise TypeError("returned: not a list")
                    names = {str(n) for n in r["returned"]}
                    returned.setdefault(str(r["id"]), set()).update(names)
                    if r.get("closed") is True:
                        closed.add(str(r["id"]))
                    continue
                moves = tuple((str(n), str(t)) for n, t in r["moves"])
                out.append(
                    PastEvacuation(
                        str(r["id"]),
                        str(r["frame"]),
                        str(r.get("hmc", "")),
                        str(r.get("at", "")),
                        moves,
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue  # a line this version cannot read is skipped, never fatal
        for i, r in enumerate(out):
            back = {n for n, _ in r.moves} if r.id in closed else returned.get(r.id, set())
            out[i] = replace(r, returned=tuple(n for n, _ in r.moves if n in back))
        return out

    def latest(self, frame: str) -> PastEvacuation | None:
        """The newest open evacuation of ``frame`` (what "bring home" reverses)."""
        return next(iter(self.of_frame(frame)), None)

    def of_frame(self, frame: str) -> list[PastEvacuation]:
        """Every evacuation of ``frame`` not yet closed, newest first."""
        return [r for r in reversed(self.evacuations()) if r.frame == frame and not r.closed]


def evacuation_ids(plan: EvacuationPlan, evacuation: PastEvacuation | None) -> dict[str, str]:
    """partition name -> the id of the evacuation its move belongs to: the one just recorded
    for an evacuation, the one it reverses for a bring-home (for the audit log)."""
    if evacuation is not None:
        return {name: evacuation.id for name, _ in evacuation.moves}
    return {name: evacuation_id for evacuation_id, names in plan.reverses for name in names}


def record_when_ended(
    manager: Any, plan: EvacuationPlan, started: Iterable[MigrationProgress], book: EvacuationLog
) -> asyncio.Future[list[dict[str, Any]]] | None:
    """Once every started move of a bring-home has ended (succeeded, failed, stopped, recovered
    or cancelled: each is shown in the migrations panel), write down what is home: the moves
    that succeeded and the partitions the plan found home already. The future gives the lines
    written, or the OSError that kept them from being written."""
    jobs = {p.job_id: p for p in started}
    if plan.action != RETURN or not plan.reverses:
        return None
    done: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()

    def ended() -> None:
        if done.done() or not all(p.state.terminal for p in jobs.values()):
            return
        unsubscribe()
        home = set(plan.found_home)
        home.update(p.partition for p in jobs.values() if p.state is MigrationState.SUCCEEDED)
        try:
            done.set_result(book.record_return(plan, home))
        except OSError as exc:
            log.error("cannot write %s: %s", book.path, exc)
            done.set_exception(exc)

    def on_progress(progress: MigrationProgress) -> None:
        if progress.job_id in jobs:
            jobs[progress.job_id] = progress
            ended()

    unsubscribe = manager.subscribe(on_progress) if jobs else (lambda: None)
    for job_id in jobs:  # what happened while the moves were being queued
        jobs[job_id] = manager.job(job_id)
    ended()
    return done
