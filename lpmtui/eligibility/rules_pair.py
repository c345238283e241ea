"""Rules that depend on both the partition and the target frame.

These run for every partition x target pair of the fleet matrix, so each is split in two: a
cheap ``status(p, t)`` the matrix calls for every pair, and ``explain(p, t)`` that builds the
full Check (reason with values) only when someone looks; explain always uses status, so the
two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lpmtui.eligibility.catalogue import check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check, CheckStatus
from lpmtui.eligibility.index import (
    DEFAULT_VSWITCH,
    FrameFacts,
    PartitionFacts,
    activation_profile,
)
from lpmtui.eligibility.kind import INACTIVE
from lpmtui.eligibility.rules_name import name_reason, name_status
from lpmtui.eligibility.rules_sriov import sriov_reason, sriov_status, vnic_reason, vnic_status
from lpmtui.eligibility.rules_vios import level_text

_AIXLINUX, _OS400, _VIOS = "aixlinux", "os400", "vioserver"  # lpar_env values


@dataclass(frozen=True, slots=True)
class PairRule:
    rule_id: str
    status: Callable[[PartitionFacts, FrameFacts], CheckStatus]
    reason: Callable[[PartitionFacts, FrameFacts, CheckStatus], str]

    def explain(self, p: PartitionFacts, t: FrameFacts) -> Check:
        status = self.status(p, t)
        return check(self.rule_id, status, self.reason(p, t, status))


# -- lpar.type ----------------------------------------------------------------------------------


def type_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    env = p.partition.lpar_env
    if env == _AIXLINUX:
        return PASS
    if env == _OS400:
        flags = (p.frame.system.ibmi_mobility_capable, t.system.ibmi_mobility_capable)
        if False in flags:
            return FAIL
        return UNKNOWN if None in flags else PASS
    return UNKNOWN if not env else FAIL


def type_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    env = p.partition.lpar_env
    if env == _VIOS:
        return "a Virtual I/O Server cannot migrate"
    if env == _OS400:
        flags = (
            f"{p.frame.name} {p.frame.system.ibmi_mobility_capable}, "
            f"{t.name} {t.system.ibmi_mobility_capable}"
        )
        return f"IBM i: both frames must be IBM i mobility capable ({flags})"
    if not env:
        return "lpar_env not reported"
    return "AIX or Linux" if status is PASS else f"lpar_env {env} cannot migrate"


# -- server.memory / server.processors ----------------------------------------------------------


def memory_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    avail = t.system.mem_available
    if p.mem_need is None or avail is None:
        return UNKNOWN
    return PASS if p.mem_need <= avail else FAIL


def _gb(mb: int | None) -> str:
    if mb is None:
        return "an unknown amount of"
    return f"{mb / 1024:g} GB" if mb % 1024 == 0 else f"{mb} MB"


def _need_source(p: PartitionFacts, what: str) -> str:
    """How the partition's need was found: running partitions by what they hold, inactive
    ones by the profile they would start with."""
    if p.kind != INACTIVE:
        return ""
    if p.frame.cold is None:
        return (
            f"; a not-activated partition holds no {what} and its profiles are not "
            "fetched yet (cold data)"
        )
    profile = activation_profile(p.frame, p.partition)
    if profile is None:
        lp = p.partition
        names = " or ".join(n for n in (lp.curr_profile, lp.default_profile) if n)
        return (
            f"; a not-activated partition holds no {what} and its profile "
            f"{names or '(none named)'} is not listed by lssyscfg -r prof"
        )
    return f" (desired {what} of profile {profile.name}: a not-activated partition holds none)"


def memory_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    return (
        f"target {t.name} has {_gb(t.system.mem_available)} free, partition needs "
        f"{_gb(p.mem_need)}{_need_source(p, 'memory')}"
    )


def processors_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    avail = t.system.proc_units_available
    if p.proc_need is None or avail is None:
        return UNKNOWN
    return PASS if p.proc_need <= avail + 1e-9 else FAIL


def processors_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    avail = t.system.proc_units_available
    mode = p.partition.proc_mode
    if p.kind == INACTIVE:
        profile = activation_profile(p.frame, p.partition)
        mode = profile.proc_mode if profile else mode
    what = "dedicated processors" if mode == "ded" else "processor units"
    return (
        f"target {t.name} has {'unknown' if avail is None else f'{avail:g}'} processor "
        f"units free, partition needs {'unknown' if p.proc_need is None else f'{p.proc_need:g}'}"
        f" {what}{_need_source(p, 'processors')}"
    )


# -- server.virtual_slots -----------------------------------------------------------------------


def slots_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    if p.adapters is None or t.free_vios_slots is None:
        return UNKNOWN
    if p.adapters == 0:
        return PASS
    if not t.running_vioses:
        return UNKNOWN
    return PASS if p.adapters <= t.free_vios_slots else FAIL


def slots_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    if p.adapters is None or t.free_vios_slots is None:
        return "adapter or slot data not fetched yet (cold data)"
    if p.adapters and not t.running_vioses:
        return f"no running VIOS on {t.name} to count slots on (see lpar.storage_target)"
    return (
        f"target VIOSes on {t.name} have {t.free_vios_slots} free virtual slots, "
        f"partition needs {p.adapters} server adapters"
    )


# -- lpar.vlans_target --------------------------------------------------------------------------


def vlans_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    if p.vlans is None or t.cold is None:
        return UNKNOWN
    return PASS if p.vlans <= t.cold.bridged_pairs else FAIL


def vlans_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    if p.vlans is None or t.cold is None:
        return "Ethernet adapter data not fetched yet (cold data)"
    if not p.vlans:
        return "no virtual Ethernet adapters"
    missing = sorted(v for v in p.vlans if v[1] not in t.cold.bridged.get(v[0], ()))
    shown = ", ".join(
        f"{vlan}" if vs == DEFAULT_VSWITCH else f"{vs}:{vlan}"
        for vs, vlan in (missing or sorted(p.vlans))
    )
    if missing:
        return f"VLAN {shown} not bridged by a SEA on {t.name}"
    return f"VLAN {shown} bridged by a SEA on {t.name}"


# -- vios.level.target -------------------------------------------------------------------------


def _target_vioses(p: PartitionFacts, t: FrameFacts):
    """The target VIOSes the move may use: its running MSPs (not for an inactive move) and,
    when the partition has storage adapters, the running VIOSes that would host them."""
    if p.adapters:
        return (*t.msp_levels, *t.other_levels)
    return () if p.kind == INACTIVE else t.msp_levels


def vios_level_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    """As level_status(_target_vioses(p, t)), from the statuses the frame worked out once."""
    if p.adapters is None:
        return UNKNOWN
    if p.adapters:
        return t.all_levels_status
    return PASS if p.kind == INACTIVE else t.msp_levels_status


def vios_level_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    if p.adapters is None:
        return "adapter data not fetched yet (cold data)"
    found = _target_vioses(p, t)
    if not found:
        return f"no VIOS on {t.name} takes part (no running MSP used, no storage to host)"
    return level_text(t, found)


# -- lpar.proc_compat ---------------------------------------------------------------------------


def compat_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    mode = p.compat_mode
    if not mode:
        return UNKNOWN
    if mode == "default":
        return PASS
    modes = t.system.proc_compat_modes
    if not modes:
        return UNKNOWN
    return PASS if mode in modes else FAIL


def compat_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    mode = p.compat_mode or "not reported"
    modes = ", ".join(t.system.proc_compat_modes) or "not reported"
    if p.compat_mode == "default":
        return f"mode default: the target picks its own mode ({t.name} supports {modes})"
    verb = "supports" if status is PASS else "does not support" if status is FAIL else "?"
    return f"partition mode {mode}; {t.name} {verb} it (modes: {modes})"


# -- lpar.storage_target ------------------------------------------------------------------------


def storage_target_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    if p.adapters is None:
        return UNKNOWN
    if p.adapters == 0:
        return PASS
    running = len(t.running_vioses)
    if running == 0:
        return FAIL
    if p.has_fc and not t.npiv_vioses:
        return FAIL if t.npiv_known else UNKNOWN
    return WARN if running < (p.serving_vios or 0) else PASS


def storage_target_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    if p.adapters is None:
        return "adapter data not fetched yet (cold data)"
    if p.adapters == 0:
        return "no virtual storage adapters to host"
    names = ", ".join(v.name for v in t.running_vioses) or "none"
    text = (
        f"{p.adapters} storage adapters served by {p.serving_vios} VIOS on the source; "
        f"running VIOS on {t.name}: {names}"
    )
    if status is UNKNOWN:
        text += (
            "; none of them serves virtual FC yet and lsnports has not answered for all "
            "of them, so whether they can host its vFC adapters cannot be seen (HSCLA319 if not)"
        )
    if status is WARN:
        text += " (VIOS redundancy would be lost)"
    if status is FAIL and p.has_fc and t.running_vioses:
        text += (
            "; none has an NPIV-capable port on an NPIV fabric (lsnports), so its virtual "
            "FC adapters cannot be hosted (HSCLA319 on validation)"
        )
    elif status is FAIL and p.has_fc:
        text += " (HSCLA319 on validation)"
    return text


# -- server.proc_pool ---------------------------------------------------------------------------


def pool_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    if p.pool == "":
        return PASS
    if p.pool is None or t.pool_names is None:
        return UNKNOWN
    return PASS if p.pool in t.pool_names else FAIL


def pool_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    lp = p.partition
    if p.pool == "":
        if lp.proc_mode == "ded":
            return "dedicated processors: no shared pool"
        return "the default shared pool exists on every frame"
    if p.pool is None:
        return "shared processor pool not reported"
    if t.pool_names is None:
        return (
            f"uses shared pool {p.pool}; {t.name}'s pools are not listed yet (cold data: "
            "lshwres -r procpool)"
        )
    pools = ", ".join(sorted(t.pool_names)) or "none"
    verb = "has" if status is PASS else "has no pool named"
    return f"uses shared pool {p.pool}; {t.name} {verb} {p.pool} (pools: {pools})"


PAIR_RULES: tuple[PairRule, ...] = (
    PairRule("lpar.type", type_status, type_reason),
    PairRule("server.memory", memory_status, memory_reason),
    PairRule("server.processors", processors_status, processors_reason),
    PairRule("server.virtual_slots", slots_status, slots_reason),
    PairRule("lpar.name_unique", name_status, name_reason),
    PairRule("lpar.vlans_target", vlans_status, vlans_reason),
    PairRule("vios.level.target", vios_level_status, vios_level_reason),
    PairRule("lpar.proc_compat", compat_status, compat_reason),
    PairRule("lpar.storage_target", storage_target_status, storage_target_reason),
    PairRule("server.proc_pool", pool_status, pool_reason),
    PairRule("lpar.sriov", sriov_status, sriov_reason),
    PairRule("lpar.vnic_target", vnic_status, vnic_reason),
)


def signature(p: PartitionFacts) -> tuple:
    """Everything the status functions above read about the partition, except its name.

    Partitions with equal signatures get equal statuses on every target, so the matrix computes
    them once per signature. A status function that reads a new partition field must add it
    here (tests/eligibility/test_matrix.py checks the two agree on a varied fleet), and one that
    reads a new target field to ``pair_counts.target_signature``.
    """
    env = p.partition.lpar_env
    ibmi = p.frame.system.ibmi_mobility_capable if env == _OS400 else None
    return (
        env,
        ibmi,
        p.kind,
        p.mem_need,
        p.proc_need,
        p.adapters,
        p.has_fc,
        p.vlans,
        p.compat_mode,
        p.serving_vios,
        p.pool,
        p.sriov,
        p.vnics,
        p.frame.system.sriov_migration_capable if p.sriov else None,
    )


def statuses(p: PartitionFacts, t: FrameFacts) -> tuple[CheckStatus, ...]:
    """The statuses of PAIR_RULES, in order, spelled out (this runs in the matrix's inner loop)."""
    return (
        type_status(p, t),
        memory_status(p, t),
        processors_status(p, t),
        slots_status(p, t),
        name_status(p, t),
        vlans_status(p, t),
        vios_level_status(p, t),
        compat_status(p, t),
        storage_target_status(p, t),
        pool_status(p, t),
        sriov_status(p, t),
        vnic_status(p, t),
    )


def rest_statuses(p: PartitionFacts, t: FrameFacts) -> tuple:
    """The statuses of every pair rule but lpar.name_unique, memory and processors (the
    matrix counts those apart: pair_ranks)."""
    return (
        type_status(p, t),
        slots_status(p, t),
        vlans_status(p, t),
        vios_level_status(p, t),
        compat_status(p, t),
        storage_target_status(p, t),
        pool_status(p, t),
        sriov_status(p, t),
        vnic_status(p, t),
    )


def counts_without_name(p: PartitionFacts, t: FrameFacts) -> tuple[int, int, int]:
    """(fails, warns, unknowns) of every pair rule but lpar.name_unique (see signature)."""
    found = (*rest_statuses(p, t), memory_status(p, t), processors_status(p, t))
    return found.count(FAIL), found.count(WARN), found.count(UNKNOWN)
