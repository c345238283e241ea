"""Each rule passing and failing on simulator scenarios, checked against the simulator's own
``migrlpar -o v``: the fleet file is bent one way, collected through Fleet + SimLink exactly as
the console collects it, judged locally, then validated by the simulated HMC."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import yaml

from lpmtui.cli.check import collect
from lpmtui.eligibility import AgreementKind, CheckStatus, compare, evaluate
from lpmtui.fleet.fleet import Fleet
from lpmtui.model import FleetSnapshot
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links

BASE = yaml.safe_load("""
hmcs:
  - name: hmc1
    address: 10.9.0.1
    version: V10R3 M1060
    trusts: [hmc2]
    frames:
      - {name: A, type_model: 9105-42A, serial: 00000A1, generation: POWER10,
         firmware: FW1050.20, memory: 524288, processors: 32, vlans: [1, 100, 200],
         vios: [{name: a-vios1}, {name: a-vios2}],
         partitions: [{name: app1, mem: 16384, processors: 1, storage: [vscsi, npiv],
                       vlans: [100]}]}
      - {name: B, type_model: 9105-42A, serial: 00000B1, generation: POWER10,
         firmware: FW1050.20, memory: 524288, processors: 32, vlans: [1, 100, 200],
         vios: [{name: b-vios1}, {name: b-vios2}],
         partitions: [{name: b-web, mem: 8192, storage: [vscsi, npiv], vlans: [100]}]}
  - name: hmc2
    address: 10.9.0.2
    version: V10R3 M1060
    trusts: [hmc1]
    frames:
      - {name: C, type_model: 9105-42A, serial: 00000C1, generation: POWER10,
         firmware: FW1050.20, memory: 524288, processors: 32, vlans: [1, 100, 200],
         vios: [{name: c-vios1}, {name: c-vios2}],
         partitions: [{name: c-web, mem: 8192, storage: [vscsi, npiv], vlans: [100]}]}
