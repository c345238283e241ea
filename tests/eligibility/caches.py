"""The incremental judge's caches checked against counting afresh: keyed by frame name, they must
hold nothing a changed frame no longer gives."""

from __future__ import annotations

from lpmtui.eligibility.evaluate import (
    FRAME_PAIR_RULES,
    SOURCE_KIND_RULES,
    SOURCE_RULES,
    TARGET_KIND_RULES,
    TARGET_RULES,
)
from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.eligibility.pair_counts import counts, pack
from lpmtui.eligibility.rules_pair import counts_without_name


def _held(judge: IncrementalJudge) -> set:
    """Every frame name a cache of the judge's counts holds, as source or target."""
    c = judge._counts
    found = {src for src, _ in (*c._sides, *c._tgt, *c._src)} | c._pair.keys() | c._held.keys()
    for tables in (c._sides.values(), c._pair.values(), c._pairs.values()):
        for table in tables:
            found |= table.keys()
    for sources in c._held.values():
        found |= sources
    return found


def assert_caches_hold(judge: IncrementalJudge) -> None:
    """Every count cached by frame name is what counting it afresh on the snapshot's frame of
    that name gives (a frame that changed kept nothing that no longer holds), and only the
    snapshot's frames are named."""
    c, frames = judge._counts, judge.idx.frames
    assert _held(judge) <= frames.keys()
    for src, targets in c._pair.items():
        for t, packed in targets.items():
            assert packed == pack(counts([r(frames[src], frames[t]) for r in FRAME_PAIR_RULES]))
            assert src in c._held[t]
    for t, sources in c._held.items():
        assert all(t in c._pair[src] for src in sources)
    for (t, kind), packed in c._tgt.items():
        checks = [r(frames[t]) for r in TARGET_RULES]
        assert packed == pack(counts(checks + [r(frames[t], kind) for r in TARGET_KIND_RULES]))
    for (src, kind), found in c._src.items():
        checks = [r(frames[src]) for r in SOURCE_RULES]
        assert found == counts(checks + [r(frames[src], kind) for r in SOURCE_KIND_RULES])
    for (src, kind), sides in c._sides.items():
        for t, packed in sides.items():
            assert packed == c._pair[src][t] + c._tgt[(t, kind)]
    for sig, pairs in c._pairs.items():
        for t, packed in pairs.items():
            assert packed == pack(counts_without_name(c._rep[sig], frames[t]))
