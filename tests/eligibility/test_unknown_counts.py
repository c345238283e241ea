"""An unknown check is never reported as zero: a blind check (no HMC listing settles it) is
not counted against the verdict, but every summary names it as left to the HMC's validation."""

from __future__ import annotations

import json

from lpmtui.cli.check import main


def test_json_lists_the_blind_unknowns_beside_the_counted_ones(capsys):
    rc = main(["--demo", "web-02", "--target", "P10-S1022-B", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0
    target = data["targets"][0] if "targets" in data else data
    unknown = [c["rule_id"] for c in target["checks"] if c["status"] == "unknown"]
    assert unknown == ["lpar.console"]
    assert target["unknowns"] == 0  # counted against the verdict: none
    assert target["left_to_hmc"] == ["lpar.console"]


def test_text_summary_names_what_is_left_to_the_hmc(capsys):
    rc = main(["--demo", "web-02", "--target", "P10-S1022-B"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "0 unknown, 1 left to the HMC's validation" in out
