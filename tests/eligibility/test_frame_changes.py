"""A changed frame whose partitions alone changed takes the FrameFacts it replaces, with its new
partitions (frame_changes.with_partitions): the same as building them afresh."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from lpmtui.eligibility.frame_changes import frame_changes
from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.eligibility.index import ColdFacts, FrameFacts
from lpmtui.model import FleetSnapshot
from tests.eligibility.test_incremental import _base, _clients


def _one(p):
    return replace(p, curr_proc_units=round((p.curr_proc_units or 0.5) + 0.1, 2))


# what happens to the frame's client partitions: each a function of (partitions, client places)
CHANGES = {
    "processor units": lambda ps, cl: [_one(p) if i == cl[0] else p for i, p in enumerate(ps)],
    "memory": lambda ps, cl: [
        replace(p, curr_mem=1) if i in cl[:2] else p for i, p in enumerate(ps)
    ],
    "state": lambda ps, cl: [
        replace(p, state="Not Activated") if i == cl[0] else p for i, p in enumerate(ps)
    ],
    "name": lambda ps, cl: [
        replace(p, name="renamed") if i == cl[0] else p for i, p in enumerate(ps)
    ],
    "RMC": lambda ps, cl: [replace(p, rmc_state="") if i == cl[0] else p for i, p in enumerate(ps)],
    "one gone": lambda ps, cl: [p for i, p in enumerate(ps) if i != cl[0]],
    "one more": lambda ps, cl: [*ps, replace(ps[cl[0]], lpar_id=999, name="new")],
    "copied, one changed": lambda ps, cl: [
        _one(p) if i == cl[0] else replace(p) for i, p in enumerate(ps)
    ],
}


def _first_frame_changed(change):
    """The base fleet judged, then its first frame's partitions changed by ``change``: the
    judge, that frame before and after, the new HMCs and the frame changes worked out."""
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    hmc = base.hmcs[0]
    f = hmc.frames[0]
    changed = replace(f, partitions=tuple(change(list(f.partitions), _clients(f))))
    hmcs = (replace(hmc, frames=(changed, *hmc.frames[1:])), *base.hmcs[1:])
    return judge, f, changed, hmcs, frame_changes(FleetSnapshot(hmcs, 2.0), judge._inputs)


@pytest.mark.parametrize("what", CHANGES)
def test_a_frame_whose_partitions_changed_gets_the_facts_built_afresh(what):
    judge, f, changed, hmcs, ch = _first_frame_changed(CHANGES[what])
    old = judge.idx.frames[f.system.name]
    new = ch.idx.frames[f.system.name]
    assert new is not old and new.cold is old.cold  # taken over, not built again
    built = FrameFacts.build(hmcs[0], changed)
    for field in fields(FrameFacts):
        if field.name == "cold":  # compared by identity: its fields, less the groups cache
            for cf in fields(ColdFacts):
                if cf.name != "groups":
                    assert getattr(new.cold, cf.name) == getattr(built.cold, cf.name), cf.name
        elif field.name not in ("rank", "rank_base"):  # the index's, set after
            assert getattr(new, field.name) == getattr(built, field.name), field.name


VIOS_CHANGES = {
    "a VIOS's RMC": lambda ps, cl: [replace(p, rmc_state="") if p.is_vios else p for p in ps],
    "a client becomes a VIOS": lambda ps, cl: [
        replace(p, lpar_env="vioserver") if i == cl[0] else p for i, p in enumerate(ps)
    ],
    "a VIOS gone": lambda ps, cl: [
        p for i, p in enumerate(ps) if i != min(set(range(len(ps))) - set(cl))
    ],
}


@pytest.mark.parametrize("what", VIOS_CHANGES)
def test_a_frame_whose_vioses_changed_is_built_again(what):
    judge, f, changed, _, ch = _first_frame_changed(VIOS_CHANGES[what])
    new = ch.idx.frames[f.system.name]
    assert new.cold is not judge.idx.frames[f.system.name].cold
    assert new.vioses == tuple(p for p in changed.partitions if p.is_vios)
