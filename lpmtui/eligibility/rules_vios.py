"""VIOS prerequisites on each frame: a mover service partition, at a level that supports LPM."""

from __future__ import annotations

import lpmtui.eligibility.levels as levels
from lpmtui.eligibility.catalogue import check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check
from lpmtui.eligibility.index import FrameFacts, levels_status
from lpmtui.eligibility.kind import INACTIVE
from lpmtui.model import Partition


def _describe(v: Partition) -> str:
    msp = {True: "MSP", False: "not MSP", None: "MSP unknown"}[v.msp]
    return f"{v.name} ({msp}, {v.state or 'state unknown'}, RMC {v.rmc_state or 'unknown'})"


def _msps(frame: FrameFacts) -> list[Partition]:
    """The VIOSes marked mover service partition that are running."""
    return [v for v in frame.running_vioses if v.msp]


def _msp(rule_id: str, frame: FrameFacts, kind: str | None) -> Check:
    if kind == INACTIVE:
        return check(rule_id, PASS, "an inactive move uses no mover service partition")
    if not frame.vioses:
        return check(rule_id, FAIL, f"{frame.name} has no VIOS")
    if kind is None:
        return check(rule_id, UNKNOWN, "no kind of mobility applies to the partition's state")
    listing = "; ".join(_describe(v) for v in frame.vioses)
    movers = [v for v in _msps(frame) if v.rmc_active]
    if movers:
        return check(
            rule_id,
            PASS,
            f"{frame.name}: MSP running with RMC active: {', '.join(v.name for v in movers)}",
        )
    if all(v.msp is None for v in frame.vioses):
        return check(rule_id, UNKNOWN, f"{frame.name}: MSP attribute not reported: {listing}")
    return check(
        rule_id,
        FAIL,
        f"{frame.name} has no VIOS with msp=1, Running and RMC active "
        f"(HSCLA246 when RMC is down): {listing}",
    )


def msp_source(src: FrameFacts, kind: str | None) -> Check:
    return _msp("vios.msp.source", src, kind)


def msp_target(tgt: FrameFacts, kind: str | None) -> Check:
    return _msp("vios.msp.target", tgt, kind)


def levels_of(vioses) -> tuple[tuple[Partition, bool | None, str], ...]:
    """(VIOS, supports LPM?, level read) for each VIOS."""
    return tuple((v, *levels.vios_level_ok(v.os_version)) for v in vioses)


level_status = levels_status  # (VIOS, supports LPM?, level read) each -> fail/unknown/pass


def level_text(frame: FrameFacts, found) -> str:
    text = ", ".join(f"{v.name} {label}" for v, _, label in found)
    return f"{frame.name}: {text} (LPM needs 1.5.2.1-FP11 or 2.1+)"


def level_source(src: FrameFacts, kind: str | None) -> Check:
    """The source's running MSPs (an inactive move uses none)."""
    if kind == INACTIVE:
        return check("vios.level.source", PASS, "an inactive move uses no source MSP")
    found = levels_of(_msps(src))
    if not found:
        return check(
            "vios.level.source",
            UNKNOWN,
            f"{src.name}: no running MSP to read a level from (see vios.msp.source)",
        )
    old = [v.name for v, ok, _ in found if ok is False]
    usable = [v.name for v, ok, _ in found if ok and v.rmc_active]
    if old and usable:  # the HMC picks a usable MSP and says nothing
        return check(
            "vios.level.source",
            WARN,
            f"{level_text(src, found)}; the move can use {', '.join(usable)}, not {', '.join(old)}",
        )
    return check("vios.level.source", level_status(found), level_text(src, found))
