"""The matrix's shortcuts give exactly what the plain ways of building its pieces give."""

from __future__ import annotations

from lpmtui.eligibility.catalogue import RULES, check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check, CheckGroup


def test_check_copies_the_catalogue_entry_and_its_fix_only_for_fail_and_warn():
    for info in RULES:
        for status in (PASS, WARN, FAIL, UNKNOWN):
            made = check(info.rule_id, status, "why")
            fix = info.fix if status in (FAIL, WARN) else ""
            want = Check(info.rule_id, info.title, status, "why", fix, info.seed, info.source)
            assert made == want._replace(blind=info.blind)
            assert type(made) is Check
            assert check(info.rule_id, status, "why", fix="mine").fix == "mine"


def _checks() -> list[Check]:
    out = []
    for i, status in enumerate((PASS, WARN, FAIL, UNKNOWN, UNKNOWN, FAIL, WARN)):
        out.append(check(RULES[i].rule_id, status, f"r{i}")._replace(blind=i == 4))
    return out


def test_group_counts_fails_warns_and_unknowns_that_are_not_blind():
    g = CheckGroup(_checks())
    assert (g.fails, g.warns, g.unknowns) == (2, 2, 1)
    assert tuple(g) == tuple(_checks())
    empty = CheckGroup()
    assert (empty.fails, empty.warns, empty.unknowns) == (0, 0, 0)


def test_joined_group_is_the_group_of_both_tuples():
    a, b = CheckGroup(_checks()[:3]), CheckGroup(_checks()[3:])
    joined, whole = CheckGroup.joined(a, b), CheckGroup(_checks())
    assert tuple(joined) == tuple(whole)
    assert type(joined) is CheckGroup
    counts = (joined.fails, joined.warns, joined.unknowns)
    assert counts == (whole.fails, whole.warns, whole.unknowns)
