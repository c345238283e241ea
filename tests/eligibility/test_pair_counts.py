"""The incremental judge's pair-count memo: a target signature holds every target fact the pair
rules read, so two frames with equal ones give every partition equal counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lpmtui.eligibility import pair_counts
from lpmtui.eligibility.checks import FAIL
from lpmtui.eligibility.evaluate import partition_facts
from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.eligibility.index import index_of
from lpmtui.eligibility.pair_counts import (
    MEM_AT,
    ONE_READER,
    PROC_AT,
    STATUS,
    pack,
    target_signature,
)
from lpmtui.eligibility.rules_pair import counts_without_name, signature
from tests.eligibility.scratch import scratch_best
from tests.eligibility.test_incremental import _base, _judged
from tests.eligibility.test_source_key import _grown

VLAN = ("ETHERNET0", 4001)
ONE_READER_FIELDS = [
    (MEM_AT, "mem_need", (None, 0, 1024, 10**9)),
    (PROC_AT, "proc_need", (None, 0.0, 0.15, 10**6)),
]


def _pair():
    """A partition that needs everything a target can offer, and a target that offers it."""
    idx = index_of(_base())
    src, t = list(idx.frames.values())[:2]
    lp = next(p for p in src.frame.partitions if not p.is_vios)
    capable = replace(src.system, sriov_migration_capable=True, ibmi_mobility_capable=True)
    pf = replace(
        partition_facts(idx, src, lp),
        frame=replace(src, system=capable),
        kind="active",
        mem_need=1024,
        proc_need=0.1,
        adapters=2,
        has_fc=True,
        serving_vios=3,
        vlans=frozenset({VLAN}),
        compat_mode="POWER9",
        pool="mine",
        sriov=1,
        vnics=1,
    )
    v = t.vioses[0]
    roomy = replace(
        t.system,
        ibmi_mobility_capable=True,
        mem_available=10**7,
        proc_units_available=500.0,
        proc_compat_modes=("default", "POWER9"),
        sriov_migration_capable=True,
    )
    target = replace(
        t,
        system=roomy,
        free_vios_slots=100,
        running_vioses=(v, v, v),
        cold=replace(t.cold, bridged_pairs=frozenset({VLAN})),
        npiv_vioses=(v,),
        npiv_known=True,
        pool_names=frozenset({"mine"}),
        sriov_free=10,
    )
    return pf, target


# (what the partition is, if not the one above; the target's change) per fact a rule reads
CHANGES = {
    "ibmi_mobility_capable": ({"os400": True}, {"system": {"ibmi_mobility_capable": False}}),
    "mem_available": ({}, {"system": {"mem_available": 0}}),
    "proc_units_available": ({}, {"system": {"proc_units_available": 0.0}}),
    "proc_compat_modes": ({}, {"system": {"proc_compat_modes": ("default", "POWER8")}}),
    "sriov_migration_capable": ({}, {"system": {"sriov_migration_capable": False}}),
    "free_vios_slots": ({}, {"free_vios_slots": 1}),
    "running_vioses": ({}, {"running_vioses": "one"}),
    "bridged_pairs": ({}, {"cold": "no vlan"}),
    "all_levels_status": ({}, {"all_levels_status": FAIL}),
    "msp_levels_status": ({"adapters": 0}, {"msp_levels_status": FAIL}),
    "npiv_vioses": ({}, {"npiv_vioses": ()}),
    "npiv_known": ({"no npiv": True}, {"npiv_known": False}),
    "pool_names": ({}, {"pool_names": frozenset({"other"})}),
    "sriov_free": ({}, {"sriov_free": 0}),
}


@pytest.mark.parametrize("fact", CHANGES)
def test_a_target_fact_a_pair_rule_reads_is_in_the_target_signature(fact):
    pf, before = _pair()
    partition, change = CHANGES[fact]
    if partition.get("os400"):
        pf = replace(pf, partition=replace(pf.partition, lpar_env="os400"))
    if "adapters" in partition:
        pf = replace(pf, adapters=partition["adapters"])
    if partition.get("no npiv"):
        before = replace(before, npiv_vioses=())
    fields = {}
    for name, value in change.items():
        if name == "system":
            fields["system"] = replace(before.system, **value)
        elif value == "one":
            fields[name] = before.running_vioses[:1]
        elif value == "no vlan":
            fields[name] = replace(before.cold, bridged_pairs=frozenset())
        else:
            fields[name] = value
    after = replace(before, **fields)
    # the change matters to the rules (else this test proves nothing) ...
    assert counts_without_name(pf, before) != counts_without_name(pf, after)
    # ... so the memo must not take one frame's counts for the other's
    assert target_signature(before) != target_signature(after)


def test_frames_with_equal_target_signatures_count_alike():
    idx = index_of(_base())
    frames = list(idx.frames.values())
    parts = [
        partition_facts(idx, f, lp) for f in frames for lp in f.frame.partitions if not lp.is_vios
    ]
    for t in frames:
        twin = replace(t, name="twin", names=frozenset())  # another frame, read the same
        assert target_signature(twin) == target_signature(t)
        for pf in parts:
            assert counts_without_name(pf, twin) == counts_without_name(pf, t)


@pytest.mark.parametrize(("at", "field", "values"), ONE_READER_FIELDS)
def test_a_need_is_read_by_its_status_function_only(at, field, values):
    """A signature that differs in mem_need (proc_need) only is counted from another's
    (PairCounts._like): its counts less that one's memory (processors) status, plus its own."""
    status = dict(ONE_READER)[at]
    idx = index_of(_base())
    frames = list(idx.frames.values())
    for f in frames:
        for lp in f.frame.partitions:
            if lp.is_vios:
                continue
            pf = partition_facts(idx, f, lp)
            for value in values:
                other = replace(pf, **{field: value})
                a, b = signature(pf), signature(other)
                assert b[at] == value
                assert a[:at] + a[at + 1 :] == b[:at] + b[at + 1 :]
                for t in frames:
                    mine = pack(counts_without_name(pf, t)) - STATUS[status(pf, t)]
                    theirs = pack(counts_without_name(other, t)) - STATUS[status(other, t)]
                    assert mine == theirs


def _units(snapshot, lpar_id):
    """One partition of the first frame with 0.1 more processor units, the others the same."""
    hmc = snapshot.hmcs[0]
    f = hmc.frames[0]
    parts = tuple(
        replace(p, curr_proc_units=round((p.curr_proc_units or 0.5) + 0.1, 2))
        if p.lpar_id == lpar_id
        else p
        for p in f.partitions
    )
    frames = (replace(f, partitions=parts), *hmc.frames[1:])
    return replace(snapshot, hmcs=(replace(hmc, frames=frames), *snapshot.hmcs[1:]))


@pytest.mark.parametrize("change", [lambda s, i: _grown(s, 0, i), _units], ids=["mem", "units"])
def test_a_partition_whose_memory_or_units_changed_is_counted_from_its_old_signature(
    monkeypatch, change
):
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    lpar_id = next(p.lpar_id for p in base.hmcs[0].frames[0].partitions if not p.is_vios)
    now = change(base, lpar_id)
    counted = []
    real = pair_counts.counts_without_name

    def counting(pf, t):
        counted.append(pf.partition.key)
        return real(pf, t)

    monkeypatch.setattr(pair_counts, "counts_without_name", counting)
    judge.update(now)
    assert judge._counts.like  # a new signature, like the old one
    assert counted == []
    assert _judged(judge) == scratch_best(now)
