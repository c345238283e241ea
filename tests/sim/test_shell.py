"""The simulated HMC shell: tokenising, options, listings in the real samples' format."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpmtui.hmc import records
from lpmtui.hmc.commands import command_line
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.state import World

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BAD_PARAMETER = (
    "The command entered is either missing a required parameter or a parameter value is "
    "invalid. The parameters that are missing or have an invalid value are {}. "
    "Please check your entry and retry the command.\n"
)


async def test_lshmc_v_has_the_real_multiline_shape(shell: HmcShell):
    result = await shell.run("lshmc -V")
    assert result.rc == 0
    assert result.stdout == (
        '"version= Version: 10\n Release: 3\n Service Pack: 1060\nHMC Build level 2503010000\n'
        'MF71689 - HMC V10R3 M1060\n","base_version=V10R3\n"\n'
    )
    sample = (FIXTURES / "lshmc-V-01.txt").read_text()
    assert list(records.parse(sample)[0]) == list(records.parse(result.stdout)[0])


async def test_v9_hmc_version(world: World):
    out = (await HmcShell(world, "hmc-b").run("lshmc -V")).stdout
    assert records.parse(out)[0]["base_version"] == "V9R2\n"
    assert " Version: 9\n Release: 2\n Service Pack: 953\n" in out


def _merged_order(recs: list[dict[str, str]]) -> list[str]:
    """One attribute order consistent with every record (records omit different attributes)."""
    order: list[str] = []
    for rec in recs:
        previous = None
        for key in rec:
            if key not in order:
                order.insert(order.index(previous) + 1 if previous else 0, key)
            previous = key
    return order


@pytest.mark.parametrize(
    ("command", "fixture"),
    [
        ("lssyscfg -r sys -m p9-a", "lssyscfg-sys-04.txt"),
        ("lssyscfg -r lpar -m p9-a", "lssyscfg-lpar-01.txt"),
        ("lshwres -r mem -m p9-a --level sys", "lshwres-mem-sys-01.txt"),
        ("lshwres -r mem -m p9-a --level lpar", "lshwres-mem-lpar-01.txt"),
        ("lshwres -r proc -m p9-a --level sys", "lshwres-proc-sys-01.txt"),
        ("lshwres -r io --rsubtype slot -m p9-a", "lshwres-io-slot-01.txt"),
        (
            "lshwres -r virtualio --rsubtype scsi --level lpar -m p9-a",
            "lshwres-virtualio-scsi-01.txt",
        ),
        (
            "lshwres -r virtualio --rsubtype eth --level lpar -m p9-a",
            "lshwres-virtualio-eth-01.txt",
        ),
        (
            "lshwres -r virtualio --rsubtype slot --level lpar -m p9-a",
            "lshwres-virtualio-slot-01.txt",
        ),
        ("lssyscfg -r prof -m p9-a", "lssyscfg-prof-03.txt"),
    ],
)
async def test_listings_follow_the_real_attribute_order(shell: HmcShell, command, fixture):
    """Every attribute a real sample prints for the same resource appears in the same order.
    The samples predate V10R3 (tests/fixtures/SOURCES.md): the HMC answers as a V9 level,
    whose attribute sets are not cut to a capture's vocabulary."""
    shell.world.hmcs["hmc-a"].version.version = 9
    ours = records.parse((await shell.run(command)).stdout)
    theirs = records.parse((FIXTURES / fixture).read_text())
    assert ours
    real_order = _merged_order(theirs)
    for rec in ours:
        common = [k for k in rec if k in real_order]
        assert common == sorted(common, key=real_order.index), command
    sample_keys = set(real_order)
    ours_keys = {k for rec in ours for k in rec}
    # the real sample's attributes are all there (a POWER5 sample may lack newer ones we add)
    assert sample_keys <= ours_keys | {"pci_subs_vendor_id"}, sample_keys - ours_keys


async def test_power_off_frame_prints_unavailable_like_the_sample(shell: HmcShell):
    rec = records.parse((await shell.run("lssyscfg -r sys -m p8-off")).stdout)[0]
    sample = records.parse((FIXTURES / "lssyscfg-sys-05.txt").read_text())[0]
    assert rec["state"] == "Power Off"
    assert rec["active_lpar_mobility_capable"] == "unavailable"
    assert rec["max_lpars"] == sample["max_lpars"] == "unavailable"


