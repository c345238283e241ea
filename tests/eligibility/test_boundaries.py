"""Every numeric rule at its boundary: what is needed equal to what is available passes, one
unit short fails (memory, processor units, VIOS slots, memory region size, concurrency limits,
and the level tables)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lpmtui.eligibility import CheckStatus, evaluate
from lpmtui.eligibility import levels as lv
from lpmtui.eligibility.index import SnapshotIndex
from lpmtui.model import HmcVersion

PASS, FAIL = CheckStatus.PASS, CheckStatus.FAIL
APP1 = ("A", 3)


def _status(fleet, rule_id, target="B"):
    return evaluate(fleet.snapshot(), APP1, target).check(rule_id).status


def _need(fleet, target="B"):
    return evaluate(fleet.snapshot(), APP1, target).need


@pytest.mark.parametrize(("delta", "expected"), [(0, PASS), (-1, FAIL), (1, PASS)])
def test_memory_needed_equal_to_free_passes_one_mb_short_fails(fleet, delta, expected):
    mem, _, _ = _need(fleet)
    fleet.system("B", mem_available=mem + delta)
    assert _status(fleet, "server.memory") is expected


@pytest.mark.parametrize(("delta", "expected"), [(0.0, PASS), (-0.01, FAIL), (0.01, PASS)])
def test_processor_units_needed_equal_to_free_passes_a_hundredth_short_fails(
    fleet, delta, expected
):
    _, units, _ = _need(fleet)
    fleet.system("B", proc_units_available=round(units + delta, 2))
    assert _status(fleet, "server.processors") is expected


def _free_slots(fleet, frame="B"):
    return SnapshotIndex.build(fleet.snapshot()).frames[frame].free_vios_slots


def _set_free_slots(fleet, free: int, frame="B") -> None:
    """Give the frame's first VIOS ``free`` free slots and the others none."""
    spec = fleet.frames[frame]
    per_vios = SnapshotIndex.build(fleet.snapshot()).frames[frame].cold.vios_free_slots
    for i, s in enumerate(spec.slots):
        used = s.curr_max_virtual_slots - per_vios[s.lpar_id]
        spec.slots[i] = replace(s, curr_max_virtual_slots=used + (free if i == 0 else 0))


@pytest.mark.parametrize(("delta", "expected"), [(0, PASS), (-1, FAIL), (1, PASS)])
def test_vios_slots_needed_equal_to_free_passes_one_short_fails(fleet, delta, expected):
    _, _, adapters = _need(fleet)
    assert adapters and adapters > 0
    _set_free_slots(fleet, adapters + delta)
    assert _free_slots(fleet) == adapters + delta
    assert _status(fleet, "server.virtual_slots") is expected


@pytest.mark.parametrize(("size", "expected"), [(256, PASS), (128, FAIL), (512, FAIL)])
def test_memory_region_sizes_must_be_equal(fleet, size, expected):
    assert fleet.frames["A"].system.mem_region_size == 256
    fleet.system("B", mem_region_size=size)
    assert _status(fleet, "server.lmb") is expected


@pytest.mark.parametrize(("running", "expected"), [(15, PASS), (16, FAIL), (17, FAIL)])
@pytest.mark.parametrize(
    ("frame", "rule_id"),
    [("B", "console.concurrency.target"), ("A", "console.concurrency.source")],
)
def test_concurrency_one_below_the_limit_passes_at_the_limit_fails(
    fleet, frame, rule_id, running, expected
):
    fleet.system(frame, num_active_migrations_supported=16)
    fleet.system(frame, num_active_migrations_in_progress=running)
    assert _status(fleet, rule_id) is expected


@pytest.mark.parametrize(
    ("release", "expected"), [("3.4.0", PASS), ("3.3.0", FAIL), ("3.5.0", PASS)]
)
def test_remote_migration_needs_v7r3_4(fleet, release, expected):
    fleet.hmc("hmc2", version=HmcVersion(7, release, "1"))
    assert _status(fleet, "console.remote_level", "C") is expected


@pytest.mark.parametrize(
    ("os_version", "ok"),
    [
        ("AIX 5.3 5300-07-01", True),
        ("AIX 5.3 5300-06-05", False),
        ("AIX 5.2 5200-10-01", False),
        ("RHEL 5.1", True),
        ("RHEL 5.0", False),
        ("SLES 10 SP1", True),
        ("SLES 10 SP0", False),
        ("Linux 2.6.32", True),
        ("Linux 2.4.21", False),
        ("IBM i 7.1", True),
        ("IBM i 7.0", False),
    ],
)
def test_os_level_minimums(os_version, ok):
    assert lv.os_level_ok(os_version)[0] is ok


@pytest.mark.parametrize(
    ("vios", "ok"),
    [
        ("VIOS 2.1.0.0", True),
        ("VIOS 2.0.0.0", False),
        ("VIOS 1.5.2.1-FP-11", True),
        ("VIOS 1.5.2.1-FP-10", False),
        ("VIOS 1.5.2.1", False),
    ],
)
def test_vios_level_minimums(vios, ok):
    assert lv.vios_level_ok(vios)[0] is ok


@pytest.mark.parametrize(("old", "new"), sorted(lv.FIRMWARE_MIN_PEER))
def test_firmware_minimum_per_generation_pair(old, new):
    need = lv.FIRMWARE_MIN_PEER[(old, new)]
    newer = "FW1110.00"
    assert lv.firmware_compatible(f"FW{need}.00", old, newer, new)[0] is True
    assert lv.firmware_compatible(f"FW{need - 1}.99", old, newer, new)[0] is False


def test_hmc_fsm_needs_v7r7_1_0():
    assert HmcVersion(7, "7.1.0", "0").at_least(*lv.HMC_FSM_MIN)
    assert not HmcVersion(7, "7.0.9", "0").at_least(*lv.HMC_FSM_MIN)
