"""Management console prerequisites: who manages the frames, remote migration, concurrency."""

from __future__ import annotations

import lpmtui.eligibility.levels as levels
from lpmtui.eligibility.catalogue import check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check
from lpmtui.eligibility.index import FrameFacts
from lpmtui.eligibility.kind import INACTIVE

_WHAT = {"hmc": "an HMC", "ivm": "IVM", "fsm": "an FSM"}


def managed(src: FrameFacts, tgt: FrameFacts) -> Check:
    ks, kt = src.hmc.kind, tgt.hmc.kind
    pair = (
        f"{src.name} by {_WHAT.get(ks, ks)} ({src.hmc.hmc}), {tgt.name} by "
        f"{_WHAT.get(kt, kt)} ({tgt.hmc.hmc})"
    )
    if ks == kt == "hmc":
        return check("console.managed", PASS, f"both managed by HMCs: {pair}")
    if "ivm" in (ks, kt) and src.hmc.hmc != tgt.hmc.hmc:
        return check(
            "console.managed",
            FAIL,
            f"IVM manages POWER blades only and cannot migrate with another console: {pair}",
        )
    if ks == kt == "ivm":
        return check("console.managed", WARN, f"IVM manages POWER blades only: {pair}")
    if ks == kt == "fsm":
        return check("console.managed", WARN, f"an FSM manages Flex servers only: {pair}")
    if {ks, kt} == {"hmc", "fsm"}:
        return check("console.managed", PASS, f"HMC<->FSM migration (see console.hmc_fsm): {pair}")
    return check("console.managed", UNKNOWN, f"unknown console kind: {pair}")


def _remote(src: FrameFacts, tgt: FrameFacts) -> bool:
    return src.hmc.hmc != tgt.hmc.hmc


def remote_level(src: FrameFacts, tgt: FrameFacts) -> Check:
    if not _remote(src, tgt):
        return check("console.remote_level", PASS, f"same console ({src.hmc.hmc}): not remote")
    ivm = [h.hmc for h in (src.hmc, tgt.hmc) if h.kind == "ivm"]
    if ivm:  # an IVM has no HMC level; that it cannot migrate with another console is managed's
        return check(
            "console.remote_level",
            PASS,
            f"no HMC level applies to IVM ({', '.join(ivm)}): see console.managed",
        )
    if {src.hmc.kind, tgt.hmc.kind} == {"hmc", "fsm"}:  # the stricter V7R7.1.0 applies
        return check("console.remote_level", PASS, "HMC<->FSM: see console.hmc_fsm")
    need = levels.hmc_label(levels.REMOTE_MIGRATION_HMC)
    parts, unknown, low = [], [], []
    for h in (src.hmc, tgt.hmc):
        if h.version is None:
            unknown.append(h.hmc)
            parts.append(f"{h.hmc} unknown")
            continue
        parts.append(f"{h.hmc} {h.version.label}")
        if not h.version.at_least(*levels.REMOTE_MIGRATION_HMC):
            low.append(h.hmc)
        elif h.manager is not None and h.manager.remote_lpar_mobility_capable is False:
            low.append(f"{h.hmc} (remote_lpar_mobility_capable=0)")
    text = ", ".join(parts)
    if low:
        return check(
            "console.remote_level",
            FAIL,
            f"remote migration needs {need}: {text}; too old: {', '.join(low)}",
        )
    if unknown:
        return check("console.remote_level", UNKNOWN, f"HMC level not read: {text}")
    return check("console.remote_level", PASS, f"both at {need} or later: {text}")


def remote_trust(src: FrameFacts, tgt: FrameFacts) -> Check:
    if not _remote(src, tgt):
        return check("console.remote_trust", PASS, f"same console ({src.hmc.hmc}): no trust needed")
    peer = tgt.hmc.hmc
    trust = dict(src.hmc.peer_trust).get(peer)
    if trust is None:
        return check(
            "console.remote_trust",
            UNKNOWN,
            f"mkauthkeys --test from {src.hmc.hmc} to {peer} has not been run",
        )
    if trust:
        return check("console.remote_trust", PASS, f"{src.hmc.hmc} trusts {peer} (mkauthkeys)")
    return check(
        "console.remote_trust",
        FAIL,
        f"{src.hmc.hmc} has no SSH trust to {peer} (HSCL3653)",
        fix=f"Run mkauthkeys --ip {tgt.hmc.peer_address or tgt.hmc.host or peer} "
        f"-u hscroot on {src.hmc.hmc}.",
    )


def hmc_fsm(src: FrameFacts, tgt: FrameFacts) -> Check:
    if {src.hmc.kind, tgt.hmc.kind} != {"hmc", "fsm"}:
        return check("console.hmc_fsm", PASS, "not an HMC<->FSM migration")
    need = levels.hmc_label(levels.HMC_FSM_MIN)
    versions = [(h.hmc, h.version) for h in (src.hmc, tgt.hmc)]
    text = ", ".join(f"{n} {v.label if v else 'unknown'}" for n, v in versions)
    if any(v is not None and not v.at_least(*levels.HMC_FSM_MIN) for _, v in versions):
        return check("console.hmc_fsm", FAIL, f"HMC<->FSM mobility needs {need}: {text}")
    if any(v is None for _, v in versions):
        return check("console.hmc_fsm", UNKNOWN, f"console level not read: {text}")
    return check("console.hmc_fsm", PASS, f"both at {need} or later: {text}")


def _concurrency(rule_id: str, frame: FrameFacts, kind: str | None) -> Check:
    s = frame.system
    if kind is None:
        return check(rule_id, UNKNOWN, "no kind of mobility applies to the partition's state")
    if kind == INACTIVE:
        label, supported, running = (
            "inactive",
            s.num_inactive_migrations_supported,
            s.num_inactive_migrations_in_progress,
        )
    else:
        label, supported, running = (
            "active",
            s.num_active_migrations_supported,
            s.num_active_migrations_in_progress,
        )
    if supported is None or running is None:
        return check(
            rule_id,
            UNKNOWN,
            f"{frame.name} did not report its {label} migration limits (lslparmigr -r sys)",
        )
    text = f"{frame.name}: {running} of {supported} {label} migrations in progress"
    return check(rule_id, PASS if running < supported else FAIL, text)


def concurrency_source(src: FrameFacts, kind: str | None) -> Check:
    return _concurrency("console.concurrency.source", src, kind)


def concurrency_target(tgt: FrameFacts, kind: str | None) -> Check:
    return _concurrency("console.concurrency.target", tgt, kind)
