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
    # hmc-v10 is at V10R3, which prints no migration_disabled (real-hmc-facts §3): blind too
    blind = ["lpar.migration_disabled", "lpar.console"]
    assert unknown == blind
    assert target["unknowns"] == 0  # counted against the verdict: none
    assert target["left_to_hmc"] == blind


def test_text_summary_names_what_is_left_to_the_hmc(capsys):
    rc = main(["--demo", "web-02", "--target", "P10-S1022-B"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "0 unknown, 2 left to the HMC's validation" in out
