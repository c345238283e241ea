"""Partition prerequisites that depend on the partition and its own frame only."""

from __future__ import annotations

import lpmtui.eligibility.levels as levels
from lpmtui.eligibility.catalogue import check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check
from lpmtui.eligibility.cold_groups import groups_of
from lpmtui.eligibility.index import PartitionFacts
from lpmtui.eligibility.kind import ACTIVE, INACTIVE
from lpmtui.hmc import commands, vocabulary


def _not_printed(p: PartitionFacts, resource: vocabulary.Resource, name: str) -> str:
    """The console's level when its captures show no ``name`` attribute ("" otherwise)."""
    v = p.frame.hmc.version
    known = vocabulary.evidenced(v.version, v.release, resource) if v is not None else None
    return f"V{v.version}R{v.release}" if v is not None and known and name not in known else ""


def state(p: PartitionFacts) -> Check:
    if p.kind is None:
        status = UNKNOWN if not p.partition.state else FAIL
        fix = None
        if p.partition.state.startswith("Migrating"):
            fix = "Wait for the running migration to end, or stop it (migrlpar -o s)."
        return check("lpar.state", status, p.kind_reason, fix=fix)
    return check("lpar.state", PASS, p.kind_reason)


def migration_disabled(p: PartitionFacts) -> Check:
    value = p.partition.migration_disabled
    level = _not_printed(p, "lpar", "migration_disabled")
    if value is None and level:
        # a level whose captures show no CLI attribute, while REST has MigrationDisable
        # (real-hmc-facts §3, §6): no listing can tell, like an open console
        return check(
            "lpar.migration_disabled",
            UNKNOWN,
            f"not printed at {level} (no CLI attribute evidenced; REST has MigrationDisable): "
            "the HMC's validation is the judge",
        )._replace(blind=True)
    if value is None:
        return check(
            "lpar.migration_disabled",
            PASS,
            "migration_disabled not reported: HMC "
            "levels without the attribute have no such setting",
        )
    if value:
        return check("lpar.migration_disabled", FAIL, "migration_disabled=1")
    return check("lpar.migration_disabled", PASS, "migration_disabled=0")


def os_level(p: PartitionFacts) -> Check:
    lp = p.partition
    if lp.is_vios:
        return check("lpar.os_level", PASS, "a VIOS (see lpar.type)")
    ok, label = levels.os_level_ok(lp.os_version)
    if ok is None and p.kind == INACTIVE:
        return check(
            "lpar.os_level",
            PASS,
            f"{label}: an inactive move does not need the OS (it is not running)",
        )
    if ok is None:
        return check("lpar.os_level", UNKNOWN, f"{label} (os_version={lp.os_version!r})")
    if ok:
        return check("lpar.os_level", PASS, f"{label} supports LPM")
    return check("lpar.os_level", FAIL, f"{label} is below the LPM minimum")


def activated_once(p: PartitionFacts) -> Check:
    lp = p.partition
    if lp.state and lp.state != "Not Activated":
        return check("lpar.activated_once", PASS, f"it is {lp.state}")
    if lp.resource_config is None:
        return check("lpar.activated_once", UNKNOWN, "resource_config not reported")
    if lp.resource_config:
        return check("lpar.activated_once", PASS, "activated before (resource_config=1)")
    return check("lpar.activated_once", FAIL, "never activated (resource_config=0)")


def not_service(p: PartitionFacts) -> Check:
    svc = p.frame.system.service_lpar_id
    lp = p.partition
    if svc is None:
        return check(
            "lpar.not_service",
            PASS,
            f"{p.frame.name} has no service partition (service_lpar_id=none)",
        )
    if svc == lp.lpar_id:
        return check(
            "lpar.not_service",
            FAIL,
            f"{lp.name} (id {lp.lpar_id}) is the service partition of {p.frame.name}",
        )
    return check("lpar.not_service", PASS, f"the service partition is id {svc}, not {lp.lpar_id}")


def rmc(p: PartitionFacts) -> Check:
    lp = p.partition
    if p.kind != ACTIVE:
        return check(
            "lpar.rmc",
            PASS,
            f"{p.kind or 'no'} move: RMC to the partition is only needed for an active move",
        )
    if not lp.rmc_state:
        return check("lpar.rmc", UNKNOWN, "rmc_state not reported")
    if lp.rmc_active:
        return check("lpar.rmc", PASS, f"RMC active ({lp.rmc_ipaddr or 'no address shown'})")
    return check("lpar.rmc", FAIL, f"RMC is {lp.rmc_state} (HSCLA246 on validation)")


def console(p: PartitionFacts) -> Check:
    return check(
        "lpar.console",
        UNKNOWN,
        "no HMC command lists open virtual terminals, so an open console cannot be "
        "seen; closing it first is harmless",
        fix="Close any console first: "
        + commands.close_terminal(p.frame.name, p.partition.lpar_id).line,
    )


def _active_only(rule_id: str, p: PartitionFacts, present: bool | None, what: str) -> Check:
    if present is None:
        return check(rule_id, UNKNOWN, f"{what}: not reported")
    if not present:
        return check(rule_id, PASS, f"{what}: none")
    if p.kind == INACTIVE:
        return check(rule_id, WARN, f"{what}: in use, allowed for an inactive move only")
    return check(rule_id, FAIL, f"{what}: in use, blocks an active move (inactive would work)")


def _profiles(p: PartitionFacts):
    if p.frame.cold is None:
        return None
    return groups_of(p.frame.cold).profiles.get(p.partition.lpar_id, [])


def huge_pages(p: PartitionFacts) -> Check:
    lp = p.partition
    counts = [lp.curr_num_huge_pages] if lp.curr_num_huge_pages is not None else []
    profiles = _profiles(p)
    counts += [
        pr.desired_num_huge_pages for pr in profiles or () if pr.desired_num_huge_pages is not None
    ]
    present = None if not counts else any(c > 0 for c in counts)
    what = f"huge pages {max(counts)}" if counts else "huge pages"
    return _active_only("lpar.huge_pages", p, present, what)


def bsr(p: PartitionFacts) -> Check:
    profiles = _profiles(p)
    if profiles is None:
        return _active_only("lpar.bsr", p, None, "BSR arrays (profiles not fetched yet)")
    arrays = [pr.bsr_arrays for pr in profiles if pr.bsr_arrays is not None]
    level = _not_printed(p, "prof", "bsr_arrays")
    if not arrays and level:
        # the full profile record of these levels has no BSR setting (cli-prof-all.txt)
        return check("lpar.bsr", PASS, f"{level} profiles have no bsr_arrays setting")
    if not arrays:
        return _active_only("lpar.bsr", p, None, "BSR arrays (no profile reports bsr_arrays)")
    return _active_only("lpar.bsr", p, max(arrays) > 0, f"BSR arrays {max(arrays)}")


def redundant_error_path(p: PartitionFacts) -> Check:
    value = p.partition.redundant_err_path_reporting
    return _active_only("lpar.redundant_error_path", p, value, "redundant error path reporting")
