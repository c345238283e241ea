"""The matrix's shortcuts give exactly what the plain ways of building its pieces give."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from lpmtui.eligibility import evaluate, matrix, rank_targets
from lpmtui.eligibility.catalogue import RULES, check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check, CheckGroup, overall
from lpmtui.eligibility.evaluate import FRAME_PAIR_RULES, HMC_PAIR_RULES
from lpmtui.eligibility.index import index_of
from lpmtui.eligibility.verdict import COUNT, SHIFT, Verdict
from lpmtui.model import HmcManager, HmcVersion, MigrationStatus


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


def test_a_verdict_reads_its_counts_back_from_its_rank_at_the_limits():
    assert len(RULES) < COUNT  # no verdict has COUNT checks of one status
    top = COUNT - 1
    counts = [(0, 0, 0), (top, 0, 0), (0, top, 0), (0, 0, top), (top, top, top), (1, 0, 1)]
    for rank_base in (0, SHIFT - 1, (1 << 40) + SHIFT - 1):  # (frame down << 40) + its rank
        t = SimpleNamespace(rank_base=rank_base)
        for fails, warns, unknowns in counts:
            v = Verdict(None, t, None, (), False, fails, warns, unknowns)
            assert (v.fails, v.warns, v.unknowns) == (fails, warns, unknowns)
            assert v.rank == ((fails * COUNT + unknowns) * COUNT + warns) * SHIFT + rank_base
            assert v.status is overall(fails, warns, unknowns)
            assert v.migratable == (fails == 0 and unknowns == 0)


def test_a_namesake_fails_the_ranked_verdict_unless_it_is_the_partitions_own_shell(fleet):
    # app1 on A migrates to B (its shell is listed there); C has another app1
    a = fleet.frames["A"]
    a.partitions[3] = replace(a.partitions[3], state="Migrating - Running")
    a.migrations.append(
        MigrationStatus("app1", 3, "Migration Starting", "active", dest_sys_name="B")
    )
    fleet.add_client("B", "app1", 9, state="Migrating - Running")
    fleet.add_client("C", "app1", 10)
    snap = fleet.snapshot()
    for ranked in (matrix(snap)[("A", 3)], rank_targets(snap, ("A", 3))):
        names = {}
        for v in ranked:
            single = evaluate(snap, ("A", 3), v.target_system)
            assert (v.fails, v.warns, v.unknowns, v.rank) == (
                single.fails,
                single.warns,
                single.unknowns,
                single.rank,
            )
            assert v.checks == single.checks
            names[v.target_system] = v.check("lpar.name_unique").status
        assert names == {"B": PASS, "C": FAIL}


HMC_CASES = [
    {},
    {"hmc2": {"peer_trust": ()}},  # trust not tested
    {"hmc1": {"peer_trust": (("hmc2", False),)}},
    {"hmc2": {"version": None}},
    {"hmc2": {"version": HmcVersion(7, "3.1", "0")}},  # below V7R3.4
    {"hmc2": {"kind": "fsm"}},
    {"hmc2": {"kind": "ivm"}},
    {"hmc1": {"manager": HmcManager(False)}},
]


def test_the_hmc_pair_rules_read_only_the_two_frames_hmc_snapshots(fleet):
    # a frame that is nothing but its HMC snapshot: reading anything else raises
    for case in HMC_CASES:
        for name, changes in case.items():
            fleet.hmc(name, **changes)
        frames = index_of(fleet.snapshot()).frames.values()
        for src in frames:
            for t in frames:
                bare_src, bare_t = SimpleNamespace(hmc=src.hmc), SimpleNamespace(hmc=t.hmc)
                for rule in HMC_PAIR_RULES:
                    assert rule(bare_src, bare_t) == rule(src, t)
    assert set(HMC_PAIR_RULES) < set(FRAME_PAIR_RULES)
