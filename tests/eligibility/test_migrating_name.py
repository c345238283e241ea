"""A partition migrating to a frame is not blocked there by its own destination shell (the
HMC lists the partition on both frames while it moves); another partition of that name is."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.eligibility import CheckStatus, evaluate, matrix, rank_targets
from lpmtui.model import MigrationStatus

APP1 = ("A", 3)


def _migrating_to_b(fleet, *, listed: bool = True, state: str = "Migrating - Running"):
    a = fleet.frames["A"]
    a.partitions[3] = replace(a.partitions[3], state=state)
    fleet.add_client("B", "app1", 9, state=state)
    if listed:
        a.migrations.append(
            MigrationStatus("app1", 3, "Migration Starting", "active", dest_sys_name="B")
        )


def _name_check(fleet, target="B"):
    return evaluate(fleet.snapshot(), APP1, target).check("lpar.name_unique")


def test_own_destination_shell_passes_and_says_so(fleet):
    _migrating_to_b(fleet)
    check = _name_check(fleet)
    assert check.status is CheckStatus.PASS
    assert "own destination" in check.reason


def test_own_shell_recognised_from_the_states_when_lslparmigr_is_not_listed(fleet):
    _migrating_to_b(fleet, listed=False)
    assert _name_check(fleet).status is CheckStatus.PASS


def test_same_name_on_a_frame_it_is_not_migrating_to_fails(fleet):
    fleet.add_client("B", "app1", 9)
    check = _name_check(fleet)
    assert check.status is CheckStatus.FAIL
    assert "already has a partition named app1" in check.reason


def test_a_migrating_partition_with_a_namesake_elsewhere_fails_there(fleet):
    _migrating_to_b(fleet)
    fleet.add_client("C", "app1", 9)
    assert _name_check(fleet, "C").status is CheckStatus.FAIL


def test_matrix_and_ranking_count_the_same_as_the_check(fleet):
    _migrating_to_b(fleet)
    snap = fleet.snapshot()
    ranked = {v.target_system: v for v in rank_targets(snap, APP1)}
    cells = {v.target_system: v for v in matrix(snap)[APP1]}
    for verdicts in (ranked, cells):
        b = verdicts["B"]
        assert b.check("lpar.name_unique").status is CheckStatus.PASS
        assert b.fails == sum(c.status is CheckStatus.FAIL for c in b.checks)
