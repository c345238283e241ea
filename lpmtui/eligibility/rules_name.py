"""lpar.name_unique: no other partition of the same name on the target (a migrating partition's
own destination shell, listed on the target while it moves, is not a clash)."""

from __future__ import annotations

from lpmtui.eligibility.checks import FAIL, PASS, CheckStatus
from lpmtui.eligibility.index import FrameFacts, PartitionFacts


def own_shell(p: PartitionFacts, t: FrameFacts) -> bool:
    """True when the same-named partition on ``t`` is this partition's own destination: it is
    migrating to ``t`` (lslparmigr), or both sides show a Migrating state."""
    name = p.partition.name
    if p.frame.migrating_to.get(name) == t.name:
        return True
    if not p.partition.state.startswith("Migrating"):
        return False
    # Only reached for a namesake on the target (rare): look at that frame's list.
    return any(x.name == name and x.state.startswith("Migrating") for x in t.frame.partitions)


def name_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    if p.partition.name not in t.names:
        return PASS
    return PASS if own_shell(p, t) else FAIL


def name_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    name = p.partition.name
    if status is FAIL:
        return f"{t.name} already has a partition named {name}"
    if name in t.names:
        return f"the {name} on {t.name} is this partition's own destination (migrating there now)"
    return f"no partition named {name} on {t.name}"
