"""Dropping a changed frame's cached counts: only where the frame is held, and all of it."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.model import FleetSnapshot
from tests.eligibility.caches import assert_caches_hold
from tests.eligibility.scratch import scratch_best
from tests.eligibility.test_incremental import _base, _judged
from tests.eligibility.test_source_key import _grown


class _Unscanned(dict):
    """A table that fails when walked whole: forgetting a frame must look only where it is."""

    def _walked(self, *args):
        raise AssertionError("every table walked to forget one frame")

    __iter__ = values = items = keys = _walked


def _changed(snapshot: FleetSnapshot, frame_no: int, **system) -> FleetSnapshot:
    hmc = snapshot.hmcs[0]
    frames = list(hmc.frames)
    frames[frame_no] = replace(frames[frame_no], system=replace(frames[frame_no].system, **system))
    return FleetSnapshot((replace(hmc, frames=tuple(frames)), *snapshot.hmcs[1:]), 2.0)


def test_forgetting_a_changed_frame_looks_only_where_it_is_held():
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    c = judge._counts
    c._sides, c._pair = _Unscanned(c._sides), _Unscanned(c._pair)
    for n, mem in enumerate((0, 10**7)):  # one frame nobody picks, then one every partition does
        now = _changed(base, n, mem_available=mem)
        judge.update(now)
        assert _judged(judge) == scratch_best(now)
    lpar_id = next(p.lpar_id for p in now.hmcs[0].frames[2].partitions if not p.is_vios)
    now = _grown(now, 2, lpar_id)  # a partition: the frame reads the same as a target
    judge.update(now)
    assert _judged(judge) == scratch_best(now)


def test_no_cache_holds_counts_of_a_frame_that_changed_or_went():
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    now = base
    for n, mem in enumerate((0, 10**7, 12345)):
        now = _changed(now, n, mem_available=mem)
        judge.update(now)
        assert_caches_hold(judge)
    lpar_id = next(p.lpar_id for p in now.hmcs[0].frames[1].partitions if not p.is_vios)
    now = _grown(now, 1, lpar_id)
    judge.update(now)
    assert_caches_hold(judge)
    hmc = now.hmcs[0]
    now = FleetSnapshot((replace(hmc, frames=hmc.frames[1:]), *now.hmcs[1:]), 3.0)  # one goes
    judge.update(now)
    assert_caches_hold(judge)


def test_a_frame_whose_partitions_changed_keeps_its_pair_counts_as_a_target(monkeypatch):
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    c = judge._counts
    lpar_id = next(p.lpar_id for p in base.hmcs[0].frames[0].partitions if not p.is_vios)
    now = _grown(base, 0, lpar_id)

    def counted_again(ff):
        raise AssertionError(f"{ff.name} counted again as a target")

    monkeypatch.setattr(c, "add_target", counted_again)
    judge.update(now)
    assert judge.frames_changed == 2  # the frame, new and old
    assert _judged(judge) == scratch_best(now)
