"""Level tables and the mobility kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpmtui.eligibility import RULES, levels, mobility_kind


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("AIX 7.1 7100-04-03-1642", True),
        ("AIX 6.1 6100-00-01-0748", True),
        ("AIX 5.3 5300-07-01-0748", True),
        ("AIX 5.3 5300-06-01-0000", False),
        ("AIX 5.2 5200-10", False),
        ("Linux/Red Hat 9.2", True),
        ("Linux/Red Hat 4.8", False),
        ("Linux/SUSE 15.5", True),
        ("RHEL 5.0", False),
        ("Linux 2.6.32", True),
        ("Linux 2.4.21", False),
        ("SLES 10 SP1", True),
        ("SLES 9 SP4", False),
        ("IBM i 7.4", True),
        ("IBM i 6.1", False),
        ("Unknown", None),
        ("", None),
        ("Plan 9", None),
    ],
)
def test_os_levels(text, ok):
    assert levels.os_level_ok(text)[0] is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("VIOS 3.1.4.10", True),
        ("2.1.0.0", True),
        ("VIOS 1.5.2.1-FP-11.1", True),
        ("VIOS 1.5.2.1-FP-10", False),
        ("VIOS 1.5.2.1", False),
        ("VIOS 1.4.0.0", False),
        ("", None),
    ],
)
def test_vios_levels(text, ok):
    assert levels.vios_level_ok(text)[0] is ok


@pytest.mark.parametrize(
    ("a", "gen_a", "b", "gen_b", "ok"),
    [
        ("FW950.80", 9, "FW1050.10", 10, True),
        ("FW920.10", 9, "FW1050.10", 10, True),
        ("FW910.20", 9, "FW1050.20", 10, False),
        ("FW860.10", 8, "FW920.10", 9, True),
        ("FW780.10", 8, "FW920.10", 9, False),
        ("FW950.80", 11, "FW1110.10", 11, True),
        ("FW940.10", 9, "FW1110.10", 11, False),
        ("", 9, "FW950.80", 9, None),
        ("FW950.80", None, "FW950.80", 9, None),
        ("FW1050.20", 10, "AF780_075", 7, False),  # no POWER7 firmware moves to POWER10
        ("AL740_167", 7, "FW950.80", 9, False),
        ("AF780_075", 7, "FW950.80", 9, True),
        ("SF240_417", 5, "FW950.80", 9, None),  # not judged: server.power6 fails instead
    ],
)
def test_firmware(a, gen_a, b, gen_b, ok):
    assert levels.firmware_compatible(a, gen_a, b, gen_b)[0] is ok


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        ("Running", "active"),
        ("Not Activated", "inactive"),
        ("Suspended", "suspended"),
        ("Error", None),
        ("Open Firmware", None),
        ("Migrating - Running", None),
        ("", None),
        ("Starting", None),
    ],
)
def test_mobility_kind(state, kind):
    got, why = mobility_kind(state)
    assert got == kind
    assert why
    if kind:
        others = {"active", "inactive", "suspended"} - {kind}
        assert all(o in why for o in others)


def test_every_rule_is_in_the_docs():
    text = (Path(__file__).resolve().parents[2] / "docs" / "eligibility.md").read_text()
    missing = [r.rule_id for r in RULES if f"`{r.rule_id}`" not in text]
    assert not missing
