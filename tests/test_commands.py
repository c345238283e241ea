"""Command builders: the argv asked for, and quoting that survives a real shell and the HMC's
attribute-record layer for every hostile name."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from lpmtui.hmc import commands, records
from lpmtui.hmc.commands import MigrationInputs, UnsafeArgumentError

HOSTILE_NAMES = [
    "my lpar",
    "it's",
    'say "hi"',
    "a,b",
    "x=y",
    "$HOME",
    "a;touch pwned",
    "`touch pwned`",
    "$(touch pwned)",
    "line1\nline2",
    "*",
    "?",
    "[ab]*",
    "-p",
    "--force",
    "ünïcödé",
    "名前 区画",
    "tab\there",
    "back\\slash",
    "a'b\"c,d=e",
    "~root",
    "!!",
    "{a,b}",
    "a&b|c>d<e",
    "none",
    "  leading and trailing  ",
    "#comment",
    "%s%n",
    "cr\rinside",
    '"quoted,with,commas"',
    'new\nline, comma and "quote"',
]

BASH = shutil.which("bash")


def bash_split(line: str, cwd) -> list[str]:
    """What a real bash makes of the command line: the argv it would run."""
    proc = subprocess.run(
        [BASH, "-c", "printf '%s\\0' " + line],
        capture_output=True,
        cwd=cwd,
        check=True,
    )
    return proc.stdout.decode("utf-8").split("\0")[:-1]


def value_after(argv: tuple[str, ...], flag: str) -> str:
    return argv[argv.index(flag) + 1]


@pytest.fixture
def trap_dir(tmp_path):
    # files a stray glob would match, and where a stray command would leave its mark
    for name in ("a", "b", "ab", "x"):
        (tmp_path / name).write_text("")
    return tmp_path


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_name_reaches_the_hmc_unchanged(name, trap_dir):
    inputs = MigrationInputs(
        source_msp_name=name,
        dest_msp_name=name,
        shared_proc_pool_name=name,
        dest_lpar_id=12,
        virtual_scsi_mappings=(f"2/{name}/3", "3/vios2/4"),
        virtual_fc_mappings=(f"4/{name}/2/14/fcs0",),
    )
    built = [
        commands.migrlpar("v", name, name, target=name, profile=name, inputs=inputs),
        commands.partitions(name, lpar=name),
        commands.partition_migrations(name, lpar=[name, "other"]),
        commands.msp_pairs(name, name, name, remote_ip=name, remote_user=name),
    ]
    for cmd in built:
        assert bash_split(cmd.line, trap_dir) == list(cmd.argv)
    assert not (trap_dir / "pwned").exists()

    migrate, lpars, migrations, msp = built
    head = ("migrlpar", "-o", "v", "-m", name, "-t", name, "-p", name, "-n", name, "-i")
    assert migrate.argv[:12] == head
    (record,) = records.parse(migrate.argv[12])
    assert record["source_msp_name"] == name
    assert record["dest_msp_name"] == name
    assert record["shared_proc_pool_name"] == name
    assert record["dest_lpar_id"] == "12"
    assert records.split_list(record["virtual_scsi_mappings"]) == [f"2/{name}/3", "3/vios2/4"]
    assert records.split_list(record["virtual_fc_mappings"]) == [f"4/{name}/2/14/fcs0"]

    for cmd, names in ((lpars, [name]), (migrations, [name, "other"]), (msp, [name])):
        (flt,) = records.parse(cmd.argv[cmd.argv.index("--filter", 5) + 1])
        assert records.split_list(flt["lpar_names"]) == names


def test_argv_asks_only_for_the_needed_fields():
    cmd = commands.partitions("9131-52A*6535CCG")
    assert cmd.argv[:5] == ("lssyscfg", "-r", "lpar", "-m", "9131-52A*6535CCG")
    assert value_after(cmd.argv, "-F") == ",".join(commands.PARTITION_FIELDS)
    assert cmd.fields == commands.PARTITION_FIELDS
    assert cmd.line == "lssyscfg -r lpar -m '9131-52A*6535CCG' -F " + ",".join(cmd.fields)
    assert commands.systems(["name", "state"]).argv == ("lssyscfg", "-r", "sys", "-F", "name,state")
    assert commands.system_memory("S").argv[:7] == (
        "lshwres",
        "-r",
        "mem",
        "-m",
        "S",
        "--level",
        "sys",
    )
    assert "mem_region_size" in commands.system_memory("S").fields
    assert "ibmi_lpar_mobility_capable" in commands.systems().fields
    assert {"desired_mem", "proc_mode", "desired_proc_units", "desired_procs"} <= set(
        commands.profiles("S").fields
    )
    assert commands.shared_proc_pools("S").line == (
        "lshwres -r procpool -m S -F shared_proc_pool_id,name"
    )


def test_default_listing_drops_the_field_list():
    cmd = commands.partition_memory("S", lpar=5)
    full = cmd.default_listing()
    assert "-F" not in full.argv and full.fields == ()
    assert full.argv == (
        "lshwres",
        "-r",
        "mem",
        "-m",
        "S",
        "--level",
        "lpar",
        "--filter",
        "lpar_ids=5",
    )
    assert full.default_listing() is full


def test_ids_are_preferred_and_filters_are_records():
    assert commands.partitions("S", fields=["name"], lpar=7).argv == (
        "lssyscfg",
        "-r",
        "lpar",
        "-m",
        "S",
        "--filter",
        "lpar_ids=7",
        "-F",
        "name",
    )
    assert commands.filter_value([3, 4]) == '"lpar_ids=3,4"'
    assert commands.filter_value("a,b") == '"lpar_names=""a,b"""'
    with pytest.raises(ValueError):
        commands.filter_value([3, "x"])
    with pytest.raises(ValueError):
        commands.filter_value([])


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("scsi", "remote_lpar_id"),
        ("fc", "wwpns"),
        ("eth", "addl_vlan_ids"),
        ("slot", "next_avail_virtual_slot"),
    ],
)
def test_virtual_io(kind, field):
    cmd = commands.virtual_io("S", kind, lpar=5)
    assert cmd.argv[:7] == ("lshwres", "-r", "virtualio", "--rsubtype", kind, "--level", "lpar")
    assert field in cmd.fields
    with pytest.raises(ValueError):
        commands.virtual_io("S", "serial")  # type: ignore[arg-type]


