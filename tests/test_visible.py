"""Hostile names: every HMC-supplied string reaches a terminal or the log with its control
characters spelled out (``visible``), while argv and JSON keep it exact."""

from __future__ import annotations

import json
import logging
import re

import pytest
import yaml

from lpmtui.cli import audit, check
from lpmtui.common.visible import has_unsafe, visible
from lpmtui.hmc.runner import CommandEvent
from lpmtui.sim.world.state import World
from lpmtui.store.logfile import log_command, open_log

# What a terminal would act on instead of print: C0, DEL, C1, direction controls, separators.
RAW = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def raw_control(output: str) -> bool:
    """Whether printed output holds a control character other than its own line ends."""
    return RAW.search(output.replace("\n", "")) is not None


HOSTILE_NAMES = (
    "esc\x1b[31mred",
    "new\nline",
    "tab\tbed",
    "cr\rret",
    "rtl\u202eevil",
    "[/]",
    "[red]x",
    "emoji\U0001f680",
    "x" * 299 + "y",
    "-dash",
    "$(reboot)",
    "`id`",
    "q\"uo'te",
    "null",
    "unavailable",
)
TARGET = "p9\u202eb\x1b[7m"  # a frame name is HMC-supplied too


def hostile_fleet() -> str:
    frame = {
        "type_model": "9009-42A",
        "generation": "POWER9",
        "vlans": [1, 100],
        "memory": 262144,
        "processors": 16,
    }
    doc = {
        "hmcs": [
            {
                "name": "hmc-a",
                "address": "10.0.0.1",
                "version": "V10R3 M1060",
                "frames": [
                    {
                        **frame,
                        "name": "p9-a",
                        "serial": "7800AAA",
                        "vios": [{"name": "vios-a1"}, {"name": "vios-a2"}],
                        "partitions": [{"name": n, "mem": 4096} for n in HOSTILE_NAMES],
                    },
                    {
                        **frame,
                        "name": TARGET,
                        "serial": "7800BBB",
                        "vios": [{"name": "vios-b1"}, {"name": "vios-b2"}],
                    },
                ],
            }
        ]
    }
    return yaml.safe_dump(doc)


def hostile_world(clock=None) -> World:
    return World.from_yaml(hostile_fleet(), clock)


# -- the function -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("a\nb", "a\\x0ab"),
        ("a\tb", "a\\x09b"),
        ("a\rb", "a\\x0db"),
        ("a\x00b", "a\\x00b"),
        ("a\x7fb", "a\\x7fb"),
        ("a\x9bb", "a\\x9bb"),  # C1 CSI: some terminals act on it
        ("a\u202eb", "a\\u202eb"),
        ("a\u202ab\u2069c", "a\\u202ab\\u2069c"),
        ("a\u2066b", "a\\u2066b"),
        ("a\u200fb\u061c", "a\\u200fb\\u061c"),
        ("a\u2028b", "a\\u2028b"),
    ],
)
def test_control_and_direction_characters_are_spelled_out(raw, shown):
    assert visible(raw) == shown
    assert has_unsafe(raw) and not has_unsafe(shown)


@pytest.mark.parametrize(
    "text", ["db prod 01", "[/]", "[red]x", "emoji\U0001f680", "$(x) `y` 'q\"", "café", "a\\b"]
)
def test_printable_text_is_left_alone(text):
    assert visible(text) == text and not has_unsafe(text)


def test_it_is_idempotent_and_keeps_names_apart():
    for name in HOSTILE_NAMES:
        assert visible(visible(name)) == visible(name)
    assert visible("db1") != visible("db1\u202e") != visible("db1\u2066")
    assert visible(3) == "3"


# -- lpmtui check -------------------------------------------------------------------------------


@pytest.fixture
def hostile_demo(monkeypatch):
    """``--demo`` answers from the hostile world instead of the demo fleet."""
    monkeypatch.setattr("lpmtui.simlink.demo_world", hostile_world)


