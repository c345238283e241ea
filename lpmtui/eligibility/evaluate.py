"""Verdicts: every rule for one partition and target, the ranked targets, the fleet matrix.

Checks that depend on fewer things are computed once and shared: partition rules once per
partition, frame rules once per (frame, kind), frame-pair rules once per (source, target).
Only the cheap pair statuses run for every partition x target; their full Checks (reasons with
values) are built when a verdict's ``checks`` are first read.
"""

from __future__ import annotations

import gc
from operator import itemgetter

from lpmtui.eligibility import rules_console as console
from lpmtui.eligibility import rules_io as io
from lpmtui.eligibility import rules_partition as part
from lpmtui.eligibility import rules_server as server
from lpmtui.eligibility import rules_vios as vios
from lpmtui.eligibility.catalogue import ORDER
from lpmtui.eligibility.checks import (
    FAIL,
    PASS,
    UNKNOWN,
    WARN,
    Check,
    CheckGroup,
    CheckStatus,
)
from lpmtui.eligibility.index import (
    DEFAULT_VSWITCH,
    FrameFacts,
    PartitionFacts,
    SnapshotIndex,
    activation_profile,
    index_of,
    pool_needed,
    profile_need,
)
from lpmtui.eligibility.kind import INACTIVE, mobility_kind
from lpmtui.eligibility.rules_pair import PAIR_RULES, counts_without_name, own_shell, signature
from lpmtui.model import FleetSnapshot, Partition

PARTITION_RULES = (
    part.state,
    part.migration_disabled,
    part.os_level,
    part.activated_once,
    part.not_service,
    part.rmc,
    part.console,
    part.huge_pages,
    part.bsr,
    part.redundant_error_path,
    io.storage_virtual,
    io.network_sea,
    io.physical_io,
    io.adapters_desired,
    io.vios_adapters,
    io.vtopt,
)
SOURCE_RULES = (server.source_operating,)
SOURCE_KIND_RULES = (
    server.capable_source,
    console.concurrency_source,
    vios.msp_source,
    vios.level_source,
)
TARGET_RULES = (server.target_operating,)
TARGET_KIND_RULES = (server.capable_target, console.concurrency_target, vios.msp_target)
FRAME_PAIR_RULES = (
    server.power6,
    server.firmware,
    server.lmb,
    console.managed,
    console.remote_level,
    console.remote_trust,
    console.hmc_fsm,
)


class EligibilityError(LookupError):
    """A partition or frame the snapshot does not contain."""


_COUNT = 128  # more than the number of rules: packs (fails, unknowns, warns) in one int
_SHIFT = 65536  # more than the number of frames: room for the target's headroom rank


def _rank(t: FrameFacts, fails: int, warns: int, unknowns: int) -> int:
    """Frames that are up before frames that are down, then all-pass first, then fewest
    failures (then unknowns, warnings), then the most headroom: the partition's need is the
    same for every target, so the frame with the most free memory (then processors) leaves the
    most. ``FrameFacts.rank_base`` holds the frame's part."""
    return ((fails * _COUNT + unknowns) * _COUNT + warns) * _SHIFT + t.rank_base


