"""Pure parts: slot limits, progress arithmetic and outcome rules."""

from __future__ import annotations

import pytest

from lpmtui.migration.limits import SlotUse, slot_refusal
from lpmtui.migration.outcome import JobView, LastCommand, Observation, judge
from lpmtui.migration.progress import ProgressMeter
from lpmtui.migration.types import MigrationState as S
from lpmtui.model import (
    FleetSnapshot,
    FrameSnapshot,
    HmcSnapshot,
    ManagedSystem,
    MigrationStatus,
    Partition,
)


def snapshot(a_in_progress=0, b_supported=4, a_supported=4, migrations=()) -> FleetSnapshot:
    a = ManagedSystem(
        "A",
        num_active_migrations_supported=a_supported,
        num_active_migrations_in_progress=a_in_progress,
        num_inactive_migrations_supported=None,
    )
    b = ManagedSystem(
        "B", num_active_migrations_supported=b_supported, num_active_migrations_in_progress=0
    )
    frames = (FrameSnapshot(a, migrations=tuple(migrations)), FrameSnapshot(b))
    return FleetSnapshot(hmcs=(HmcSnapshot("h", frames=frames),))


def use(name="p", kind="active", src="A", dst="B", msp="", dmsp="") -> SlotUse:
    return SlotUse(name, src, dst, kind, msp, dmsp)


def test_free_slot_allows_a_start():
    assert slot_refusal(snapshot(), use(), []) == ""


def test_hmc_count_and_own_jobs_both_hold_slots_on_source_and_target():
    assert "A: 4 of 4" in slot_refusal(snapshot(a_in_progress=4), use(), [])
    assert "B: 2 of 2" in slot_refusal(snapshot(b_supported=2), use(), [use("x"), use("y")])
    # our two jobs are in the HMC's count once it sees them: not counted twice
    assert slot_refusal(snapshot(a_in_progress=2), use(), [use("x"), use("y")]) == ""


def test_unreported_limit_falls_back_and_unwatched_frames_are_left_to_the_hmc():
    refusal = slot_refusal(snapshot(), use(kind="inactive"), [use("x", kind="inactive")])
    assert "A: 1 of 1 inactive" in refusal and "limit not reported" in refusal
    assert slot_refusal(snapshot(), use(dst="REMOTE"), []) == ""


def test_msp_capacity_counts_our_jobs_and_the_hmcs_other_migrations():
    others = [MigrationStatus("z", 9, "Migration In Progress", source_msp_name="vios1")]
    refusal = slot_refusal(
        snapshot(migrations=others), use(msp="vios1"), [use("x", msp="vios1")], msp_capacity=2
    )
    assert refusal == "MSP vios1 on A: 2 of 2 migrations in progress"
    assert slot_refusal(snapshot(), use(dmsp="v2"), [use("x", dmsp="v2")], msp_capacity=2) == ""


def test_progress_percent_rate_eta_and_stall():
    meter = ProgressMeter(stall_after=10, window=20)
    meter.start(0)
    assert meter.reading(0).percent is None
    meter.feed(2, 100, 900)
    meter.feed(4, 300, 700)
    reading = meter.reading(4)
    assert reading.percent == pytest.approx(30.0) and reading.total == 1000
    assert reading.rate == pytest.approx(100.0) and reading.eta == pytest.approx(7.0)
    meter.feed(10, 300, 700)
    assert not meter.reading(13).stalled and meter.reading(14).stalled
    meter.feed(15, 400, 600)
    assert not meter.reading(15).stalled


def test_progress_restarts_when_counters_go_back():
    meter = ProgressMeter()
    meter.feed(0, 500, 500)
    meter.feed(2, 10, 990)
    assert meter.reading(2).rate is None and meter.reading(2).percent == pytest.approx(1.0)


def _view(state=S.IN_PROGRESS, last_command=LastCommand.NONE, **kw) -> JobView:
    return JobView(state, "p", "A", "B", last_command, **kw)


def _part(system, state="Running") -> Partition:
    return Partition(system=system, name="p", lpar_id=3, state=state)


def test_judge_needs_the_inventory_to_call_success():
    settled = MigrationStatus("p", 3)
    assert judge(_view(), Observation(True, None, on_target=_part("B")))[0] is S.SUCCEEDED
    on_source = Observation(True, settled, on_source=_part("A"))
    state, _ = judge(_view(last_command=LastCommand.ENDED_OK), on_source)
    assert state is S.IN_PROGRESS  # rc 0 but still on the source: wait for the inventory
    state, message = judge(
        _view(last_command=LastCommand.ENDED_OK, confirm_expired=True),
        Observation(True, settled, on_source=_part("A")),
    )
    assert state is S.FAILED  # rc 0, not migrating, on the source only: it did not move
    assert message == (
        "migrlpar ended without error but p is still on A (Running) and not migrating: "
        "the move did not happen"
    )
    # on both frames (between two polls): no verdict yet, even after the wait
    both = Observation(True, settled, on_source=_part("A"), on_target=_part("B"))
    state, _ = judge(_view(last_command=LastCommand.ENDED_OK, confirm_expired=True), both)
    assert state is S.OUTCOME_UNKNOWN


def test_judge_unknown_when_the_hmc_cannot_be_asked():
    state, message = judge(_view(), Observation(False, poll_error="hmc1: connection lost"))
    assert state is S.OUTCOME_UNKNOWN and "connection lost" in message
    # a live command keeps its state while one poll fails
    assert judge(_view(last_command=LastCommand.RUNNING), Observation(False))[0] is S.IN_PROGRESS


def test_judge_stuck_partition_needs_recovery():
    stuck = MigrationStatus("p", 3, "Migration Failed")
    assert judge(_view(), Observation(True, stuck, on_source=_part("A")))[0] is S.NEEDS_RECOVERY
    left = Observation(True, MigrationStatus("p", 3), on_source=_part("A", "Migrating - Running"))
    assert judge(_view(), left)[0] is S.NEEDS_RECOVERY
    back = Observation(True, MigrationStatus("p", 3), on_source=_part("A"))
    assert judge(_view(S.RECOVERING), back)[0] is S.RECOVERED
    assert judge(_view(S.STOPPING, stop_requested=True), back)[0] is S.STOPPED
