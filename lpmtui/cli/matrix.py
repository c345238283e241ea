"""``lpmtui check --all``: every partition against every other frame.

The table is one line per partition (its best target) and ends with a summary line. ``--json``
leads each partition with its summary (best target, its failing rule count and the reasons);
``--detail`` adds every (partition, target) verdict with its checks. The JSON is written one
partition at a time, never built as one document, so its size does not grow the console's
memory. Times are ISO 8601 with their zone.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from lpmtui.common.visible import visible
from lpmtui.eligibility import report as rpt
from lpmtui.eligibility.evaluate import Verdict, matrix
from lpmtui.model import FleetSnapshot

Row = tuple[str, str, int, str | None, list[Verdict]]


def rows(snapshot: FleetSnapshot) -> list[Row]:
    result = matrix(snapshot)
    out: list[Row] = []
    for h in snapshot.hmcs:
        for f in h.frames:
            for p in f.partitions:
                if p.key in result:
                    verdicts = result[p.key]
                    kind = verdicts[0].kind if verdicts else None
                    out.append((p.name, p.system, p.lpar_id, kind, verdicts))
    return out


def summary(row: Row, *, detail: bool = False) -> dict[str, Any]:
    """One partition: its best target, how many rules fail there and why."""
    name, system, lpar_id, kind, verdicts = row
    best = verdicts[0] if verdicts else None
    out: dict[str, Any] = {
        "partition": name,
        "source_system": system,
        "lpar_id": lpar_id,
        "kind": kind,
        "migratable": any(v.migratable for v in verdicts),
        "best_target": best.target_system if best else None,
        "best_status": best.status.value if best else None,
        "failing_rules": best.fails if best else 0,
        "reasons": [
            f"{c.rule_id}: {c.reason}"
            for c in (best.checks if best else ())
            if c.status.value == "fail"
        ],
        "migratable_to": [v.target_system for v in verdicts if v.migratable],
    }
    if best is None:
        out["reasons"] = ["no other frame to move it to"]
    if detail:
        out["targets"] = [rpt.verdict_dict(v) for v in verdicts]
    return out


def write_json(snapshot: FleetSnapshot, found: list[Row], out: TextIO, *, detail: bool) -> None:
    taken = datetime.fromtimestamp(snapshot.taken_at, UTC).isoformat(timespec="seconds")
    out.write(f'{{"taken_at": {json.dumps(taken)},\n "partitions": [')
    for i, row in enumerate(found):
        out.write(("," if i else "") + "\n  " + json.dumps(summary(row, detail=detail)))
    out.write("\n ]\n}\n")


def summary_line(found: list[Row]) -> str:
    movable = sum(1 for *_, verdicts in found if any(v.migratable for v in verdicts))
    stuck = len(found) - movable
    alone = sum(1 for *_, verdicts in found if not verdicts)
    extra = f" ({alone} with no other frame)" if alone else ""
    return f"{len(found)} partitions: {movable} migratable, {stuck} not{extra}"


def run_all(snapshot: FleetSnapshot, *, as_json: bool, detail: bool) -> bool:
    """Print the matrix; True when every partition can move somewhere."""
    found = rows(snapshot)
    if as_json:
        write_json(snapshot, found, sys.stdout, detail=detail)
    else:
        lines = [*rpt.matrix_text(found), "", summary_line(found)]
        print("\n".join(visible(line) for line in lines))
    return bool(found) and all(any(v.migratable for v in verdicts) for *_, verdicts in found)
