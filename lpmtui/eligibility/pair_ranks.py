"""What the pair rules add to a partition's rank on every frame, shared by its signature.

The pair rules but lpar.name_unique give partitions with equal signatures
(``rules_pair.signature``) equal statuses on every target, so they are counted once per
signature, packed as a rank counts them (``verdict.packed``). Of them, server.memory reads only
the partition's mem_need and server.processors only its proc_need: the other nine are counted
once per signature without those two, each of the two once per need. The benchmark fleet's
784 signatures are 63 without the needs, 5 memory needs and 4 processor needs.
"""

from __future__ import annotations

from operator import add

from lpmtui.eligibility.checks import FAIL, UNKNOWN, WARN, CheckStatus
from lpmtui.eligibility.index import FrameFacts, PartitionFacts, SnapshotIndex
from lpmtui.eligibility.rules_name import name_status
from lpmtui.eligibility.rules_pair import (
    memory_status,
    processors_status,
    rest_statuses,
    signature,
)
from lpmtui.eligibility.verdict import FAIL_AT, UNKNOWN_AT, WARN_AT

MEM_AT, PROC_AT = 3, 4  # where signature() holds mem_need and proc_need
# The pair rules rest_packed counts: all but these (tests/eligibility/test_pair_ranks.py)
APART = (name_status, memory_status, processors_status)


def weight(status: CheckStatus) -> int:
    """What one check of ``status`` adds to a rank."""
    if status is FAIL:
        return FAIL_AT
    if status is UNKNOWN:
        return UNKNOWN_AT
    return WARN_AT if status is WARN else 0


def rest_packed(p: PartitionFacts, t: FrameFacts) -> int:
    """The pair rules but name, memory and processors, packed."""
    found = rest_statuses(p, t)
    fails, unknowns, warns = found.count(FAIL), found.count(UNKNOWN), found.count(WARN)
    return fails * FAIL_AT + unknowns * UNKNOWN_AT + warns * WARN_AT


def pair_ranks(idx: SnapshotIndex, p: PartitionFacts) -> list[int]:
    """The pair rules' packed counts (less lpar.name_unique) on every frame of the index, in
    its order."""
    sig = signature(p)
    found = idx.memo.get(("sig", sig))
    if found is None:
        frames = idx.frames.values()
        memo = idx.memo
        rest = memo.get(key := ("sig rest", sig[:MEM_AT] + sig[PROC_AT + 1 :]))
        if rest is None:
            rest = memo[key] = [rest_packed(p, t) for t in frames]
        mem = memo.get(key := ("mem need", sig[MEM_AT]))
        if mem is None:
            mem = memo[key] = [weight(memory_status(p, t)) for t in frames]
        proc = memo.get(key := ("proc need", sig[PROC_AT]))
        if proc is None:
            proc = memo[key] = [weight(processors_status(p, t)) for t in frames]
        found = memo[("sig", sig)] = list(map(add, map(add, rest, mem), proc))
    return found
