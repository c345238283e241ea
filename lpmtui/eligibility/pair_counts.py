"""Packed rule counts of (partition, target) pairs for the incremental judge, cached by
FrameFacts identity (a changed frame is a new key: ``forget`` drops the old one's entries).

Counts are packed into one int, (fails, unknowns, warns) in that order of weight, so that
comparing two packed counts compares them as ``rank_targets`` does and adding two adds them.
The tables are shaped for the judge's walks, one dict look-up per target and cache: ``sides``
(source frame, kind) -> target -> frame-pair + target rules, ``pairs`` signature -> target ->
pair rules (less lpar.name_unique). A signature (``rules_pair.signature``) is known by the
number the judge gives it.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from lpmtui.eligibility.checks import CheckGroup
from lpmtui.eligibility.evaluate import (
    FRAME_PAIR_RULES,
    SOURCE_KIND_RULES,
    SOURCE_RULES,
    TARGET_KIND_RULES,
    TARGET_RULES,
)
from lpmtui.eligibility.index import FrameFacts, PartitionFacts
from lpmtui.eligibility.rules_pair import counts_without_name
from lpmtui.eligibility.verdict import COUNT

KINDS = ("active", "inactive", "suspended", None)
NAME = COUNT * COUNT  # one more failure, packed


def pack(counts: tuple[int, int, int]) -> int:
    f, w, u = counts
    return (f * COUNT + u) * COUNT + w


def unpack(packed: int) -> tuple[int, int, int]:
    fu, w = divmod(packed, COUNT)
    f, u = divmod(fu, COUNT)
    return f, w, u


def counts(checks) -> tuple[int, int, int]:
    g = CheckGroup(checks)
    return g.fails, g.warns, g.unknowns


def headroom(t: FrameFacts) -> tuple:
    """Headroom order (SnapshotIndex.build's): most free memory, then processors, then name."""
    s = t.system
    return (-(s.mem_available or 0), -(s.proc_units_available or 0.0), t.name)


class PairCounts:
    """The caches, and each signature's lowest pair counts over the targets that are up."""

    def __init__(self) -> None:
        self._sides: dict[tuple, dict[FrameFacts, int]] = {}  # (src, kind) -> t -> packed
        self._pair: dict[FrameFacts, dict[FrameFacts, int]] = {}  # src -> t -> frame-pair rules
        self._tgt: dict[tuple, int] = {}  # (t, kind) -> packed target rules
        self._src: dict[tuple, tuple] = {}  # (src, kind) -> counts of the source rules
        self._pairs: dict[int, dict[FrameFacts, int]] = {}  # signature -> t -> packed
        self._by_t: dict[FrameFacts, set[int]] = {}  # t -> the signatures counted on it
        self.lowest: dict[int, int] = {}  # signature -> lowest packed counts over up targets
        # signature -> the up targets that have them, as (headroom key, target) in headroom
        # order: only these can end a walk early (see IncrementalJudge._walk)
        self.at_lowest: dict[int, list[tuple]] = {}
        self.order: dict[FrameFacts, tuple] = {}  # t -> (headroom key, t): set by the judge
        self._rep: dict[int, PartitionFacts] = {}  # signature -> a partition that has it

    def sides(self, src: FrameFacts, kind) -> dict[FrameFacts, int]:
        """target -> packed frame-pair and target counts, for moves off ``src`` of ``kind``
        (filled by ``side``)."""
        found = self._sides.get((src, kind))
        if found is None:
            found = self._sides[(src, kind)] = {}
        return found

    def side(self, sides: dict, src: FrameFacts, t: FrameFacts, kind) -> int:
        pairs = self._pair.get(src)
        if pairs is None:
            pairs = self._pair[src] = {}
        fp = pairs.get(t)
        if fp is None:
            fp = pairs[t] = pack(counts([r(src, t) for r in FRAME_PAIR_RULES]))
        tk = self._tgt.get((t, kind))
        if tk is None:
            checks = [r(t) for r in TARGET_RULES] + [r(t, kind) for r in TARGET_KIND_RULES]
            tk = self._tgt[(t, kind)] = pack(counts(checks))
        found = sides[t] = fp + tk
        return found

    def source(self, src: FrameFacts, kind) -> tuple[int, int, int]:
        found = self._src.get((src, kind))
        if found is None:
            checks = [r(src) for r in SOURCE_RULES] + [r(src, kind) for r in SOURCE_KIND_RULES]
            found = self._src[(src, kind)] = counts(checks)
        return found

    def pairs(self, sig: int, pf: PartitionFacts) -> dict[FrameFacts, int]:
        """target -> packed pair counts for the partitions with signature ``sig`` (filled by
        ``pair``); ``pf`` is one of them."""
        found = self._pairs.get(sig)
        if found is None:
            found = self._pairs[sig] = {}
            self._rep[sig] = pf
        return found

    def pair(self, pairs: dict, sig: int, pf: PartitionFacts, t: FrameFacts) -> int:
        found = pairs[t] = pack(counts_without_name(pf, t))
        by_t = self._by_t.get(t)
        if by_t is None:
            by_t = self._by_t[t] = set()
        by_t.add(sig)
        return found

    def packed(self, sig: int, pf: PartitionFacts, t: FrameFacts) -> int:
        pairs = self.pairs(sig, pf)
        found = pairs.get(t)
        return found if found is not None else self.pair(pairs, sig, pf, t)

    def lower(self, sig: int, pf: PartitionFacts, up: list[FrameFacts]) -> int:
        """The lowest packed pair counts of ``sig`` over the targets ``up``."""
        found = self.lowest.get(sig)
        if found is None:
            every = [self.packed(sig, pf, t) for t in up]
            found = self.lowest[sig] = min(every, default=0)
            order = self.order
            self.at_lowest[sig] = [order[t] for t, n in zip(up, every, strict=True) if n == found]
        return found

    def add_target(self, ff: FrameFacts) -> set[int]:
        """Count a new frame that is up into every signature's lowest counts; the signatures
        whose lowest counts it lowers."""
        lowered = set()
        entry = self.order[ff]
        for sig, lowest in self.lowest.items():
            packed = self.packed(sig, self._rep[sig], ff)
            if packed < lowest:
                self.lowest[sig], self.at_lowest[sig] = packed, [entry]
                lowered.add(sig)
            elif packed == lowest:
                insort(self.at_lowest[sig], entry)
        return lowered

    def forget(self, ff: FrameFacts) -> None:
        """Drop a frame that changed or went, as source and as target."""
        self._pair.pop(ff, None)
        for pairs in self._pair.values():
            pairs.pop(ff, None)
        for kind in KINDS:
            self._sides.pop((ff, kind), None)
            self._tgt.pop((ff, kind), None)
            self._src.pop((ff, kind), None)
        for sides in self._sides.values():
            sides.pop(ff, None)
        entry = (headroom(ff), ff)
        for sig in self._by_t.pop(ff, ()):
            packed = self._pairs[sig].pop(ff)
            # it may have held a signature's lowest counts: the last to have them goes, and
            # they are worked out again
            if not ff.down and self.lowest.get(sig) == packed:
                at = self.at_lowest[sig]
                del at[bisect_left(at, entry)]  # headroom keys differ: they end in the name
                if not at:
                    del self.lowest[sig], self.at_lowest[sig]
