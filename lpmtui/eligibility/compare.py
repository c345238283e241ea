"""Set the HMC's own validation (``migrlpar -o v``) beside the local checks, rule by rule."""

from __future__ import annotations

import re

from lpmtui.eligibility.checks import FAIL, UNKNOWN, Agreement, AgreementKind, CheckStatus
from lpmtui.eligibility.evaluate import Verdict
from lpmtui.hmc import messages as ids
from lpmtui.hmc.topics import STOPPING, Topic, topic_of
from lpmtui.model import HmcMessage, ValidationResult

_S, _T = "source", "target"

# Evidenced HMC message id -> the local rules it can come from (hmc-cli.md section 8).
MESSAGE_RULES: dict[str, tuple[str, ...]] = {
    ids.RMC_DOWN: ("lpar.rmc", "vios.msp.source", "vios.msp.target"),
    ids.VFC_NOT_HOSTABLE: ("lpar.storage_target",),
    **{npiv: ("lpar.storage_target",) for npiv in ids.NPIV_GPN_FT},
    ids.NO_TRUST: ("console.remote_trust",),
    ids.NOT_OPERATING: (
        "server.source_failed",
        "server.source_operating",
        "server.target_operating",
    ),
    ids.LPAR_NOT_FOUND: ("lpar.state",),
}

# Any other message (an id without evidence) by what its text is about (hmc.topics).
# Messages matching no topic have no local rule and are reported as HMC-only.
TOPIC_RULES: dict[Topic, tuple[str, ...]] = {
    Topic.TARGET_NOT_OPERATING: ("server.target_operating",),
    Topic.PROCESSOR_GENERATION: ("server.power6",),
    Topic.MOBILITY_CAPABLE: ("server.capable.source", "server.capable.target"),
    Topic.FIRMWARE: ("server.firmware",),
    Topic.MEMORY: ("server.memory",),
    Topic.PROCESSORS: ("server.processors",),
    Topic.VIRTUAL_SLOTS: ("server.virtual_slots",),
    Topic.LMB: ("server.lmb",),
    Topic.CONSOLE_LEVEL: ("console.remote_level", "console.hmc_fsm"),
    Topic.CONSOLE_REMOTE: ("console.managed", "console.remote_level"),
    Topic.CONCURRENCY_SYSTEM: ("console.concurrency.source", "console.concurrency.target"),
    Topic.CONCURRENCY_MSP: ("console.concurrency.source", "console.concurrency.target"),
    Topic.NO_MSP: ("vios.msp.source", "vios.msp.target"),
    Topic.VIOS_LEVEL: ("vios.level.source", "vios.level.target"),
    Topic.PARTITION_TYPE: ("lpar.type",),
    Topic.OS_LEVEL: ("lpar.os_level",),
    Topic.STORAGE_NOT_VIRTUAL: ("lpar.storage_virtual",),
    Topic.VLAN_NOT_BRIDGED: ("lpar.network_sea", "lpar.vlans_target"),
    Topic.PHYSICAL_IO: ("lpar.physical_io",),
    Topic.REQUIRED_ADAPTER: ("lpar.adapters_desired", "lpar.vios_adapters"),
    Topic.ANY_CLIENT: ("lpar.vios_adapters",),
    Topic.VIRTUAL_OPTICAL: ("lpar.vtopt",),
    Topic.NAME_IN_USE: ("lpar.name_unique",),
    Topic.SERVICE_PARTITION: ("lpar.not_service",),
    Topic.OPEN_CONSOLE: ("lpar.console",),
    Topic.NEVER_ACTIVATED: ("lpar.activated_once",),
    Topic.HUGE_PAGES: ("lpar.huge_pages",),
    Topic.BSR: ("lpar.bsr",),
    Topic.REDUNDANT_ERROR_PATH: ("lpar.redundant_error_path",),
    Topic.COMPAT_MODE: ("lpar.proc_compat",),
    Topic.PARTITION_STATE: ("lpar.state",),
    Topic.VSCSI_NOT_HOSTABLE: ("lpar.storage_target",),
    Topic.PROC_POOL: ("server.proc_pool",),
    Topic.MIGRATION_DISABLED: ("lpar.migration_disabled",),
    Topic.SRIOV: ("lpar.sriov",),
    Topic.VNIC_BACKING: ("lpar.vnic_target",),
    Topic.SUSPEND_CAPABLE: ("server.capable.source", "server.capable.target"),
    Topic.IBMI_CAPABLE: ("lpar.type",),
    Topic.INCOMING_MIGRATION: ("lpar.state",),
    Topic.REDUNDANCY: ("lpar.storage_target",),
}


