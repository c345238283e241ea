"""SR-IOV logical ports and vNIC adapters: what the partition owns, what the target offers.

Evidence (docs/eligibility.md): SR-IOV logical ports assigned to the mobile partition block
LPM unless migrated with ``--migsriov`` on levels that support it (hmc-cli §4.6, §7.1); the
managed-system capability ``LogicalPartitionSRIOVMigrationCapable`` exists in the REST schema
only (real-hmc-facts §6): no CLI attribute is evidenced, so the console cannot read it and the
HMC's validation (``migrlpar -o v``) is the judge. A vNIC is backed on the target by an SR-IOV
logical port that a VIOS there owns (pcie-…-vnic--vnic-add: ``backing_devices=sriov/VIOS/…``).
"""

from __future__ import annotations

from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, CheckStatus
from lpmtui.eligibility.index import FrameFacts, PartitionFacts
from lpmtui.eligibility.kind import INACTIVE

_JUDGE = "the HMC's validation (migrlpar -o v) is the judge"


def _ports(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


# -- lpar.sriov ---------------------------------------------------------------------------------


def sriov_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    if p.sriov is None:
        return UNKNOWN
    if not p.sriov:
        return PASS
    if p.kind == INACTIVE:
        return UNKNOWN  # not documented either way
    capable = (p.frame.system.sriov_migration_capable, t.system.sriov_migration_capable)
    if capable != (True, True):
        return FAIL
    if t.sriov_free is None:
        return UNKNOWN
    return PASS if t.sriov_free >= p.sriov else FAIL


def sriov_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    if p.sriov is None:
        return "SR-IOV logical ports not listed (cold data: lshwres -r sriov --rsubtype logport)"
    if not p.sriov:
        return "owns no SR-IOV logical ports"
    owned = f"owns {_ports(p.sriov, 'SR-IOV logical port')}"
    if p.kind == INACTIVE:
        return f"{owned}: whether an inactive move keeps them is not documented; {_JUDGE}"
    capable = (p.frame.system.sriov_migration_capable, t.system.sriov_migration_capable)
    if capable != (True, True):
        return (
            f"{owned}: SR-IOV logical ports block an active move unless both frames and the "
            "HMC support SR-IOV migration (migrlpar --migsriov); no frame reports that through "
            "the CLI (the capability is REST-only, LogicalPartitionSRIOVMigrationCapable), so "
            f"where it may be supported {_JUDGE}"
        )
    if t.sriov_free is None:
        return f"{owned}; {t.name}'s SR-IOV ports are not listed yet (cold data)"
    verb = "has" if status is PASS else "has only"
    return f"{owned}; {t.name} {verb} {_ports(t.sriov_free, 'free SR-IOV logical port')}"


# -- lpar.vnic_target ---------------------------------------------------------------------------


def vnic_status(p: PartitionFacts, t: FrameFacts) -> CheckStatus:
    if p.vnics is None:
        return UNKNOWN
    if not p.vnics:
        return PASS
    if not t.running_vioses:
        return FAIL
    if t.sriov_free is None:
        return UNKNOWN
    return PASS if t.sriov_free >= p.vnics else FAIL


def vnic_reason(p: PartitionFacts, t: FrameFacts, status: CheckStatus) -> str:
    if p.vnics is None:
        return "vNIC adapters not listed (cold data: lshwres -r virtualio --rsubtype vnic)"
    if not p.vnics:
        return "no vNIC adapters"
    has = f"has {_ports(p.vnics, 'vNIC adapter')}"
    if not t.running_vioses:
        return f"{has}; {t.name} has no running VIOS to back them"
    if t.sriov_free is None:
        return f"{has}; {t.name}'s SR-IOV ports are not listed yet (cold data)"
    vios = ", ".join(v.name for v in t.running_vioses)
    free = _ports(t.sriov_free, "free SR-IOV logical port")
    if status is PASS:
        return f"{has}; {t.name} can back them: VIOS {vios}, {free}"
    return f"{has}; {t.name} has {free} for its VIOS ({vios}) to back them"
