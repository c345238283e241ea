"""Verdicts: every rule for one partition and target, the ranked targets, the fleet matrix.

Checks that depend on fewer things are computed once and shared: partition rules once per
partition, frame rules once per (frame, kind), frame-pair rules once per (source, target) (those
that read only the HMCs once per pair of HMCs). The pair statuses are counted per partition
signature (``pair_ranks``); every partition x target only adds packed counts into its verdict's
rank. Their full Checks (reasons with values) are built when a verdict's ``checks`` are first
read.
"""

from __future__ import annotations

import gc
from collections import Counter
from itertools import chain, compress, repeat
from operator import add, itemgetter

import lpmtui.eligibility.rules_console as console
import lpmtui.eligibility.rules_io as io
import lpmtui.eligibility.rules_partition as part
import lpmtui.eligibility.rules_server as server
import lpmtui.eligibility.rules_vios as vios
from lpmtui.eligibility.checks import (
    Check,
    CheckGroup,
)
from lpmtui.eligibility.cold_groups import groups_of
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
from lpmtui.eligibility.pair_ranks import pair_ranks
from lpmtui.eligibility.rules_name import own_shell
from lpmtui.eligibility.rules_pair import counts_without_name
from lpmtui.eligibility.shared import shared
from lpmtui.eligibility.verdict import FAIL_AT, Verdict, packed
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
# The frame-pair rules that read nothing of the two frames but their HMC snapshots: worked out
# once per pair of HMCs (8 HMCs: 64 pairs against 4,032 pairs of 64 frames)
HMC_PAIR_RULES = (console.remote_level, console.remote_trust, console.hmc_fsm)
_FRAMES_ONLY = tuple(r for r in FRAME_PAIR_RULES if r not in HMC_PAIR_RULES)


class EligibilityError(LookupError):
    """A partition or frame the snapshot does not contain."""


def partition_facts(idx: SnapshotIndex, src: FrameFacts, lp: Partition) -> PartitionFacts:
    key = ("lpar", lp.system, lp.lpar_id)
    found = idx.memo.get(key)
    if found is not None:
        return found
    kind, why = mobility_kind(lp.state)
    adapters = has_fc = serving = vlans = None
    if src.cold is not None:
        # Each client storage adapter needs a server adapter (a slot) on a target VIOS.
        by = groups_of(src.cold)
        clients = (*by.scsi_client.get(lp.lpar_id, ()), *by.fc_client.get(lp.lpar_id, ()))
        adapters = len(clients)
        has_fc = bool(by.fc_client.get(lp.lpar_id))
        serving = len({a.remote_lpar_id for a in clients if a.remote_lpar_id is not None})
        vlans = shared(
            frozenset(
                (e.vswitch or DEFAULT_VSWITCH, v)
                for e in by.eth.get(lp.lpar_id, ())
                if not e.is_trunk
                for v in e.vlans
            )
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
    sriov = vnics = None
    if src.frame.cold is not None:
        if src.frame.cold.sriov_ports is not None:
            sriov = sum(1 for x in src.frame.cold.sriov_ports if x.lpar_id == lp.lpar_id)
        if src.frame.cold.vnics is not None:
            vnics = sum(1 for x in src.frame.cold.vnics if x.lpar_id == lp.lpar_id)
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
        sriov,
        vnics,
    )
    idx.memo[key] = facts
    return facts


def _group(idx: SnapshotIndex, key: tuple, build) -> CheckGroup:
    found = idx.memo.get(key)
    if found is None:
        found = idx.memo[key] = CheckGroup(build())
    return found


def _partition_group(idx: SnapshotIndex, p: PartitionFacts) -> CheckGroup:
    """The partition's own checks (its source frame's are in its target sides' groups)."""
    key = ("prules", p.partition.system, p.partition.lpar_id)
    found = idx.memo.get(key)
    if found is None:
        found = idx.memo[key] = CheckGroup([r(p) for r in PARTITION_RULES])
    return found


def _target_side(idx: SnapshotIndex, src: FrameFacts, t: FrameFacts, kind: str | None):
    """((source group, target group, frame-pair group), their fails, warns, unknowns) for a
    move of ``kind`` from src to t."""
    key = ("side", src.name, t.name, kind)
    found = idx.memo.get(key)
    if found is None:
        side = _group(
            idx,
            ("src", src.name, kind),
            lambda: [r(src) for r in SOURCE_RULES] + [r(src, kind) for r in SOURCE_KIND_RULES],
        )
        tgt = _group(
            idx,
            ("tgt", t.name, kind),
            lambda: [r(t) for r in TARGET_RULES] + [r(t, kind) for r in TARGET_KIND_RULES],
        )
        pair = idx.memo.get(key_pair := ("pair", src.name, t.name))
        if pair is None:
            pair = idx.memo[key_pair] = CheckGroup(
                (*(r(src, t) for r in _FRAMES_ONLY), *_hmc_pair(idx, src, t))
            )
        found = idx.memo[key] = (
            (side, tgt, pair),
            side.fails + tgt.fails + pair.fails,
            side.warns + tgt.warns + pair.warns,
            side.unknowns + tgt.unknowns + pair.unknowns,
        )
    return found


