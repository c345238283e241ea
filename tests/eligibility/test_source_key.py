"""The source signature (source_key): a changed frame's partition that is the same object keeps
its facts only while every source fact they read is unchanged."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from lpmtui.eligibility import incremental
from lpmtui.eligibility.evaluate import PARTITION_RULES, partition_facts
from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.eligibility.index import FrameFacts, SnapshotIndex
from lpmtui.eligibility.pair_counts import counts
from lpmtui.eligibility.rules_pair import signature
from lpmtui.eligibility.source_key import moved, source_signature
from lpmtui.model import FleetSnapshot, SriovLogicalPort
from tests.eligibility.scratch import scratch_best
from tests.eligibility.test_incremental import _base, _judged


def _read(hmc, frame, lp) -> tuple:
    """What the judge keeps of a partition: its facts (less the frame), partition-rule counts
    and signature."""
    src = FrameFacts.build(hmc, frame)
    snapshot = FleetSnapshot((replace(hmc, frames=(frame,)),), 1.0)
    pf = partition_facts(SnapshotIndex.build(snapshot), src, lp)
    facts = tuple(getattr(pf, f.name) for f in fields(pf) if f.name not in ("frame", "memo"))
    return facts, counts([r(pf) for r in PARTITION_RULES]), signature(pf), source_signature(src)


def _setup():
    hmc = _base().hmcs[0]
    frame = hmc.frames[0]
    lp = next(p for p in frame.partitions if not p.is_vios)
    return hmc, frame, lp


def _system(frame, **changes):
    return replace(frame, system=replace(frame.system, **changes))


def _vioses_stop(frame):
    stopped = tuple(replace(p, state="Not Activated") if p.is_vios else p for p in frame.partitions)
    return replace(frame, partitions=stopped)


def _with_sriov(frame, lp):
    port = SriovLogicalPort(lpar_id=lp.lpar_id, adapter_id=1, phys_port_id=0, logical_port_id="1")
    return replace(
        _system(frame, sriov_migration_capable=True), cold=replace(frame.cold, sriov_ports=(port,))
    )


# per source fact a partition reads: (the set-up before, if not _setup's; the change)
CHANGES = {
    "console level": (None, lambda h, f, lp: (replace(h, version=None), f, lp)),
    "service partition": (None, lambda h, f, lp: (h, _system(f, service_lpar_id=lp.lpar_id), lp)),
    "IBM i mobility": (
        lambda h, f, lp: (h, _system(f, ibmi_mobility_capable=True), replace(lp, lpar_env="os400")),
        lambda h, f, lp: (h, _system(f, ibmi_mobility_capable=False), lp),
    ),
    "SR-IOV mobility": (
        lambda h, f, lp: (h, _with_sriov(f, lp), lp),
        lambda h, f, lp: (h, _system(f, sriov_migration_capable=False), lp),
    ),
    "cold data": (None, lambda h, f, lp: (h, replace(f, cold=None), lp)),
    "VIOS state": (None, lambda h, f, lp: (h, _vioses_stop(f), lp)),
}


@pytest.mark.parametrize("fact", CHANGES)
def test_a_source_fact_a_partition_reads_is_in_the_source_signature(fact):
    setup, change = CHANGES[fact]
    before = _setup()
    if setup is not None:
        before = setup(*before)
    after = change(*before)
    assert after[2] is before[2]  # the same partition object, on a changed frame
    was, now = _read(*before), _read(*after)
    # the change matters to what the judge keeps (else this test proves nothing) ...
    assert was[:3] != now[:3]
    # ... so the judge must not keep it
    assert was[3] != now[3]


def test_moved_facts_are_the_facts_on_the_new_frame():
    hmc, frame, _ = _setup()
    src = FrameFacts.build(hmc, frame)
    twin = FrameFacts.build(hmc, replace(frame))
    idx = SnapshotIndex.build(FleetSnapshot((hmc,), 1.0))
    for lp in frame.partitions:
        pf, again = moved(partition_facts(idx, src, lp), twin), partition_facts(idx, twin, lp)
        assert pf.frame is twin
        for f in fields(pf):
            if f.name not in ("frame", "memo"):
                assert getattr(pf, f.name) == getattr(again, f.name), f.name


def _grown(snapshot: FleetSnapshot, frame_no: int, lpar_id: int) -> FleetSnapshot:
    """One partition of one frame with more memory, the others the same objects."""
    hmc = snapshot.hmcs[0]
    frames = list(hmc.frames)
    f = frames[frame_no]
    parts = tuple(
        replace(p, curr_mem=(p.curr_mem or 0) + 1024) if p.lpar_id == lpar_id else p
        for p in f.partitions
    )
    frames[frame_no] = replace(f, partitions=parts)
    hmcs = (replace(hmc, frames=tuple(frames)), *snapshot.hmcs[1:])
    return FleetSnapshot(hmcs, snapshot.taken_at + 1)


def test_a_changed_frame_works_out_facts_only_for_its_changed_partitions(monkeypatch):
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    made = []
    real = incremental.partition_facts

    def counted(idx, src, lp):
        made.append(lp.key)
        return real(idx, src, lp)

    monkeypatch.setattr(incremental, "partition_facts", counted)
    f = base.hmcs[0].frames[0]
    lp = next(p for p in f.partitions if not p.is_vios)
    now = _grown(base, 0, lp.lpar_id)
    judge.update(now)
    assert made == [lp.key]
    assert _judged(judge) == scratch_best(now)
