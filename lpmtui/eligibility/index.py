"""Per-snapshot indexes, built once so that each rule is a few dictionary look-ups.

FrameFacts holds what the rules need about one frame (its partitions, VIOSes, bridged VLANs,
free VIOS slots; its adapters by partition when a rule asks, cold_groups); PartitionFacts what
they need about one mobile partition. index_of(snapshot) reuses the index of the last snapshot
it was given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, CheckStatus
from lpmtui.eligibility.cold_groups import ColdGroups, groups_of
from lpmtui.eligibility.levels import vios_level_ok
from lpmtui.model import (
    ColdData,
    FleetSnapshot,
    FrameSnapshot,
    HmcSnapshot,
    ManagedSystem,
    Partition,
    Profile,
)

DEFAULT_VSWITCH = "ETHERNET0"

# Frame states that mean the frame has failed (LPM is not disaster recovery).
FAILED_FRAME_PREFIXES = ("Error", "Power Off", "Incomplete")


def frame_failed(state: str) -> bool:
    return state.startswith(FAILED_FRAME_PREFIXES)


# The two virtual serial adapters (slots 0 and 1) every partition has for the HMC console.
CONSOLE_SLOTS = frozenset({0, 1})


@dataclass(slots=True, eq=False)
class ColdFacts:
    """The cold data of one frame: what target frames are judged by, worked out once; what
    only its own partitions' rules read, by partition, is ``groups_of(cold_facts)``."""

    data: ColdData
    bridged: dict[str, frozenset[int]]  # vswitch -> VLANs a VIOS trunk adapter bridges
    vios_free_slots: dict[int, int]  # VIOS lpar id -> free virtual slots
    serving_fc: frozenset[int]  # VIOS lpar ids with a vFC server adapter
    bridged_pairs: frozenset[tuple[str, int]] = frozenset()  # (vswitch, VLAN) bridged
    groups: ColdGroups | None = None  # held by cold_groups for the last frames asked about

    @classmethod
    def build(
        cls, cold: ColdData, vios_ids: frozenset[int], running_vios: frozenset[int]
    ) -> ColdFacts:
        bridged: dict[str, set[int]] = defaultdict(set)
        for e in cold.eth:
            if e.is_trunk and e.lpar_id in running_vios:  # a SEA bridges only while running
                bridged[e.vswitch or DEFAULT_VSWITCH].update(e.vlans)
        # Free slots of a VIOS: its maximum less the slots its adapters (and the console
        # serial adapters) occupy.
        used: dict[int, set[int]] = defaultdict(lambda: set(CONSOLE_SLOTS))
        for a in (*cold.scsi, *cold.fc, *cold.eth):
            if a.lpar_id in vios_ids:
                used[a.lpar_id].add(a.slot_num)
        free = {
            s.lpar_id: max(0, s.curr_max_virtual_slots - len(used[s.lpar_id]))
            for s in cold.slots
            if s.lpar_id in vios_ids
        }
        return cls(
            cold,
            {k: frozenset(v) for k, v in bridged.items()},
            free,
            frozenset(a.lpar_id for a in cold.fc if a.adapter_type != "client"),
            frozenset((vs, vlan) for vs, vlans in bridged.items() for vlan in vlans),
        )