class Verdict(tuple):
    """One partition on its source frame, judged against one target frame.

    Built for every pair of the fleet matrix (a quarter of a million for a large fleet), so it
    is a tuple made in one C call holding references and counts; the checks themselves are
    assembled when ``checks`` is first read. Fields: (partition facts, target facts, the
    partition's own checks or None, the frames' check groups, whether the pair rules apply,
    fails, warns, unknowns, rank).
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
        return tuple.__new__(
            cls, (p, t, own, groups, pair, fails, warns, unknowns, _rank(t, fails, warns, unknowns))
        )

    _p = property(itemgetter(0))
    _t = property(itemgetter(1))
    _own = property(itemgetter(2))
    _groups = property(itemgetter(3))
    _pair = property(itemgetter(4))
    fails = property(itemgetter(5))
    warns = property(itemgetter(6))
    unknowns = property(itemgetter(7))
    rank = property(itemgetter(8))

    @property
    def status(self) -> CheckStatus:
        """Fail beats unknown beats warn beats pass (blind checks are not counted)."""
        if self.fails:
            return FAIL
        return UNKNOWN if self.unknowns else WARN if self.warns else PASS

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
        return self.fails == 0 and self.unknowns == 0

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


def partition_facts(idx: SnapshotIndex, src: FrameFacts, lp: Partition) -> PartitionFacts:
    key = ("lpar", lp.system, lp.lpar_id)
    found = idx.memo.get(key)
    if found is not None:
        return found
    kind, why = mobility_kind(lp.state)
    adapters = has_fc = serving = vlans = None
    if src.cold is not None:
        # Each client storage adapter needs a server adapter (a slot) on a target VIOS.
        clients = (
            *src.cold.scsi_client.get(lp.lpar_id, ()),
            *src.cold.fc_client.get(lp.lpar_id, ()),
        )
        adapters = len(clients)
        has_fc = bool(src.cold.fc_client.get(lp.lpar_id))
        serving = len({a.remote_lpar_id for a in clients if a.remote_lpar_id is not None})
        vlans = frozenset(
            (e.vswitch or DEFAULT_VSWITCH, v)
            for e in src.cold.eth.get(lp.lpar_id, [])
            if not e.is_trunk
            for v in e.vlans
        )
    if kind == INACTIVE:  # holds nothing at runtime: the target needs room for its profile
        profile = activation_profile(src, lp)
        mem_need, proc_need = profile_need(profile) if profile else (None, None)
    else:
        mem_need, proc_need = lp.curr_mem, lp.curr_proc_units
        if lp.proc_mode == "ded" or proc_need is None:
            proc_need = float(lp.curr_procs) if lp.curr_procs is not None else None
    # A running (or suspended) partition keeps its current mode; otherwise the desired one
    # applies when it next starts.
    compat = (
        lp.curr_proc_compat_mode if kind in ("active", "suspended") else lp.desired_proc_compat_mode
    )
    facts = PartitionFacts(
        lp,
        src,
        kind,
        why,
        mem_need,
        proc_need,
        adapters,
        has_fc,
        serving,
        vlans,
        compat,
        pool_needed(src, lp),
    )
    idx.memo[key] = facts
    return facts


def _group(idx: SnapshotIndex, key: tuple, build) -> CheckGroup:
    found = idx.memo.get(key)
    if found is None:
        found = idx.memo[key] = CheckGroup(build())
    return found


def _partition_group(idx: SnapshotIndex, p: PartitionFacts) -> CheckGroup:
    src, kind = p.frame, p.kind
    own = _group(
        idx,
        ("prules", p.partition.system, p.partition.lpar_id),
        lambda: [r(p) for r in PARTITION_RULES],
    )
    side = _group(
        idx,
        ("src", src.name, kind),
        lambda: [r(src) for r in SOURCE_RULES] + [r(src, kind) for r in SOURCE_KIND_RULES],
    )
    return CheckGroup((*own, *side))


def _target_side(idx: SnapshotIndex, src: FrameFacts, t: FrameFacts, kind: str | None):
    """((target group, frame-pair group), their fails, warns, unknowns) for src -> t."""
    key = ("side", src.name, t.name, kind)
    found = idx.memo.get(key)
    if found is None:
        tgt = _group(
            idx,
            ("tgt", t.name, kind),
            lambda: [r(t) for r in TARGET_RULES] + [r(t, kind) for r in TARGET_KIND_RULES],
        )
        pair = _group(
            idx, ("pair", src.name, t.name), lambda: [r(src, t) for r in FRAME_PAIR_RULES]
        )
        found = idx.memo[key] = (
            (tgt, pair),
            tgt.fails + pair.fails,
            tgt.warns + pair.warns,
            tgt.unknowns + pair.unknowns,
        )
    return found


_SKIP = (None, None, 0, 0, 0)  # no verdict here: the source itself, or a frame that is down
_new = tuple.__new__


def _targets(idx: SnapshotIndex, src: FrameFacts, kind: str | None) -> list[tuple]:
    """(target, groups, fails, warns, unknowns) per frame of the index, in order; _SKIP for
    the source itself and for frames that are down (they get a short verdict)."""
    key = ("targets", src.name, kind)
    found = idx.memo.get(key)
    if found is None:
        found = idx.memo[key] = [
            _SKIP if t is src or t.down else (t, *_target_side(idx, src, t, kind))
            for t in idx.frames.values()
        ]
    return found


def _short_verdict(idx: SnapshotIndex, p: PartitionFacts, t: FrameFacts) -> Verdict | None:
    """A frame that is not Operating gets one clear check instead of a list of red ones: a
    failed source cannot be migrated from (LPM is not disaster recovery), and the HMC refuses
    any other move while either frame is not Operating."""
    src = p.frame
    if src.failed:
        group = _group(idx, ("failed", src.name), lambda: [server.source_failed(src)])
    elif src.down:
        group = _group(idx, ("src down", src.name), lambda: [server.source_operating(src)])
    elif t.down:  # with the trust check: the HMC needs it before it can even ask
        group = _group(
            idx,
            ("tgt down", src.name, t.name),
            lambda: [server.target_operating(t), console.remote_trust(src, t)],
        )
    else:
        return None
    return Verdict(p, t, None, (group,), False, group.fails, group.warns, group.unknowns)


def _verdict(idx: SnapshotIndex, p: PartitionFacts, own: CheckGroup, t: FrameFacts) -> Verdict:
    short = _short_verdict(idx, p, t)
    if short is not None:
        return short
    groups, fails, warns, unknowns = _target_side(idx, p.frame, t, p.kind)
    pf, pw, pu = counts_without_name(p, t)
    fails += pf + (p.partition.name in t.names and not own_shell(p, t))
    return Verdict(
        p,
        t,
        own,
        groups,
        True,
        own.fails + fails,
        own.warns + warns + pw,
        own.unknowns + unknowns + pu,
    )


def _find(idx: SnapshotIndex, partition) -> tuple[FrameFacts, Partition]:
    if isinstance(partition, Partition):
        system, lpar_id = partition.system, partition.lpar_id
    else:
        system, lpar_id = partition
    src = idx.frames.get(system)
    if src is None or lpar_id not in src.by_id:
        raise EligibilityError(f"no partition {lpar_id} on {system} in the snapshot")
    return src, src.by_id[lpar_id]


def evaluate(snapshot: FleetSnapshot, partition, target_system: str) -> Verdict:
    """Every rule for ``partition`` (a Partition or (system, lpar id)) moving to a target."""
    idx = index_of(snapshot)
    src, lp = _find(idx, partition)
    t = idx.frames.get(target_system)
    if t is None:
        raise EligibilityError(f"no frame {target_system} in the snapshot")
    if t is src:
        raise EligibilityError(f"{lp.name} is already on {target_system}")
    p = partition_facts(idx, src, lp)
    return _verdict(idx, p, _partition_group(idx, p), t)


def frame_source_check(snapshot: FleetSnapshot, system: str) -> Check | None:
    """Why nothing can move off ``system`` when it is not Operating (the one check its
    partitions would get), or None when it is Operating or unknown to the snapshot."""
    src = index_of(snapshot).frames.get(system)
    if src is None or not src.down:
        return None
    return server.source_failed(src) if src.failed else server.source_operating(src)


def rank_targets(snapshot: FleetSnapshot, partition) -> list[Verdict]:
    """Verdicts for every other frame: all-pass first, then fewest failures, then headroom."""
    idx = index_of(snapshot)
    src, lp = _find(idx, partition)
    return _ranked(idx, src, lp)


def _pair_counts(idx: SnapshotIndex, p: PartitionFacts) -> list[tuple[int, int, int]]:
    """counts_without_name for every frame of the index (in order), shared by the partitions
    with p's signature."""
    key = ("sig", signature(p))
    found = idx.memo.get(key)
    if found is None:
        found = idx.memo[key] = [counts_without_name(p, t) for t in idx.frames.values()]
    return found


