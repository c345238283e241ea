"""A verdict: one partition on its source frame judged against one target frame.

Built for every pair of the fleet matrix, so it is a tuple (one C call to make) whose counts
and rank are packed ints; its full Checks are assembled only when someone reads them.
"""

from __future__ import annotations

from operator import itemgetter

from lpmtui.eligibility.catalogue import ORDER
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check, CheckGroup, CheckStatus
from lpmtui.eligibility.index import FrameFacts, PartitionFacts
from lpmtui.eligibility.rules_pair import PAIR_RULES

COUNT = 128  # more than the number of rules: packs (fails, unknowns, warns) in one int
SHIFT = 65536  # more than the number of frames: room for the target's headroom rank
# What one warning, unknown and failure add to a rank: counts add as ints, and each is read
# back from the rank (it fits below the bit SnapshotIndex.build sets for frames that are down)
WARN_AT, UNKNOWN_AT, FAIL_AT = SHIFT, COUNT * SHIFT, COUNT * COUNT * SHIFT
_W, _U, _F = (x.bit_length() - 1 for x in (WARN_AT, UNKNOWN_AT, FAIL_AT))
_MASK = COUNT - 1


def packed(fails: int, warns: int, unknowns: int) -> int:
    """What these counts add to a verdict's rank."""
    return fails * FAIL_AT + unknowns * UNKNOWN_AT + warns * WARN_AT


def _rank(t: FrameFacts, fails: int, warns: int, unknowns: int) -> int:
    """Frames that are up before frames that are down, then all-pass first, then fewest
    failures (then unknowns, warnings), then the most headroom: the partition's need is the
    same for every target, so the frame with the most free memory (then processors) leaves the
    most. ``FrameFacts.rank_base`` holds the frame's part."""
    return packed(fails, warns, unknowns) + t.rank_base


class Verdict(tuple):
    """One partition on its source frame, judged against one target frame.

    Built for every pair of the fleet matrix (a quarter of a million for a large fleet), so it
    is a tuple made in one C call holding references and its rank, whose packed counts are the
    verdict's fails, warns and unknowns; the checks themselves are assembled when ``checks`` is
    first read. Fields: (partition facts, target facts, the partition's own checks or None, the
    frames' check groups, whether the pair rules apply, rank).
    """

    def __new__(
        cls,
        p: PartitionFacts,
        t: FrameFacts,
        own: CheckGroup | None,
        groups: tuple[CheckGroup, ...],
        pair: bool,
        fails: int,
        warns: int,
        unknowns: int,
    ) -> Verdict:
        """The counts already include every group and, when ``pair``, the pair rules."""
        return tuple.__new__(cls, (p, t, own, groups, pair, _rank(t, fails, warns, unknowns)))

    _p = property(itemgetter(0))
    _t = property(itemgetter(1))
    _own = property(itemgetter(2))
    _groups = property(itemgetter(3))
    _pair = property(itemgetter(4))
    rank = property(itemgetter(5))
    fails = property(lambda self: self[5] >> _F & _MASK)
    warns = property(lambda self: self[5] >> _W & _MASK)
    unknowns = property(lambda self: self[5] >> _U & _MASK)

    @property
    def status(self) -> CheckStatus:
        """Fail beats unknown beats warn beats pass (blind checks are not counted)."""
        rank = self[5]
        if rank >> _F & _MASK:
            return FAIL
        return UNKNOWN if rank >> _U & _MASK else WARN if rank >> _W & _MASK else PASS

    partition = property(lambda self: self._p.partition.key, doc="(source system, lpar id)")
    partition_name = property(lambda self: self._p.partition.name)
    source_system = property(lambda self: self._p.frame.name)
    source_hmc = property(lambda self: self._p.frame.hmc.hmc)
    target_system = property(lambda self: self._t.name)
    target_hmc = property(lambda self: self._t.hmc.hmc)
    target_down = property(lambda self: self._t.down, doc="target frame not Operating")
    kind = property(lambda self: self._p.kind)
    kind_reason = property(lambda self: self._p.kind_reason)

    @property
    def remote(self) -> bool:
        return self.source_hmc != self.target_hmc

    def names_on(self, side: str) -> tuple[str, ...]:
        """The frame's and its VIOSes' names on "source" or "target" (to place HMC messages)."""
        frame = self._p.frame if side == "source" else self._t
        return (frame.name, *(v.name for v in frame.vioses))

    @property
    def migratable(self) -> bool:
        """No failure and no unknown: both counts read at once from the rank."""
        return not self[5] >> _U & (COUNT * COUNT - 1)

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every check, in the catalogue's order (assembled on first use)."""
        try:
            return self._checks
        except AttributeError:
            found = [*(self._own or ()), *(c for g in self._groups for c in g)]
            if self._pair:
                found += [r.explain(self._p, self._t) for r in PAIR_RULES]
            found.sort(key=lambda c: ORDER[c.rule_id])
            self._checks = tuple(found)
        return self._checks

    def fails_only(self, rule_ids: frozenset[str]) -> bool:
        """True when every failing check is one of ``rule_ids``, which must be rules of the
        partition or the frames (not pair rules): their checks are already built, so this
        answers without assembling the pair checks."""
        failing = 0
        for c in (*(self._own or ()), *(c for g in self._groups for c in g)):
            if c.status is FAIL:
                if c.rule_id not in rule_ids:
                    return False
                failing += 1
        return failing == self.fails  # any other failure is a pair rule's (or the name's)

    @property
    def left_to_hmc(self) -> tuple[Check, ...]:
        """Unknown checks that no HMC listing can settle (blind): not counted in ``unknowns``
        because only the HMC's own validation judges them, but never to be shown as zero."""
        return tuple(c for c in self.checks if c.blind and c.status is UNKNOWN)

    def check(self, rule_id: str) -> Check | None:
        """The check of ``rule_id``, or None when this verdict does not have it."""
        return next((c for c in self.checks if c.rule_id == rule_id), None)

    @property
    def need(self) -> tuple[int | None, float | None, int | None]:
        """(MB, processor units, VIOS server adapters) the partition needs on the target
        (None: unknown)."""
        return (self._p.mem_need, self._p.proc_need, self._p.adapters)

    @property
    def slots_left(self) -> int | None:
        """Free virtual slots the target's VIOSes would have left after the move."""
        free, need = self._t.free_vios_slots, self._p.adapters
        return None if free is None or need is None else free - need

    @property
    def headroom(self) -> tuple[float | None, float | None]:
        """(MB, processor units) the target would have left after the move (None: unknown)."""
        s, p = self._t.system, self._p
        mem = s.mem_available - (p.mem_need or 0) if s.mem_available is not None else None
        proc = (
            s.proc_units_available - (p.proc_need or 0.0)
            if s.proc_units_available is not None
            else None
        )
        return (mem, proc)

    def __repr__(self) -> str:
        return (
            f"Verdict({self.partition_name} {self.source_system}->{self.target_system} "
            f"{self.status} fails={self.fails})"
        )