@dataclass(slots=True, eq=False)
class FrameFacts:
    hmc: HmcSnapshot
    frame: FrameSnapshot
    system: ManagedSystem
    by_id: dict[int, Partition]
    names: frozenset[str]
    vioses: tuple[Partition, ...]
    cold: ColdFacts | None
    failed: bool  # Error, Power Off, Incomplete: nothing can move off it
    down: bool  # any reported state other than Operating
    running_vioses: tuple[Partition, ...]  # the VIOSes that can host adapters now
    free_vios_slots: int | None  # free virtual slots over the running VIOSes (cold data)
    # Running VIOSes that can host virtual FC: an NPIV-capable port on an NPIV fabric
    # (lsnports), or already serving vFC (None: cold data not fetched).
    npiv_vioses: tuple[Partition, ...] | None
    # (VIOS, supports LPM?, level read) of the running VIOSes: the MSPs and the others
    msp_levels: tuple
    other_levels: tuple
    name: str = ""
    generation: int | None = None  # POWER generation, from the compatibility modes
    pool_names: frozenset[str] | None = None  # its shared processor pools (None: not listed)
    npiv_known: bool = False  # lsnports answered for every running VIOS
    rank: int = 0  # position among all frames by free memory, then processors, then name
    rank_base: int = 0  # rank, with frames that are down after every frame that is up
    # levels_status of the MSPs, and of every running VIOS: what vios.level.target needs for
    # each of a quarter million pairs, worked out once per frame
    msp_levels_status: CheckStatus = PASS
    all_levels_status: CheckStatus = PASS
    # Partition name -> destination frame, for its partitions migrating now (lslparmigr)
    migrating_to: dict[str, str] = field(default_factory=dict)
    # free SR-IOV Ethernet logical ports over its physical ports (None: not listed)
    sriov_free: int | None = None

    @classmethod
    def build(cls, hmc: HmcSnapshot, frame: FrameSnapshot) -> FrameFacts:
        by_id = {p.lpar_id: p for p in frame.partitions}
        vioses = tuple(p for p in frame.partitions if p.is_vios)
        running = tuple(v for v in vioses if v.state == "Running")
        cold = free = npiv = None
        npiv_known = False
        if frame.cold is not None:
            cold = ColdFacts.build(
                frame.cold,
                frozenset(v.lpar_id for v in vioses),
                frozenset(v.lpar_id for v in running),
            )
            free = sum(cold.vios_free_slots.get(v.lpar_id, 0) for v in running)
            ported = {x.vios_name for x in frame.cold.npiv_ports if x.usable}
            npiv = tuple(v for v in running if v.lpar_id in cold.serving_fc or v.name in ported)
            listed = set(frame.cold.npiv_listed)
            npiv_known = all(v.name in listed for v in running)
        msps = tuple((v, *vios_level_ok(v.os_version)) for v in running if v.msp)
        others = tuple((v, *vios_level_ok(v.os_version)) for v in running if not v.msp)
        return cls(
            hmc,
            frame,
            frame.system,
            by_id,
            frozenset(p.name for p in frame.partitions),
            vioses,
            cold,
            frame_failed(frame.system.state),
            bool(frame.system.state) and not frame.system.operating,
            running,
            free,
            npiv,
            msps,
            others,
            frame.system.name,
            frame.system.processor_generation,
            _pool_names(frame.cold),
            npiv_known,
            msp_levels_status=levels_status(msps),
            all_levels_status=levels_status((*msps, *others)),
            migrating_to={m.name: m.dest_sys_name for m in frame.migrations if m.migrating},
            sriov_free=_sriov_free(frame.cold),
        )


def _sriov_free(cold: ColdData | None) -> int | None:
    if cold is None or cold.sriov_physports is None:
        return None
    free = [p.free_logical_ports for p in cold.sriov_physports]
    return None if None in free else sum(f for f in free if f is not None and f > 0)


def levels_status(found) -> CheckStatus:
    """Fail when a VIOS of ``found`` ((VIOS, supports LPM?, level read) each) is at a level
    without LPM, else unknown when a level could not be read, else pass (also for none)."""
    if any(ok is False for _, ok, _ in found):
        return FAIL
    if any(ok is None for _, ok, _ in found):
        return UNKNOWN
    return PASS


def _pool_names(cold: ColdData | None) -> frozenset[str] | None:
    if cold is None or cold.proc_pools is None:
        return None
    return frozenset(pool.name for pool in cold.proc_pools)


DEFAULT_POOL = "DefaultPool"


def pool_needed(src: FrameFacts, lp: Partition) -> str | None:
    """The shared pool name ``lp`` needs on a target: "" when none (dedicated processors or
    the default pool, which every frame has), None when not reported. A pool reported only by
    id is named from the source frame's pool list."""
    if lp.proc_mode == "ded":
        return ""
    pool_id, name = lp.curr_shared_proc_pool_id, lp.curr_shared_proc_pool_name
    if pool_id == 0 or name == DEFAULT_POOL:
        return ""
    if not name and pool_id is not None and src.frame.cold is not None:
        pools = src.frame.cold.proc_pools or ()
        name = next((x.name for x in pools if x.pool_id == pool_id), "")
    return name or None


