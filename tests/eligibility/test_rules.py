"""Each rule passing on the healthy fleet and failing (or unknown) when the fleet is bent."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lpmtui.eligibility import RULES, CheckStatus, evaluate
from lpmtui.model import (
    HmcManager,
    HmcVersion,
    IoSlot,
    MigrationStatus,
    NpivPort,
    SharedProcPool,
    SriovLogicalPort,
    VirtualEthAdapter,
    VirtualOpticalMapping,
    VnicAdapter,
)

APP1 = ("A", 3)


def verdict(fleet, target="B"):
    return evaluate(fleet.snapshot(), APP1, target)


def status(fleet, rule_id, target="B"):
    found = verdict(fleet, target).check(rule_id)
    assert found is not None, rule_id
    return found


@pytest.mark.parametrize("target", ["B", "C"])
def test_healthy_fleet_passes_every_rule(fleet, target):
    v = verdict(fleet, target)
    ids = [c.rule_id for c in v.checks]
    assert len(ids) == len(set(ids))
    # blind at V10R3: no listing shows an open console, nor migration_disabled
    blind = {"lpar.console", "lpar.migration_disabled"}
    for c in v.checks:
        expected = CheckStatus.UNKNOWN if c.rule_id in blind else CheckStatus.PASS
        assert c.status is expected, (c.rule_id, c.reason)
        assert c.blind is (c.rule_id in blind)
        assert c.reason and c.title and c.source
    assert v.status is CheckStatus.PASS and v.migratable and v.kind == "active"
    assert {r.rule_id for r in RULES} - {"server.source_failed"} == set(ids)


def _bend_vios_msp(fleet, frame):
    for vid in (1, 2):
        fleet.lpar(frame, vid, msp=False)


def _bend_vios_level(fleet, frame):
    for vid in (1, 2):
        fleet.lpar(frame, vid, os_version="VIOS 1.5.2.1-FP-10")


def _io_slot(fleet):
    fleet.add("A", "io_slots", IoSlot("21010002", "U78AA.001-P1-C3", 3, "app1"))


def _vtopt(fleet):
    fleet.add("A", "optical", VirtualOpticalMapping("A-vios1", "vhost0", 3, "vtopt0", "aix.iso"))


def _any_client(fleet):
    fleet.replace_adapters("A", "scsi", 1, 13, remote_lpar_id=None, remote_slot_num=None)


def _server_required(fleet):
    fleet.replace_adapters("A", "fc", 2, 13, is_required=True)


def _untrunked_vlan(fleet):
    fleet.replace_adapters("A", "eth", 3, 5, port_vlan_id=999)


def _target_vlans(fleet):
    fleet.frames["B"].eth = [
        replace(e, addl_vlan_ids=(200,)) if e.is_trunk else e for e in fleet.frames["B"].eth
    ]


def _storage_not_vios(fleet):
    fleet.add_client("A", "other", 4)
    fleet.replace_adapters("A", "scsi", 3, 2, remote_lpar_id=4, remote_lpar_name="other")


def _target_no_vios(fleet):
    for vid in (1, 2):
        fleet.lpar("B", vid, state="Not Activated", rmc_state="inactive")


def _name_clash(fleet):
    fleet.add_client("B", "app1", 7)


def _slots_full(fleet):
    # slots 0 and 1 (console) and 2 (the SEA trunk) are taken on each target VIOS
    fleet.frames["B"].slots = [
        replace(s, curr_max_virtual_slots=3) for s in fleet.frames["B"].slots
    ]


def _migrations(fleet):
    fleet.system("B", num_active_migrations_in_progress=16)


FAILURES = [
    (
        "lpar.sriov",
        lambda f: f.frames["A"].sriov_ports.append(SriovLogicalPort(3, 1, 0, "27004001")),
        "B",
    ),
    ("lpar.vnic_target", lambda f: f.frames["A"].vnics.append(VnicAdapter("app1", 3, 6)), "B"),
    ("server.power6", lambda f: f.system("B", proc_compat_modes=("default", "POWER5")), "B"),
    ("server.capable.source", lambda f: f.system("A", active_mobility_capable=False), "B"),
    ("server.capable.target", lambda f: f.system("B", active_mobility_capable=False), "B"),
    (
        "server.firmware",
        lambda f: f.system(
            "B", firmware_level="FW910.20", proc_compat_modes=("default", "POWER8", "POWER9")
        ),
        "B",
    ),
    ("server.memory", lambda f: f.system("B", mem_available=12288), "B"),
    ("server.processors", lambda f: f.system("B", proc_units_available=0.25), "B"),
    ("server.virtual_slots", _slots_full, "B"),
    ("server.lmb", lambda f: f.system("B", mem_region_size=128), "B"),
    (
        "server.proc_pool",
        lambda f: f.lpar("A", 3, curr_shared_proc_pool_id=1, curr_shared_proc_pool_name="prodpool"),
        "B",
    ),
    ("console.managed", lambda f: f.hmc("hmc2", kind="ivm"), "C"),
    ("console.remote_level", lambda f: f.hmc("hmc2", version=HmcVersion(7, "3.3.0", "1")), "C"),
    ("console.remote_level", lambda f: f.hmc("hmc1", manager=HmcManager(False)), "C"),
    ("console.remote_trust", lambda f: f.hmc("hmc1", peer_trust=(("hmc2", False),)), "C"),
    (
        "console.hmc_fsm",
        lambda f: f.hmc("hmc2", kind="fsm", version=HmcVersion(7, "6.0", "1")),
        "C",
    ),
    (
        "console.concurrency.source",
        lambda f: f.system("A", num_active_migrations_in_progress=16),
        "B",
    ),
    ("console.concurrency.target", _migrations, "B"),
    ("vios.msp.source", lambda f: _bend_vios_msp(f, "A"), "B"),
    ("vios.msp.target", lambda f: _bend_vios_msp(f, "B"), "B"),
    ("vios.level.source", lambda f: _bend_vios_level(f, "A"), "B"),
    ("vios.level.target", lambda f: _bend_vios_level(f, "B"), "B"),
    ("lpar.state", lambda f: f.lpar("A", 3, state="Error"), "B"),
    ("lpar.state", lambda f: f.lpar("A", 3, state="Migrating - Running"), "B"),
    ("lpar.state", lambda f: f.lpar("A", 3, state="Open Firmware"), "B"),
    ("lpar.migration_disabled", lambda f: f.lpar("A", 3, migration_disabled=True), "B"),
    ("lpar.type", lambda f: f.lpar("A", 3, lpar_env="vioserver"), "B"),
    (
        "lpar.type",
        lambda f: (
            f.lpar("A", 3, lpar_env="os400", os_version="IBM i 7.4"),
            f.system("B", ibmi_mobility_capable=False),
        ),
        "B",
    ),
    ("lpar.os_level", lambda f: f.lpar("A", 3, os_version="AIX 5.3 5300-06-01-0000"), "B"),
    ("lpar.os_level", lambda f: f.lpar("A", 3, os_version="AIX 5.2 5200-10"), "B"),
    (
        "lpar.activated_once",
        lambda f: f.lpar("A", 3, state="Not Activated", resource_config=False),
        "B",
    ),
    ("lpar.not_service", lambda f: f.system("A", service_lpar_id=3), "B"),
    ("lpar.rmc", lambda f: f.lpar("A", 3, rmc_state="inactive"), "B"),
    ("lpar.storage_virtual", _storage_not_vios, "B"),
    ("lpar.storage_target", _target_no_vios, "B"),
    ("lpar.vlans_target", _target_vlans, "B"),
    ("lpar.physical_io", _io_slot, "B"),
    (
        "lpar.adapters_desired",
        lambda f: f.replace_adapters("A", "scsi", 3, 2, is_required=True),
        "B",
    ),
    ("lpar.vios_adapters", _any_client, "B"),
    ("lpar.vios_adapters", _server_required, "B"),
    ("lpar.vtopt", _vtopt, "B"),
    ("lpar.name_unique", _name_clash, "B"),
    ("lpar.huge_pages", lambda f: f.lpar("A", 3, curr_num_huge_pages=4), "B"),
    (
        "lpar.bsr",
        lambda f: f.frames["A"].profiles.__setitem__(
            0, replace(f.frames["A"].profiles[0], bsr_arrays=1)
        ),
        "B",
    ),
    ("lpar.redundant_error_path", lambda f: f.lpar("A", 3, redundant_err_path_reporting=True), "B"),
    (
        "lpar.proc_compat",
        lambda f: (
            f.lpar("A", 3, curr_proc_compat_mode="POWER10"),
            f.system("B", proc_compat_modes=("default", "POWER9")),
        ),
        "B",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "bend", "target"),
    FAILURES,
    ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(FAILURES)],
)
def test_rule_fails_when_its_prerequisite_is_broken(fleet, rule_id, bend, target):
    bend(fleet)
    c = status(fleet, rule_id, target)
    assert c.status is CheckStatus.FAIL, c.reason
    assert c.fix, rule_id
    v = verdict(fleet, target)
    assert v.status is CheckStatus.FAIL and not v.migratable


WARN_ONLY = {"lpar.network_sea"}  # the HMC does not check the source's bridging
UNKNOWN_ONLY = {"lpar.console"}  # no listing shows the data


def test_every_rule_has_a_failing_case():
    covered = {r for r, _, _ in FAILURES} | {
        "server.source_failed",
        "server.source_operating",
        "server.target_operating",
    }
    assert covered == {r.rule_id for r in RULES} - UNKNOWN_ONLY - WARN_ONLY


def test_shared_pool_must_exist_on_the_target_by_name(fleet):
    assert status(fleet, "server.proc_pool").status is CheckStatus.PASS
    fleet.lpar("A", 3, curr_shared_proc_pool_id=1, curr_shared_proc_pool_name="prodpool")
    c = status(fleet, "server.proc_pool")
    assert c.status is CheckStatus.FAIL and "no pool named prodpool" in c.reason
    fleet.frames["B"].proc_pools.append(SharedProcPool(3, "prodpool"))  # the id may differ
    assert status(fleet, "server.proc_pool").status is CheckStatus.PASS
    fleet.frames["B"].proc_pools = None  # the target's pools not listed yet
    c = status(fleet, "server.proc_pool")
    assert c.status is CheckStatus.UNKNOWN and "not listed" in c.reason
    fleet.lpar("A", 3, proc_mode="ded")
    assert status(fleet, "server.proc_pool").status is CheckStatus.PASS


def test_shared_pool_reported_by_id_only_is_named_from_the_source(fleet):
    fleet.lpar("A", 3, curr_shared_proc_pool_id=1, curr_shared_proc_pool_name="")
    c = status(fleet, "server.proc_pool")
    assert c.status is CheckStatus.UNKNOWN and "not reported" in c.reason
    fleet.frames["A"].proc_pools.append(SharedProcPool(1, "prodpool"))
    c = status(fleet, "server.proc_pool")
    assert c.status is CheckStatus.FAIL and "prodpool" in c.reason


def test_vfc_on_a_target_whose_vios_serve_no_vfc_is_unknown(fleet):
    fleet.frames["B"].fc = []
    c = status(fleet, "lpar.storage_target")
    assert c.status is CheckStatus.UNKNOWN and "lsnports" in c.reason


def test_vfc_target_decided_by_the_vios_npiv_ports(fleet):
    fleet.frames["B"].fc = []
    fleet.frames["B"].npiv_listed = ["B-vios1", "B-vios2"]  # both answered: no NPIV port
    c = status(fleet, "lpar.storage_target")
    assert c.status is CheckStatus.FAIL and "NPIV-capable port" in c.reason
    fleet.frames["B"].npiv_ports = [NpivPort("B-vios2", "fcs0", "U-P1-C2-T1", False, 64, 64)]
    assert status(fleet, "lpar.storage_target").status is CheckStatus.FAIL  # fabric lacks NPIV
    fleet.frames["B"].npiv_ports = [NpivPort("B-vios2", "fcs0", "U-P1-C2-T1", True, 64, 0)]
    assert status(fleet, "lpar.storage_target").status is CheckStatus.FAIL  # no ports left
    fleet.frames["B"].npiv_ports = [NpivPort("B-vios2", "fcs0", "U-P1-C2-T1", True, 64, 60)]
    assert status(fleet, "lpar.storage_target").status is CheckStatus.PASS


def test_source_vlan_not_bridged_is_a_warning(fleet):
    _untrunked_vlan(fleet)
    c = status(fleet, "lpar.network_sea")
    assert c.status is CheckStatus.WARN and "VLAN 999" in c.reason


def test_required_ethernet_adapter_is_a_warning(fleet):
    fleet.replace_adapters("A", "eth", 3, 5, is_required=True)
    c = status(fleet, "lpar.adapters_desired")
    assert c.status is CheckStatus.WARN and "vEth slot 5" in c.reason


@pytest.mark.parametrize(
    ("frame", "state", "rule_id"),
    [
        ("A", "Standby", "server.source_operating"),
        ("A", "No Connection", "server.source_operating"),
        ("B", "Power Off", "server.target_operating"),
        ("B", "Error", "server.target_operating"),
    ],
)
def test_a_frame_not_operating_gives_one_clear_check(fleet, frame, state, rule_id):
    fleet.system(frame, state=state)
    fleet.lpar("A", 3, rmc_state="inactive")  # hidden behind the frame's state
    v = verdict(fleet)
    expected = [rule_id] if frame == "A" else [rule_id, "console.remote_trust"]
    assert [c.rule_id for c in v.checks] == expected
    assert v.checks[0].status is CheckStatus.FAIL and state in v.checks[0].reason
    assert v.fails == 1
    if frame == "B":  # the other target still shows the partition's own problems
        assert verdict(fleet, "C").check("lpar.rmc").status is CheckStatus.FAIL


def test_reasons_carry_the_actual_values(fleet):
    fleet.system("B", mem_available=12 * 1024)
    fleet.lpar("A", 3, curr_mem=64 * 1024)
    assert status(fleet, "server.memory").reason == "target B has 12 GB free, partition needs 64 GB"
    fleet.system("B", mem_region_size=128)
    assert "256 MB" in status(fleet, "server.lmb").reason
    assert "128 MB" in status(fleet, "server.lmb").reason


def test_failed_source_frame_gives_one_clear_check(fleet):
    fleet.system("A", state="Error - Terminated")
    v = verdict(fleet)
    assert [c.rule_id for c in v.checks] == ["server.source_failed"]
    assert v.checks[0].reason.startswith("cannot migrate from a failed frame: A is Error")
    assert v.status is CheckStatus.FAIL and v.fails == 1


@pytest.mark.parametrize("state", ["Power Off", "Error", "Incomplete"])
def test_failed_frame_states(fleet, state):
    fleet.system("A", state=state)
    assert [c.rule_id for c in verdict(fleet).checks] == ["server.source_failed"]


def test_console_rule_is_unknown_with_the_fix_and_not_counted(fleet):
    v = verdict(fleet)
    c = v.check("lpar.console")
    assert c.status is CheckStatus.UNKNOWN and c.blind
    assert "rmvterm -m A --id 3" in c.fix and "no HMC command" in c.reason
    assert v.unknowns == 0


def test_missing_cold_data_gives_unknown_not_pass(fleet):
    fleet.frames["A"].cold = False
    fleet.frames["B"].cold = False
    v = verdict(fleet)
    cold_rules = [
        "lpar.storage_virtual",
        "lpar.network_sea",
        "lpar.physical_io",
        "lpar.adapters_desired",
        "lpar.vios_adapters",
        "lpar.vtopt",
        "lpar.bsr",
        "server.virtual_slots",
        "lpar.vlans_target",
        "lpar.storage_target",
    ]
    for rule_id in cold_rules:
        c = v.check(rule_id)
        assert c.status is CheckStatus.UNKNOWN, rule_id
        assert "not fetched" in c.reason, rule_id
    assert v.status is CheckStatus.UNKNOWN and not v.migratable


def test_missing_hot_values_give_unknown(fleet):
    fleet.system(
        "B",
        mem_available=None,
        proc_units_available=None,
        mem_region_size=None,
        firmware_level="",
        proc_compat_modes=(),
    )
    fleet.hmc("hmc2", version=None)
    fleet.hmc("hmc1", peer_trust=())
    for rule_id, target in [
        ("server.memory", "B"),
        ("server.processors", "B"),
        ("server.lmb", "B"),
        ("server.firmware", "B"),
        ("lpar.proc_compat", "B"),
        ("server.power6", "B"),
        ("console.remote_level", "C"),
        ("console.remote_trust", "C"),
    ]:
        assert status(fleet, rule_id, target).status is CheckStatus.UNKNOWN, rule_id


def test_inactive_partition_may_use_huge_pages_bsr_and_physical_io(fleet):
    fleet.lpar(
        "A",
        3,
        state="Not Activated",
        rmc_state="inactive",
        curr_num_huge_pages=0,
        redundant_err_path_reporting=True,
        os_version="Unknown",
    )
    fleet.frames["A"].profiles[0] = replace(
        fleet.frames["A"].profiles[0], bsr_arrays=2, desired_num_huge_pages=8
    )
    fleet.add("A", "io_slots", IoSlot("21010002", "C3", 3, "app1"))
    v = verdict(fleet)
    assert v.kind == "inactive"
    for rule_id in ("lpar.huge_pages", "lpar.bsr", "lpar.redundant_error_path", "lpar.physical_io"):
        assert v.check(rule_id).status is CheckStatus.WARN, rule_id
    for rule_id in (
        "lpar.rmc",
        "lpar.os_level",
        "lpar.activated_once",
        "vios.msp.source",
        "vios.level.source",
    ):
        assert v.check(rule_id).status is CheckStatus.PASS, rule_id
    # a not-activated partition holds nothing: the target needs room for its profile
    for rule_id in ("server.memory", "server.processors"):
        c = v.check(rule_id)
        assert c.status is CheckStatus.PASS and "profile normal" in c.reason, (rule_id, c)
    assert v.fails == 0


def test_inactive_partition_needs_room_for_its_profile(fleet):
    fleet.lpar(
        "A",
        3,
        state="Not Activated",
        curr_mem=0,
        curr_proc_units=0.0,
        curr_procs=0,
        curr_profile="big",
    )
    base = fleet.frames["A"].profiles[0]
    fleet.add(
        "A", "profiles", replace(base, name="big", desired_mem=131072, desired_proc_units=12.0)
    )
    memory, procs = status(fleet, "server.memory"), status(fleet, "server.processors")
    assert memory.status is CheckStatus.FAIL and "needs 128 GB" in memory.reason
    assert procs.status is CheckStatus.FAIL and "needs 12 processor units" in procs.reason
    # never activated in this session: the default profile applies
    fleet.lpar("A", 3, curr_profile="")
    assert status(fleet, "server.memory").status is CheckStatus.PASS
    fleet.frames["A"].profiles[0] = replace(
        base, proc_mode="ded", desired_proc_units=None, desired_procs=9
    )
    procs = status(fleet, "server.processors")
    assert procs.status is CheckStatus.FAIL and "needs 9 dedicated processors" in procs.reason


def test_inactive_partition_without_profiles_is_unknown(fleet):
    fleet.lpar("A", 3, state="Not Activated", curr_mem=0)
    fleet.frames["A"].cold = False
    c = status(fleet, "server.memory")
    assert c.status is CheckStatus.UNKNOWN and "not fetched" in c.reason
    fleet.frames["A"].cold = True
    fleet.frames["A"].profiles.clear()
    c = status(fleet, "server.processors")
    assert c.status is CheckStatus.UNKNOWN and "not listed" in c.reason


def test_inactive_move_needs_a_running_vios_not_an_msp(fleet):
    fleet.lpar("A", 3, state="Not Activated")
    _bend_vios_msp(fleet, "B")
    assert status(fleet, "vios.msp.target").status is CheckStatus.PASS
    _target_no_vios(fleet)
    assert status(fleet, "vios.msp.target").status is CheckStatus.PASS
    assert status(fleet, "lpar.storage_target").status is CheckStatus.FAIL


def test_inactive_partition_with_an_old_os_still_fails(fleet):
    fleet.lpar("A", 3, state="Not Activated", os_version="AIX 5.2 5200-10")
    assert status(fleet, "lpar.os_level").status is CheckStatus.FAIL


def test_suspended_partition_needs_suspend_capable_frames(fleet):
    fleet.lpar("A", 3, state="Suspended")
    assert verdict(fleet).kind == "suspended"
    fleet.system("B", suspend_capable=False)
    assert status(fleet, "server.capable.target").status is CheckStatus.FAIL


def test_inactive_concurrency_uses_inactive_limits(fleet):
    fleet.lpar("A", 3, state="Not Activated")
    fleet.system("B", num_active_migrations_in_progress=16)
    assert status(fleet, "console.concurrency.target").status is CheckStatus.PASS
    fleet.system("B", num_inactive_migrations_in_progress=16)
    assert status(fleet, "console.concurrency.target").status is CheckStatus.FAIL


def test_ivm_and_fsm_are_named(fleet):
    fleet.hmc("hmc1", kind="ivm")
    c = status(fleet, "console.managed", "B")
    assert c.status is CheckStatus.WARN and "POWER blades only" in c.reason
    fleet.hmc("hmc2", kind="ivm")
    c = status(fleet, "console.managed", "C")
    assert c.status is CheckStatus.FAIL and "POWER blades only" in c.reason
    fleet.hmc("hmc1", kind="fsm")
    fleet.hmc("hmc2", kind="fsm")
    c = status(fleet, "console.managed", "C")
    assert c.status is CheckStatus.WARN and "Flex servers only" in c.reason


def test_hmc_fsm_at_v7r7_1_passes(fleet):
    fleet.hmc("hmc2", kind="fsm", version=HmcVersion(7, "7.1.0", "0"))
    assert status(fleet, "console.hmc_fsm", "C").status is CheckStatus.PASS


def test_vios_redundancy_loss_is_a_warning(fleet):
    fleet.lpar("B", 1, state="Not Activated", rmc_state="inactive")
    assert status(fleet, "lpar.storage_target").status is CheckStatus.WARN


def test_migration_in_progress_listing_does_not_change_limits(fleet):
    fleet.frames["B"].migrations.append(MigrationStatus("x", 9, "Migration In Progress"))
    assert status(fleet, "console.concurrency.target").status is CheckStatus.PASS


def test_vlans_on_other_vswitch_are_not_bridged(fleet):
    fleet.replace_adapters("A", "eth", 3, 5, vswitch="ETHERNET1")
    fleet.add("A", "eth", VirtualEthAdapter("A-vios1", 1, 3, False, True, 100, vswitch="ETHERNET1"))
    assert status(fleet, "lpar.network_sea").status is CheckStatus.PASS
    c = status(fleet, "lpar.vlans_target")
    assert c.status is CheckStatus.FAIL and "ETHERNET1:100" in c.reason


def test_a_migrating_partition_is_told_to_wait_or_stop(fleet):
    fleet.lpar("A", 3, state="Migrating - Running")
    c = status(fleet, "lpar.state")
    assert c.status is CheckStatus.FAIL
    assert "Wait for the running migration to end" in c.fix


def test_an_unknown_check_offers_no_remedy_it_cannot_know_applies(fleet):
    fleet.system("B", mem_available=None)
    c = status(fleet, "server.memory")
    assert c.status is CheckStatus.UNKNOWN
    assert c.fix == ""


def test_fails_only_tells_a_full_frame_from_a_blocking_failure(fleet):
    waits = frozenset({"console.concurrency.source", "console.concurrency.target"})
    assert verdict(fleet).fails == 0 and verdict(fleet).fails_only(waits)
    fleet.system("B", num_active_migrations_in_progress=16)  # B is at its limit
    v = verdict(fleet)
    assert v.fails == 1 and v.fails_only(waits)
    fleet.system("B", mem_available=1024)  # and too small: a pair rule fails too
    v = verdict(fleet)
    assert v.fails == 2 and not v.fails_only(waits)
    assert not v.fails_only(frozenset())