def _ranked(idx: SnapshotIndex, src: FrameFacts, lp: Partition) -> list[Verdict]:
    p = partition_facts(idx, src, lp)
    if src.down:
        verdicts = [_short_verdict(idx, p, t) for t in idx.frames.values() if t is not src]
    else:
        own = _partition_group(idx, p)
        f0, w0, u0, name = own.fails, own.warns, own.unknowns, lp.name
        # The hot loop of the fleet matrix: Verdict.__new__ spelled out (one C call per pair).
        verdicts = [
            _new(
                Verdict,
                (
                    p,
                    t,
                    own,
                    groups,
                    True,
                    (fails := f0 + f + pf + (name in t.names and not own_shell(p, t))),
                    (warns := w0 + w + pw),
                    (unknowns := u0 + u + pu),
                    ((fails * _COUNT + unknowns) * _COUNT + warns) * _SHIFT + t.rank_base,
                ),
            )
            for (t, groups, f, w, u), (pf, pw, pu) in zip(
                _targets(idx, src, p.kind), _pair_counts(idx, p), strict=True
            )
            if t is not None
        ]
        verdicts += [_short_verdict(idx, p, t) for t in idx.down if t is not src]
    verdicts.sort(key=_RANK)
    return verdicts


_RANK = itemgetter(8)


def matrix(snapshot: FleetSnapshot) -> dict[tuple[str, int], list[Verdict]]:
    """Every mobile (non-VIOS) partition x every other frame, ranked per partition."""
    idx = index_of(snapshot)
    out: dict[tuple[str, int], list[Verdict]] = {}
    # Hundreds of thousands of small objects, none cyclic: pausing the cyclic collector while
    # they are made keeps it from rescanning them again and again (it is restored after).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for src in idx.frames.values():
            for lp in src.frame.partitions:
                if not lp.is_vios:
                    out[lp.key] = _ranked(idx, src, lp)
    finally:
        if was_enabled:
            gc.enable()
    return out