def activation_profile(src: FrameFacts, lp: Partition) -> Profile | None:
    """The profile a not-activated partition would start with: its current profile (the one
    last used), else its default one; None while the frame's profiles are not fetched."""
    if src.cold is None:
        return None
    found = {pr.name: pr for pr in groups_of(src.cold).profiles.get(lp.lpar_id, ())}
    return found.get(lp.curr_profile) or found.get(lp.default_profile)


def profile_need(profile: Profile) -> tuple[int | None, float | None]:
    """(MB, processor units or dedicated processors) the profile asks for when activated."""
    if profile.proc_mode == "ded":
        procs = profile.desired_procs
        return profile.desired_mem, float(procs) if procs is not None else None
    return profile.desired_mem, profile.desired_proc_units


@dataclass(slots=True, eq=False)
class PartitionFacts:
    """What the pair rules need about one partition, computed once per partition."""

    partition: Partition
    frame: FrameFacts
    kind: str | None
    kind_reason: str
    mem_need: int | None
    proc_need: float | None
    adapters: int | None  # its vSCSI + vFC adapters: slots needed on the target VIOSes
    has_fc: bool | None
    serving_vios: int | None  # distinct partitions at the other end of its storage adapters
    vlans: frozenset[tuple[str, int]] | None  # (vswitch, VLAN) of its virtual Ethernet
    compat_mode: str
    # The shared pool it must find on the target by name: "" for none needed (dedicated
    # processors, DefaultPool), None when not reported.
    pool: str | None = ""
    # SR-IOV logical ports it owns, vNIC adapters it has (None: not listed)
    sriov: int | None = None
    vnics: int | None = None


@dataclass(slots=True, eq=False)
class SnapshotIndex:
    snapshot: FleetSnapshot
    frames: dict[str, FrameFacts]
    hmcs: dict[str, HmcSnapshot]
    down: tuple[FrameFacts, ...] = ()  # frames not Operating
    memo: dict = field(default_factory=dict)

    @classmethod
    def build(cls, snapshot: FleetSnapshot, reuse=None) -> SnapshotIndex:
        """``reuse(hmc, frame)`` may return the FrameFacts of an earlier index whose inputs are
        unchanged (None: build them)."""
        frames, hmcs = {}, {}
        for h in snapshot.hmcs:
            hmcs[h.hmc] = h
            for f in h.frames:
                found = reuse(h, f) if reuse is not None else None
                frames[f.system.name] = found if found is not None else FrameFacts.build(h, f)
        by_room = sorted(
            frames.values(),
            key=lambda f: (
                -(f.system.mem_available or 0),
                -(f.system.proc_units_available or 0.0),
                f.name,
            ),
        )
        for rank, f in enumerate(by_room):
            f.rank = rank
            f.rank_base = (f.down << 40) + rank  # above any packed (fails, unknowns, warns)
        return cls(snapshot, frames, hmcs, tuple(f for f in frames.values() if f.down))


_last: list[SnapshotIndex] = []


def index_of(snapshot: FleetSnapshot) -> SnapshotIndex:
    """The index of ``snapshot``, reused while the same snapshot object is asked about."""
    if _last and _last[0].snapshot is snapshot:
        return _last[0]
    idx = SnapshotIndex.build(snapshot)
    _last[:] = [idx]
    return idx


def is_indexed(snapshot: FleetSnapshot) -> bool:
    """Whether ``index_of(snapshot)`` answers without building."""
    return bool(_last) and _last[0].snapshot is snapshot


def remember(idx: SnapshotIndex) -> None:
    """Make ``idx`` the index ``index_of`` answers for its snapshot (one built elsewhere, e.g.
    with reused frames by the incremental judge)."""
    _last[:] = [idx]