async def test_dash_f_with_any_delimiter_and_header(shell: HmcShell):
    out = (await shell.run("lssyscfg -r lpar -m p9-a -F name:lpar_id:state --header")).stdout
    rows = records.parse_fields(out, [], ":", header=True)
    assert rows[0] == {"name": "vios-a1", "lpar_id": "1", "state": "Running"}
    assert {"name": "web;01", "lpar_id": "4", "state": "Not Activated"} in rows


async def test_dash_f_quotes_values_holding_the_delimiter(shell: HmcShell):
    out = (await shell.run("lssyscfg -r sys -m p9-a -F name,lpar_proc_compat_modes")).stdout
    row = records.parse_fields(out, ["name", "modes"])[0]
    assert records.split_list(row["modes"]) == [
        "default",
        "POWER7",
        "POWER8",
        "POWER9",
        "POWER9_base",
    ]


async def test_dash_f_without_names_prints_all_values(shell: HmcShell):
    out = (await shell.run("lssyscfg -r lpar -m p9-a -F --header")).stdout
    rows = records.parse_fields(out, [], ",", header=True)
    assert rows[0]["name"] == "vios-a1"
    assert rows[0]["boot_mode"] == "null"  # VIOS records lack it: null, as a real -F
    assert rows[2]["boot_mode"] == "norm"


async def test_attached_dash_f_value(shell: HmcShell):
    out = (
        await shell.run(
            "lshwres -r virtualio --rsubtype slot --level lpar -m p9-a -Fcurr_max_virtual_slots"
        )
    ).stdout
    assert out.splitlines()[0] == "200"


async def test_unknown_attribute_is_an_error(shell: HmcShell):
    result = await shell.run("lssyscfg -r sys -F type_serial")
    assert result.rc == 1
    assert "The invalid attribute is type_serial." in result.stdout


async def test_attributes_are_case_sensitive(shell: HmcShell):
    assert (await shell.run("lssyscfg -r lpar -m p9-a -F UUID")).rc == 1
    assert (await shell.run("lssyscfg -r lpar -m p9-a -F uuid")).rc == 0


@pytest.mark.parametrize(
    ("command", "culprit"),
    [
        ("lssyscfg -r lpar", "-m"),
        ("lssyscfg -r lpar -m nosuch", "-m"),
        ("lssyscfg -r bogus -m p9-a", "-r"),
        ("lshwres -r mem -m p9-a", "--level"),
        ("migrlpar -o v -m p9-a -t p9-b -p x --vlanbridge 3", "--vlanbridge"),
    ],
)
async def test_bad_options_give_the_missing_parameter_message(shell: HmcShell, command, culprit):
    result = await shell.run(command)
    assert (result.stdout, result.rc) == (BAD_PARAMETER.format(culprit), 1)


@pytest.mark.parametrize(
    ("command", "culprit"),
    [
        ("lssyscfg -r lpar -m p9-a --bogus", "--bogus"),
        ("migrlpar -o v -m p9-a -t p9-b -p x --async", "--async"),
    ],
)
async def test_unknown_options_give_the_invalid_parameter_message(
    shell: HmcShell, command, culprit
):
    """V10R3's text for an option the command lacks (real-hmc-facts §1: "--gid")."""
    result = await shell.run(command)
    text = (
        f"An invalid parameter was entered.  The parameters {culprit} are not valid.  "
        "Please check your entry and retry the command.\n"
    )
    assert (result.stdout, result.rc) == (text, 1)


async def test_unknown_command(shell: HmcShell):
    result = await shell.run("last -b")
    assert (result.stdout, result.rc) == ("/bin/bash: last: command not found\n", 127)
    sample = (FIXTURES / "hmc-shell-unknown-command-01.txt").read_text()
    assert result.stdout == sample


