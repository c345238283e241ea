"""The client and the simulator share one HMC vocabulary (lpmtui.hmc.attributes): every
``-F`` set the console asks for is one the simulator prints, and the profile list elements the
simulator builds decode back to the adapters it holds."""

from __future__ import annotations

import pytest

from lpmtui.hmc import commands, parse
from lpmtui.sim.commands.shell import HmcShell

FRAME = "p9-a"
BUILDERS = {
    "systems": commands.systems(),
    "partitions": commands.partitions(FRAME),
    "profiles": commands.profiles(FRAME),
    "system_memory": commands.system_memory(FRAME),
    "system_processors": commands.system_processors(FRAME),
    "shared_proc_pools": commands.shared_proc_pools(FRAME),
    "partition_memory": commands.partition_memory(FRAME),
    "partition_processors": commands.partition_processors(FRAME),
    "io_slots": commands.io_slots(FRAME),
    "firmware_level": commands.firmware_level(FRAME),
    **{f"virtual_io_{k}": commands.virtual_io(FRAME, k) for k in ("scsi", "fc", "eth", "slot")},
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
async def test_every_field_the_console_asks_for_is_printed_by_the_simulator(world, name):
    cmd = BUILDERS[name]
    assert cmd.fields, name
    result = await HmcShell(world, "hmc-a").run(cmd.line)
    assert result.rc == 0, result.stdout
    first = result.stdout.splitlines()[0]
    assert len(first.split(cmd.delimiter)) >= len(cmd.fields), first


async def test_profile_elements_decode_to_the_adapters_the_simulator_holds(world):
    frame = world.frames[FRAME]
    p = frame.by_name("db prod 01")
    cmd = commands.profiles(FRAME)
    result = await HmcShell(world, "hmc-a").run(cmd.line)
    listed = parse.profiles(result.stdout, cmd.fields).items
    (profile,) = [x for x in listed if x.lpar_id == p.lpar_id]
    scsi = parse.profile_scsi_adapters(profile)
    fc = parse.profile_fc_adapters(profile)
    eth = parse.profile_eth_adapters(profile)
    assert not (scsi.problems or fc.problems or eth.problems)
    assert [(a.slot_num, a.remote_lpar_id, a.remote_slot_num) for a in scsi.items] == [
        (a.slot, a.remote_id, a.remote_slot) for a in p.scsi
    ]
    assert [(a.slot_num, a.wwpns) for a in fc.items] == [(a.slot, tuple(a.wwpns)) for a in p.fc]
    assert [(a.slot_num, a.port_vlan_id, a.vswitch, a.mac_addr) for a in eth.items] == [
        (a.slot, a.port_vlan_id, a.vswitch, a.mac) for a in p.eth
    ]
    assert scsi.items and fc.items and eth.items
