"""Parsers on every real HMC sample (real values asserted), on the documented [M] shapes, and on
broken input (bad lines reported with their number, good lines kept)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpmtui.hmc import commands, parse, records
from lpmtui.model import Profile

FIXTURES = Path(__file__).parent / "fixtures"


def fx(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_every_fixture_is_covered_here():
    covered = {
        "SOURCES.md",
        "chhwres-sriov-error-01.txt",  # test_errors
        "hmc-shell-unknown-command-01.txt",  # test_errors
        "lshwres-virtualio-fc-error-01.txt",  # test_errors
        "lssyscfg-sys-error-01.txt",  # test_errors
        "mkauthkeys-test-error-01.txt",  # test_errors
        "lshwres-sriov-adapter-01.txt",  # test_records (SR-IOV is not an LPM input here)
    }
    source = Path(__file__).read_text(encoding="utf-8")
    for path in (p for p in FIXTURES.iterdir() if p.is_file()):
        assert path.name in covered or f'"{path.name}"' in source, (
            f"{path.name} has no parser test with real values in tests/test_parse.py"
        )


# -- lshmc -V -----------------------------------------------------------------------------------


def test_hmc_version_multi_line():
    parsed = parse.hmc_version(fx("lshmc-V-01.txt"))
    assert parsed.problems == ()
    v = parsed.one
    assert (v.version, v.release, v.service_pack) == (7, "7.9.0", "3")
    assert v.build_level == "20151216.1"
    assert v.base_version == "V7R7.9.0"
    assert v.fixes == ()
    assert v.release_tuple == (7, 7, 9, 0)
    assert v.label == "V7R7.9.0 SP3"


def test_hmc_version_v10_with_fix_lines():
    text = records.format_records(
        [
            {
                "version": " Version: 10\n Release: 3\n Service Pack: 1060\n"
                "HMC Build level 2503010000\nMF71689 - HMC V10R3 M1060\n",
                "base_version": "V10R3\n",
            }
        ]
    )
    v = parse.hmc_version(text).one
    assert (v.version, v.release, v.service_pack, v.build_level) == (10, "3", "1060", "2503010000")
    assert v.fixes == ("MF71689 - HMC V10R3 M1060",)
    assert v.at_least(10, 3)


def test_hmc_version_garbage_is_a_problem():
    assert parse.hmc_version("hello world\n").problems
    assert parse.hmc_version("base_version=V7\n").one is None


# -- systems ------------------------------------------------------------------------------------


def test_operating_system_full_record():
    (s,) = parse.systems(fx("lssyscfg-sys-04.txt"))
    assert (s.name, s.type_model, s.serial, s.state) == (
        "9131-52A-6535CCG",
        "9131-52A",
        "6535CCG",
        "Operating",
    )
    assert s.mtms == "9131-52A*6535CCG"
    assert s.operating
    assert s.active_mobility_capable is False and s.inactive_mobility_capable is False
    assert s.suspend_capable is False
    assert s.max_lpars == 20
    assert s.service_lpar_id is None  # service_lpar_id=none
    assert s.detailed_state == ""  # detailed_state=None
    assert s.ipaddr == "192.168.200.39"


def test_powered_off_system_is_unknown_not_false():
    parsed = parse.systems(fx("lssyscfg-sys-05.txt"))
    assert parsed.problems == ()
    s = parsed.one
    assert s.state == "Power Off" and not s.operating
    assert s.active_mobility_capable is None
    assert s.max_lpars is None
    assert s.service_lpar_id is None


def test_systems_from_f_output():
    (s,) = parse.systems(fx("lssyscfg-sys-01.txt"), ["name", "serial_num", "state"])
    assert (s.name, s.serial, s.state) == ("9131-52A-6535CCG", "6535CCG", "Operating")
    assert parse.systems(fx("lssyscfg-sys-noresults-01.txt")).items == ()


def test_system_merge_memory_processors_migration_firmware():
    s = parse.systems(fx("lssyscfg-sys-04.txt")).one
    mem = parse.system_memory(fx("lshwres-mem-sys-01.txt"))
    proc = parse.system_processors(fx("lshwres-proc-sys-01.txt"))
    migr = parse.system_migration(
        "inactive_lpar_mobility_capable=1,num_inactive_migrations_supported=40,"
        "num_inactive_migrations_in_progress=0,active_lpar_mobility_capable=1,"
        "num_active_migrations_supported=16,num_active_migrations_in_progress=2,"
        "inactive_prof_policy=config\n"
    )
    fw = parse.firmware("80,FW950.80\n", commands.FIRMWARE_FIELDS)
    merged = parse.merge_system(s, mem.one, proc.one, migr.one, fw.one, None)
    assert merged.mem_region_size == 128  # the LMB size
    assert (merged.mem_configurable, merged.mem_available, merged.mem_firmware) == (
        32768,
        13696,
        640,
    )
    assert (merged.proc_units_configurable, merged.proc_units_available) == (2.0, 1.1)
    assert merged.max_shared_proc_pools == 1
    assert merged.num_active_migrations_supported == 16
    assert merged.num_active_migrations_in_progress == 2
    assert merged.num_inactive_migrations_supported == 40
    assert merged.active_mobility_capable is True  # lslparmigr says so; lssyscfg said 0
    assert merged.firmware_level == "FW950.80"
    # an unknown value never hides a known one
    assert parse.merge_system(merged, {"mem_region_size": None}).mem_region_size == 128


def test_firmware_without_a_service_pack_name():
    fw = parse.firmware("activated_level=105,activated_spname=null\n")
    assert fw.one == {"firmware_level": "level 105"}


def test_compat_modes_list_in_f_output():
    fields = ["name", "lpar_proc_compat_modes", "service_lpar_id"]
    text = records.format_fields(
        [{"name": "P9", "lpar_proc_compat_modes": "default,POWER8,POWER9", "service_lpar_id": "3"}],
        fields,
    )
    (s,) = parse.systems(text, fields)
    assert s.proc_compat_modes == ("default", "POWER8", "POWER9")
    assert s.processor_generation == 9
    assert s.service_lpar_id == 3


# -- partitions ---------------------------------------------------------------------------------


def test_partitions_default_listing():
    parsed = parse.partitions(fx("lssyscfg-lpar-01.txt"), "SYS")
    assert parsed.problems == ()
    by_name = {p.name: p for p in parsed}
    nim1, vios2, vios1, dump = (by_name[n] for n in ("nim1", "vios2", "vios1", "dump"))
    assert nim1.key == ("SYS", 5)
    assert (nim1.lpar_env, nim1.state, nim1.rmc_state) == ("aixlinux", "Running", "active")
    assert nim1.os_version == "AIX 6.1 6100-00-01-0748"
    assert nim1.rmc_ipaddr == "192.168.200.235" and nim1.rmc_active
    assert nim1.work_group_id == "none"
    assert nim1.redundant_err_path_reporting is False
    assert vios1.is_vios and vios1.redundant_err_path_reporting is True
    assert vios2.rmc_state == "inactive"
    assert dump.state == "Not Activated" and dump.resource_config is False
    assert dump.rmc_ipaddr == "" and dump.curr_profile == "test_1"


def test_partition_header_f_output():
    names = ["name", "lpar_id", "state", "rmc_state"]
    text = fx("lssyscfg-lpar-02.txt")
    _, problems = records.parse_fields_tolerant(text, names, header=True)
    assert problems == []
    body = text.split("\n", 1)[1]
    (p,) = parse.partitions(body, "system-a", names)
    assert (p.name, p.lpar_id, p.state, p.rmc_state) == ("lpar-c", 3, "Not Activated", "inactive")


def test_power7_partition_compat_modes():
    (p,) = parse.partitions(fx("lssyscfg-lpar-05.txt"), "S")
    assert (p.desired_proc_compat_mode, p.curr_proc_compat_mode) == ("default", "POWER7")
    assert p.lpar_id == 15


def test_partition_memory_and_processor_merge():
    parts = parse.partitions(fx("lssyscfg-lpar-01.txt"), "S")
    mem = parse.partition_memory(fx("lshwres-mem-lpar-01.txt"))
    assert mem.problems == ()
    proc_fields = commands.PARTITION_PROCESSOR_FIELDS
    proc_text = records.format_fields(
        [
            {
                "lpar_id": "5",
                "curr_proc_mode": "shared",
                "curr_proc_units": "0.3",
                "curr_procs": "1",
                "curr_shared_proc_pool_id": "0",
                "curr_shared_proc_pool_name": "DefaultPool",
            },
            {
                "lpar_id": "2",
                "curr_proc_mode": "ded",
                "curr_proc_units": "null",
                "curr_procs": "2",
                "curr_shared_proc_pool_id": "none",
                "curr_shared_proc_pool_name": "",
            },
        ],
        proc_fields,
    )
    proc = parse.partition_processors(proc_text, proc_fields)
    merged = {p.name: p for p in parse.merge_partitions(parts, mem, proc)}
    assert merged["nim1"].curr_mem == 6144 and merged["nim1"].curr_num_huge_pages == 0
    assert merged["nim1"].curr_proc_units == 0.3
    assert merged["nim1"].curr_shared_proc_pool_name == "DefaultPool"
    assert merged["vios1"].curr_num_huge_pages is None  # VIOS lines carry no huge pages
    assert merged["vios1"].proc_mode == "ded" and merged["vios1"].curr_proc_units is None
    assert merged["dump"].curr_mem == 0
    assert merged["vios2"].curr_procs is None  # not in the processor listing


# -- adapters and slots -------------------------------------------------------------------------


def test_scsi_adapters():
    parsed = parse.scsi_adapters(fx("lshwres-virtualio-scsi-01.txt"))
    assert parsed.problems == ()
    servers = [a for a in parsed if a.adapter_type == "server"]
    assert [(a.lpar_name, a.is_required, a.remote_lpar_id) for a in servers] == [
        ("vios1", True, 5),
        ("vios2", False, 5),
    ]
    client = parsed.items[2]
    assert (client.lpar_id, client.slot_num, client.remote_lpar_name, client.remote_slot_num) == (
        5,
        3,
        "vios2",
        2,
    )


def test_any_remote_is_none():
    (a,) = parse.scsi_adapters(
        "lpar_name=v,lpar_id=1,slot_num=9,state=1,is_required=0,adapter_type=server,"
        "remote_lpar_id=any,remote_lpar_name=,remote_slot_num=any\n"
    )
    assert a.remote_lpar_id is None and a.remote_slot_num is None and a.any_client


def test_fc_adapters_with_their_two_wwpns():
    text = (
        "lpar_name=lp1,lpar_id=4,slot_num=5,adapter_type=client,state=1,is_required=1,"
        'remote_lpar_id=1,remote_lpar_name=vios1,remote_slot_num=14,"wwpns=c050760431670010,'
        'c050760431670011"\n'
        "lpar_name=vios1,lpar_id=1,slot_num=14,adapter_type=server,state=1,is_required=0,"
        "remote_lpar_id=4,remote_lpar_name=lp1,remote_slot_num=5\n"
    )
    client, server = parse.fc_adapters(text)
    assert client.wwpns == ("c050760431670010", "c050760431670011")
    assert server.wwpns == ()
    f_text = records.format_fields(
        [{**records.parse(text)[0], "wwpns": "c05076aa,c05076bb"}], commands.VIRTUAL_IO_FIELDS["fc"]
    )
    (f_client,) = parse.fc_adapters(f_text, commands.VIRTUAL_IO_FIELDS["fc"])
    assert f_client.wwpns == ("c05076aa", "c05076bb")


def test_eth_adapters():
    parsed = parse.eth_adapters(fx("lshwres-virtualio-eth-01.txt"))
    assert parsed.problems == () and len(parsed) == 8
    trunks = [(a.lpar_name, a.port_vlan_id, a.trunk_priority) for a in parsed if a.is_trunk]
    assert trunks == [("vios1", 7, 1), ("vios2", 6, 2), ("vios2", 8, 2)]
    nim_ieee = [a for a in parsed if a.lpar_name == "nim1" and a.ieee_virtual_eth]
    assert [a.slot_num for a in nim_ieee] == [6]
    assert parsed.items[0].addl_vlan_ids == () and parsed.items[0].mac_addr == "26E6B0001002"


def test_virtual_slots():
    parsed = parse.virtual_slots(fx("lshwres-virtualio-slot-01.txt"))
    assert [(s.lpar_name, s.curr_max_virtual_slots, s.next_avail_virtual_slot) for s in parsed] == [
        ("dump", 10, 3),
        ("vios1", 200, 3),
        ("vios2", 200, 3),
        ("nim1", 10, 4),
    ]


def test_io_slots_free_and_assigned():
    parsed = parse.io_slots(fx("lshwres-io-slot-01.txt"))
    assert parsed.problems == () and len(parsed) == 10
    first, free = parsed.items[0], parsed.items[1]
    assert (first.drc_index, first.lpar_id, first.lpar_name) == ("21010002", 3, "vios2")
    assert first.drc_name == "U787F.001.DPM0XLZ-P1-C4"
    assert (free.lpar_id, free.lpar_name) == (None, "")
    assert free.description == "Inny kontroler pamięci masowej"
    assert sum(1 for s in parsed if s.lpar_id == 2) == 4


# -- profiles -----------------------------------------------------------------------------------


def test_profiles_and_their_adapter_lists():
    parsed = parse.profiles(fx("lssyscfg-prof-01.txt"))
    assert parsed.problems == () and len(parsed) == 6
    normal = parsed.items[0]
    assert (normal.name, normal.lpar_name, normal.lpar_id) == ("normal", "nim1", 5)
    assert normal.io_slots == () and normal.max_virtual_slots == 10
    assert normal.virtual_scsi_adapters == ("2/client/2/vios1/2/1", "3/client/3/vios2/2/1")
    vios2 = parsed.items[2]
    assert vios2.io_slots == ("21010002/none/1", "21050003/none/1")
    scsi = parse.profile_scsi_adapters(normal).items
    assert [(a.slot_num, a.remote_lpar_name, a.remote_slot_num, a.is_required) for a in scsi] == [
        (2, "vios1", 2, True),
        (3, "vios2", 2, True),
    ]
    eth = parse.profile_eth_adapters(vios2).items
    assert [(a.slot_num, a.port_vlan_id, a.is_trunk, a.trunk_priority) for a in eth] == [
        (6, 6, True, 2),
        (8, 8, True, 2),
        (9, 6, False, None),
    ]
    dump = parsed.items[5]
    (dump_eth,) = parse.profile_eth_adapters(dump).items
    assert dump_eth.addl_vlan_ids == (3, 4, 5) and dump_eth.ieee_virtual_eth


def test_profile_resources_shared_and_dedicated():
    normal = parse.profiles(fx("lssyscfg-prof-01.txt")).items[0]
    assert (normal.min_mem, normal.desired_mem, normal.proc_mode) == (2048, 6144, "shared")
    assert (normal.min_proc_units, normal.desired_proc_units) == (0.1, 0.3)
    assert (normal.min_procs, normal.desired_procs) == (1, 1)
    (ded,) = parse.profiles(fx("lssyscfg-prof-03.txt"))
    assert (ded.proc_mode, ded.desired_mem, ded.desired_procs) == ("ded", 2048, 1)
    assert ded.desired_proc_units is None  # a dedicated profile has no processing units


def test_profile_resources_through_the_collector_field_list():
    line = "normal,lp,3,1024,4096,shared,0.1,0.5,1,2,none,0,0,0,default,20,none,none,none"
    (p,) = parse.profiles(line, commands.PROFILE_FIELDS)
    assert (p.desired_mem, p.proc_mode, p.desired_proc_units, p.desired_procs) == (
        4096,
        "shared",
        0.5,
        2,
    )
    (d,) = parse.profiles(
        "normal,lp,3,1024,4096,ded,,,1,2,none,0,0,0,default,20,none,none,none",
        commands.PROFILE_FIELDS,
    )
    assert (d.proc_mode, d.desired_proc_units, d.desired_procs) == ("ded", None, 2)


def test_profile_nested_fc_adapters_and_nulls():
    (p,) = parse.profiles(fx("lssyscfg-prof-03.txt"))
    assert p.bsr_arrays == 0
    assert p.desired_num_huge_pages is None  # null
    assert p.redundant_err_path_reporting is None  # null
    assert p.lpar_proc_compat_mode == "default" and p.max_virtual_slots == 1000
    fc = parse.profile_fc_adapters(p)
    assert fc.problems == ()
    assert [(a.slot_num, a.remote_lpar_name, a.wwpns) for a in fc] == [
        (504, "vio_server1", ("c050760431670010", "c050760431670011")),
        (604, "vio_server2", ("c050760431670012", "c050760431670013")),
    ]
    eth = parse.profile_eth_adapters(p)
    assert [(a.slot_num, a.port_vlan_id, a.vswitch) for a in eth] == [
        (10, 1, "ETHERNET0"),
        (11, 97, "ETHERNET0"),
        (12, 98, "ETHERNET0"),
    ]


def test_profile_adapter_names_with_slashes_and_bad_elements():
    p = Profile(
        name="p",
        lpar_name="lp",
        lpar_id=3,
        virtual_scsi_adapters=("2/client/1/vios/a/2/1", "junk"),
        virtual_fc_adapters=("4/client/1/v/x/14/aa,bb/0",),
        virtual_eth_adapters=("2/0/x//0/1", "3/0/7/8,9/1/0"),
    )
    scsi = parse.profile_scsi_adapters(p)
    assert [a.remote_lpar_name for a in scsi] == ["vios/a"]
    assert len(scsi.problems) == 1 and "junk" in scsi.problems[0]
    (fc,) = parse.profile_fc_adapters(p)
    assert (fc.remote_lpar_name, fc.wwpns, fc.is_required) == ("v/x", ("aa", "bb"), False)
    eth = parse.profile_eth_adapters(p)
    assert [(a.port_vlan_id, a.addl_vlan_ids, a.trunk_priority) for a in eth] == [(7, (8, 9), 1)]
    assert eth.problems == ("profile p: unreadable eth adapter '2/0/x//0/1'",)


# -- lslparmigr ([M] shapes from hmc-cli.md §6) ---------------------------------------------------

LSLPARMIGR_LPAR = (
    "name=lpar1,lpar_id=5,migration_state=Not Migrating\n"
    "name=mobile,lpar_id=3,migration_state=Migration In Progress,migration_type=active,"
    "dest_sys_name=SYS-B,dest_lpar_id=3,source_msp_name=VIOS1,source_msp_id=1,"
    "dest_msp_name=VIOS1B,dest_msp_id=1,bytes_transmitted=3246359,bytes_remaining=2171092992,"
    "remote_manager=,remote_user=\n"
)


def test_partition_migrations():
    idle, moving = parse.migrations(LSLPARMIGR_LPAR)
    assert not idle.migrating and idle.migration_type == ""
    assert moving.migrating and moving.migration_state == "Migration In Progress"
    assert (moving.dest_sys_name, moving.dest_lpar_id) == ("SYS-B", 3)
    assert (moving.source_msp_id, moving.dest_msp_name) == (1, "VIOS1B")
    assert (moving.bytes_transmitted, moving.bytes_remaining) == (3246359, 2171092992)


def test_manager_msp_procpool_virtualio():
    assert parse.manager("remote_lpar_mobility_capable=1\n").one.remote_lpar_mobility_capable
    (pair,) = parse.msp_pairs(
        'source_msp_name=vios1,source_msp_id=1,"dest_msp_names=viosb1,viosb2",'
        '"dest_msp_ids=1,2","ipaddr_mappings=10.0.0.1//1/viosb1/10.0.0.9/,x"\n'
    )
    assert pair.source_msp_id == 1 and pair.dest_msp_names == ("viosb1", "viosb2")
    assert pair.dest_msp_ids == (1, 2)
    pools = parse.proc_pools('"shared_proc_pool_ids=0,1","shared_proc_pool_names=DefaultPool,p1"\n')
    assert [(p.id, p.name) for p in pools] == [(0, "DefaultPool"), (1, "p1")]
    (vio,) = parse.virtual_io_mappings(
        'lpar_name=lp1,lpar_id=4,"possible_virtual_scsi_mappings=2/viosb1/1,2/viosb2/2",'
        "suggested_virtual_scsi_mappings=2/viosb1/1,"
        "possible_virtual_fc_mappings=none,suggested_virtual_fc_mappings=none\n"
    )
    assert vio.possible_scsi == ("2/viosb1/1", "2/viosb2/2")
    assert vio.suggested_scsi == ("2/viosb1/1",) and vio.suggested_fc == ()


# -- migrlpar -o v ------------------------------------------------------------------------------


def test_validation_error_sample():
    v = parse.validation(
        fx("migrlpar-validate-error-01.txt"), 1, partition="lp", source="S", target="T"
    )
    assert not v.ok
    (err,) = v.errors
    assert err.id == "HSCLA319"
    assert err.text.startswith("The migrating partition's virtual fibre channel client adapter")
    assert err.text.endswith("then try the operation again.")
    assert v.warnings == () and v.raw == fx("migrlpar-validate-error-01.txt")


def test_validation_blocks_and_detail_sections():
    text = (
        "Errors:\n"
        "HSCLA246 The management console cannot communicate with partition lp1.  Either the "
        "network connection is not available.\n"
        "HSCLA319 The migrating partition's virtual fibre channel client adapter 4 cannot be "
        "hosted.\n"
        "VIOS_DETAILED_ERROR\n"
        "The OS command return code is:\n"
        "69\n"
        "\n"
        "Warnings:\n"
        "HSCLSIM01 Synthetic warning, kept verbatim.\n"
    )
    v = parse.validation(text, 1, partition="lp1", source="S", target="T", taken_at=5.0)
    assert [m.id for m in v.errors] == ["HSCLA246", "HSCLA319"]
    assert v.errors[0].text.endswith("not available.")
    assert [(m.id, m.text) for m in v.warnings] == [
        ("HSCLSIM01", "Synthetic warning, kept verbatim.")
    ]
    assert v.details == ("VIOS_DETAILED_ERROR\nThe OS command return code is:\n69",)
    assert v.taken_at == 5.0


def test_validation_success_and_odd_failures():
    ok = parse.validation("", 0, partition="a", source="S", target="T")
    assert ok.ok and ok.errors == ()
    warned = parse.validation(
        "Warnings:\nHSCLA2A0 note\n", 0, partition="a", source="S", target="T"
    )
    assert warned.ok and warned.warnings[0].id == "HSCLA2A0"
    missing = parse.validation(
        "The command entered is either missing a required parameter or a parameter value is "
        "invalid.\n",
        1,
        partition="a",
        source="S",
        target="T",
    )
    assert not missing.ok and missing.errors[0].id == ""
    assert missing.errors[0].text.startswith("The command entered is either missing")
    lost = parse.validation("", None, partition="a", source="S", target="T")
    assert not lost.ok and "unknown" in lost.errors[0].text
    trust = parse.validation(
        fx("mkauthkeys-test-error-01.txt"), 1, partition="a", source="S", target="T"
    )
    assert trust.errors[0].id == "HSCL3653"


# -- VIOS optical ([M] lsmap -fmt : shape) ------------------------------------------------------


def test_optical_mappings():
    text = (
        "vhost0:U8286.42A.21XXXXX-V1-C20:0x00000005:vtopt0:Available:0x8100000000000000:"
        "/var/vio/VMLibrary/aix72.iso::N/A\n"
        "vhost1:U8286.42A.21XXXXX-V1-C21:0x00000000\n"
        "vhost2:U8286.42A.21XXXXX-V1-C22:0x0000000c:vtopt1:Available:0x8100000000000000::\n"
        "garbage\n"
    )
    parsed = parse.optical_mappings(text, "vios1")
    assert [(m.vhost, m.client_lpar_id, m.vtd, m.backing) for m in parsed] == [
        ("vhost0", 5, "vtopt0", "/var/vio/VMLibrary/aix72.iso"),
        ("vhost2", 12, "vtopt1", ""),
    ]
    assert parsed.items[0].vios_name == "vios1"
    assert parsed.problems == ("line 4: not an lsmap -fmt : line: 'garbage'",)


# -- robustness ---------------------------------------------------------------------------------


def test_malformed_lines_are_reported_and_good_lines_kept():
    text = (
        "name=a,lpar_id=1,state=Running\n"
        "this is not a record\n"
        "name=b,lpar_id=two,state=Running\n"
        "name=c,lpar_id=3,state=Running,brand_new_attribute=7\n"
        "lpar_id=4\n"
        '"name=d,lpar_id=5\n'
    )
    parsed = parse.partitions(text, "S")
    assert [p.name for p in parsed] == ["a", "c"]
    problems = "\n".join(parsed.problems)
    assert "line 2:" in problems
    assert "lpar_id='two' is not a number" in problems
    assert "no name" in problems
    assert "line 6:" in problems


def test_f_output_with_wrong_width_is_reported_per_line():
    fields = ["name", "lpar_id", "state"]
    parsed = parse.partitions("a,1,Running\nb,2\nc,3,Not Activated\n", "S", fields)
    assert [p.name for p in parsed] == ["a", "c"]
    assert parsed.problems == ("line 2: expected 3 values, found 2",)


@pytest.mark.parametrize("value", ["", "null", "unavailable"])
def test_unknown_values_are_none(value):
    (p,) = parse.partitions(
        f"name=a,lpar_id=1,redundant_err_path_reporting={value},msp={value}\n", "S"
    )
    assert p.redundant_err_path_reporting is None and p.msp is None


def test_npiv_ports_from_lsnports_fmt():
    text = (
        "fcs0:U78C9.001.WZS0FRR-P1-C7-T1:1:64:63:2048:2046\n"
        "fcs1:U78C9.001.WZS0FRR-P1-C7-T2:0:64:64:2048:2048\n\njunk\n"
    )
    found = parse.npiv_ports(text, "vios1")
    first, second = found.items
    assert (first.vios_name, first.name, first.fabric, first.tports, first.aports) == (
        "vios1",
        "fcs0",
        True,
        64,
        63,
    )
    assert first.usable and not second.usable  # fcs1's switch does not support NPIV
    assert found.problems == ("line 4: not an lsnports -fmt : line: 'junk'",)
    assert parse.npiv_ports("", "vios2").items == ()  # no NPIV-capable port
