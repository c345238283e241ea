"""Every partition's best target, kept up to date poll after poll (issue 16).

What each rule reads, from the rule interface (``evaluate``'s rule tuples, ``rules_pair``):

- partition rules ``r(p)`` and source rules ``r(src[, kind])``: the partition and its source
  frame — constant over targets, so they shift every target's counts alike and never change
  which target is best; only their counts are kept, per partition;
- target rules ``r(t[, kind])``: the target frame, per (target, kind);
- frame-pair rules ``r(src, t)``: the two frames (and their HMCs), per (source, target);
- pair rules ``status(p, t)``: the partition's ``signature`` and the target's
  (``pair_counts.target_signature``), per (signature, target) and shared by frames with equal
  target signatures, plus ``lpar.name_unique`` (the name, ``own_shell``) per partition and
  target.

A frame whose inputs are equal keeps its FrameFacts object (frame_changes); the counts are
cached by frame name, dropped when a frame changes or goes, kept while it reads the same
(``PairCounts.renamed``). A poll that changes 1% of the partitions changes ~40% of the frames,
each because a partition did: such a frame is usually, to the rules, the frame it replaces
(frame_key). As a target (``alike``) it is then not a changed target at all: nobody compares
with it and whoever had it as best keeps it (best targets are kept by name). As a source, a
partition that is the same object keeps its facts while the frame's source signature is equal
(source_key), and its best target too when the frame gives it the same counts (``stay``).

Best target: targets are ranked by (frame down, fails, unknowns, warns, headroom), headroom
being (free memory, free processor units, name) — the order of ``rank_targets``. The first
judging walks each partition's targets in headroom order and stops at the first whose pair
counts reach the lowest counts its signature has on any target (no later one can beat it): a
pair's counts are never below its pair rules' counts, so only the targets where those are at
the lowest can end the walk, and they are looked at first (``PairCounts.at_lowest``, kept in
headroom order as frames change); the whole order is walked only when none does. After a
change, a partition whose best target changed is walked again; every other one compares its
best with the changed frames, or walks again when its last walk looked at no more targets than
there are changed frames (many frames changed: 1% of the partitions).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from lpmtui.eligibility.best import Best, same_report
from lpmtui.eligibility.evaluate import (
    PARTITION_RULES,
    _short_verdict,
    partition_facts,
    rank_targets,
)
from lpmtui.eligibility.frame_changes import FrameChanges, frame_changes
from lpmtui.eligibility.index import FrameFacts, PartitionFacts, SnapshotIndex, remember
from lpmtui.eligibility.pair_counts import NAME, PairCounts, counts, headroom, pack, unpack
from lpmtui.eligibility.rules_name import own_shell
from lpmtui.eligibility.rules_pair import signature
from lpmtui.eligibility.source_key import moved, source_signature
from lpmtui.eligibility.verdict import Verdict
from lpmtui.model import FleetSnapshot


def _shows_same(a: tuple | None, b: tuple | None) -> bool:
    """Two best tuples of one partition (its own counts unchanged) give the same ``Best``:
    down, packed counts and target name equal (the headroom key is not shown)."""
    return a is b or (a is not None and b is not None and a[:2] == b[:2] and a[3] == b[3])


class _Part:
    """One partition's facts, its own counts (partition + source rules) and best target."""

    __slots__ = ("best", "facts", "key", "mine", "own", "sig", "steps")

    def __init__(self, facts: PartitionFacts, mine: tuple | None, own: tuple, sig: int) -> None:
        self.facts, self.mine, self.own, self.sig = facts, mine, own, sig  # mine: partition rules
        self.key = facts.partition.key
        self.best: tuple | None = None  # (down, packed pair counts, headroom key, its name)
        self.steps = 0  # targets its last walk looked at