async def test_a_name_filter_naming_no_partition_is_hscl8012(shell: HmcShell):
    result = await shell.run("lssyscfg -r lpar -m p9-a --filter lpar_names=nobody -F name")
    text = (
        "HSCL8012 The partition named nobody was not found.  "
        "Please check your entry and retry the command.\n"
    )
    assert (result.stdout, result.rc) == (text, 1)  # real-hmc-facts §1, cli-lpar-unknown


async def test_no_results(shell: HmcShell):
    result = await shell.run("lssyscfg -r prof -m p9-a --filter lpar_names=nobody")
    assert (result.stdout, result.rc) == ("No results were found.\n", 0)


async def test_partition_commands_on_a_powered_off_frame(shell: HmcShell):
    result = await shell.run("lssyscfg -r lpar -m p8-off")
    assert result.rc == 1
    assert result.stdout.startswith("HSCL0238 This operation is only allowed when the managed")


async def test_frame_by_type_model_serial(shell: HmcShell):
    out = (await shell.run("lssyscfg -r lpar -m '9009-42A*7800AAA' -F name")).stdout
    assert "db prod 01" in out.splitlines()


async def test_names_with_odd_characters_round_trip_through_command_line(shell: HmcShell):
    for name in ("db prod 01", "web;01", "o'brien"):
        argv = [
            "lssyscfg",
            "-r",
            "lpar",
            "-m",
            "p9-a",
            "--filter",
            f"lpar_names={name}",
            "-F",
            "name,lpar_id",
        ]
        out = (await shell.run(command_line(argv))).stdout
        assert records.parse_fields(out, ["name", "lpar_id"])[0]["name"] == name
        assert shell.world.received["hmc-a"][-1] == tuple(argv)


async def test_filter_with_a_quoted_list(shell: HmcShell):
    out = (
        await shell.run(
            "lssyscfg -r lpar -m p9-a --filter '\"lpar_names=web;01,o'\"'\"'brien\"' -F name"
        )
    ).stdout
    assert out.splitlines() == ["web;01", "o'brien"]
    out = (await shell.run('lssyscfg -r lpar -m p9-a --filter "lpar_ids=1,3" -F name')).stdout
    assert out == BAD_PARAMETER.format("--filter")  # a list must be quoted (hmc-cli §1.3)


async def test_environment_prefix_is_accepted(shell: HmcShell):
    result = await shell.run("LC_ALL=en_US LANG=en_US lssyscfg -r sys -F name")
    assert result.stdout.splitlines() == ["p9-a", "p9-b", "p8-off"]


async def test_every_argv_is_recorded(shell: HmcShell):
    await shell.run("lssyscfg -r sys -F name")
    await shell.run("nosuch 'a b'")
    assert shell.world.received["hmc-a"][-2:] == [
        ("lssyscfg", "-r", "sys", "-F", "name"),
        ("nosuch", "a b"),
    ]


async def test_each_hmc_sees_only_its_frames(world: World):
    out = (await HmcShell(world, "hmc-b").run("lssyscfg -r sys -F name")).stdout
    assert out == "p10-c\n"


async def test_lslic_reports_the_firmware(shell: HmcShell):
    out = (await shell.run("lslic -t sys -m p9-a -F activated_level,activated_spname")).stdout
    assert out == "80,FW950.80\n"


async def test_viosvrcmd_lsmap_lists_virtual_optical(world: World, shell: HmcShell):
    from lpmtui.sim.world.model import OpticalMapping

    vios = world.frames["p9-a"].by_name("vios-a1")
    client = world.frames["p9-a"].by_name("o'brien")
    slot = next(a.slot for a in vios.scsi if a.remote_id == client.lpar_id)
    vios.optical.append(OpticalMapping(slot, client.lpar_id, "vtopt0", "aix73.iso"))
    out = (
        await shell.run("viosvrcmd -m p9-a -p vios-a1 -c 'lsmap -all -type file_opt -fmt :'")
    ).stdout
    fields = out.strip().split(":")
    assert fields[2] == f"0x{client.lpar_id:08x}"
    assert "vtopt0" in fields and "/var/vio/VMLibrary/aix73.iso" in fields