def test_every_other_builder():
    assert commands.hmc_version().argv == ("lshmc", "-V")
    assert commands.manager_migration().argv == ("lslparmigr", "-r", "manager")
    assert commands.system_migration("S").argv == ("lslparmigr", "-r", "sys", "-m", "S")
    assert commands.partition_migrations("S").argv == ("lslparmigr", "-r", "lpar", "-m", "S")
    assert commands.virtual_io_mappings("S", "T", 5).argv == (
        "lslparmigr",
        "-r",
        "virtualio",
        "-m",
        "S",
        "-t",
        "T",
        "--filter",
        "lpar_ids=5",
    )
    assert commands.proc_pools("S", "T", 5, remote_ip="hmc2", remote_user="hscroot").argv == (
        "lslparmigr",
        "-r",
        "procpool",
        "-m",
        "S",
        "-t",
        "T",
        "--ip",
        "hmc2",
        "-u",
        "hscroot",
        "--filter",
        "lpar_ids=5",
    )
    assert commands.mkauthkeys_test("10.0.0.2", "hscroot").argv == (
        "mkauthkeys",
        "--ip",
        "10.0.0.2",
        "-u",
        "hscroot",
        "--test",
    )
    assert commands.firmware_level("S").argv == (
        "lslic",
        "-t",
        "sys",
        "-m",
        "S",
        "-F",
        "activated_level,activated_spname",
    )
    vios = commands.vios_optical_mappings("S", 2)
    assert vios.argv == (
        "viosvrcmd",
        "-m",
        "S",
        "--id",
        "2",
        "-c",
        "lsmap -all -type file_opt -fmt :",
    )
    assert vios.line.endswith("-c 'lsmap -all -type file_opt -fmt :'")
    assert commands.close_terminal("S", 5).argv == ("rmvterm", "-m", "S", "--id", "5")
    assert commands.io_slots("S").fields == commands.IO_SLOT_FIELDS
    assert commands.profiles("S", lpar=5).argv[:7] == (
        "lssyscfg",
        "-r",
        "prof",
        "-m",
        "S",
        "--filter",
        "lpar_ids=5",
    )
    assert "curr_proc_units" in commands.partition_processors("S").fields


def test_migrlpar_operations():
    v = commands.migrlpar(
        "v",
        "S",
        5,
        target="T",
        remote_ip="hmc2",
        remote_user="hscroot",
        wait_minutes=5,
        inputs=MigrationInputs(source_msp_id=2, dest_msp_id=3, shared_proc_pool_id=0),
    )
    assert v.argv == (
        "migrlpar",
        "-o",
        "v",
        "-m",
        "S",
        "-t",
        "T",
        "--ip",
        "hmc2",
        "-u",
        "hscroot",
        "--id",
        "5",
        "-i",
        "source_msp_id=2,dest_msp_id=3,shared_proc_pool_id=0",
        "-w",
        "5",
    )
    m = commands.migrlpar("m", "S", "lp1", target="T", profile="after_lpm")
    assert m.argv == ("migrlpar", "-o", "m", "-m", "S", "-t", "T", "-p", "lp1", "-n", "after_lpm")
    assert commands.migrlpar("s", "S", 5).argv == ("migrlpar", "-o", "s", "-m", "S", "--id", "5")
    r = commands.migrlpar("r", "S", 5, force=True)
    assert r.argv == ("migrlpar", "-o", "r", "-m", "S", "--id", "5", "--force")
    # empty inputs add nothing
    assert "-i" not in commands.migrlpar("v", "S", 5, target="T", inputs=MigrationInputs()).argv


@pytest.mark.parametrize(
    "kwargs",
    [
        {"op": "v"},  # no target
        {"op": "m"},
        {"op": "r", "target": "T"},
        {"op": "s", "remote_ip": "h"},
        {"op": "v", "target": "T", "force": True},
        {"op": "r", "profile": "p"},
        {"op": "x", "target": "T"},
        {"op": "v", "target": "T", "remote_user": "u"},  # user without --ip
        {"op": "v", "target": ""},
    ],
)
def test_migrlpar_refuses_inconsistent_requests(kwargs):
    op = kwargs.pop("op")
    with pytest.raises(ValueError):
        commands.migrlpar(op, "S", 5, **kwargs)


@pytest.mark.parametrize("bad", ["a\x00b", "\x00"])
def test_nul_is_refused_everywhere(bad):
    with pytest.raises(UnsafeArgumentError):
        commands.partitions(bad)
    with pytest.raises(UnsafeArgumentError):
        commands.migrlpar("v", "S", bad, target="T")
    with pytest.raises(UnsafeArgumentError):
        commands.MigrationInputs(source_msp_name=bad).record()
    with pytest.raises(UnsafeArgumentError):
        commands.command_line(["lshmc", bad])
    with pytest.raises(UnsafeArgumentError):
        commands.Command(("lshmc", bad))


def test_ids_must_be_non_negative_integers():
    for bad in (-1, True, "5"):
        with pytest.raises(ValueError):
            commands.close_terminal("S", bad)  # type: ignore[arg-type]
