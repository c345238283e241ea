"""Hostile and broken HMC output: placeholder words are names in name fields (item 2), a bad
field is a problem on its record, never an exception (item 7), and garbage is cheap (item 8)."""

from __future__ import annotations

import time

import pytest

from lpmtui.hmc import parse, records
from lpmtui.hmc.parse_common import MAX_PROBLEMS, as_float, as_int

PLACEHOLDERS = ["null", "unavailable", "none", "Unknown", "None"]

# -- item 2: names are names ---------------------------------------------------------------------


@pytest.mark.parametrize("name", PLACEHOLDERS)
def test_placeholder_words_are_partition_names(name):
    (p,) = parse.partitions(f"name={name},lpar_id=39,curr_profile={name},rmc_ipaddr=null\n", "S")
    assert (p.name, p.lpar_id, p.curr_profile) == (name, 39, name)
    assert p.rmc_ipaddr == ""  # a value: null still means "not known"


@pytest.mark.parametrize("name", PLACEHOLDERS)
def test_placeholder_words_are_names_in_every_name_field(name):
    (sys_,) = parse.systems(f"name={name},state=Operating\n")
    assert sys_.name == name
    (status,) = parse.migrations(
        f"name={name},lpar_id=3,migration_state=Not Migrating,dest_sys_name={name}\n"
    )
    assert (status.name, status.dest_sys_name) == (name, name)
    (prof,) = parse.profiles(f"name={name},lpar_name={name},lpar_id=3\n")
    assert (prof.name, prof.lpar_name) == (name, name)
    (scsi,) = parse.scsi_adapters(
        f"lpar_name={name},lpar_id=3,slot_num=2,adapter_type=client,is_required=1,"
        f"remote_lpar_id=1,remote_lpar_name={name},remote_slot_num=5\n"
    )
    assert (scsi.lpar_name, scsi.remote_lpar_name) == (name, name)
    (pool,) = parse.shared_pools(f"name={name},shared_proc_pool_id=1\n")
    assert pool.name == name
    (msp,) = parse.msp_pairs(
        f'source_msp_name={name},source_msp_id=1,"dest_msp_names=a,{name}",dest_msp_ids=2\n'
    )
    assert msp.source_msp_name == name and msp.dest_msp_names[-1] == name
    (vio,) = parse.virtual_io_mappings(f"lpar_name={name},lpar_id=3\n")
    assert vio.lpar_name == name


def test_placeholder_words_still_mean_no_value_in_value_fields():
    (p,) = parse.partitions("name=a,lpar_id=1,msp=null,os_version=unavailable,state=null\n", "S")
    assert (p.msp, p.os_version, p.state) == (None, "", "")
    (msp,) = parse.msp_pairs("source_msp_name=v,source_msp_id=1,dest_msp_names=none\n")
    assert msp.dest_msp_names == ()


@pytest.mark.parametrize("line", ["name=,lpar_id=39", "lpar_id=39", "name=,lpar_id=39,state=x"])
def test_a_partition_without_a_name_is_skipped_and_reported(line):
    parsed = parse.partitions(line + "\n", "S")
    assert parsed.items == ()
    assert parsed.problems == ("partition 1: no name; skipped",)


# -- item 7: a bad field is a problem, never an exception ----------------------------------------


def test_superscript_pool_id_is_a_problem_not_a_crash():
    parsed = parse.proc_pools("shared_proc_pool_ids=²,shared_proc_pool_names=p\n")
    assert [(p.id, p.name) for p in parsed] == [(None, "p")]
    assert parsed.problems == ("procpool record 1: pool id '²' is not a number",)


def test_huge_version_number_is_a_problem_not_a_crash():
    text = records.format_records([{"version": "Version: " + "9" * 4301 + "\nRelease: 3\n"}])
    parsed = parse.hmc_version(text)
    assert parsed.items == ()
    assert parsed.problems[0].startswith("lshmc -V: version '99999")
    assert parsed.problems[0].endswith("is not a number")


def test_huge_release_is_not_kept_for_comparison():
    text = records.format_records([{"version": "Version: 10\nRelease: " + "9" * 4301 + "\n"}])
    (v,) = parse.hmc_version(text)
    assert v.release == "" and v.release_tuple == (10,)


@pytest.mark.parametrize("value", ["²", "١٢", "1_000", " 12", "9" * 31, "0x", "+", "1e5"])
def test_integers_are_short_ascii_decimals(value):
    with pytest.raises(ValueError):
        as_int(value)


