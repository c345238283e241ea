"""Set the HMC's own validation (``migrlpar -o v``) beside the local checks, rule by rule."""

from __future__ import annotations

import re

from lpmtui.eligibility.checks import FAIL, UNKNOWN, Agreement, AgreementKind, CheckStatus
from lpmtui.eligibility.evaluate import Verdict
from lpmtui.model import HmcMessage, ValidationResult

_S, _T = "source", "target"

# HMC message id -> the local rules it can come from. Real ids are from hmc-cli.md section 8;
# HSCLSIMnn are the simulator's synthetic ids (lpmtui/sim/messages.py), used where no real id
# is evidenced. Ids absent here have no local rule and are reported as HMC-only.
MESSAGE_RULES: dict[str, tuple[str, ...]] = {
    "HSCLA246": ("lpar.rmc", "vios.msp.source", "vios.msp.target"),
    "HSCLA319": ("lpar.storage_target",),
    "HSCLA219": ("lpar.storage_target",),
    "HSCLA356": ("lpar.storage_target",),
    "HSCLA29A": ("lpar.storage_target",),
    "HSCL3653": ("console.remote_trust",),
    "HSCL0238": ("server.source_failed", "server.source_operating", "server.target_operating"),
    "HSCL8012": ("lpar.state",),
    "HSCLSIM01": ("server.target_operating",),
    "HSCLSIM02": ("server.power6",),
    "HSCLSIM03": ("server.capable.source", "server.capable.target"),
    "HSCLSIM04": ("server.firmware",),
    "HSCLSIM05": ("server.memory",),
    "HSCLSIM06": ("server.processors",),
    "HSCLSIM07": ("server.virtual_slots",),
    "HSCLSIM08": ("server.lmb",),
    "HSCLSIM09": ("console.remote_level", "console.hmc_fsm"),
    "HSCLSIM10": ("console.managed", "console.remote_level"),
    "HSCLSIM11": ("console.concurrency.source", "console.concurrency.target"),
    "HSCLSIM12": ("console.concurrency.source", "console.concurrency.target"),
    "HSCLSIM13": ("vios.msp.source", "vios.msp.target"),
    "HSCLSIM14": ("vios.level.source", "vios.level.target"),
    "HSCLSIM15": ("lpar.type",),
    "HSCLSIM16": ("lpar.os_level",),
    "HSCLSIM17": ("lpar.storage_virtual",),
    "HSCLSIM18": ("lpar.network_sea", "lpar.vlans_target"),
    "HSCLSIM19": ("lpar.physical_io",),
    "HSCLSIM20": ("lpar.adapters_desired", "lpar.vios_adapters"),
    "HSCLSIM21": ("lpar.vios_adapters",),
    "HSCLSIM22": ("lpar.vtopt",),
    "HSCLSIM23": ("lpar.name_unique",),
    "HSCLSIM24": ("lpar.not_service",),
    "HSCLSIM25": ("lpar.console",),
    "HSCLSIM26": ("lpar.activated_once",),
    "HSCLSIM27": ("lpar.huge_pages",),
    "HSCLSIM28": ("lpar.bsr",),
    "HSCLSIM29": ("lpar.redundant_error_path",),
    "HSCLSIM30": ("lpar.proc_compat",),
    "HSCLSIM31": ("lpar.state",),
    "HSCLSIM32": ("lpar.storage_target",),
    "HSCLSIM33": ("server.proc_pool",),
    "HSCLSIM34": ("lpar.migration_disabled",),
    "HSCLSIM35": ("server.capable.source", "server.capable.target"),
    "HSCLSIM36": ("lpar.type",),
    "HSCLSIM39": ("lpar.state",),
    "HSCLSIM38": ("lpar.storage_target",),
}

# Messages after which the HMC checks nothing else (it cannot reach the other HMC or frame):
# the local rules it did not get to are marked unknown, not local-only.
STOPPERS = frozenset(
    {
        "HSCL3653",
        "HSCL0238",
        "HSCL8012",
        "HSCLSIM01",
        "HSCLSIM37",
        "HSCLSIM39",
        "HSCLSIM47",
        "HSCLSIM48",
        "HSCLSIM49",
    }
)

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
    candidates = [r for r in MESSAGE_RULES.get(msg.id, ()) if r in local]
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
    stopped = next((m.id for m in validation.errors if m.id in STOPPERS), "")
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
