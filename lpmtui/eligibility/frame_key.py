"""When a changed frame is, to the rules, the frame it replaces (issue 16: a poll that changes 1%
of the partitions changes ~40% of the frames, each because one of its partitions changed; the
collector hands out its system, console and VIOSes as the same objects, fleet/kept.py).

The frame rules (``evaluate``'s SOURCE_*, TARGET_* and FRAME_PAIR_RULES, and the short verdict
of a frame that is down) read of a frame only its system (name, state, capabilities, firmware,
generation, memory regions, migration counts), its console (kind, name, level, manager, trust,
address) and its VIOSes (MSP, state, RMC, level): ``rules_key``. As a target, the pair rules
read its target signature (``pair_counts.reads_same``) and lpar.name_unique its partitions'
names and which of them are migrating (``rules_name.own_shell``); as a source, the name rule
reads which of its partitions are migrating where (``FrameFacts.migrating_to``).
"""

from __future__ import annotations

from lpmtui.eligibility.index import FrameFacts
from lpmtui.eligibility.pair_counts import reads_same


def rules_key(ff: FrameFacts, console) -> tuple:
    """Everything the frame rules read of ``ff``; ``console`` is its HmcSnapshot less frames
    and time (``IncrementalJudge``'s inputs). A frame rule that reads a new frame field must
    add it here (tests/eligibility/test_frame_key.py changes each one)."""
    return (ff.system, console, ff.vioses)


def _shells(t: FrameFacts) -> frozenset[str]:
    """The names of its migrating partitions, which own_shell looks for on a target."""
    return frozenset(p.name for p in t.frame.partitions if p.state.startswith("Migrating"))


def same_target(old: FrameFacts, new: FrameFacts, same_rules: bool) -> bool:
    """Whether ``new`` is, as a target, ``old`` to every partition of every source: the same
    counts from every rule, up or down as it was, the same headroom key. ``same_rules``: their
    rules keys are equal."""
    return (
        same_rules
        and reads_same(old, new)
        and old.names == new.names
        and _shells(old) == _shells(new)
    )


def same_source(old: FrameFacts, new: FrameFacts, same_rules: bool) -> bool:
    """Whether a partition that keeps its facts on ``new`` (source_key) gets, from every target,
    the counts it got on ``old``: the same frame, source and frame-pair rules, the same own
    shells."""
    return same_rules and old.migrating_to == new.migrating_to
