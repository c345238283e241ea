"""Hostile partition names (legal on an HMC) through the record format, the parsers and the
argv builders: each comes back as the same name, and reaches migrlpar byte-exact (the command
line round-trips through ``shlex.split``, the ``-i`` record through ``records.parse``)."""

from __future__ import annotations

import shlex

import pytest

from lpmtui.hmc import commands, parse, records
from lpmtui.hmc.command_args import command_line, filter_value
from lpmtui.hmc.commands_migration import MigrationInputs
from lpmtui.migration.hmc_io import migrate_argv, stop_argv
from lpmtui.migration.types import MigrationRequest

NAMES = [
    'quote"inside',
    '"leading-quote',
    'trailing-quote"',
    "'single'",
    "it's",
    '""',
    "$(reboot)",
    "${HOME}",
    "`id`",
    "a;rm -rf /",
    "a && b",
    "a|b",
    "a>b",
    "line\nbreak",
    "trailing-newline\n",
    "tab\tinside",
    "cr\rinside",
    "trailing-cr\r",
    "crlf\r\nname",
    "-p",
    "--force",
    "-leading-dash",
    "*",
    "?",
    "a\\b",
    "\\",
    "x" * 300,
    "rtl\u202eevil",
    "esc\x1b[31mred",
    "bell\x07",
    "emoji\U0001f680",
    "[bold]markup[/]",
    "[/]",
    "none",
    "null",
    "unavailable",
    "Unknown",
    "None",
    "any",
    "comma,inside",
    "a,",
    ",",
    "eq=inside",
    "=",
    " leading space",
    "trailing space ",
    "~user",
    "#comment",
    "%s%n",
]


def test_the_set_is_the_one_asked_for():
    assert len(NAMES) == 49 and len(set(NAMES)) == 49
    assert all(n and "\x00" not in n for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_name_survives_the_record_format_and_the_parsers(name):
    listing = records.format_records([{"name": name, "lpar_id": "39", "state": "Running"}])
    assert records.parse(listing) == [{"name": name, "lpar_id": "39", "state": "Running"}]
    (p,) = parse.partitions(listing, "S")
    assert (p.name, p.lpar_id) == (name, 39)
    f_output = records.format_fields([{"name": name, "lpar_id": "39"}], ["name", "lpar_id"])
    (q,) = parse.partitions(f_output, "S", ["name", "lpar_id"])
    assert q.name == name
    (status,) = parse.migrations(
        records.format_records([{"name": name, "lpar_id": "39", "dest_sys_name": name}])
    )
    assert (status.name, status.dest_sys_name) == (name, name)


@pytest.mark.parametrize("name", NAMES)
def test_a_name_reaches_the_migrlpar_argv_byte_exact(name):
    inputs = MigrationInputs(source_msp_name=name, dest_msp_name=name, shared_proc_pool_name=name)
    cmd = commands.migrlpar("m", name, name, target=name, profile=name, inputs=inputs)
    argv = cmd.argv
    assert argv[:9] == ("migrlpar", "-o", "m", "-m", name, "-t", name, "-p", name)
    assert argv[9:11] == ("-n", name)
    assert shlex.split(command_line(argv)) == list(argv)
    (record,) = records.parse(argv[argv.index("-i") + 1])
    assert record == {
        "source_msp_name": name,
        "dest_msp_name": name,
        "shared_proc_pool_name": name,
    }


@pytest.mark.parametrize("name", NAMES)
def test_a_name_reaches_the_managers_commands_and_filters_byte_exact(name):
    request = MigrationRequest(partition=name, source="SYS-A", target="SYS-B")
    argv = migrate_argv(request)
    assert argv[argv.index("-p") + 1] == name
    assert shlex.split(command_line(argv)) == list(argv)
    stop = stop_argv(request)
    assert stop[-2:] == ("-p", name) and shlex.split(command_line(stop)) == list(stop)
    (record,) = records.parse(filter_value(name))
    assert records.split_list(record["lpar_names"]) == [name]
