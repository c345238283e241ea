"""``lpmtui check --all``: every partition against every other frame.

The table is one line per partition (its best target) and ends with a summary line. ``--json``
leads each partition with its summary (best target, its failing rule count and the reasons);
``--detail`` adds every (partition, target) verdict with its checks. Both are judged and written
one partition at a time (``eligibility.stream``): no matrix, no document is ever held whole, so
memory does not grow with the fleet beyond its index. Times are ISO 8601 with their zone.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from lpmtui.common.visible import visible
from lpmtui.eligibility import report as rpt
from lpmtui.eligibility.stream import Row, ranked_rows
from lpmtui.model import FleetSnapshot


def rows(snapshot: FleetSnapshot) -> list[Row]:
    """Every row at once (for small fleets and tests; ``run_all`` streams them)."""
    return list(ranked_rows(snapshot))


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


class Tally:
    """Counts of the rows that went by (the summary line and the exit status need no list)."""

    def __init__(self) -> None:
        self.total = self.movable = self.alone = 0

    def count(self, found: Iterable[Row]) -> Iterator[Row]:
        for row in found:
            verdicts = row[4]
            self.total += 1
            self.movable += any(v.migratable for v in verdicts)
            self.alone += not verdicts
            yield row

    @property
    def everywhere(self) -> bool:
        """True when there were partitions and every one can move somewhere."""
        return self.total > 0 and self.movable == self.total


def write_json(snapshot: FleetSnapshot, found: Iterable[Row], out: TextIO, *, detail: bool) -> None:
    taken = datetime.fromtimestamp(snapshot.taken_at, UTC).isoformat(timespec="seconds")
    out.write(f'{{"taken_at": {json.dumps(taken)},\n "partitions": [')
    for i, row in enumerate(found):
        out.write(("," if i else "") + "\n  " + json.dumps(summary(row, detail=detail)))
    out.write("\n ]\n}\n")


def write_table(found: Iterable[Row], out: TextIO) -> Tally:
    """The table a line per partition, then the summary line."""
    tally = Tally()
    header, *_ = rpt.matrix_text([])
    out.write(visible(header) + "\n")
    for row in tally.count(found):
        out.write(visible(rpt.matrix_text([row])[1]) + "\n")
    out.write("\n" + visible(summary_line(tally)) + "\n")
    return tally


def summary_line(found: Tally | list[Row]) -> str:
    if not isinstance(found, Tally):
        tally = Tally()
        for _ in tally.count(found):
            pass
        found = tally
    stuck = found.total - found.movable
    extra = f" ({found.alone} with no other frame)" if found.alone else ""
    return f"{found.total} partitions: {found.movable} migratable, {stuck} not{extra}"


def run_all(
    snapshot: FleetSnapshot, *, as_json: bool, detail: bool, out: TextIO | None = None
) -> bool:
    """Print every partition's row as it is judged; True when every partition can move
    somewhere."""
    out = sys.stdout if out is None else out
    if as_json:
        tally = Tally()
        write_json(snapshot, tally.count(ranked_rows(snapshot)), out, detail=detail)
    else:
        tally = write_table(ranked_rows(snapshot), out)
    return tally.everywhere