@pytest.mark.parametrize("value", ["nan", "inf", "1_0.5", "١.5", "9" * 31, "."])
def test_floats_are_short_ascii_decimals(value):
    with pytest.raises(ValueError):
        as_float(value)


def test_numbers_the_hmc_prints_still_read():
    assert [as_int(v) for v in ("0", "39", "-1", "0x1F", "none", "null")] == [
        0,
        39,
        -1,
        31,
        None,
        None,
    ]
    assert [as_float(v) for v in ("0.5", "2", "2.", ".25")] == [0.5, 2.0, 2.0, 0.25]


def test_bad_adapter_element_numbers_are_problems():
    (prof,) = parse.profiles('name=p,lpar_id=3,"virtual_eth_adapters=²/0/1//0/1,3/0/9//0/1"\n')
    parsed = parse.profile_eth_adapters(prof)
    assert [a.slot_num for a in parsed] == [3]
    assert parsed.problems == ("profile p: unreadable eth adapter '²/0/1//0/1'",)


# -- item 8: garbage is cheap --------------------------------------------------------------------

ONE_MB = 1_000_000


@pytest.mark.parametrize(
    "garbage",
    [
        "x\n" * (ONE_MB // 2),  # an exception per line before: seconds
        '"\n' * (ONE_MB // 2),
        "a=b,c\n" * (ONE_MB // 6),
        'a","""\n' * (ONE_MB // 7),  # each line's quote re-read the rest: quadratic before
        'a","""\nx=1\n' * (ONE_MB // 11),
    ],
    ids=["bare", "quote", "pair-then-bare", "reopening-quote", "reopening-quote-interleaved"],
)
def test_a_megabyte_of_garbage_costs_little_and_few_problems(garbage):
    started = time.perf_counter()
    _good, bad = records.parse_tolerant(garbage)
    parsed = parse.partitions(garbage, "S")
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.2f}s for 1 MB of garbage"
    assert len(bad) <= records.MAX_ERRORS + 1
    assert len(parsed.problems) <= MAX_PROBLEMS + 1
    assert "not read" in bad[-1].reason or "not listed" in bad[-1].reason


def test_scattered_bad_lines_are_counted_and_good_records_kept():
    text = "".join(f"name=p{i},lpar_id={i}\n" + ("junk\n" if i % 2 else "") for i in range(400))
    good, bad = records.parse_tolerant(text)
    assert len(good) == 400
    assert len(bad) == records.MAX_ERRORS + 1
    assert bad[-1].reason == f"{200 - records.MAX_ERRORS} more bad line(s) not listed"
    assert bad[0].line == 3 and bad[-1].line == 3 * (records.MAX_ERRORS + 1)


def test_mostly_garbage_stops_early_and_says_so():
    text = "name=a,lpar_id=1\n" + "junk\n" * 1000 + "name=b,lpar_id=2\n"
    good, bad = records.parse_tolerant(text)
    assert [r["name"] for r in good] == ["a"]
    assert bad[-1].reason == (
        "mostly unreadable (200 bad lines, 1 good records): the rest of the output was not read"
    )
    assert bad[-1].line == 201


def test_a_few_problems_in_converted_records_are_all_listed_and_many_are_capped():
    few = parse.partitions("name=a,lpar_id=x\n", "S")
    assert few.problems == (
        "partition 1: lpar_id='x' is not a number",
        "partition 1: no lpar_id; skipped",
    )
    many = parse.partitions("name=a,lpar_id=x\n" * 100, "S")
    assert len(many.problems) == MAX_PROBLEMS + 1
    assert many.problems[-1] == f"{200 - MAX_PROBLEMS} more problem(s) not listed"


def test_a_header_that_cannot_be_read_is_a_problem_not_a_crash():
    good, bad = records.parse_fields_tolerant('"name\nx\n', [], header=True)
    assert good == [] and [e.reason for e in bad] == ["unterminated quoted value"]
    assert records.parse_fields_tolerant("", [], header=True) == ([], [])


def test_vios_colon_output_of_garbage_is_capped_and_stops_early():
    parsed = parse.npiv_ports("junk\n" * 100_000, "vios1")
    assert parsed.items == ()
    assert len(parsed.problems) == MAX_PROBLEMS + 2
    assert parsed.problems[-2:] == (
        f"{200 - MAX_PROBLEMS} more problem(s) not listed",
        "line 200: mostly unreadable; the rest of the output was not read",
    )
