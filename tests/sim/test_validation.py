"""``migrlpar -o v``: for every seed prerequisite, a scenario that fails for that reason and
passes once fixed. Base case: ``o'brien`` (AIX, dual-VIOS vSCSI) from p9-a to p9-b."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from lpmtui.hmc.commands import command_line
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.model import EthAdapter, OpticalMapping, ProcPool, SimPartition
from lpmtui.sim.world.state import World


@dataclass
class Case:
    """What a scenario needs: the world and the names it acts on."""

    world: World
    name: str = "o'brien"
    source: str = "p9-a"
    target: str = "p9-b"
    hmc: str = "hmc-a"
    remote: bool = False

    @property
    def src(self):
        return self.world.frames[self.source]

    @property
    def dst(self):
        return self.world.frames[self.target]

    @property
    def p(self) -> SimPartition:
        return self.src.by_name(self.name)

    def vioses(self, frame):
        return frame.vioses()


def _set(objs, attr: str, value) -> None:
    for obj in objs:
        setattr(obj, attr, value)


def _toggle(get: Callable[[Case], object], attr: str, bad, good):
    def apply(c: Case, broken: bool) -> None:
        target = get(c)
        _set(target if isinstance(target, list) else [target], attr, bad if broken else good)

    return apply


def _remote(c: Case) -> None:
    c.target, c.hmc, c.remote = "p10-c", "hmc-a", True
    c.world.trust("hmc-a", "hmc-b")


def _service(c: Case, broken: bool) -> None:
    c.src.service_lpar_id = c.p.lpar_id if broken else None


def _optical(c: Case, broken: bool) -> None:
    vios = c.src.by_name("vios-a1")
    if broken:
        slot = next(a.slot for a in vios.scsi if a.remote_id == c.p.lpar_id)
        vios.optical.append(OpticalMapping(slot, c.p.lpar_id, "vtopt0", "aix.iso"))
    else:
        vios.optical.clear()


def _name_clash(c: Case, broken: bool) -> None:
    if broken:
        c.dst.partitions[50] = SimPartition(c.name, 50)
    else:
        c.dst.partitions.pop(50, None)


def _physical(c: Case, broken: bool) -> None:
    c.src.io_slots[0].lpar_id = c.p.lpar_id if broken else None


def _not_vios_server(c: Case, broken: bool) -> None:
    other = c.src.by_name("db prod 01")
    vios = c.src.by_name("vios-a1")
    c.p.scsi[0].remote_id = other.lpar_id if broken else vios.lpar_id


def _vlan(c: Case, broken: bool) -> None:
    c.p.eth[0].port_vlan_id = 777 if broken else 1


def _server_adapter(c: Case):
    vios = c.src.by_name("vios-a1")
    return next(a for a in vios.scsi if a.remote_id in (c.p.lpar_id, None))


def _any_client(c: Case, broken: bool) -> None:
    adapter = _server_adapter(c)
    adapter.remote_id, adapter.remote_slot = (None, None) if broken else (c.p.lpar_id, 2)


def _pool(c: Case, broken: bool) -> None:
    if c.src.pool(1) is None:
        c.src.pools.append(ProcPool(1, "prodpool"))
    c.p.pool_id = 1 if broken else 0


def _ibmi(c: Case, broken: bool) -> None:
    c.p.lpar_env, c.p.os_version = "os400", "IBM i 7.4"
    c.dst.ibmi_capable = not broken


def _suspended(c: Case, broken: bool) -> None:
    c.name = "sleepy"
    c.dst.suspend_capable = not broken


def _inactive(c: Case) -> None:
    c.name = "web;01"


def _npiv(c: Case) -> None:
    c.name = "db prod 01"


def _fsm(c: Case, broken: bool) -> None:
    hmc = c.world.hmcs["hmc-b"]
    hmc.kind = "fsm"
    hmc.version.version, hmc.version.release = (7, "7.0.0") if broken else (7, "7.1.0")


def _ivm(c: Case, broken: bool) -> None:
    c.world.hmcs["hmc-b"].kind = "ivm" if broken else "hmc"


def _hmc_level(c: Case, broken: bool) -> None:
    v = c.world.hmcs["hmc-b"].version
    v.version, v.release = (7, "3.2") if broken else (7, "3.4")


def _trust(c: Case, broken: bool) -> None:
    (c.world.untrust if broken else c.world.trust)("hmc-a", "hmc-b")


def _source_state(c: Case, broken: bool) -> None:
    c.src.state = "Error" if broken else "Operating"


def _firmware(c: Case, broken: bool) -> None:
    c.dst.generation, c.dst.firmware = 10, "FW1050.20"
    c.dst.compat_modes = ("default", "POWER8", "POWER9", "POWER9_base", "POWER10")
    c.src.firmware = "FW910.20" if broken else "FW950.80"


def _slots(c: Case, broken: bool) -> None:
    for v in c.dst.vioses():
        v.max_virtual_slots = len(v.used_slots()) if broken else 200


def _seas(c: Case, broken: bool) -> None:
    for v in c.dst.vioses():
        v.eth = [] if broken else [EthAdapter(2, 1, (100, 200), 1)]


SCENARIOS: list[tuple[str, Callable | None, Callable, str]] = [
    # servers
    ("source frame failed", None, _source_state, "HSCL0238"),
    (
        "target not operating",
        None,
        _toggle(lambda c: c.dst, "state", "Power Off", "Operating"),
        "HSCLSIM01",
    ),
    ("POWER6 or later", None, _toggle(lambda c: c.dst, "generation", 5, 9), "HSCLSIM02"),
    (
        "active mobility capable",
        None,
        _toggle(lambda c: c.dst, "active_capable", False, True),
        "HSCLSIM03",
    ),
    (
        "inactive mobility capable",
        _inactive,
        _toggle(lambda c: c.dst, "inactive_capable", False, True),
        "HSCLSIM03",
    ),
    (
        "firmware compatible",
        None,
        _firmware,
        "HSCLSIM04",
    ),
    (
        "target memory",
        None,
        _toggle(lambda c: c.dst, "mem_configurable", 24576, 262144),
        "HSCLSIM05",
    ),
    ("target processors", None, _toggle(lambda c: c.dst, "proc_units", 2.0, 16.0), "HSCLSIM06"),
    ("target virtual slots", None, _slots, "HSCLSIM07"),
    ("same LMB size", None, _toggle(lambda c: c.dst, "lmb", 128, 256), "HSCLSIM08"),
    # management consoles
    ("remote needs V7R3.4", _remote, _hmc_level, "HSCLSIM09"),
    ("HMC to FSM needs V7R7.1.0", _remote, _fsm, "HSCLSIM09"),
    ("IVM cannot do remote", _remote, _ivm, "HSCLSIM10"),
    ("SSH trust between HMCs", _remote, _trust, "HSCL3653"),
    ("frame concurrency", None, _toggle(lambda c: c.dst, "active_supported", 0, 16), "HSCLSIM11"),
    (
        "MSP concurrency",
        None,
        _toggle(lambda c: c.dst.vioses(), "msp_max_migrations", 0, 8),
        "HSCLSIM12",
    ),
    # VIOS
    ("VIOS is an MSP", None, _toggle(lambda c: c.dst.vioses(), "msp", False, True), "HSCLSIM13"),
    (
        "MSP RMC active",
        None,
        _toggle(lambda c: c.src.vioses(), "rmc_state", "inactive", "active"),
        "HSCLA246",
    ),
    (
        "MSP running",
        None,
        _toggle(lambda c: c.dst.vioses(), "state", "Not Activated", "Running"),
        "HSCLSIM13",
    ),
    (
        "VIOS level",
        None,
        _toggle(lambda c: c.dst.vioses(), "os_version", "VIOS 1.5.2.1-FP-10", "VIOS 1.5.2.1-FP-11"),
        "HSCLSIM14",
    ),
    # the partition
    ("not a VIOS", None, _toggle(lambda c: c.p, "lpar_env", "vioserver", "aixlinux"), "HSCLSIM15"),
    (
        "OS level",
        None,
        _toggle(lambda c: c.p, "os_version", "AIX 5.3 5300-06-01-0000", "AIX 5.3 5300-07-01-0000"),
        "HSCLSIM16",
    ),
    ("storage through a VIOS", None, _not_vios_server, "HSCLSIM17"),
    ("VLANs bridged on target", None, _vlan, "HSCLSIM18"),
    ("SEA on target", None, _seas, "HSCLSIM18"),
    ("no physical I/O (active)", None, _physical, "HSCLSIM19"),
    (
        "client adapters desired",
        None,
        _toggle(lambda c: c.p.scsi, "required", True, False),
        "HSCLSIM20",
    ),
    (
        "server adapters desired",
        None,
        _toggle(_server_adapter, "required", True, False),
        "HSCLSIM20",
    ),
    ("not any client", None, _any_client, "HSCLSIM21"),
    ("no virtual optical", None, _optical, "HSCLSIM22"),
    ("name unique on target", None, _name_clash, "HSCLSIM23"),
    ("not the service partition", None, _service, "HSCLSIM24"),
    ("no open console", None, _toggle(lambda c: c.p, "console_open", True, False), "HSCLSIM25"),
    (
        "activated at least once",
        _inactive,
        _toggle(lambda c: c.p, "resource_config", False, True),
        "HSCLSIM26",
    ),
    (
        "partition RMC active",
        None,
        _toggle(lambda c: c.p, "rmc_state", "inactive", "active"),
        "HSCLA246",
    ),
    ("no huge pages (active)", None, _toggle(lambda c: c.p, "huge_pages", 4, 0), "HSCLSIM27"),
    ("no BSR (active)", None, _toggle(lambda c: c.p, "bsr_arrays", 1, 0), "HSCLSIM28"),
    (
        "no redundant error path (active)",
        None,
        _toggle(lambda c: c.p, "redundant_err_path", True, False),
        "HSCLSIM29",
    ),
    (
        "compat mode on target",
        None,
        _toggle(lambda c: c.p, "compat_curr", "POWER10", "POWER9"),
        "HSCLSIM30",
    ),
    ("not crashed", None, _toggle(lambda c: c.p, "state", "Error", "Running"), "HSCLSIM31"),
    (
        "vFC hostable on target",
        _npiv,
        _toggle(lambda c: c.dst.vioses(), "npiv", False, True),
        "HSCLA319",
    ),
    (
        "vSCSI hostable on target",
        None,
        _toggle(lambda c: c.dst.vioses(), "state", "Open Firmware", "Running"),
        "HSCLSIM32",
    ),
    ("shared pool on target", None, _pool, "HSCLSIM33"),
    ("IBM i mobility capable", None, _ibmi, "HSCLSIM36"),
    ("suspend capable target", None, _suspended, "HSCLSIM35"),
]


async def _validate(c: Case):
    argv = ["migrlpar", "-o", "v", "-m", c.source, "-t", c.target, "-p", c.name]
    if c.remote:
        argv += ["--ip", c.world.hmcs["hmc-b"].address, "-u", "hscroot"]
    return await HmcShell(c.world, c.hmc).run(command_line(argv))


@pytest.mark.parametrize(
    ("title", "setup", "scenario", "message_id"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
async def test_prerequisite_fails_then_passes(world: World, title, setup, scenario, message_id):
    c = Case(world)
    if setup is not None:
        setup(c)
    if c.remote:
        c.p.compat_curr = "POWER9"
    scenario(c, False)
    clean = await _validate(c)
    assert (clean.rc, clean.stdout) == (0, ""), clean.stdout
    scenario(c, True)
    broken = await _validate(c)
    assert broken.rc == 1, title
    lines = broken.stdout.splitlines()
    if message_id.startswith("HSCLSIM") or message_id in ("HSCLA246", "HSCLA319"):
        assert lines[0] == "Errors:", broken.stdout
    assert any(line.startswith(message_id + " ") for line in lines), broken.stdout
    scenario(c, False)
    fixed = await _validate(c)
    assert (fixed.rc, fixed.stdout) == (0, ""), fixed.stdout


async def test_every_synthetic_validation_message_is_exercised():
    from lpmtui.sim.messages import CATALOGUE

    tested = {s[3] for s in SCENARIOS}
    validation_keys = [
        k
        for k in CATALOGUE
        if CATALOGUE[k].id.startswith("HSCLSIM") and int(CATALOGUE[k].id[7:]) < 40
    ]
    untested = {CATALOGUE[k].id for k in validation_keys} - tested
    # SAME_FRAME, MIGRATION_DISABLED, the redundancy warning and the incoming copy of a
    # migrating partition have their own tests below
    assert untested == {"HSCLSIM34", "HSCLSIM37", "HSCLSIM38", "HSCLSIM39"}


async def test_the_incoming_copy_of_a_migrating_partition_is_refused(world: World, clock):
    shell = HmcShell(world, "hmc-a")
    move = command_line(["migrlpar", "-o", "m", "-m", "p9-a", "-t", "p9-b", "-p", "o'brien"])
    task = asyncio.create_task(shell.run(move))
    for _ in range(5):
        await asyncio.sleep(0)
    listed = await shell.run("lssyscfg -r lpar -m p9-b -F name,state")
    assert "o'brien,Migrating - Running\n" in listed.stdout
    back = ["migrlpar", "-o", "v", "-m", "p9-b", "-t", "p9-a", "-p", "o'brien"]
    out = await shell.run(command_line(back))
    assert out.rc == 1
    assert out.stdout.splitlines() == [
        "Errors:",
        "HSCLSIM39 Partition o'brien on p9-b is the destination of a migration in progress "
        "from p9-a; it cannot be validated or migrated until that migration ends.",
    ]
    clock.advance(3600)
    assert (await task).rc == 0
    assert (await shell.run(command_line(back))).rc == 0  # now it is an ordinary partition


async def test_inactive_migration_allows_what_only_active_forbids(world: World):
    c = Case(world, name="web;01")
    p = c.p
    p.huge_pages, p.bsr_arrays, p.redundant_err_path = 4, 1, True
    c.src.io_slots[0].lpar_id = p.lpar_id
    p.rmc_state = "inactive"
    assert await _validate(c) == (await _validate(c)).__class__("", 0)


async def test_warnings_do_not_fail_validation(world: World):
    c = Case(world)
    vios_b2 = c.dst.by_name("vios-b2")
    vios_b2.state = "Not Activated"  # only one target VIOS can host the two adapters
    result = await _validate(c)
    assert result.rc == 0
    assert result.stdout.splitlines()[0] == "Warnings:"
    assert result.stdout.splitlines()[1].startswith("HSCLSIM38 ")
    strict = await HmcShell(world, "hmc-a").run(
        'migrlpar -o v -m p9-a -t p9-b -p "o\'brien" --redundantvios 1'
    )
    assert strict.rc == 1 and strict.stdout.startswith("Errors:\nHSCLSIM38 ")


async def test_same_frame_and_migration_disabled(world: World):
    c = Case(world, target="p9-a")
    assert "HSCLSIM37 " in (await _validate(c)).stdout
    c = Case(world)
    c.p.migration_disabled = True
    assert "HSCLSIM34 " in (await _validate(c)).stdout


async def test_severity_can_be_overridden_per_fleet(world: World):
    world.settings.severity["HSCLSIM25"] = "warning"
    c = Case(world)
    c.p.console_open = True
    result = await _validate(c)
    assert result.rc == 0 and result.stdout.startswith("Warnings:\nHSCLSIM25 ")


async def test_vlanbridge_2_skips_the_vlan_check(world: World):
    c = Case(world)
    c.p.eth[0].port_vlan_id = 777
    shell = HmcShell(world, "hmc-a")
    base = 'migrlpar -o v -m p9-a -t p9-b -p "o\'brien"'
    assert (await shell.run(base)).rc == 1
    assert (await shell.run(base + " --vlanbridge 2")).rc == 0


async def test_one_message_per_violation_in_the_hmc_layout(world: World):
    c = Case(world)
    c.p.huge_pages, c.p.console_open, c.p.rmc_state = 2, True, "inactive"
    out = (await _validate(c)).stdout
    assert out.startswith("Errors:\n")
    assert [line.split()[0] for line in out.splitlines()[1:]] == [
        "HSCLSIM25",
        "HSCLA246",
        "HSCLSIM27",
    ]
    assert out.splitlines()[2] == (
        "HSCLA246 The management console cannot communicate with partition o'brien.  Either the "
        "network connection is not available or the partition does not have a level of software "
        "that is capable of supporting this operation.  Verify the correct network and setup of "
        "the partition, and try the operation again."
    )
