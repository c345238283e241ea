"""When a changed frame is, to the rules, the frame it replaces (frame_key): each thing a rule
reads of a frame, changed alone, makes it another target or source, and a partition's change
alone (the 1% of issue 16) does not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lpmtui.eligibility import matrix
from lpmtui.eligibility.frame_changes import frame_changes
from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.model import FleetSnapshot, MigrationStatus
from tests.eligibility.test_incremental import _base, _clients

T, S = 1, 0  # the frames changed (as target, as source), by place in the first HMC's list


def _fleet():
    return [[h, list(h.frames)] for h in _base().hmcs]


def _snapshot(fleet, taken: float) -> FleetSnapshot:
    return FleetSnapshot(tuple(replace(h, frames=tuple(fs)) for h, fs in fleet), taken)


def _part(fleet, frame_no: int, n: int = 0):
    f = fleet[0][1][frame_no]
    return f.partitions[_clients(f)[n]]


def _with(fleet, frame_no: int, lpar_id: int, **changes) -> None:
    f = fleet[0][1][frame_no]
    parts = tuple(replace(p, **changes) if p.lpar_id == lpar_id else p for p in f.partitions)
    fleet[0][1][frame_no] = replace(f, partitions=parts)


def _system(fleet, frame_no: int, **changes) -> None:
    f = fleet[0][1][frame_no]
    fleet[0][1][frame_no] = replace(f, system=replace(f.system, **changes))


def _vioses(fleet, frame_no: int, **changes) -> None:
    f = fleet[0][1][frame_no]
    parts = tuple(replace(p, **changes) if p.is_vios else p for p in f.partitions)
    fleet[0][1][frame_no] = replace(f, partitions=parts)


def _console(fleet, hmc_no: int, **changes) -> None:
    fleet[hmc_no][0] = replace(fleet[hmc_no][0], **changes)


def _namesake(fleet) -> None:
    """A partition of T named as the first partition of S."""
    _with(fleet, T, _part(fleet, T, 1).lpar_id, name=_part(fleet, S).name)


def _migrating_namesakes(fleet) -> None:
    """S's first partition and its namesake on T both migrating: T is its own shell."""
    _namesake(fleet)
    _with(fleet, S, _part(fleet, S).lpar_id, state="Migrating - Running")
    _with(fleet, T, _part(fleet, T, 1).lpar_id, state="Migrating - Running")


def _migrating_to_t(fleet) -> None:
    """lslparmigr on S lists its first partition migrating to T."""
    lp, f, dest = _part(fleet, S), fleet[0][1][S], fleet[0][1][T].system.name
    status = MigrationStatus(lp.name, lp.lpar_id, "Migration Starting", "active", dest)
    fleet[0][1][S] = replace(f, migrations=(status,))


# As a target, per what the rules read of T: (the set-up before, if any; the change)
TARGET = {
    "a partition's name": (None, _namesake),
    "a namesake's migrating state": (
        _migrating_namesakes,
        lambda fl: _with(fl, T, _part(fl, T, 1).lpar_id, state="Running"),
    ),
    "firmware level": (None, lambda fl: _system(fl, T, firmware_level="")),
    "migrations in progress": (
        None,
        lambda fl: _system(
            fl, T, num_active_migrations_supported=1, num_active_migrations_in_progress=1
        ),
    ),
    "VIOSes' MSP flags": (None, lambda fl: _vioses(fl, T, msp=False)),
    "console level": (None, lambda fl: _console(fl, 0, version=None)),
}

# As a source, per what the rules read of S beyond its source signature (source_key)
SOURCE = {
    "a migration listed": (_namesake, _migrating_to_t),
    "the console's trust": (
        None,
        lambda fl: _console(fl, 0, peer_trust=tuple((p, False) for p, _ in fl[0][0].peer_trust)),
    ),
}


def _counts(snapshot: FleetSnapshot) -> dict:
    """(partition, target) -> the partition as judged, and its counts."""
    found = matrix(FleetSnapshot(snapshot.hmcs, snapshot.taken_at))
    return {
        (k, v.target_system): (v._p.partition, v.fails, v.warns, v.unknowns)
        for k, verdicts in found.items()
        for v in verdicts
    }


def _change(setup, change):
    fleet = _fleet()
    if setup is not None:
        setup(fleet)
    before = _snapshot(fleet, 1.0)
    change(fleet)
    after = _snapshot(fleet, 2.0)
    judge = IncrementalJudge()
    judge.update(before)
    return before, after, frame_changes(after, judge._inputs)


def _differ(before, after, keep) -> bool:
    """Whether a partition that is the same object before and after gets other counts on a
    pair that ``keep(key, target)`` selects."""
    was, now = _counts(before), _counts(after)
    return any(
        was[pair][1:] != now[pair][1:]
        for pair in was.keys() & now.keys()
        if keep(*pair) and was[pair][0] is now[pair][0]
    )


@pytest.mark.parametrize("what", TARGET)
def test_what_a_rule_reads_of_a_target_makes_it_another_target(what):
    before, after, ch = _change(*TARGET[what])
    name = after.hmcs[0].frames[T].system.name
    # the change matters to some partition judged against T (else this proves nothing) ...
    assert _differ(before, after, lambda key, t: t == name)
    # ... so T is not the same target
    assert name not in {ff.name for ff in ch.alike}


@pytest.mark.parametrize("what", SOURCE)
def test_what_a_rule_reads_of_a_source_keeps_no_best_target(what):
    before, after, ch = _change(*SOURCE[what])
    name = after.hmcs[0].frames[S].system.name
    assert _differ(before, after, lambda key, t: key[0] == name)
    assert name not in {ff.name for ff in ch.stay}


def test_a_partitions_change_alone_keeps_the_frame_as_target_and_source():
    def units(fl):
        lp = _part(fl, S)
        _with(fl, S, lp.lpar_id, curr_proc_units=round((lp.curr_proc_units or 0.5) + 0.1, 2))

    _, after, ch = _change(None, units)
    frame = after.hmcs[0].frames[S].system.name
    assert [ff.name for ff in ch.fresh] == [frame]
    assert [ff.name for ff in ch.alike] == [frame]
    assert [ff.name for ff in ch.stay] == [frame]
