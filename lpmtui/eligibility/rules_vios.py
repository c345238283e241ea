"""VIOS prerequisites on each frame: a mover service partition, at a level that supports LPM."""

from __future__ import annotations

from lpmtui.eligibility import levels
from lpmtui.eligibility.catalogue import check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, Check
from lpmtui.eligibility.index import FrameFacts
from lpmtui.eligibility.kind import INACTIVE
from lpmtui.model import Partition


def _describe(v: Partition) -> str:
    msp = {True: "MSP", False: "not MSP", None: "MSP unknown"}[v.msp]
    return f"{v.name} ({msp}, {v.state or 'state unknown'}, RMC {v.rmc_state or 'unknown'})"


def _movers(frame: FrameFacts, kind: str | None) -> list[Partition]:
    """The VIOSes that would carry the move: MSPs for active/suspended, any VIOS for inactive."""
    if kind == INACTIVE:
        return list(frame.usable_vioses)
    return [v for v in frame.usable_vioses if v.msp]


def _msp(rule_id: str, frame: FrameFacts, kind: str | None) -> Check:
    if not frame.vioses:
        return check(rule_id, FAIL, f"{frame.name} has no VIOS")
    listing = "; ".join(_describe(v) for v in frame.vioses)
    if kind is None:
        return check(rule_id, UNKNOWN, "no kind of mobility applies to the partition's state")
    movers = _movers(frame, kind)
    if movers:
        what = "running VIOS with RMC (inactive moves need no MSP)" if kind == INACTIVE \
            else "MSP running with RMC active"
        return check(rule_id, PASS, f"{frame.name}: {what}: {', '.join(v.name for v in movers)}")
    if kind != INACTIVE and all(v.msp is None for v in frame.vioses):
        return check(rule_id, UNKNOWN, f"{frame.name}: MSP attribute not reported: {listing}")
    need = "a running VIOS with RMC active" if kind == INACTIVE \
        else "a VIOS with msp=1, Running, RMC active"
    return check(rule_id, FAIL, f"{frame.name} has no {need}: {listing}")


def msp_source(src: FrameFacts, kind: str | None) -> Check:
    return _msp("vios.msp.source", src, kind)


def msp_target(tgt: FrameFacts, kind: str | None) -> Check:
    return _msp("vios.msp.target", tgt, kind)


def _level(rule_id: str, frame: FrameFacts, kind: str | None) -> Check:
    movers = _movers(frame, kind) if kind is not None else list(frame.usable_vioses)
    if not movers:
        return check(rule_id, UNKNOWN, f"{frame.name}: no usable VIOS to read a level from "
                     "(see the MSP check)")
    results = [(v, *levels.vios_level_ok(v.os_version)) for v in movers]
    text = ", ".join(f"{v.name} {label}" for v, _, label in results)
    if any(ok for _, ok, _ in results):
        return check(rule_id, PASS, f"{frame.name}: {text} (LPM needs 1.5.2.1-FP11 or 2.1+)")
    if any(ok is None for _, ok, _ in results):
        return check(rule_id, UNKNOWN, f"{frame.name}: VIOS level not readable: {text}")
    return check(rule_id, FAIL, f"{frame.name}: {text}; LPM needs 1.5.2.1-FP11 or 2.1+")


def level_source(src: FrameFacts, kind: str | None) -> Check:
    return _level("vios.level.source", src, kind)


def level_target(tgt: FrameFacts, kind: str | None) -> Check:
    return _level("vios.level.target", tgt, kind)
