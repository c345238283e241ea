"""The pair rules' rank parts per signature: the packed counts of every pair rule but the name,
worked out from a signature without the needs plus the memory and processor statuses."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.eligibility.evaluate import partition_facts
from lpmtui.eligibility.index import index_of
from lpmtui.eligibility.pair_ranks import APART, MEM_AT, PROC_AT, pair_ranks
from lpmtui.eligibility.rules_pair import PAIR_RULES, counts_without_name, rest_statuses, signature
from lpmtui.eligibility.verdict import packed
from lpmtui.model import FleetSnapshot
from tests.eligibility.test_matrix import _varied


def _partitions(snap: FleetSnapshot):
    idx = index_of(snap)
    for src in idx.frames.values():
        for lp in src.frame.partitions:
            if not lp.is_vios:
                yield idx, partition_facts(idx, src, lp)


def test_pair_ranks_are_the_packed_counts_without_the_name_on_every_frame():
    for seed in (3, 7):
        snap = _varied(seed)
        seen = set()
        for idx, p in _partitions(snap):
            want = [packed(*counts_without_name(p, t)) for t in idx.frames.values()]
            assert pair_ranks(idx, p) == want
            seen.update(want)
        assert len(seen) > 5  # the fleet gives varied counts


def test_partitions_that_differ_in_their_needs_only_get_their_own_counts():
    idx, p = next(_partitions(_varied(3)))
    t = next(iter(idx.frames.values()))
    s = t.system
    needs = [
        (s.mem_available, s.proc_units_available),  # at the limits: pass
        (s.mem_available + 1, s.proc_units_available),  # over by one MB: fail
        (s.mem_available, s.proc_units_available + 0.01),
        (None, None),  # unknown
    ]
    for mem, proc in needs:
        q = replace(p, mem_need=mem, proc_need=proc)
        frames = list(idx.frames.values())
        assert pair_ranks(idx, q) == [packed(*counts_without_name(q, f)) for f in frames]


def test_signature_holds_the_needs_where_pair_ranks_drops_them():
    _, p = next(_partitions(_varied(3)))
    q = replace(p, mem_need=123457, proc_need=6.25)
    sig = signature(q)
    assert (sig[MEM_AT], sig[PROC_AT]) == (123457, 6.25)
    assert 123457 not in sig[:MEM_AT] + sig[PROC_AT + 1 :]


def test_every_pair_rule_is_counted_once():
    names = rest_statuses.__code__.co_names
    for rule in PAIR_RULES:
        apart = rule.status in APART
        assert apart != (rule.status.__name__ in names), rule.rule_id