def test_check_all_prints_one_line_per_partition_and_no_raw_control(hostile_demo, capsys):
    check.main(["--demo", "--all"])
    out, err = capsys.readouterr()
    assert not raw_control(out) and not raw_control(err)
    lines = out.splitlines()
    # the heading, one row per partition, a blank line and the summary
    assert len(lines) == 1 + len(HOSTILE_NAMES) + 2
    assert lines[-2:] == [
        "",
        f"{len(HOSTILE_NAMES)} partitions: {len(HOSTILE_NAMES)} migratable, 0 not",
    ]
    lines = lines[:-2]
    shown = {line[:24] for line in lines[1:]}
    # "null" and "unavailable" are the HMC's words for no value: the parser reads them as "".
    expected = {f"{visible(n)[:24]:24}" for n in HOSTILE_NAMES if n not in ("null", "unavailable")}
    assert expected <= shown
    assert all(line[25:41].startswith("p9-a ") for line in lines[1:])
    assert all(f"{visible(TARGET)[:16]:16}" in line for line in lines[1:])


def test_check_all_json_keeps_names_exact(hostile_demo, capsys):
    check.main(["--demo", "--all", "--json"])
    data = json.loads(capsys.readouterr().out)
    names = {p["partition"] for p in data["partitions"]}
    assert {"esc\x1b[31mred", "new\nline", "rtl\u202eevil", "[/]"} <= names
    assert {t for p in data["partitions"] for t in p["migratable_to"]} == {TARGET}


def test_check_of_one_hostile_partition_shows_it_escaped(hostile_demo, capsys):
    check.main(["--demo", "esc\x1b[31mred"])
    out = capsys.readouterr().out
    assert not raw_control(out)
    assert out.startswith(f"esc\\x1b[31mred (p9-a, id 3) -> {visible(TARGET)} (hmc-a)")


def test_check_errors_naming_a_hostile_partition_stay_one_line(hostile_demo, capsys):
    assert check.main(["--demo", "no\x1b[2Jsuch"]) == check.EXIT_ERROR
    err = capsys.readouterr().err
    assert err == "lpmtui check: no partition named 'no\\x1b[2Jsuch' on any connected HMC\n"


# -- lpmtui audit -------------------------------------------------------------------------------


def test_audit_text_is_one_line_per_record(tmp_path, capsys):
    path = tmp_path / "audit.jsonl"
    records = [
        {
            "at": "2026-11-27T06:17:55Z",
            "user": "root",
            "hmc": "hmc\x1b]0;pwned\x07",
            "phase": "sent",
            "argv": ["migrlpar", "-o", "m", "-m", "p9-a", "-t", TARGET, "-p", name],
        }
        for name in HOSTILE_NAMES
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert audit.main(["--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert not raw_control(out)
    lines = out.splitlines()
    assert len(lines) == len(records)
    for line, name in zip(lines, HOSTILE_NAMES, strict=True):
        assert "hmc\\x1b]0;pwned\\x07" in line and line.endswith(f" -p {visible(name)}")
    assert audit.main(["--file", str(path), "--json"]) == 0
    exact = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["argv"][-1] for r in exact] == list(HOSTILE_NAMES)


def test_audit_message_lines_are_shown_escaped():
    text = audit.format_record(
        {
            "at": "T",
            "phase": "ended",
            "outcome": "failed",
            "argv": ["x"],
            "message": "a\x1b[1m\nb\tc",
        }
    )
    assert text.splitlines()[1:] == ["    a\\x1b[1m", "    b\\x09c"]


# -- the log file -------------------------------------------------------------------------------


def test_the_log_file_gets_one_line_per_command_with_controls_spelled_out(tmp_path):
    path = open_log(tmp_path / "logs")
    assert path is not None
    try:
        argv = ("chsysstate", "-r", "lpar", "-m", "p9-a", "-o", "on", "-n", "new\nline\x1b[31m")
        log_command(CommandEvent("hmc\u202e1", argv, 0, 0.0, 0.25))
        logging.getLogger("lpmtui.test").warning("frame %s gone", "p9\rb")
        for handler in logging.getLogger().handlers:
            handler.flush()
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2 and not RAW.search("".join(lines))
        assert lines[0].endswith(
            "hmc\\u202e1 rc=0 0.25s chsysstate -r lpar -m p9-a -o on -n 'new\\x0aline\\x1b[31m'"
        )
        assert lines[1].endswith("WARNING lpmtui.test: frame p9\\x0db gone")
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", "") == str(path):
                root.removeHandler(handler)
                handler.close()
