"""Every rule: its id, title, the seed article's words, the HMC data it reads, and the fix.

The order here is the order checks are shown in.
"""

from __future__ import annotations

from dataclasses import dataclass

from lpmtui.eligibility.checks import Check, CheckStatus


@dataclass(frozen=True, slots=True)
class RuleInfo:
    rule_id: str
    title: str
    seed: str
    source: str
    fix: str
    blind: bool = False


_SYS = "lssyscfg -r sys"
_LPAR = "lssyscfg -r lpar -m SYS"
_PROF = "lssyscfg -r prof -m SYS"
_MIGR_SYS = "lslparmigr -r sys -m SYS"
_SCSI_FC = "lshwres -r virtualio --rsubtype scsi|fc --level lpar -m SYS"
_ETH = "lshwres -r virtualio --rsubtype eth --level lpar -m SYS"

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "server.source_failed",
        "Source frame has not failed",
        "LPM isn't disaster recovery ... partitions can't be moved from failed machines.",
        f"{_SYS} -F name,state",
        "Recover the frame, or restart its partitions elsewhere (remote restart / PowerHA).",
    ),
    RuleInfo(
        "server.source_operating",
        "Source frame Operating",
        "partitions can't be moved from failed machines.",
        f"{_SYS} -F name,state",
        "Bring the source frame to Operating (power on, reconnect or re-authenticate it).",
    ),
    RuleInfo(
        "server.target_operating",
        "Target frame Operating",
        "the servers must be compatible.",
        f"{_SYS} -F name,state",
        "Bring the target frame to Operating, or choose another target.",
    ),
    RuleInfo(
        "server.power6",
        "POWER6 or later on both frames",
        "Both the source and target need to be POWER6 or above",
        f"{_SYS} -F lpar_proc_compat_modes",
        "Choose frames of POWER6 or later.",
    ),
    RuleInfo(
        "server.capable.source",
        "Source frame mobility capable (PowerVM Enterprise)",
        "PowerVM Enterprise Edition must be installed on both servers.",
        f"{_SYS} -F active_lpar_mobility_capable,inactive_lpar_mobility_capable",
        "Enter the PowerVM Enterprise Edition activation code on the source frame.",
    ),
    RuleInfo(
        "server.capable.target",
        "Target frame mobility capable (PowerVM Enterprise)",
        "PowerVM Enterprise Edition must be installed on both servers.",
        f"{_SYS} -F active_lpar_mobility_capable,inactive_lpar_mobility_capable",
        "Enter the PowerVM Enterprise Edition activation code on the target frame.",
    ),
    RuleInfo(
        "server.firmware",
        "Firmware levels compatible",
        "There are also minimum firmware requirements.",
        "lslic -t sys -m SYS",
        "Update the older frame's firmware to a level the other supports for LPM.",
    ),
    RuleInfo(
        "server.memory",
        "Enough available memory on the target",
        "the target server must have sufficient available memory",
        "lshwres -r mem --level sys -m TARGET; lshwres -r mem --level lpar -m SOURCE "
        "(not activated: lssyscfg -r prof -m SOURCE -F desired_mem)",
        "Free memory on the target (shrink or stop partitions) or choose another target.",
    ),
    RuleInfo(
        "server.processors",
        "Enough available processors on the target",
        "the target server must have sufficient available ... CPU",
        "lshwres -r proc --level sys -m TARGET; lshwres -r proc --level lpar -m SOURCE "
        "(not activated: lssyscfg -r prof -m SOURCE -F proc_mode,desired_proc_units,"
        "desired_procs)",
        "Free processor units on the target or choose another target.",
    ),
    RuleInfo(
        "server.virtual_slots",
        "Enough virtual adapter slots on the target VIOS",
        "the target server must have sufficient ... virtual adapter slots",
        "lshwres -r virtualio --rsubtype slot --level lpar -m TARGET; " + _SCSI_FC,
        "Raise max virtual slots on a target VIOS profile (needs a VIOS restart).",
    ),
    RuleInfo(
        "server.proc_pool",
        "Shared processor pool exists on the target",
        "(not in the article: the HMC moves a partition into the same-named shared pool)",
        "lshwres -r proc --level lpar -m SYS -F curr_shared_proc_pool_id,"
        "curr_shared_proc_pool_name; lshwres -r procpool -m TARGET -F shared_proc_pool_id,name",
        "Create the pool on the target (chhwres -r procpool) or name another with "
        "migrlpar -i shared_proc_pool_name=POOL.",
    ),
    RuleInfo(
        "server.lmb",
        "Same memory region (LMB) size",
        "the logical memory block (LMB) or memory region size for the servers must be the same.",
        "lshwres -r mem --level sys -m SYS -F mem_region_size",
        "Set pend_mem_region_size on one frame (chhwres -r mem -o s) and power-cycle it.",
    ),
    RuleInfo(
        "console.managed",
        "Frames managed by an HMC",
        "LPM servers need to be managed by a management console. ... IVM can be used to manage "
        "POWER blades only. FSM can be used to manage Flex servers only.",
        "configuration (console kind)",
        "Manage both frames from HMCs (an HMC can manage blades, Flex and POWER servers).",
    ),
    RuleInfo(
        "console.remote_level",
        "Both HMCs V7R3.4 or later (remote migration)",
        "remote migration (between servers controlled by different HMCs) became available at "
        "v7.3.4 of the HMC",
        "lshmc -V; lslparmigr -r manager",
        "Upgrade both HMCs to V7R3.4 or later (current levels recommended).",
    ),
    RuleInfo(
        "console.remote_trust",
        "SSH trust between the HMCs (remote migration)",
        "remote migration (between servers controlled by different HMCs)",
        "mkauthkeys --ip PEER -u USER --test",
        "Run mkauthkeys --ip TARGET_HMC -u hscroot on the source HMC.",
    ),
    RuleInfo(
        "console.hmc_fsm",
        "HMC and FSM at V7R7.1.0 or later",
        "mobility between the HMC and an FSM is only available after v7.7.1.0.",
        "lshmc -V",
        "Upgrade the HMC and the FSM to V7R7.1.0 or later.",
    ),
    RuleInfo(
        "console.concurrency.source",
        "Concurrent migrations below the limit (source)",
        "these affect the options available for migration, including the number of concurrent "
        "migrations possible.",
        _MIGR_SYS,
        "Wait for running migrations on the source frame to finish.",
    ),
    RuleInfo(
        "console.concurrency.target",
        "Concurrent migrations below the limit (target)",
        "the number of concurrent migrations possible.",
        _MIGR_SYS.replace("SYS", "TARGET"),
        "Wait for running migrations on the target frame to finish.",
    ),
    RuleInfo(
        "vios.msp.source",
        "Mover service partition on the source",
        "A VIOS on each server must be set as a mover server partition (MSP)",
        f"{_LPAR} -F name,lpar_env,msp,state,rmc_state",
        "Set msp=1 on a running VIOS with RMC active (chsyscfg -r lpar -i name=VIOS,msp=1).",
    ),
    RuleInfo(
        "vios.msp.target",
        "Mover service partition on the target",
        "A VIOS on each server must be set as a mover server partition (MSP)",
        f"{_LPAR} -F name,lpar_env,msp,state,rmc_state",
        "Set msp=1 on a running VIOS with RMC active (chsyscfg -r lpar -i name=VIOS,msp=1).",
    ),
    RuleInfo(
        "vios.level.source",
        "VIOS level supports LPM (source)",
        "LPM was first introduced at VIOS v1.5.2.1-FP11 and v2.1.",
        f"{_LPAR} -F os_version",
        "Update the source VIOS to 2.1 or later.",
    ),
    RuleInfo(
        "vios.level.target",
        "VIOS level supports LPM (target)",
        "LPM was first introduced at VIOS v1.5.2.1-FP11 and v2.1.",
        f"{_LPAR} -F os_version",
        "Update the target VIOS to 2.1 or later.",
    ),
    RuleInfo(
        "lpar.state",
        "Partition state allows a migration",
        "Crashed kernels can't be migrated",
        f"{_LPAR} -F name,state",
        "Activate it (active), shut it down (inactive) or suspend it; a crashed partition must "
        "be restarted first.",
    ),
    RuleInfo(
        "lpar.migration_disabled",
        "Migration not disabled on the partition",
        "(not in the article: newer HMCs let a partition be marked not migratable)",
        f"{_LPAR} -F migration_disabled",
        "Clear it: chsyscfg -r lpar -m SYS -i name=PARTITION,migration_disabled=0.",
    ),
    RuleInfo(
        "lpar.type",
        "Partition type can move",
        "LPM can be used to move Linux and AIX ... With certain limitations, iOS LPARs can also "
        "be made mobile.",
        f"{_LPAR} -F lpar_env; {_SYS} -F ibmi_lpar_mobility_capable",
        "Only AIX, Linux and IBM i partitions move; a VIOS stays on its frame.",
    ),
    RuleInfo(
        "lpar.os_level",
        "Operating system level supports LPM",
        "There are minimum operating system levels",
        f"{_LPAR} -F os_version",
        "Update the operating system (AIX 5.3 TL7 or later, RHEL 5.1 / SLES 10 SP1, IBM i 7.1).",
    ),
    RuleInfo(
        "lpar.activated_once",
        "Partition activated at least once",
        "an LPAR must have been activated at least once (even if only in system managed "
        "services [SMS] mode) in order for any migration to occur.",
        f"{_LPAR} -F resource_config",
        "Activate the partition once (SMS mode is enough).",
    ),
    RuleInfo(
        "lpar.not_service",
        "Not the service partition",
        "the LPAR can't be marked as the service partition",
        f"{_SYS} -F service_lpar_id",
        "Make another partition the service partition (or none) before migrating.",
    ),
    RuleInfo(
        "lpar.rmc",
        "RMC active on the partition (active)",
        "(not in the article: the HMC's validation needs RMC to the partition, HSCLA246)",
        f"{_LPAR} -F rmc_state,rmc_ipaddr",
        "Restore RMC (network to the HMC, rsct daemons: /usr/sbin/rsct/bin/rmcctrl -z -A).",
    ),
    RuleInfo(
        "lpar.storage_virtual",
        "All storage virtual through a VIOS",
        "all storage is provided via the storage area network (SAN) either using virtual SCSI "
        "(vSCSI) or N_Port ID virtualization (NPIV)",
        _SCSI_FC,
        "Serve every disk through a VIOS (vSCSI or NPIV).",
    ),
    RuleInfo(
        "lpar.storage_target",
        "Storage can be hosted on the target VIOS",
        "all resources be virtualized through a VIO server",
        f"{_LPAR} -F lpar_env,state",
        "Set up a running VIOS (with NPIV-capable ports for vFC) on the target.",
    ),
    RuleInfo(
        "lpar.network_sea",
        "All networking through a SEA",
        "all networking is provided through the VIO server using a shared Ethernet adapter (SEA)",
        _ETH,
        "Bridge each of the partition's VLANs with a SEA trunk adapter on a source VIOS.",
    ),
    RuleInfo(
        "lpar.vlans_target",
        "Partition VLANs bridged on the target",
        "all networking is provided through the VIO server using a shared Ethernet adapter (SEA)",
        _ETH.replace("SYS", "TARGET"),
        "Add the VLANs to a SEA trunk adapter on a target VIOS (same virtual switch).",
    ),
    RuleInfo(
        "lpar.physical_io",
        "No physical or dedicated adapters",
        "While dedicated adapters can be used, they must be removed prior to the move.",
        f"lshwres -r io --rsubtype slot -m SYS; {_PROF} -F io_slots",
        "Remove the dedicated adapters (DLPAR and from the profile) before the move.",
    ),
    RuleInfo(
        "lpar.sriov",
        "No SR-IOV logical ports (unless SR-IOV migration is supported)",
        "(not in the article: SR-IOV logical ports assigned to the partition block LPM unless "
        "migrated with --migsriov on supporting levels, hmc-cli §4.6)",
        "lshwres -r sriov --rsubtype logport --level eth -m SYS; "
        "lshwres -r sriov --rsubtype physport --level eth -m TARGET",
        "Move the port's traffic to a vNIC (SR-IOV through a VIOS), or remove the logical port "
        "(chhwres -r sriov --rsubtype logport -o r, and from the profile) before the move.",
    ),
    RuleInfo(
        "lpar.vnic_target",
        "vNIC backing possible on the target",
        "(not in the article: a vNIC is backed by an SR-IOV logical port a VIOS owns)",
        "lshwres -r virtualio --rsubtype vnic --level lpar -m SYS; "
        "lshwres -r sriov --rsubtype physport --level eth -m TARGET",
        "Give a running VIOS on the target an SR-IOV adapter with free logical ports, or "
        "choose another target.",
    ),
    RuleInfo(
        "lpar.adapters_desired",
        "Virtual adapters desired, not required",
        "Adapters should also be defined as desired, not required",
        f"{_SCSI_FC}; {_ETH}",
        "Mark the partition's virtual adapters desired (is_required=0) in its profile.",
    ),
    RuleInfo(
        "lpar.vios_adapters",
        "VIOS server adapters not 'any client' and not required",
        "and must not be marked as for \u201cAny client.\u201d",
        _SCSI_FC + " (VIOS lines)",
        "Bind the VIOS server adapter to this partition and slot, and make it desired.",
    ),
    RuleInfo(
        "lpar.vtopt",
        "No virtual optical device mapped",
        "This also applies to any virtual CDs (vtopt) defined to take advantage of file backed "
        "optical (FBO).",
        'viosvrcmd -m SYS -p VIOS -c "lsmap -all -fmt :"',
        "Unmap the virtual optical device (rmvdev -vtd VTD) on the VIOS.",
    ),
    RuleInfo(
        "lpar.name_unique",
        "Name unique on the target",
        "The LPAR must also have a name that's unique to both the source and target servers.",
        f"{_LPAR.replace('SYS', 'TARGET')} -F name",
        "Rename the partition, or the one with the same name on the target.",
    ),
    RuleInfo(
        "lpar.console",
        "No open console",
        "nor can it have any open consoles at the time of the move.",
        "(none: no HMC command lists open virtual terminals)",
        "Close any console first: rmvterm -m SYS --id LPAR_ID.",
        blind=True,
    ),
    RuleInfo(
        "lpar.huge_pages",
        "No huge pages (active)",
        "An LPAR can use inactive migration if it uses huge memory pages ... Active migrations "
        "can't be done in those cases.",
        f"lshwres -r mem --level lpar -m SYS -F curr_num_huge_pages; {_PROF}",
        "Set the huge pages to 0 in the profile, or migrate inactive.",
    ),
    RuleInfo(
        "lpar.bsr",
        "No BSR arrays (active)",
        "has barrier synchronization register (BSR) arrays ... Active migrations can't be done",
        f"{_PROF} -F bsr_arrays",
        "Set bsr_arrays=0 in the profile, or migrate inactive.",
    ),
    RuleInfo(
        "lpar.redundant_error_path",
        "No redundant error path reporting (active)",
        "uses redundant error reporting ... Active migrations can't be done in those cases.",
        f"{_LPAR} -F redundant_err_path_reporting",
        "Set redundant_err_path_reporting=0 (chsyscfg), or migrate inactive.",
    ),
    RuleInfo(
        "lpar.proc_compat",
        "Processor compatibility mode supported by the target",
        "move ... workloads between POWER6 and POWER7 servers and back, provided certain "
        "prerequisites are met.",
        f"{_LPAR} -F curr_lpar_proc_compat_mode; {_SYS} -m TARGET -F lpar_proc_compat_modes",
        "Set the profile's lpar_proc_compat_mode to a mode the target supports and restart.",
    ),
)

BY_ID: dict[str, RuleInfo] = {r.rule_id: r for r in RULES}
ORDER: dict[str, int] = {r.rule_id: i for i, r in enumerate(RULES)}
# What check() copies into every Check of a rule, looked up once (about 100,000 checks are made
# for a fleet matrix): (title, fix, seed, source, blind)
_PARTS: dict[str, tuple[str, str, str, str, bool]] = {
    r.rule_id: (r.title, r.fix, r.seed, r.source, r.blind) for r in RULES
}
_NO_FIX = (CheckStatus.PASS, CheckStatus.UNKNOWN)
_new = tuple.__new__


def check(rule_id: str, status: CheckStatus, reason: str, fix: str | None = None) -> Check:
    """A Check for ``rule_id`` with the catalogue's title, seed words, source and fix.

    A passing check carries no fix, nor does an unknown one (the data is missing, so the
    catalogue's remedy may not apply); ``fix`` overrides that when given."""
    title, remedy, seed, source, blind = _PARTS[rule_id]
    if fix is None:
        fix = "" if status in _NO_FIX else remedy
    # Check's own __new__ is a Python function: tuple.__new__ makes the same tuple in one C call
    return _new(Check, (rule_id, title, status, reason, fix, seed, source, blind))
