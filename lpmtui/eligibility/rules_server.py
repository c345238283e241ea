"""Server prerequisites that depend on the frames only (memory/CPU/slots are in rules_pair)."""

from __future__ import annotations

import lpmtui.eligibility.levels as levels
from lpmtui.eligibility.catalogue import check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, Check
from lpmtui.eligibility.index import FrameFacts
from lpmtui.eligibility.kind import ACTIVE, INACTIVE, SUSPENDED


def source_failed(src: FrameFacts) -> Check:
    state = src.system.state
    if src.failed:
        return check(
            "server.source_failed",
            FAIL,
            f"cannot migrate from a failed frame: {src.name} is {state}. LPM is for planned "
            "moves of running frames, not disaster recovery",
        )
    return check("server.source_failed", PASS, f"{src.name} is {state or 'not reported'}")


def _operating(rule_id: str, frame: FrameFacts, role: str) -> Check:
    state = frame.system.state
    if not state:
        return check(rule_id, UNKNOWN, f"the HMC has not reported the {role} frame's state")
    if frame.system.operating:
        return check(rule_id, PASS, f"{role} {frame.name} is Operating")
    return check(rule_id, FAIL, f"{role} {frame.name} is {state}, not Operating")


def source_operating(src: FrameFacts) -> Check:
    return _operating("server.source_operating", src, "source")


def target_operating(tgt: FrameFacts) -> Check:
    return _operating("server.target_operating", tgt, "target")


def power6(src: FrameFacts, tgt: FrameFacts) -> Check:
    gens = {f.name: f.generation for f in (src, tgt)}
    text = ", ".join(f"{n} POWER{g}" if g else f"{n} unknown" for n, g in gens.items())
    if any(g is None for g in gens.values()):
        return check("server.power6", UNKNOWN, f"processor generation not reported ({text})")
    old = [n for n, g in gens.items() if g < levels.MIN_POWER_GENERATION]
    if old:
        return check("server.power6", FAIL, f"{', '.join(old)} older than POWER6 ({text})")
    return check("server.power6", PASS, text)


def _capable(rule_id: str, frame: FrameFacts, kind: str | None, *, target: bool) -> Check:
    s = frame.system
    if kind is None:
        return check(rule_id, UNKNOWN, "no kind of mobility applies to the partition's state")
    wanted = [("active", s.active_mobility_capable)] if kind in (ACTIVE, SUSPENDED) else []
    if kind == INACTIVE:
        wanted.append(("inactive", s.inactive_mobility_capable))
    if kind == SUSPENDED and target:  # the target must be able to hold a suspended partition
        wanted.append(("suspend", s.suspend_capable))
    missing = [w for w, v in wanted if v is None]
    lacking = [w for w, v in wanted if v is False]
    if lacking:
        return check(
            rule_id,
            FAIL,
            f"{frame.name} is not {'/'.join(lacking)} mobility capable (PowerVM Enterprise "
            "Edition not active)",
        )
    if missing:
        return check(
            rule_id, UNKNOWN, f"{frame.name} did not report {'/'.join(missing)} mobility capability"
        )
    return check(rule_id, PASS, f"{frame.name} is {kind} mobility capable")


def capable_source(src: FrameFacts, kind: str | None) -> Check:
    return _capable("server.capable.source", src, kind, target=False)


def capable_target(tgt: FrameFacts, kind: str | None) -> Check:
    return _capable("server.capable.target", tgt, kind, target=True)


def firmware(src: FrameFacts, tgt: FrameFacts) -> Check:
    a, b = src.system, tgt.system
    ok, text = levels.firmware_compatible(
        a.firmware_level, src.generation, b.firmware_level, tgt.generation
    )
    text = f"{src.name} / {tgt.name}: {text}"
    if ok is None:
        old = [f for f in (src, tgt) if f.generation and f.generation < levels.MIN_POWER_GENERATION]
        if old:  # nothing to compare: server.power6 already fails the pair
            return check("server.firmware", UNKNOWN, text)
        return check("server.firmware", UNKNOWN, f"firmware level not reported ({text})")
    return check("server.firmware", PASS if ok else FAIL, text)


def lmb(src: FrameFacts, tgt: FrameFacts) -> Check:
    a, b = src.system.mem_region_size, tgt.system.mem_region_size
    if a is None or b is None:
        return check(
            "server.lmb",
            UNKNOWN,
            f"memory region size not reported ({src.name} {a} MB, {tgt.name} {b} MB)",
        )
    if a == b:
        return check("server.lmb", PASS, f"both frames use {a} MB memory regions")
    return check("server.lmb", FAIL, f"{src.name} uses {a} MB memory regions, {tgt.name} {b} MB")