def _hmc_pair(idx: SnapshotIndex, src: FrameFacts, t: FrameFacts) -> tuple[Check, ...]:
    """The checks of HMC_PAIR_RULES for src -> t, shared by the frames of the same two HMC
    snapshots (their ids: the index holds the snapshots while it lives)."""
    key = ("hmc pair", id(src.hmc), id(t.hmc))
    found = idx.memo.get(key)
    if found is None:
        found = idx.memo[key] = tuple(r(src, t) for r in HMC_PAIR_RULES)
    return found


_new = tuple.__new__


def _targets(idx: SnapshotIndex, src: FrameFacts, kind: str | None) -> tuple:
    """(targets, their groups, kept, sides) for moves off ``src`` of ``kind``: the frames that
    get a full verdict and their (source, target, frame-pair) groups, in the index's order;
    per frame of the index, whether it is one of them (not the source itself nor a frame that
    is down: they get a short verdict) and what the target side adds to the rank of a move to
    it (its packed counts and the target's headroom rank; 0 where not kept)."""
    key = ("targets", src.name, kind)
    found = idx.memo.get(key)
    if found is None:
        targets, groups, kept, sides = [], [], [], []
        for t in idx.frames.values():
            keep = t is not src and not t.down
            kept.append(keep)
            if keep:
                side, fails, warns, unknowns = _target_side(idx, src, t, kind)
                targets.append(t)
                groups.append(side)
                sides.append(packed(fails, warns, unknowns) + t.rank_base)
            else:
                sides.append(0)
        found = idx.memo[key] = (targets, groups, kept, sides)
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
    was_enabled = gc.isenabled()
    gc.disable()  # a few hundred verdicts, none cyclic (as in matrix)
    try:
        return _ranked(idx, src, lp)
    finally:
        if was_enabled:
            gc.enable()


def _ranked(idx: SnapshotIndex, src: FrameFacts, lp: Partition) -> list[Verdict]:
    p = partition_facts(idx, src, lp)
    if src.down:
        verdicts = [_short_verdict(idx, p, t) for t in idx.frames.values() if t is not src]
    else:
        own = _partition_group(idx, p)
        base = packed(own.fails, own.warns, own.unknowns)
        targets, groups, kept, sides = _targets(idx, src, p.kind)
        based = idx.memo.get(key := ("based", src.name, p.kind, base))
        if based is None:  # few partitions of a frame and kind differ in their own counts
            based = idx.memo[key] = [side + base for side in sides]
        # The hot loop of the fleet matrix, run in C: each rank is what the partition, the
        # target side and the pair rules add; zip makes each verdict's fields, and
        # tuple.__new__ (Verdict.__new__ spelled out) makes them a Verdict.
        ranks = compress(map(add, based, pair_ranks(idx, p)), kept)
        n = len(targets)
        fields = zip(
            repeat(p, n), targets, repeat(own, n), groups, repeat(True, n), ranks, strict=True
        )
        verdicts = list(map(_new, repeat(Verdict), fields))
        if _name_count(idx)[lp.name] > 1:  # a partition of its name on another frame
            verdicts = [_named(p, v) for v in verdicts]
        verdicts += [_short_verdict(idx, p, t) for t in idx.down if t is not src]
    verdicts.sort(key=_RANK)
    return verdicts


def _name_count(idx: SnapshotIndex) -> Counter:
    """Partition name -> how many frames of the index have a partition of that name."""
    found = idx.memo.get(("names",))
    if found is None:
        found = idx.memo[("names",)] = Counter(
            chain.from_iterable(t.names for t in idx.frames.values())
        )
    return found


def _named(p: PartitionFacts, v: Verdict) -> Verdict:
    """``v`` with lpar.name_unique's failure counted when its target has a partition of p's
    name that is not p's own destination."""
    t = v[1]
    if p.partition.name not in t.names or own_shell(p, t):
        return v
    return _new(Verdict, (*v[:5], v[5] + FAIL_AT))


_RANK = itemgetter(5)


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
