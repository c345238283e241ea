"""The client and the simulator share one HMC vocabulary (lpmtui.hmc.attributes): every
``-F`` set the console asks for is one the simulator prints, and the profile list elements the
simulator builds decode back to the adapters it holds."""

from __future__ import annotations

import pytest

from lpmtui.hmc import commands, parse
from lpmtui.model import HmcVersion
from lpmtui.sim.commands.shell import HmcShell

FRAME = "p9-a"
V10R3 = HmcVersion(10, "3", "1060")  # the test world's hmc-a
BUILDERS = {
    "systems": commands.systems(commands.for_level(commands.SYSTEM_FIELDS, "sys", V10R3)),
    "partitions": commands.partitions(
        FRAME, commands.for_level(commands.PARTITION_FIELDS, "lpar", V10R3)
    ),
    "profiles": commands.profiles(
        FRAME, commands.for_level(commands.PROFILE_FIELDS, "prof", V10R3)
    ),
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
    cmd = BUILDERS["profiles"]
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


@pytest.mark.parametrize(
    ("builder", "resource", "dropped"),
    [
        (commands.systems, "sys", "ibmi_lpar_mobility_capable"),
        (lambda f: commands.partitions(FRAME, f), "lpar", "migration_disabled"),
        (lambda f: commands.profiles(FRAME, f), "prof", "bsr_arrays"),
    ],
)
async def test_a_name_the_level_lacks_is_refused_and_the_console_falls_back(
    world, builder, resource, dropped
):
    """At V10R3 the simulator refuses a name the captures do not show, as a real HMC would;
    the console does not ask it there, and the full V9 set (asked before) falls back to the
    default listing through the link."""
    from lpmtui.fleet.link import HmcCommands
    from lpmtui.simlink import SimLink

    full = {"sys": commands.SYSTEM_FIELDS, "lpar": commands.PARTITION_FIELDS}.get(
        resource, commands.PROFILE_FIELDS
    )
    refused = await HmcShell(world, "hmc-a").run(builder(full).line)
    assert refused.rc == 1 and refused.stdout == (
        f"An invalid attribute was entered.  The invalid attribute is {dropped}.  "
        "Please correct your entry and retry the command.\n"
    )
    asked = commands.for_level(full, resource, V10R3)
    assert dropped not in asked and set(asked) < set(full)
    assert (await HmcShell(world, "hmc-a").run(builder(asked).line)).rc == 0
    assert commands.for_level(full, resource, HmcVersion(9, "2", "953")) == full
    hmc = HmcCommands(SimLink(world, "hmc-a"))
    errors: list[str] = []
    parser = {
        "sys": parse.systems,
        "lpar": lambda text, fields, d: parse.partitions(text, FRAME, fields, d),
        "prof": parse.profiles,
    }[resource]
    found = await hmc.listing(builder(full), parser, errors)
    assert found.items and not errors
    assert world.received["hmc-a"][-1][-2:] != ("-F", ",".join(full))  # the default listing


def test_the_vocabulary_module_is_the_shared_sweeps_transcribed():
    """hmc/vocabulary.py holds exactly the names the real sweeps printed, per release and POWER
    generation, apart from the two documented 'not seen is not absent' keeps at V11R2."""
    import json
    from pathlib import Path

    from lpmtui.hmc.vocabulary import evidenced

    path = Path(__file__).parents[1] / "fixtures/real-v10-v11/vocabulary-cli.json"
    sweeps = json.loads(path.read_text())["vocabularies"]
    systems = {
        "v10r3-p9": (10, "3", 9),
        "v11r2-p9-9009-42a": (11, "2", 9),
        "v11r2-p10-9080-hex": (11, "2", 10),
        "v11r2-p11-9824-42a": (11, "2", 11),
    }
    kept = {
        ("v11r2-p10-9080-hex", "lpar"): {"uuid"},
        ("v11r2-p11-9824-42a", "lpar"): {
            "migr_storage_vios_data_status",
            "migr_storage_vios_data_timestamp",
        },
    }
    compared = 0
    for system, (version, release, generation) in systems.items():
        for command, names in sweeps[system].items():
            if not command.startswith("lssyscfg -r ") or "(" in command:  # partial sweeps
                continue
            resource = command.split()[-1]
            module = evidenced(version, release, resource, generation)
            assert set(names) <= module, (system, resource)
            assert module - set(names) == kept.get((system, resource), set()), (system, resource)
            compared += 1
    assert compared == 10  # 3 + 3 + 2 + 2 whole listings