class IncrementalJudge:
    """``update(snapshot)`` after every poll; ``best(key)`` for the table's verdict column,
    ``ranked(key)`` for the selected partition (every target, in full)."""

    def __init__(self) -> None:
        self.idx: SnapshotIndex | None = None
        self._inputs: dict[str, tuple[tuple, FrameFacts]] = {}
        self._parts: dict[tuple[str, int], _Part] = {}
        self._by_src: dict[FrameFacts, list[_Part]] = {}  # the parts, by source frame
        # Settled parts (best target up, at their signature's lowest counts) by best target's
        # name; a changed frame can only beat them by coming earlier in headroom order. The
        # others (unsettled) compare with every changed frame.
        self._by_best: dict[str, set[_Part]] = {}
        self._unsettled: set[_Part] = set()
        self._by_sig: dict[int, set[_Part]] = {}
        self._up: list[FrameFacts] = []  # frames that are up, in headroom order
        self._down: list[FrameFacts] = []
        self._okey: dict[FrameFacts, tuple] = {}
        self._counts = PairCounts()
        self.judged = 0  # (partition, target) pairs compared: instrumentation for tests
        self.frames_changed = 0  # frames new, changed or gone in the last update
        # Called in ``update`` with the keys whose best target is final (a changed frame's
        # partitions once judged), and with [] now and then: report progress, or raise to stop.
        self.progress: Callable[[list[tuple[str, int]]], None] | None = None

    # -- the counts ------------------------------------------------------------------------------

    def _lower(self, p: _Part) -> int:
        found = self._counts.lowest.get(p.sig)
        return self._counts.lower(p.sig, p.facts, self._up) if found is None else found

    def _key(self, p: _Part, t: FrameFacts) -> tuple:
        """(down, packed counts less the partition's own, headroom key, target) for p -> t."""
        self.judged += 1
        pf = p.facts
        src = pf.frame
        if src.down or t.down:
            v = _short_verdict(self.idx, pf, t)
            return (t.down, pack((v.fails, v.warns, v.unknowns)), self._okey[t], t.name)
        c = self._counts
        sides = c.sides(src, pf.kind)
        packed = sides.get(t.name)
        if packed is None:
            packed = c.side(sides, src, t, pf.kind)
        packed += c.packed(p.sig, pf, t)
        if pf.partition.name in t.names and not own_shell(pf, t):
            packed += NAME
        return (False, packed, self._okey[t], t.name)

    # -- judging ---------------------------------------------------------------------------------

    def _scan(self, p: _Part) -> tuple | None:
        before = self.judged
        self._untrack(p)
        p.best = self._walk(p)
        p.steps = self.judged - before
        self._track(p)
        return p.best

    def _track(self, p: _Part) -> None:
        b = p.best
        if b is None or b[0] or p.facts.frame.down or b[1] > self._lower(p):
            self._unsettled.add(p)
        else:
            settled = self._by_best.get(b[3])
            if settled is None:
                settled = self._by_best[b[3]] = set()
            settled.add(p)

    def _untrack(self, p: _Part) -> None:
        b = p.best
        if b is not None and (settled := self._by_best.get(b[3])) is not None and p in settled:
            settled.discard(p)
        else:
            self._unsettled.discard(p)

    def _walk(self, p: _Part) -> tuple | None:
        src = p.facts.frame
        best = None
        if src.down:  # one short verdict, the same for every target: the first in order wins
            return next((self._key(p, t) for t in (*self._up, *self._down) if t is not src), None)
        lowest = self._lower(p)
        pf, c = p.facts, self._counts
        sides, pairs, sig = c.sides(src, pf.kind), c.pairs(p.sig, pf), p.sig
        name, found, least, steps = pf.partition.name, None, 0, 0
        frames = self.idx.frames
        # A pair's counts are its side's + its pair counts (never below lowest) + the name's:
        # the walk ends at the first target, in headroom order, with pair counts at lowest and
        # nothing else; only those targets (at_lowest: headroom keys, ending in the name) are
        # looked at for it.
        for key in c.at_lowest(sig, self._up):
            t = frames[key[2]]
            if t is src:
                continue
            steps += 1
            side = sides.get(key[2])
            if side is None:
                side = c.side(sides, src, t, pf.kind)
            if not side and not (name in t.names and not own_shell(pf, t)):
                self.judged += steps
                return (False, lowest, key, key[2])
        # None can end it: _key's sum for every target that is up, spelled out (the inner loop)
        for t in self._up:
            if t is src:
                continue
            steps += 1
            tn = t.name
            side = sides.get(tn)
            if side is None:
                side = c.side(sides, src, t, pf.kind)
            packed = pairs.get(tn)
            if packed is None:
                packed = c.pair(pairs, sig, pf, t)
            packed += side
            if name in t.names and not own_shell(pf, t):
                packed += NAME
            if found is None or packed < least:
                found, least = t, packed
                if packed <= lowest:  # no later target can do better: it is first in order
                    break
        self.judged += steps
        if found is not None:
            return (False, least, self._okey[found], found.name)
        for t in self._down:
            if t is not src:
                k = self._key(p, t)
                if best is None or k[:3] < best[:3]:
                    best = k
        return best

    def _new_part(self, src: FrameFacts, lp, was: _Part | None) -> _Part:
        """``was``: the same partition object's part on a frame with ``src``'s source signature,
        whose facts, partition-rule counts and signature hold on ``src`` too (source_key)."""
        if was is not None:
            pf, mine, number = moved(was.facts, src), was.mine, was.sig
            self.idx.memo[("lpar", lp.system, lp.lpar_id)] = pf  # as partition_facts keeps it
        else:
            pf = partition_facts(self.idx, src, lp)
            mine = None if src.down else counts([r(pf) for r in PARTITION_RULES])
            number = self._counts.number(signature(pf))
        own = (0, 0, 0)
        if mine is not None:
            sk = self._counts.source(src, pf.kind)
            own = (mine[0] + sk[0], mine[1] + sk[1], mine[2] + sk[2])
        return _Part(pf, mine, own, number)

    def best(self, key: tuple[str, int]) -> Best | None:
        """The best target of the partition (system, lpar id); None when there is no other
        frame. KeyError for a partition the last snapshot does not have."""
        return self._best_of(self._parts[key])

    def _best_of(self, p: _Part) -> Best | None:
        if p.best is None:
            return None
        down, packed, _, name = p.best
        f, w, u = unpack(packed)
        if not down and not p.facts.frame.down:
            f, w, u = f + p.own[0], w + p.own[1], u + p.own[2]
        return Best(name, f, w, u)

    def partitions(self):
        """The keys (system, lpar id) of the partitions judged."""
        return self._parts.keys()

    def partition(self, key: tuple[str, int]):
        """The partition as last judged; None when the last snapshot does not have it."""
        return p.facts.partition if (p := self._parts.get(key)) is not None else None

    def ranked(self, key: tuple[str, int]) -> list[Verdict]:
        """Every target of one partition, in full (the selected partition's checks)."""
        return rank_targets(self.idx.snapshot, key)

    # -- updates ---------------------------------------------------------------------------------

    def update(self, snapshot: FleetSnapshot) -> set[tuple[str, int]]:
        """Bring every best target up to the snapshot; returns the partitions whose best target
        (or its counts) changed, appeared or went."""
        # Nothing it makes is cyclic: the cyclic collector is paused meanwhile (as in matrix).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._update(snapshot)
        finally:
            if was_enabled:
                gc.enable()

    def _update(self, snapshot: FleetSnapshot) -> set[tuple[str, int]]:
        ch = frame_changes(snapshot, self._inputs)
        self.idx = ch.idx
        remember(ch.idx)
        frames = ch.idx.frames
        self._inputs = ch.inputs
        self.frames_changed = len(ch.gone) + len(ch.fresh)
        # a changed frame that reads the same to the pair rules (its partitions changed) keeps
        # the counts of the frame it replaces; the others are counted anew
        counted = [ff for ff in ch.fresh if ff not in ch.same]
        dropped = ch.gone - {old for old, _ in ch.same.values()}
        self._okey = {ff: headroom(ff) for ff in frames.values()}
        self._counts.begin(self._okey, counted, len(counted) + len(dropped))
        for ff, (old, rules) in ch.same.items():
            self._counts.renamed(old, ff, rules)
        for ff in dropped:
            self._counts.forget(ff)
        self._up = sorted((f for f in frames.values() if not f.down), key=self._okey.__getitem__)
        self._down = sorted((f for f in frames.values() if f.down), key=self._okey.__getitem__)
        lowered = set()  # signatures a new target gives lower counts: their parts walk again
        for n, ff in enumerate(counted):
            if not ff.down:
                lowered |= self._counts.add_target(ff)
            if self.progress is not None and n % 16 == 15:  # 500 new targets: ~0.8 s
                self.progress([])
        return self._rejudge(ch, lowered)

    def _rejudge(self, ch: FrameChanges, lowered: set[int]) -> set[tuple[str, int]]:
        changed: set[tuple[str, int]] = set()
        if not ch.fresh and not ch.gone:
            return changed
        frames, fresh, alike, memo = ch.idx.frames, set(ch.fresh), ch.alike, ch.idx.memo
        # the targets that went or changed, by name: whoever had one as best walks again (a
        # frame that is the target it replaces keeps them)
        went = {ff.name for ff in ch.gone if frames.get(ff.name) not in alike}
        # what a changed frame's partitions were reported as: one that reads the same after
        # (the same partition object, the same best target and counts) is not reported again
        # (1% of partitions changing touch most frames: every partition, each poll, otherwise)
        told: dict[tuple[str, int], tuple] = {}
        again: set[_Part] = set()
        # a changed frame's partitions that are the same objects on a frame with the same
        # source signature keep their facts (source_key), and their best target too when the
        # frame gives them the same counts (``stay``: moved onto it now, as if unchanged)
        kept: dict[tuple[str, int], _Part] = {}
        stay: dict[tuple[str, int], _Part] = {}
        for ff in ch.gone:
            new = frames.get(ff.name)
            same = new in fresh and source_signature(new) == source_signature(ff)
            keep = same and new in ch.stay
            for p in self._by_src.pop(ff, ()):
                lp = p.facts.partition
                if keep and new.by_id.get(lp.lpar_id) is lp:
                    p.facts = memo[("lpar", lp.system, lp.lpar_id)] = moved(p.facts, new)
                    stay[p.key] = p
                    continue
                if same:
                    kept[p.key] = p
                self._untrack(p)
                self._by_sig[p.sig].discard(p)
                key = lp.key
                if self._parts.get(key) is p:
                    del self._parts[key]
                    told[key] = (lp, self._best_of(p))
            if ff.name in went:
                again |= self._by_best.pop(ff.name, set())
        for sig in lowered:
            again |= self._by_sig.get(sig, set())
        for p in self._unsettled:
            b = p.best
            if b is None or b[0] or p.facts.frame.down or b[3] in went:
                again.add(p)
        compare: dict[_Part, list[FrameFacts]] = {}
        for i, t1 in enumerate(self._up):
            if t1 not in fresh or t1 in alike:
                continue
            for t in (None, *self._up[i + 1 :]):
                for p in self._unsettled if t is None else self._by_best.get(t.name, ()):
                    compare.setdefault(p, []).append(t1)
        news: list[tuple[str, int]] = []
        for src in frames.values():  # the partitions of changed frames: judged anew
            if src in fresh:
                found = self._by_src[src] = []
                for lp in src.frame.partitions:
                    if (p := stay.get(lp.key)) is not None:  # most of them
                        found.append(p)
                    elif not lp.is_vios:
                        was = kept.get(lp.key)
                        if was is not None and was.facts.partition is not lp:
                            was = None
                        p = self._new_part(src, lp, was)
                        self._by_sig.setdefault(p.sig, set()).add(p)
                        self._scan(p)
                        found.append(p)
                        self._parts[lp.key] = p
                        if not same_report(told.pop(lp.key, None), lp, self._best_of(p)):
                            news.append(lp.key)
                changed.update(news)
                if self.progress is not None:
                    self.progress(news)
                news = []
        for p, targets in compare.items():
            if p in again:
                continue
            if len(targets) >= p.steps:  # walking again is no dearer than comparing
                again.add(p)
                continue
            best = p.best
            for t in targets:
                if t is not p.facts.frame:
                    k = self._key(p, t)
                    if k[:3] < best[:3]:
                        best = k
            if best is not p.best:
                was = p.best
                self._untrack(p)
                p.best = best
                self._track(p)
                if not _shows_same(best, was):
                    changed.add(p.key)
        for n, p in enumerate(again):
            if self.progress is not None and n % 256 == 255:
                self.progress([])
            if self._parts.get(p.key) is p:
                was = p.best
                if not _shows_same(self._scan(p), was):
                    changed.add(p.key)
        changed.update(told)  # the partitions that went
        return changed
