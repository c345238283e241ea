"""lpar.sriov and lpar.vnic_target: own SR-IOV logical ports, vNIC backing on the target."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.eligibility import CheckStatus, evaluate
from lpmtui.model import SriovLogicalPort, SriovPhysicalPort, VnicAdapter

APP1 = ("A", 3)
PORT = SriovLogicalPort(3, 1, 0, "27004001", "app1", 2.0)


def _check(fleet, rule_id, target="B"):
    found = evaluate(fleet.snapshot(), APP1, target).check(rule_id)
    assert found is not None
    return found


def _capable(fleet, *frames):
    for name in frames:
        spec = fleet.frames[name]
        spec.system = replace(spec.system, sriov_migration_capable=True)


def test_own_sriov_port_fails_an_active_move_with_the_fix(fleet):
    assert _check(fleet, "lpar.sriov").status is CheckStatus.PASS
    fleet.frames["A"].sriov_ports.append(PORT)
    c = _check(fleet, "lpar.sriov")
    assert c.status is CheckStatus.FAIL
    assert "owns 1 SR-IOV logical port" in c.reason and "migrlpar -o v" in c.reason
    assert "vNIC" in c.fix and "remove the logical port" in c.fix


def test_a_vios_port_is_not_the_partitions(fleet):
    fleet.frames["A"].sriov_ports.append(replace(PORT, lpar_id=1))
    assert _check(fleet, "lpar.sriov").status is CheckStatus.PASS


def test_sriov_migration_capable_frames_need_free_ports_on_the_target(fleet):
    fleet.frames["A"].sriov_ports.append(PORT)
    _capable(fleet, "A")
    assert _check(fleet, "lpar.sriov").status is CheckStatus.FAIL  # B does not say so
    _capable(fleet, "B")
    fleet.frames["B"].sriov_physports = [SriovPhysicalPort(1, 0, 20, 20)]  # full
    c = _check(fleet, "lpar.sriov")
    assert c.status is CheckStatus.FAIL and "only 0 free" in c.reason
    fleet.frames["B"].sriov_physports = [SriovPhysicalPort(1, 0, 19, 20)]
    assert _check(fleet, "lpar.sriov").status is CheckStatus.PASS
    fleet.frames["B"].sriov_physports = None
    c = _check(fleet, "lpar.sriov")
    assert c.status is CheckStatus.UNKNOWN and "not listed" in c.reason


def test_sriov_unknown_when_not_listed_or_inactive(fleet):
    fleet.frames["A"].sriov_ports = None
    c = _check(fleet, "lpar.sriov")
    assert c.status is CheckStatus.UNKNOWN and c.fix == ""
    fleet.frames["A"].sriov_ports = [PORT]
    fleet.lpar("A", 3, state="Not Activated")
    c = _check(fleet, "lpar.sriov")
    assert c.status is CheckStatus.UNKNOWN and "inactive" in c.reason


def test_vnic_needs_a_running_vios_with_a_free_sriov_port_on_the_target(fleet):
    assert _check(fleet, "lpar.vnic_target").status is CheckStatus.PASS
    fleet.frames["A"].vnics.append(VnicAdapter("app1", 3, 6, ("sriov/vios1/1/1/0/27004002",)))
    c = _check(fleet, "lpar.vnic_target")
    assert c.status is CheckStatus.FAIL and "0 free SR-IOV logical ports" in c.reason
    fleet.frames["B"].sriov_physports = [SriovPhysicalPort(1, 0, 3, 20)]
    c = _check(fleet, "lpar.vnic_target")
    assert c.status is CheckStatus.PASS and "17 free" in c.reason
    fleet.frames["B"].sriov_physports = None
    assert _check(fleet, "lpar.vnic_target").status is CheckStatus.UNKNOWN
    fleet.frames["B"].sriov_physports = [SriovPhysicalPort(1, 0, 3, 20)]
    for vid in (1, 2):
        fleet.lpar("B", vid, state="Not Activated")
    c = _check(fleet, "lpar.vnic_target")
    assert c.status is CheckStatus.FAIL and "no running VIOS" in c.reason


def test_vnic_unknown_when_not_listed(fleet):
    fleet.frames["A"].vnics = None
    assert _check(fleet, "lpar.vnic_target").status is CheckStatus.UNKNOWN