def _known_rules(msg: HmcMessage) -> tuple[str, ...]:
    """The local rules a message can come from: by evidenced id, else by its text."""
    if msg.id in MESSAGE_RULES:
        return MESSAGE_RULES[msg.id]
    topic = topic_of(msg.text)
    return TOPIC_RULES.get(topic, ()) if topic is not None else ()


def _stops(msg: HmcMessage) -> bool:
    """After this message the HMC checked nothing else."""
    if msg.id in ids.STOPPING_IDS:
        return True
    return msg.id not in MESSAGE_RULES and topic_of(msg.text) in STOPPING


# Which side a rule is about, to pick among several candidates by the names a message mentions.
_SIDE = {
    "server.capable.source": _S,
    "server.capable.target": _T,
    "console.concurrency.source": _S,
    "console.concurrency.target": _T,
    "vios.msp.source": _S,
    "vios.msp.target": _T,
    "vios.level.source": _S,
    "vios.level.target": _T,
    "lpar.network_sea": _S,
    "lpar.vlans_target": _T,
    "server.source_failed": _S,
    "server.source_operating": _S,
    "server.target_operating": _T,
}


def _mentions(text: str, names) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in names if n)


def _named(msg: HmcMessage, verdict: Verdict, candidates: list[str]) -> str:
    """The candidate the names in the message point at: the partition, else a side."""
    if _mentions(msg.text, [verdict.partition_name]):
        own = [r for r in candidates if r.startswith("lpar.") and r not in _SIDE]
        if own:
            return own[0]
    for side in (_T, _S):
        if _mentions(msg.text, verdict.names_on(side)):
            sided = [r for r in candidates if _SIDE.get(r) == side]
            if sided:
                return sided[0]
    return ""


def _rule_for(msg: HmcMessage, verdict: Verdict, local: dict[str, CheckStatus]) -> str:
    candidates = [r for r in _known_rules(msg) if r in local]
    if len(candidates) <= 1:
        return candidates[0] if candidates else ""
    named = _named(msg, verdict, candidates)
    failing = [r for r in candidates if local[r] is FAIL]
    # The named rule when it fails too (HSCLA246 for the partition and for a VIOS may both
    # come); else a failing one, so a message the names do not place still agrees.
    if named and (local[named] is FAIL or not failing):
        return named
    if failing:
        return failing[0]
    return named or candidates[0]


def _show(msg: HmcMessage) -> str:
    return f"{msg.id} {msg.text}".strip()


def compare(verdict: Verdict, validation: ValidationResult) -> list[Agreement]:
    """One Agreement per local rule, then one per HMC error no local rule explains."""
    local = {c.rule_id: c.status for c in verdict.checks}
    errors: dict[str, list[str]] = {}
    warnings: dict[str, list[str]] = {}
    unmapped: list[Agreement] = []
    for bucket, msgs in ((errors, validation.errors), (warnings, validation.warnings)):
        for msg in msgs:
            rule = _rule_for(msg, verdict, local)
            if rule:
                bucket.setdefault(rule, []).append(_show(msg))
            elif bucket is errors:
                unmapped.append(
                    Agreement(
                        "",
                        None,
                        (_show(msg),),
                        AgreementKind.HMC_ONLY,
                        "no local rule covers this message",
                    )
                )
    stopped = next((m.id or m.text for m in validation.errors if _stops(m)), "")
    out = []
    for c in verdict.checks:
        said = tuple(errors.get(c.rule_id, ())) + tuple(warnings.get(c.rule_id, ()))
        objects = c.rule_id in errors
        if stopped and not said:
            out.append(
                Agreement(
                    c.rule_id,
                    c.status,
                    said,
                    AgreementKind.UNKNOWN,
                    f"the HMC stopped at {stopped} before checking this",
                )
            )
        elif c.status is UNKNOWN:
            note = "no HMC command shows this data" if c.blind else "local data missing"
            out.append(Agreement(c.rule_id, c.status, said, AgreementKind.UNKNOWN, note))
        elif (c.status is FAIL) == objects:
            out.append(Agreement(c.rule_id, c.status, said, AgreementKind.AGREE))
        elif objects:
            out.append(
                Agreement(
                    c.rule_id,
                    c.status,
                    said,
                    AgreementKind.HMC_ONLY,
                    "the HMC reports an error the local check did not find",
                )
            )
        else:
            out.append(
                Agreement(
                    c.rule_id,
                    c.status,
                    said,
                    AgreementKind.LOCAL_ONLY,
                    "the local check fails but the HMC did not object",
                )
            )
    return out + unmapped
