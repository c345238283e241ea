"""The demo fleet fails every prerequisite somewhere, as docs/simulator.md lists, and many
partitions migrate cleanly."""

from __future__ import annotations

import asyncio

import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.hmc.commands import command_line
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.state import World

A, B, C, D = "P10-E1080-A", "P10-S1022-B", "P9-S924-C", "P9-E950-D"
OFF = "P8-S824-OLD"
V9 = "10.10.0.20"
V10 = "10.10.0.10"
P5, FLEX, BLADE = "P5-570-LEGACY", "Flex-p260-F", "PS701-blade-G"
V7, FSM, IVM = "10.10.0.30", "10.10.0.40", "10.10.0.50"

# (hmc, source, target, partition, --ip, message id) -- the table in docs/simulator.md
FAILURES = [
    ("hmc-v10", OFF, A, "old-app-01", None, "HSCL0238"),
    ("hmc-v10", A, OFF, "web-02", None, "HSCLSIM01"),
    ("hmc-v10", A, D, "compat9", V9, "HSCLSIM03"),
    ("hmc-v10", A, D, "compat9", V9, "HSCLSIM04"),
    ("hmc-v10", A, B, "erp-bigmem", None, "HSCLSIM05"),
    ("hmc-v10", A, B, "hpc-ded", None, "HSCLSIM06"),
    ("hmc-v10", A, D, "compat9", V9, "HSCLSIM07"),
    ("hmc-v10", A, D, "compat9", V9, "HSCLSIM08"),
    ("hmc-v9", C, B, "c-web-01", V10, "HSCL3653"),
    ("hmc-v10", A, D, "compat9", V9, "HSCLA246"),  # D's only MSP, d-vios1, has RMC down
    ("hmc-v10", A, D, "compat9", V9, "HSCLSIM14"),
    ("hmc-v9", D, C, "legacy-01", None, "HSCLSIM14"),  # the source MSP's VIOS is too old
    ("hmc-v10", A, C, "compat9", V9, "HSCLSIM11"),  # C's one active slot: archive-db
    ("hmc-v9", C, D, "c-web-01", None, "HSCLSIM11"),
    ("hmc-v9", C, D, "archive-db", None, "HSCLSIM39"),  # the incoming copy on C
    ("hmc-v10", A, B, "a-vios1", None, "HSCLSIM15"),
    ("hmc-v10", A, B, "old-aix", None, "HSCLSIM16"),
    ("hmc-v10", A, B, "not-virtual", None, "HSCLSIM17"),
    ("hmc-v10", A, B, "vlan-999", None, "HSCLSIM18"),
    ("hmc-v10", A, B, "phys-io-lpar", None, "HSCLSIM19"),
    ("hmc-v10", A, B, "ibmi-host", None, "HSCLSIM19"),
    ("hmc-v10", A, B, "req-adapter", None, "HSCLSIM20"),
    ("hmc-v10", A, B, "server-req", None, "HSCLSIM20"),
    ("hmc-v10", A, B, "any-client", None, "HSCLSIM21"),
    ("hmc-v10", A, B, "vtopt-lpar", None, "HSCLSIM22"),
    ("hmc-v10", A, B, "dup-name", None, "HSCLSIM23"),
    ("hmc-v10", A, B, "a-svc", None, "HSCLSIM24"),
    ("hmc-v10", A, B, "console-open", None, "HSCLSIM25"),
    ("hmc-v10", A, B, "never-booted", None, "HSCLSIM26"),
    ("hmc-v10", A, B, "app-rmcdown", None, "HSCLA246"),
    ("hmc-v10", A, B, "hugepage-db", None, "HSCLSIM27"),
    ("hmc-v9", C, D, "c-bsr", None, "HSCLSIM28"),  # V10R3 has no BSR setting (real-hmc-facts)
    ("hmc-v9", C, D, "c-pinned", None, "HSCLSIM34"),
    ("hmc-v11", "P11-9824-H", "P11-9242-J", "sriov-app", None, "HSCLSIM52"),
    ("hmc-v11", "P11-9824-H", B, "vnic-app", V10, "HSCLSIM53"),
    ("hmc-v10", A, B, "rep-path", None, "HSCLSIM29"),
    ("hmc-v10", A, C, "db prod 01", V9, "HSCLSIM30"),
    ("hmc-v10", A, B, "crashed", None, "HSCLSIM31"),
    ("hmc-v10", A, C, "db prod 01", V9, "HSCLA319"),
    ("hmc-v10", A, B, "pool-lpar", None, "HSCLSIM33"),
    ("hmc-v10", A, B, "hana-pinned", None, "HSCLSIM34"),
    ("hmc-v10", A, C, "ibmi-prod", V9, "HSCLSIM36"),
    # the legacy corner
    ("hmc-v10", A, P5, "app-01", V7, "HSCLSIM02"),  # a POWER5 target
    ("hmc-v10", A, P5, "app-01", V7, "HSCLSIM09"),  # hmc-v7 is below V7R3.4
    ("fsm-flex", FLEX, P5, "flex-app-01", V7, "HSCLSIM09"),  # HMC<->FSM below V7R7.1.0
    ("hmc-v10", A, BLADE, "app-01", IVM, "HSCLSIM10"),  # IVM manages its blade only
    ("hmc-v10", A, FLEX, "app-01", FSM, "HSCLSIM04"),  # no POWER7 firmware moves to POWER10
]