""")


def _frame(data, name):
    return next(f for h in data["hmcs"] for f in h["frames"] if f["name"] == name)


def _hmc(data, name):
    return next(h for h in data["hmcs"] if h["name"] == name)


def _app1(data):
    return _frame(data, "A")["partitions"][0]


def _vioses(frame, **knobs):
    for v in frame["vios"]:
        v.update(knobs)


async def _judge(data, partition="app1", target="B", *, tamper=None):
    world = World.from_yaml(yaml.safe_dump(data))
    fleet = Fleet(sim_links(world))
    snap: FleetSnapshot = await collect(fleet)
    if tamper is not None:
        snap = tamper(world, snap)
    source = next(
        f for h in snap.hmcs for f in h.frames for p in f.partitions if p.name == partition
    )
    lp = next(p for p in source.partitions if p.name == partition)
    verdict = evaluate(snap, lp, target)
    validation = await fleet.validate(lp.system, lp.lpar_id, target)
    return verdict, validation, compare(verdict, validation)


def _disagreements(agreements):
    return [a for a in agreements if a.kind in (AgreementKind.HMC_ONLY, AgreementKind.LOCAL_ONLY)]


@pytest.mark.parametrize("target", ["B", "C"])
async def test_the_base_fleet_passes_locally_and_on_the_hmc(target):
    verdict, validation, agreements = await _judge(copy.deepcopy(BASE), target=target)
    assert validation.ok, validation.raw
    assert verdict.migratable and verdict.status is CheckStatus.PASS, [
        (c.rule_id, c.reason) for c in verdict.checks if c.status is not CheckStatus.PASS
    ]
    assert not _disagreements(agreements)


def _set(path, value):
    """A bend that sets one knob: path = (frame or 'app1' or hmc, key)."""

    def bend(data):
        where, key = path
        if where == "app1":
            _app1(data)[key] = value
        elif where.startswith("hmc"):
            _hmc(data, where)[key] = value
        else:
            _frame(data, where)[key] = value

    return bend


def _vios_knobs(frame, **knobs):
    return lambda data: _vioses(_frame(data, frame), **knobs)


def _storage_via_host(data):
    frame = _frame(data, "A")
    frame["partitions"].append(
        {"name": "i-host", "env": "os400", "os": "IBM i 7.5", "mem": 8192, "storage": "none"}
    )
    _app1(data).pop("storage")
    _app1(data)["storage_via"] = ["i-host"]


def _name_clash(data):
    _frame(data, "B")["partitions"].append({"name": "app1", "mem": 4096})


def _old_firmware(data):
    _frame(data, "B").update(generation="POWER9", firmware="FW910.20")
    _app1(data).update(compat="POWER9", compat_current="POWER9")


def _compat(data):
    _frame(data, "B").update(generation="POWER9", firmware="FW950.80")
    _app1(data).update(compat="POWER10", compat_current="POWER10")


def _power5(data):
    _frame(data, "B").update(generation="POWER5", firmware="FW1050.20")
    _app1(data).update(compat="default", compat_current="POWER5")


def _pool_missing(data):
    _frame(data, "A")["pools"] = [{"id": 1, "name": "prodpool", "max": 8}]
    _app1(data)["pool"] = "prodpool"


def _inactive_too_big(data):
    _app1(data).update(state="Not Activated", mem=131072)
    _frame(data, "B")["memory"] = 98304  # B holds its firmware, VIOSes and b-web already


def _at_v9(data):
    """The consoles at V9R2: V10R3/V11R2 print neither ibmi_lpar_mobility_capable nor
    migration_disabled (real-hmc-facts §3), so the rules reading them are shown at V9."""
    for hmc in data["hmcs"]:
        hmc["version"] = "V9R2 M953"


def _ibmi(data):
    _at_v9(data)
    _app1(data).update(env="os400", os="IBM i 7.4")
    _frame(data, "B")["ibmi_mobility"] = False


def _bsr(data):
    _at_v9(data)  # V10R3/V11R2 profiles have no bsr_arrays setting
    _app1(data)["bsr_arrays"] = 1


def _migration_disabled(data):
    _at_v9(data)
    _app1(data)["migration_disabled"] = True


def _vnic_without_backing(data):
    _frame(data, "A")["sriov_adapters"] = 1  # backed on A; B has no SR-IOV adapter
    _app1(data)["vnic"] = 1


def _own_sriov_port(data):
    for name in ("A", "B"):  # B could take it, but SR-IOV migration is not reported
        _frame(data, name)["sriov_adapters"] = 1
    _app1(data)["sriov"] = 1


SCENARIOS = [
    ("server.power6", _power5, "B"),
    ("server.capable.source", _set(("A", "active_mobility"), False), "B"),
    ("server.capable.target", _set(("B", "active_mobility"), False), "B"),
    ("server.firmware", _old_firmware, "B"),
    ("server.memory", _set(("B", "memory"), 40960), "B"),
    ("server.processors", _set(("B", "processors"), 1.5), "B"),
    ("server.memory", _inactive_too_big, "B"),
    ("server.proc_pool", _pool_missing, "B"),
    ("lpar.type", _ibmi, "B"),
    ("server.virtual_slots", _vios_knobs("B", slots=6), "B"),
    ("server.lmb", _set(("B", "lmb"), 128), "B"),
    ("console.managed", _set(("hmc2", "kind"), "ivm"), "C"),
    ("console.remote_level", _set(("hmc2", "version"), "V7R3.3 M0"), "C"),
    ("console.remote_trust", _set(("hmc1", "trusts"), []), "C"),
    ("console.hmc_fsm", lambda d: _hmc(d, "hmc2").update(kind="fsm", version="V7R7.0 M0"), "C"),
    (
        "console.concurrency.source",
        _set(("A", "max_migrations"), {"active": 0, "inactive": 4}),
        "B",
    ),
    (
        "console.concurrency.target",
        _set(("B", "max_migrations"), {"active": 0, "inactive": 4}),
        "B",
    ),
    ("vios.msp.source", _vios_knobs("A", msp=False), "B"),
    ("vios.msp.target", _vios_knobs("B", msp=False), "B"),
    ("vios.msp.target", _vios_knobs("B", rmc="inactive"), "B"),
    ("vios.level.source", _vios_knobs("A", level="1.5.2.1-FP-10"), "B"),
    ("vios.level.target", _vios_knobs("B", level="1.5.2.1-FP-10"), "B"),
    ("lpar.state", _set(("app1", "state"), "Error"), "B"),
    ("lpar.state", _set(("app1", "state"), "Open Firmware"), "B"),
    ("lpar.migration_disabled", _migration_disabled, "B"),
    ("lpar.os_level", _set(("app1", "os"), "AIX 5.3 5300-06-01-0000"), "B"),
    ("lpar.activated_once", _set(("app1", "never_activated"), True), "B"),
    ("lpar.not_service", _set(("A", "service_partition"), "app1"), "B"),
    ("lpar.rmc", _set(("app1", "rmc"), "inactive"), "B"),
    ("lpar.storage_virtual", _storage_via_host, "B"),
    ("lpar.storage_target", _vios_knobs("B", state="Not Activated", rmc="inactive"), "B"),
    ("lpar.vlans_target", _set(("B", "vlans"), [1, 200]), "B"),
    ("lpar.physical_io", _set(("app1", "io_slots"), 1), "B"),
    ("lpar.adapters_desired", _set(("app1", "required_adapters"), True), "B"),
    ("lpar.vios_adapters", _set(("app1", "any_client"), True), "B"),
    ("lpar.vios_adapters", _set(("app1", "server_required"), True), "B"),
    ("lpar.vtopt", _set(("app1", "vtopt"), "aix73.iso"), "B"),
    ("lpar.name_unique", _name_clash, "B"),
    ("lpar.huge_pages", _set(("app1", "huge_pages"), 4), "B"),
    ("lpar.bsr", _bsr, "B"),
    ("lpar.redundant_error_path", _set(("app1", "redundant_err_path"), True), "B"),
    ("lpar.proc_compat", _compat, "B"),
    ("lpar.sriov", _own_sriov_port, "B"),
    ("lpar.vnic_target", _vnic_without_backing, "B"),
]


@pytest.mark.parametrize(
    ("rule_id", "bend", "target"),
    SCENARIOS,
    ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(SCENARIOS)],
)
async def test_each_rule_fails_and_the_hmc_agrees(rule_id, bend, target):
    data = copy.deepcopy(BASE)
    bend(data)
    verdict, validation, agreements = await _judge(data, target=target)
    c = verdict.check(rule_id)
    assert c is not None and c.status is CheckStatus.FAIL, (c, verdict.checks)
    assert not verdict.migratable
    assert not validation.ok, f"the simulated HMC did not object: {validation.raw!r}"
    assert not _disagreements(agreements), [
        (a.rule_id, a.kind.value, a.hmc, a.note) for a in _disagreements(agreements)
    ]
    mine = next(a for a in agreements if a.rule_id == rule_id)
    assert mine.kind is AgreementKind.AGREE and mine.hmc, (mine, validation.raw)


async def test_a_vios_cannot_move():
    verdict, validation, agreements = await _judge(copy.deepcopy(BASE), partition="a-vios1")
    assert verdict.check("lpar.type").status is CheckStatus.FAIL
    assert not validation.ok and not _disagreements(agreements)


async def test_target_not_operating_is_one_check_and_the_hmc_agrees():
    data = copy.deepcopy(BASE)
    _frame(data, "B")["state"] = "Power Off"
    verdict, validation, agreements = await _judge(data)
    assert [c.rule_id for c in verdict.checks] == [
        "server.target_operating",
        "console.remote_trust",
    ]
    assert not validation.ok and not _disagreements(agreements)


def _source_became(state: str):
    """A tamper for _judge: frame A goes to ``state`` after its partitions were listed, in the
    simulator and in the snapshot the console holds."""

    def tamper(world, snap):
        world.frames["A"].state = state
        hmcs = []
        for h in snap.hmcs:
            frames = tuple(
                dataclasses.replace(f, system=dataclasses.replace(f.system, state=state))
                if f.system.name == "A"
                else f
                for f in h.frames
            )
            hmcs.append(dataclasses.replace(h, frames=frames))
        return FleetSnapshot(tuple(hmcs), snap.taken_at)

    return tamper


async def test_a_failed_source_frame_cannot_be_migrated_from():
    """The frame fails after its partitions were listed (the console keeps showing them)."""
    verdict, validation, agreements = await _judge(
        copy.deepcopy(BASE), tamper=_source_became("Error - Terminated")
    )
    assert [c.rule_id for c in verdict.checks] == ["server.source_failed"]
    assert verdict.checks[0].reason.startswith("cannot migrate from a failed frame")
    assert not validation.ok and not _disagreements(agreements)


async def test_vfc_towards_vios_without_npiv_ports_fails_like_the_hmc():
    data = copy.deepcopy(BASE)
    _frame(data, "B")["partitions"] = []  # nothing on B shows its VIOSes serving virtual FC
    _vioses(_frame(data, "B"), npiv=False)  # lsnports lists no NPIV-capable port on them
    verdict, validation, agreements = await _judge(data)
    c = verdict.check("lpar.storage_target")
    assert c.status is CheckStatus.FAIL and "lsnports" in c.reason
    assert any(m.id == "HSCLA319" for m in validation.errors)
    assert not _disagreements(agreements)


async def test_vfc_towards_vios_that_cannot_be_asked_is_unknown_locally():
    data = copy.deepcopy(BASE)
    _frame(data, "B")["partitions"] = []
    _vioses(_frame(data, "B"), npiv=False, rmc="inactive")  # viosvrcmd needs RMC
    verdict, validation, agreements = await _judge(data)
    assert verdict.check("lpar.storage_target").status is CheckStatus.UNKNOWN
    assert any(m.id == "HSCLA319" for m in validation.errors)
    assert not _disagreements(agreements)


async def test_one_old_msp_beside_a_usable_one_is_a_warning_the_hmc_does_not_raise():
    data = copy.deepcopy(BASE)
    _frame(data, "A")["vios"][0]["level"] = "1.5.2.1-FP-10"
    verdict, validation, agreements = await _judge(data)
    c = verdict.check("vios.level.source")
    assert c.status is CheckStatus.WARN and "can use a-vios2" in c.reason
    assert validation.ok and not _disagreements(agreements)


async def test_a_source_that_lost_its_connection_cannot_be_migrated_from():
    """The HMC lost the frame after its partitions were listed (No Connection is not a failed
    frame: it is not Operating, so nothing moves off it until the connection is back)."""
    verdict, validation, agreements = await _judge(
        copy.deepcopy(BASE), tamper=_source_became("No Connection")
    )
    c = verdict.check("server.source_operating")
    assert c is not None and c.status is CheckStatus.FAIL, verdict.checks
    assert not validation.ok and not _disagreements(agreements)


async def test_a_vlan_no_sea_bridges_warns_on_the_source_and_fails_on_the_target():
    data = copy.deepcopy(BASE)
    _app1(data)["vlans"] = [4001]  # bridged on no frame
    verdict, validation, agreements = await _judge(data)
    assert verdict.check("lpar.network_sea").status is CheckStatus.WARN
    assert verdict.check("lpar.vlans_target").status is CheckStatus.FAIL
    assert not validation.ok and not _disagreements(agreements)
    _app1(data)["vlans"] = [100]
    verdict, _, _ = await _judge(data)
    assert verdict.check("lpar.network_sea").status is CheckStatus.PASS


async def test_an_open_console_is_blind_locally_and_the_hmc_says_it():
    data = copy.deepcopy(BASE)
    _app1(data)["console_open"] = True
    verdict, validation, agreements = await _judge(data)
    c = verdict.check("lpar.console")
    assert c.status is CheckStatus.UNKNOWN and c.blind and verdict.migratable
    assert [m.id for m in validation.errors] == ["HSCLSIM25"]
    mine = next(a for a in agreements if a.rule_id == "lpar.console")
    assert mine.kind is AgreementKind.UNKNOWN and mine.hmc


def test_every_rule_has_a_simulator_scenario():
    from lpmtui.eligibility import RULES

    covered = {r for r, _, _ in SCENARIOS} | {
        "server.target_operating",
        "server.source_failed",
        "server.source_operating",
        "lpar.network_sea",
        "lpar.console",
    }  # the dedicated tests above
    assert covered == {r.rule_id for r in RULES}


async def test_a_vnic_passes_where_a_target_vios_can_back_it_and_the_hmc_agrees():
    data = copy.deepcopy(BASE)
    _vnic_without_backing(data)
    _frame(data, "B")["sriov_adapters"] = 1
    verdict, validation, agreements = await _judge(data, target="B")
    c = verdict.check("lpar.vnic_target")
    assert c.status is CheckStatus.PASS and "b-vios1" in c.reason, c
    assert verdict.check("lpar.sriov").status is CheckStatus.PASS
    assert validation.ok and not _disagreements(agreements), validation.raw
