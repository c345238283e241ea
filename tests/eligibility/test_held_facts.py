"""What the engine keeps for every frame and partition (issue 16's memory): a frame's cold data
grouped by partition only for the last frames read, equal small values shared, no per-partition
containers; the checks stay the same."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import fields

import pytest

from lpmtui.eligibility import cold_groups, shared
from lpmtui.eligibility.cold_groups import HELD, groups_of, held
from lpmtui.eligibility.evaluate import PARTITION_RULES, partition_facts
from lpmtui.eligibility.index import SnapshotIndex
from lpmtui.eligibility.kind import mobility_kind


def _fleet(frames: int, partitions: int):
    from lpmtui.cli.check import collect
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.sim.generate import generate
    from lpmtui.simlink import sim_links

    world = generate(hmcs=2, frames=frames, partitions=partitions)
    return asyncio.run(collect(Fleet(sim_links(world))))


@pytest.fixture(scope="module")
def snapshot():
    return _fleet(HELD + 2, 120)


@pytest.fixture
def clean(monkeypatch):
    """An empty list of held frames (other tests' frames are not counted)."""
    monkeypatch.setattr(cold_groups, "_held", deque())


def _facts(snapshot):
    idx = SnapshotIndex.build(snapshot)
    return idx, [
        partition_facts(idx, src, lp)
        for src in idx.frames.values()
        for lp in src.frame.partitions
        if not lp.is_vios
    ]


def test_a_frame_groups_its_cold_data_only_when_a_rule_reads_it(snapshot, clean):
    idx = SnapshotIndex.build(snapshot)
    assert all(ff.cold.groups is None for ff in idx.frames.values())
    first = next(iter(idx.frames.values()))
    assert groups_of(first.cold) is first.cold.groups is groups_of(first.cold)
    assert held() == 1


def test_the_last_HELD_frames_keep_their_groups_one_more_drops_the_oldest(snapshot, clean):
    frames = list(SnapshotIndex.build(snapshot).frames.values())
    assert len(frames) > HELD
    for ff in frames[:HELD]:
        groups_of(ff.cold)
    assert held() == HELD
    assert all(ff.cold.groups is not None for ff in frames[:HELD])
    groups_of(frames[HELD].cold)
    assert held() == HELD
    assert frames[0].cold.groups is None
    assert all(ff.cold.groups is not None for ff in frames[1 : HELD + 1])


def test_partition_rules_read_the_same_from_groups_built_again(snapshot, clean, monkeypatch):
    def checks():
        _, facts = _facts(snapshot)
        return [tuple(r(pf) for r in PARTITION_RULES) for pf in facts]

    kept = checks()
    monkeypatch.setattr(cold_groups, "HELD", 0)  # every read groups its frame again
    assert checks() == kept
    assert held() == 0


def test_equal_vlans_and_mobility_reasons_are_one_object_each(snapshot):
    _, facts = _facts(snapshot)
    for attr in ("vlans", "kind_reason"):
        by_value: dict = {}
        for pf in facts:
            by_value.setdefault(getattr(pf, attr), set()).add(id(getattr(pf, attr)))
        assert len(by_value) < len(facts) / 4  # the fleet repeats them
        assert all(len(ids) == 1 for ids in by_value.values()), attr


def test_partition_facts_hold_no_container_of_their_own(snapshot):
    _, facts = _facts(snapshot)
    pf = facts[0]
    assert not [f.name for f in fields(pf) if isinstance(getattr(pf, f.name), dict | list | set)]


def test_a_mobility_reason_is_made_once_per_state():
    state = "".join(("Run", "ning"))  # not the literal's object
    assert mobility_kind(state)[1] is mobility_kind("Running")[1]


def test_shared_values_are_kept_up_to_KEPT_then_the_table_starts_again(monkeypatch):
    monkeypatch.setattr(shared, "_values", {})
    monkeypatch.setattr(shared, "KEPT", 2)
    a, b = frozenset({("E", 1)}), frozenset({("E", 2)})
    assert shared.shared(a) is a and shared.shared(b) is b
    assert shared.shared(frozenset({("E", 1)})) is a  # two kept: still shared
    c = frozenset({("E", 3)})
    assert shared.shared(c) is c  # a third: the table starts again with it
    a2 = frozenset({("E", 1)})
    assert shared.shared(a2) is a2 and len(shared._values) == 2
