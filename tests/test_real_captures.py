"""Every real V10R3/V11R2 capture (tests/fixtures/real-v10-v11, index.json) parses, and where it
is byte-exact HMC output it prints back byte for byte; error outputs classify with their ids."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from lpmtui.hmc import records
from lpmtui.hmc.errors import error_from

CAPTURES = Path(__file__).parent / "fixtures" / "real-v10-v11"
TRANSCRIBED_VERSION = "pcie-power9-v10r3m1060-live-sriov--hmc-version.txt"
INDEX = json.loads((CAPTURES / "index.json").read_text())["files"]


def _fields(command: str) -> tuple[list[str] | None, bool]:
    """The -F names a command asked (None: a default listing) and whether --header was given."""
    argv = shlex.split(command)
    if "-F" not in argv:
        return None, False
    return argv[argv.index("-F") + 1].split(","), "--header" in argv


def _parse(entry: dict, text: str) -> list[dict[str, str]]:
    names, header = _fields(entry["command"])
    if names is None:
        return records.parse(text)
    return records.parse_fields(text, [] if header else names, ",", header)


def _print(entry: dict, rows: list[dict[str, str]]) -> str:
    names, header = _fields(entry["command"])
    if names is None:
        return records.format_records(rows)
    return records.format_fields(rows, names, ",", header)


def test_the_index_names_every_capture():
    listed = {e["file"] for e in INDEX}
    present = {p.name for p in CAPTURES.glob("*.txt")}
    assert listed == present and len(listed) == 49


@pytest.mark.parametrize("entry", INDEX, ids=[e["file"] for e in INDEX])
def test_every_capture_parses_and_byte_exact_ones_print_back(entry):
    text = (CAPTURES / entry["file"]).read_text()
    if entry["exit_status"] != 0:
        error = error_from(text, entry["exit_status"])
        assert error is not None, entry["file"]
        return
    if entry["command"].startswith(("chhwres", "chsyscfg")):
        assert text == ""  # a successful change prints nothing (real-hmc-facts §5)
        return
    if entry["file"] == TRANSCRIBED_VERSION:
        # "a reformatted transcription, not HMC output" (real-hmc-facts §2): not a record
        with pytest.raises(records.RecordParseError):
            _parse(entry, text)
        return
    rows = _parse(entry, text)
    if text.strip() == records.NO_RESULTS:
        assert rows == []
    else:
        assert rows, entry["file"]
        names, _ = _fields(entry["command"])
        if names is not None:
            assert all(list(r) == names for r in rows)
    if entry["byte_exact"]:
        assert _print(entry, rows) == text, entry["file"]