CLEAN = [
    ("hmc-v10", A, B, "db prod 01", None),
    ("hmc-v10", A, B, "web;01", None),
    ("hmc-v10", A, B, "o'brien", None),
    ("hmc-v10", A, B, "busy-oltp", None),
    ("hmc-v10", A, B, "batch-off", None),  # inactive: huge pages are allowed
    ("hmc-v10", A, B, "sleepy-app", None),  # suspended
    ("hmc-v10", A, B, "ibmi-prod", None),
    ("hmc-v10", B, A, "b-db-02", None),
]


async def _validate(world, hmc, source, target, name, ip):
    argv = ["migrlpar", "-o", "v", "-m", source, "-t", target, "-p", name]
    if ip:
        argv += ["--ip", ip]
    return await HmcShell(world, hmc).run(command_line(argv))


@pytest.fixture(scope="module")
def demo() -> World:
    return World.demo(ManualClock())


@pytest.mark.parametrize(("hmc", "source", "target", "name", "ip", "message_id"), FAILURES)
async def test_demo_failure(demo, hmc, source, target, name, ip, message_id):
    result = await _validate(demo, hmc, source, target, name, ip)
    assert result.rc == 1
    assert any(line.startswith(message_id + " ") for line in result.stdout.splitlines())


@pytest.mark.parametrize(("hmc", "source", "target", "name", "ip"), CLEAN)
async def test_demo_clean(demo, hmc, source, target, name, ip):
    result = await _validate(demo, hmc, source, target, name, ip)
    assert (result.rc, result.stdout) == (0, "")


async def test_another_consoles_migration_holds_c_until_it_ends():
    clock = ManualClock()
    world = World.demo(clock)
    v10 = HmcShell(world, "hmc-v10")
    listed = (await v10.run(f"lslparmigr -r lpar -m {A} --filter lpar_names=archive-db")).stdout
    assert "migration_state=Migration In Progress" in listed and f"dest_sys_name={C}" in listed
    sent = int(listed.split("bytes_transmitted=")[1].split(",")[0])
    assert 0 < sent < 196608 * 1024 * 1024  # 7 minutes into a ~27-minute move at 150 MB/s
    assert (await _validate(world, "hmc-v10", A, C, "compat9", V9)).rc == 1
    clock.advance(900)
    still = (await v10.run(f"lslparmigr -r lpar -m {A} --filter lpar_names=archive-db")).stdout
    assert "Migration In Progress" in still
    clock.advance(2100)
    on_c = await HmcShell(world, "hmc-v9").run(f"lssyscfg -r lpar -m {C} -F name,state")
    assert "archive-db,Running\n" in on_c.stdout
    result = await _validate(world, "hmc-v10", A, C, "compat9", V9)  # remote, trusted
    assert (result.rc, result.stdout) == (0, "")


async def test_hmc_fsm_migration_validates_once_c_has_a_free_slot():
    clock = ManualClock()
    world = World.demo(clock)
    assert (await _validate(world, "fsm-flex", FLEX, C, "flex-web-01", V9)).rc == 1
    clock.advance(3600)  # archive-db has arrived on C
    result = await _validate(world, "fsm-flex", FLEX, C, "flex-web-01", V9)
    assert (result.rc, result.stdout) == (0, "")  # FSM V7R7.9 <-> HMC V9: supported


async def test_trust_can_be_set_up_in_the_demo():
    clock = ManualClock()
    world = World.demo(clock)
    clock.advance(3600)  # archive-db has arrived: C has a free active migration slot again
    v9 = HmcShell(world, "hmc-v9")
    assert (await v9.run(f"mkauthkeys --ip {V10} -u hscroot --test")).rc == 1
    assert (await v9.run(f"mkauthkeys --ip {V10} -u hscroot --passwd abc123")).rc == 0
    result = await _validate(world, "hmc-v9", C, B, "c-web-01", V10)
    assert (result.rc, result.stdout) == (0, "")


async def test_frame_c_allows_one_active_migration():
    clock = ManualClock()
    world = World.demo(clock)
    clock.advance(3600)
    world.trust("hmc-v9", "hmc-v10")
    v9 = HmcShell(world, "hmc-v9")
    task = asyncio.create_task(v9.run(f"migrlpar -o m -m {C} -t {B} --ip {V10} -p c-web-01"))
    for _ in range(5):
        await asyncio.sleep(0)
    second = await _validate(world, "hmc-v9", C, B, "c-web-02", V10)
    assert second.rc == 1 and "HSCLSIM11 " in second.stdout
    inactive = await _validate(world, "hmc-v9", C, B, "c-batch", V10)
    assert (inactive.rc, inactive.stdout) == (0, "")  # the inactive limit is separate
    clock.advance(3600)
    assert (await task).rc == 0
