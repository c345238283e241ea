"""``check --all`` judged a partition at a time: the same output as the whole matrix, with at
most one partition's verdicts alive at once."""

from __future__ import annotations

import asyncio
import gc
import io
import sys

import pytest

from lpmtui.cli import matrix as cli_matrix
from lpmtui.common.visible import visible
from lpmtui.eligibility import matrix
from lpmtui.eligibility import report as rpt
from lpmtui.eligibility.index import index_of
from lpmtui.eligibility.stream import forget_source, ranked_rows
from lpmtui.eligibility.verdict import Verdict
from lpmtui.model import FleetSnapshot


def _old_rows(snapshot: FleetSnapshot) -> list:
    """cli/matrix.rows before streaming (commit a963072): the whole matrix first."""
    result = matrix(snapshot)
    out = []
    for h in snapshot.hmcs:
        for f in h.frames:
            for p in f.partitions:
                if p.key in result:
                    verdicts = result[p.key]
                    kind = verdicts[0].kind if verdicts else None
                    out.append((p.name, p.system, p.lpar_id, kind, verdicts))
    return out


def _old_output(snapshot: FleetSnapshot, *, as_json: bool, detail: bool) -> tuple[str, bool]:
    found = _old_rows(snapshot)
    out = io.StringIO()
    if as_json:
        cli_matrix.write_json(snapshot, found, out, detail=detail)
    else:
        lines = [*rpt.matrix_text(found), "", cli_matrix.summary_line(found)]
        out.write("\n".join(visible(line) for line in lines) + "\n")
    return out.getvalue(), bool(found) and all(any(v.migratable for v in r[4]) for r in found)


def _new_output(snapshot: FleetSnapshot, *, as_json: bool, detail: bool) -> tuple[str, bool]:
    out = io.StringIO()
    ok = cli_matrix.run_all(
        FleetSnapshot(snapshot.hmcs, snapshot.taken_at), as_json=as_json, detail=detail, out=out
    )
    return out.getvalue(), ok


def _demo() -> FleetSnapshot:
    from lpmtui.cli.check import collect
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.simlink import demo_links

    return asyncio.run(collect(Fleet(demo_links())))


def _generated() -> FleetSnapshot:
    from lpmtui.cli.check import collect
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.sim.generate import generate
    from lpmtui.simlink import sim_links

    return asyncio.run(collect(Fleet(sim_links(generate(hmcs=3, frames=9, partitions=180)))))


@pytest.fixture(scope="module")
def demo() -> FleetSnapshot:
    return _demo()


@pytest.fixture(scope="module")
def generated() -> FleetSnapshot:
    return _generated()


@pytest.mark.parametrize("as_json,detail", [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize("fleet", ["demo", "generated"])
def test_streamed_output_is_the_old_output(request, fleet, as_json, detail):
    snapshot = request.getfixturevalue(fleet)
    old = _old_output(
        FleetSnapshot(snapshot.hmcs, snapshot.taken_at), as_json=as_json, detail=detail
    )
    new = _new_output(snapshot, as_json=as_json, detail=detail)
    assert new == old
    assert len(new[0].splitlines()) > 20


def _live_verdicts() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Verdict)


def test_at_most_one_partitions_verdicts_are_alive_at_once(generated):
    snapshot = FleetSnapshot(generated.hmcs, generated.taken_at)
    frames = sum(len(h.frames) for h in snapshot.hmcs)
    gc.collect()
    before = _live_verdicts()
    peak = rows = 0
    for row in ranked_rows(snapshot):
        rows += 1
        assert len(row[4]) == frames - 1
        peak = max(peak, _live_verdicts() - before)
        del row
    assert rows == 180
    assert peak == frames - 1  # the row in hand, nothing kept from the rows before
    # the old path holds every pair at once
    held = _old_rows(FleetSnapshot(snapshot.hmcs, snapshot.taken_at))
    assert _live_verdicts() - before == rows * (frames - 1)
    del held


def test_the_walk_forgets_each_source_frame_it_leaves(generated):
    snapshot = FleetSnapshot(generated.hmcs, generated.taken_at)
    idx = index_of(snapshot)
    for _ in ranked_rows(snapshot):
        pass
    sources = {k[1] for k in idx.memo if k[0] in ("lpar", "prules", "side", "pair", "targets")}
    assert sources == set()
    assert any(k[0] == "tgt" for k in idx.memo)  # target groups are shared: kept
    first = snapshot.hmcs[0].frames[0].system.name
    list(ranked_rows(FleetSnapshot(snapshot.hmcs, 2.0)))  # a new index: nothing to forget
    assert forget_source(idx, first) == 0


def test_run_all_streams_the_table_to_its_writer(demo, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    ok = cli_matrix.run_all(demo, as_json=False, detail=False)
    lines = out.getvalue().splitlines()
    assert not ok and lines[0].startswith("PARTITION") and lines[-2] == ""
    assert lines[-1].startswith(f"{len(lines) - 3} partitions: ")
