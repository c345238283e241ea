"""Packed rule counts of (partition, target) pairs for the incremental judge, cached by frame
name: a frame that changed or went is dropped (``forget``), or keeps what still holds for the
frame that replaces it (``renamed``), so a frame whose partitions changed costs nothing here.

Counts are packed into one int, (fails, unknowns, warns) in that order of weight, so that
comparing two packed counts compares them as ``rank_targets`` does and adding two adds them.
The tables are shaped for the judge's walks, one dict look-up per target and cache: ``sides``
(source frame, kind) -> target -> frame-pair + target rules, ``pairs`` signature -> target ->
pair rules (less lpar.name_unique). A signature (``rules_pair.signature``) is known by the
number the judge gives it.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, CheckGroup
from lpmtui.eligibility.evaluate import (
    FRAME_PAIR_RULES,
    SOURCE_KIND_RULES,
    SOURCE_RULES,
    TARGET_KIND_RULES,
    TARGET_RULES,
)
from lpmtui.eligibility.index import FrameFacts, PartitionFacts
from lpmtui.eligibility.rules_pair import counts_without_name, memory_status, processors_status
from lpmtui.eligibility.verdict import COUNT

KINDS = ("active", "inactive", "suspended", None)
NAME = COUNT * COUNT  # one more failure, packed
STATUS = {PASS: 0, WARN: 1, UNKNOWN: COUNT, FAIL: NAME}  # one check's status, packed
MEM_AT, PROC_AT = 3, 4  # where rules_pair.signature holds mem_need and proc_need
# each read by one status function only: a signature that differs from a known one in one of
# them is counted from it (``PairCounts._like``)
ONE_READER = ((MEM_AT, memory_status), (PROC_AT, processors_status))


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


def target_signature(t: FrameFacts) -> tuple:
    """Everything the pair rules' status functions (``rules_pair.counts_without_name``) read
    about the target frame: frames with equal ones give every partition equal pair counts, so
    a changed frame that reads the same to them (its partitions changed) is not counted again.
    A status function that reads a new target field must add it here
    (tests/eligibility/test_pair_counts.py changes each one)."""
    s = t.system
    return (
        s.ibmi_mobility_capable,
        s.mem_available,
        s.proc_units_available,
        s.proc_compat_modes,
        s.sriov_migration_capable,
        t.free_vios_slots,
        len(t.running_vioses),
        None if t.cold is None else t.cold.bridged_pairs,
        t.all_levels_status,
        t.msp_levels_status,
        bool(t.npiv_vioses),
        t.npiv_known,
        t.pool_names,
        t.sriov_free,
    )


def reads_same(old: FrameFacts | None, new: FrameFacts) -> bool:
    """Whether ``new`` gives every partition the pair counts ``old`` gives, and is up or down
    as it was (``PairCounts.renamed``)."""
    return (
        old is not None and old.down == new.down and target_signature(old) == target_signature(new)
    )


def headroom(t: FrameFacts) -> tuple:
    """Headroom order (SnapshotIndex.build's): most free memory, then processors, then name."""
    s = t.system
    return (-(s.mem_available or 0), -(s.proc_units_available or 0.0), t.name)


class PairCounts:
    """The caches, and each signature's lowest pair counts over the targets that are up. Every
    table is keyed by frame name (names are unique in a snapshot)."""

    def __init__(self) -> None:
        self._sides: dict[tuple, dict[str, int]] = {}  # (src, kind) -> t -> packed
        self._pair: dict[str, dict[str, int]] = {}  # src -> t -> frame-pair rules
        # t -> the sources whose _pair (and so _sides) tables hold it: a walk ends early, so a
        # table holds a few targets and forgetting one looks only where it is (not at all ~2,500)
        self._held: dict[str, set[str]] = {}
        self._tgt: dict[tuple, int] = {}  # (t, kind) -> packed target rules
        self._src: dict[tuple, tuple] = {}  # (src, kind) -> counts of the source rules
        # signature -> t -> packed; a signature with lowest counts is counted on every target
        # that is up, so forgetting a frame looks at every signature's row (no index by t)
        self._pairs: dict[int, dict[str, int]] = {}
        # In one update: target signature -> the new frames that have it, and new frame ->
        # the pair counts (signature -> packed) of a forgotten frame with its target signature
        self._wanted: dict[tuple, list[str]] = {}
        self._carried: dict[str, dict[int, int]] = {}
        self.lowest: dict[int, int] = {}  # signature -> lowest packed counts over up targets
        self._lbn: dict[int, int] = {}  # signature -> how many up targets have them
        # signature -> the headroom keys (which end in the name) of the up targets that have
        # them, in order: only these can end a walk early (see IncrementalJudge._walk). Kept as
        # frames change, or dropped and made again when walked (``begin``).
        self._at: dict[int, list[tuple]] = {}
        self.order: dict[FrameFacts, tuple] = {}  # t -> headroom key
        # Keeping every signature's list costs ~1.5 ms per changed frame at 1,000 signatures
        # and 500 frames, making one again ~40 us: past this many changed frames, drop them.
        self.keep_lists = 16
        self._rep: dict[int, PartitionFacts] = {}  # signature -> a partition that has it
        self._sigs: dict[tuple, int] = {}  # signature -> its number
        # (place, signature less what is there) -> the last number it was given; number -> the
        # earlier ones that differ in mem_need or proc_need only (with the status function that
        # reads it), whose counts a new signature's are worked out from
        self._rests: dict[tuple, int] = {}
        self.like: dict[int, list[tuple]] = {}

    def number(self, sig: tuple) -> int:
        """The number of a signature (``rules_pair.signature``): a long tuple, hashed at every
        look-up, so the caches key its number."""
        found = self._sigs.get(sig)
        if found is None:
            found = self._sigs[sig] = len(self._sigs)
            for at, status in ONE_READER:
                rest = (at, sig[:at] + sig[at + 1 :])
                if (like := self._rests.get(rest)) is not None:
                    self.like.setdefault(found, []).append((like, status))
                self._rests[rest] = found
        return found

    def sides(self, src: FrameFacts, kind) -> dict[str, int]:
        """target name -> packed frame-pair and target counts, for moves off ``src`` of
        ``kind`` (filled by ``side``)."""
        found = self._sides.get((src.name, kind))
        if found is None:
            found = self._sides[(src.name, kind)] = {}
        return found

    def side(self, sides: dict, src: FrameFacts, t: FrameFacts, kind) -> int:
        name = t.name
        pairs = self._pair.get(src.name)
        if pairs is None:
            pairs = self._pair[src.name] = {}
        fp = pairs.get(name)
        if fp is None:
            fp = pairs[name] = pack(counts([r(src, t) for r in FRAME_PAIR_RULES]))
            held = self._held.get(name)
            if held is None:
                held = self._held[name] = set()
            held.add(src.name)
        tk = self._tgt.get((name, kind))
        if tk is None:
            checks = [r(t) for r in TARGET_RULES] + [r(t, kind) for r in TARGET_KIND_RULES]
            tk = self._tgt[(name, kind)] = pack(counts(checks))
        found = sides[name] = fp + tk
        return found

    def source(self, src: FrameFacts, kind) -> tuple[int, int, int]:
        found = self._src.get((src.name, kind))
        if found is None:
            checks = [r(src) for r in SOURCE_RULES] + [r(src, kind) for r in SOURCE_KIND_RULES]
            found = self._src[(src.name, kind)] = counts(checks)
        return found

    def pairs(self, sig: int, pf: PartitionFacts) -> dict[str, int]:
        """target name -> packed pair counts for the partitions with signature ``sig`` (filled
        by ``pair``); ``pf`` is one of them."""
        found = self._pairs.get(sig)
        if found is None:
            found = self._pairs[sig] = {}
            self._rep[sig] = pf
        return found

    def pair(self, pairs: dict, sig: int, pf: PartitionFacts, t: FrameFacts) -> int:
        name = t.name
        carried = self._carried.get(name)
        found = None if carried is None else carried.get(sig)
        if found is None:
            found = pack(counts_without_name(pf, t))
        pairs[name] = found
        return found

    def packed(self, sig: int, pf: PartitionFacts, t: FrameFacts) -> int:
        pairs = self.pairs(sig, pf)
        found = pairs.get(t.name)
        return found if found is not None else self.pair(pairs, sig, pf, t)

    def begin(self, frames: dict[FrameFacts, tuple], fresh: list, changed: int) -> None:
        """An update: ``frames`` maps every frame to its headroom key; ``fresh`` frames are new
        or changed, ``changed`` counts them and the gone ones (forgotten next)."""
        self.order = frames
        if changed > self.keep_lists:
            self._at.clear()
        self._wanted, self._carried = {}, {}
        for ff in fresh:  # forget hands them the counts of a frame that reads the same
            self._wanted.setdefault(target_signature(ff), []).append(ff.name)

    def lower(self, sig: int, pf: PartitionFacts, up: list[FrameFacts]) -> int:
        """The lowest packed pair counts of ``sig`` over the targets ``up``."""
        found = self.lowest.get(sig)
        if found is None:
            pairs, pair = self.pairs(sig, pf), self.pair
            every = None if pairs else self._like(sig, pf, pairs, up)
            if every is None:
                every = [
                    n if (n := pairs.get(t.name)) is not None else pair(pairs, sig, pf, t)
                    for t in up
                ]
            found = self.lowest[sig] = min(every, default=0)
            order = self.order
            at = self._at[sig] = [order[t] for t, n in zip(up, every, strict=True) if n == found]
            self._lbn[sig] = len(at)
        return found

    def _like(self, sig: int, pf: PartitionFacts, pairs: dict, up: list) -> list | None:
        """A new signature's counts on ``up`` from those of one that differs in mem_need or
        proc_need only (``like``, counted on every target that is up): less its status there,
        plus this one's. A partition whose memory or processors changed (a poll's usual
        change) is counted so. None when there is no such signature."""
        found = next((x for x in self.like.get(sig, ()) if x[0] in self.lowest), None)
        if found is None:
            return None
        like, status = found
        base, rep = self._pairs[like], self._rep[like]
        names = [t.name for t in up]
        known = list(map(base.get, names))
        if None in known:
            return None
        every = [
            n - STATUS[status(rep, t)] + STATUS[status(pf, t)]
            for n, t in zip(known, up, strict=True)
        ]
        pairs.update(zip(names, every, strict=True))
        return every

    def at_lowest(self, sig: int, up: list[FrameFacts]) -> list[tuple]:
        """The headroom keys of the targets ``up`` (in order) where ``sig`` has its lowest
        pair counts (``lower`` first); each ends in the target's name."""
        found = self._at.get(sig)
        if found is None:
            lowest, pairs, order = self.lowest[sig], self._pairs[sig], self.order
            found = self._at[sig] = [order[t] for t in up if pairs[t.name] == lowest]
        return found

    def add_target(self, ff: FrameFacts) -> set[int]:
        """Count a new frame that is up into every signature's lowest counts; the signatures
        whose lowest counts it lowers."""
        lowered = set()
        entry = self.order[ff]
        for sig, lowest in self.lowest.items():
            packed = self.packed(sig, self._rep[sig], ff)
            if packed < lowest:
                self.lowest[sig], self._lbn[sig], self._at[sig] = packed, 1, [entry]
                lowered.add(sig)
            elif packed == lowest:
                self._lbn[sig] += 1
                if (at := self._at.get(sig)) is not None:
                    insort(at, entry)
        return lowered

    def _drop_tables(self, name: str) -> None:
        """Drop a frame's frame-pair, target and source counts, as source and as target."""
        for t in self._pair.pop(name, ()):
            if (held := self._held.get(t)) is not None:
                held.discard(name)
        for kind in KINDS:
            self._sides.pop((name, kind), None)
            self._tgt.pop((name, kind), None)
            self._src.pop((name, kind), None)
        for src in self._held.pop(name, ()):
            self._pair[src].pop(name, None)
            for kind in KINDS:
                if (sides := self._sides.get((src, kind))) is not None:
                    sides.pop(name, None)

    def renamed(self, old: FrameFacts, new: FrameFacts, rules: bool) -> None:
        """``new`` replaces ``old``, a changed frame that reads the same to the pair rules
        (equal target signatures, so equal headroom keys) and is up or down as it was: its
        pair counts, and so every signature's lowest counts, hold as they are. Its frame-pair,
        target and source counts hold too when the frame rules read the same of both
        (``rules``, frame_key), else they go."""
        if not rules:
            self._drop_tables(old.name)

    def forget(self, ff: FrameFacts) -> None:
        """Drop a frame that changed or went, as source and as target."""
        name = ff.name
        self._drop_tables(name)
        takers = self._wanted.get(target_signature(ff)) if self._wanted else None
        column: dict[int, int] = {}
        entry = headroom(ff)
        for sig, pairs in self._pairs.items():
            packed = pairs.pop(name, None)
            if packed is None:
                continue
            column[sig] = packed
            # it may have held a signature's lowest counts: the last to have them goes, and
            # they are worked out again
            if not ff.down and self.lowest.get(sig) == packed:
                self._lbn[sig] -= 1
                if not self._lbn[sig]:
                    del self.lowest[sig], self._lbn[sig]
                    self._at.pop(sig, None)
                elif (at := self._at.get(sig)) is not None:
                    del at[bisect_left(at, entry)]  # headroom keys differ: they end in the name
        for taker in takers or ():
            self._carried.setdefault(taker, column)