async def test_rmvterm_closes_an_open_console(world: World, shell: HmcShell):
    p = world.frames["p9-a"].by_name("o'brien")
    p.console_open = True
    result = await shell.run('rmvterm -m p9-a -p "o\'brien"')
    assert (result.stdout, result.rc) == ("", 0)
    assert not p.console_open


async def test_unknown_partition(shell: HmcShell):
    result = await shell.run("rmvterm -m p9-a -p ghost")
    text = (
        "HSCL8012 The partition named ghost was not found.  "
        "Please check your entry and retry the command.\n"
    )
    assert (result.stdout, result.rc) == (text, 1)


async def test_unbalanced_quotes(shell: HmcShell):
    result = await shell.run("lssyscfg -r lpar -m 'p9-a")
    assert result.rc == 2
    assert result.stdout.startswith("/bin/bash: ")


async def test_lshwres_procpool_lists_the_default_and_configured_pools():
    world = World.from_yaml("""
hmcs:
  - name: h
    frames:
      - name: f
        pools: [{id: 3, name: "batch pool", max: 4}]
        vios: [{name: v1}]
        partitions:
          - {name: a, pool: batch pool}
          - {name: b}
          - {name: c, mode: ded, procs: 2}
""")
    shell = HmcShell(world, "h")
    out = await shell.run("lshwres -r procpool -m f -F shared_proc_pool_id,name")
    assert (out.rc, out.stdout) == (0, "0,DefaultPool\n3,batch pool\n")
    default, batch = records.parse((await shell.run("lshwres -r procpool -m f")).stdout)
    assert list(default) == ["name", "shared_proc_pool_id", "lpar_names", "lpar_ids"]
    assert records.split_list(default["lpar_names"]) == ["v1", "b"]  # not the dedicated c
    assert batch["max_pool_proc_units"] == "4.0" and batch["lpar_names"] == "a"
    bad = await shell.run("lshwres -r procpool -m f --level sys")
    assert (bad.rc, bad.stdout) == (1, BAD_PARAMETER.format("--level"))


async def test_viosvrcmd_lsnports_lists_ports_of_npiv_vioses_only():
    world = World.from_yaml("""
hmcs:
  - name: h
    frames:
      - name: f
        type_model: 9009-42A
        serial: 78ABCDE
        vios: [{name: v1}, {name: v2, npiv: false}]
        partitions: [{name: a, storage: npiv}]
""")
    shell = HmcShell(world, "h")
    out = await shell.run('viosvrcmd -m f -p v1 -c "lsnports -fmt :"')
    assert out.rc == 0
    assert out.stdout == (
        "fcs0:U9009.42A.78ABCDE-P1-C1-T1:1:64:63:2048:2046\n"  # a's vFC server adapter
        "fcs1:U9009.42A.78ABCDE-P1-C1-T2:1:64:64:2048:2048\n"
    )
    assert (await shell.run('viosvrcmd -m f -p v2 -c "lsnports -fmt :"')).stdout == ""


async def test_partition_uuids_print_upper_case(shell: HmcShell):
    out = (await shell.run("lssyscfg -r lpar -m p9-a -F uuid")).stdout
    uuids = out.split()
    assert uuids and all(u == u.upper() and "-" in u for u in uuids)  # cli-lpar-uuid-name


async def test_mkauthkeys_with_g_and_a_password_is_accepted(shell: HmcShell):
    target = next(h for h in shell.world.hmcs.values() if h.name != shell.hmc_name)
    password = target.users["hscroot"]
    result = await shell.run(f"mkauthkeys --ip {target.address} -u hscroot -g --passwd {password}")
    assert (result.stdout, result.rc) == ("", 0)
    assert shell.world.trusted(shell.hmc_name, target.name)


async def test_records_list_in_creation_order_not_by_id(shell: HmcShell):
    frame = shell.world.find_frame(shell.hmc_name, "p9-a")
    first = min(frame.partitions)
    frame.partitions[first] = frame.partitions.pop(first)  # created last: listed last
    out = (await shell.run("lssyscfg -r lpar -m p9-a -F lpar_id")).stdout
    ids = [int(i) for i in out.split()]
    assert ids == list(frame.partitions) and ids[-1] == first and ids != sorted(ids)
