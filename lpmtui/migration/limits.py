"""Concurrency limits: may one more migration start now, and if not, why not (one line).

A migration uses a slot of its kind (active/inactive) on BOTH its source and its target frame
(``lslparmigr -r sys``: ``num_*_migrations_supported`` minus ``num_*_migrations_in_progress``),
and a slot on each mover service partition (MSP) it goes through. The HMC's in-progress counts
lag behind commands this console has just sent, so a frame's usage is the larger of the HMC's
count and this console's own running jobs touching it. When a frame does not report its limit
(``None``), ``fallback_limit`` applies: being gentle beats being refused mid-window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lpmtui.model import FleetSnapshot


@dataclass(frozen=True, slots=True)
class SlotUse:
    """One running job as the limit check sees it."""

    partition: str
    source: str
    target: str
    kind: str  # active | inactive
    source_msp: str = ""
    dest_msp: str = ""


def _frame_limits(snapshot: FleetSnapshot, system: str, kind: str) -> tuple[int | None, int]:
    found = snapshot.frame(system)
    if found is None:
        return None, 0
    sys = found[1].system
    if kind == "inactive":
        supported = sys.num_inactive_migrations_supported
        in_progress = sys.num_inactive_migrations_in_progress
    else:
        supported = sys.num_active_migrations_supported
        in_progress = sys.num_active_migrations_in_progress
    return supported, in_progress or 0


def _msp_in_use(
    snapshot: FleetSnapshot, system: str, msp: str, ours: Iterable[SlotUse], *, as_source: bool
) -> int:
    """Our jobs through this MSP plus other migrations the HMC lists through it."""
    if as_source:
        mine = [u for u in ours if (u.source, u.source_msp) == (system, msp)]
    else:
        mine = [u for u in ours if (u.target, u.dest_msp) == (system, msp)]
    mine_names = {u.partition for u in mine}
    others = 0
    found = snapshot.frame(system)
    if found is not None and as_source:
        for status in found[1].migrations:
            if status.migrating and status.source_msp_name == msp:
                others += status.name not in mine_names
    return len(mine) + others


def slot_refusal(
    snapshot: FleetSnapshot,
    wanted: SlotUse,
    running: Iterable[SlotUse],
    *,
    fallback_limit: int = 1,
    msp_capacity: int = 4,
) -> str:
    """Empty when ``wanted`` may start now; otherwise why it has to wait (one line)."""
    running = list(running)
    for system in dict.fromkeys((wanted.source, wanted.target)):
        supported, hmc_count = _frame_limits(snapshot, system, wanted.kind)
        if supported is None and snapshot.frame(system) is None:
            continue  # a frame this console does not watch: the HMC enforces its own limit
        limit = fallback_limit if supported is None else supported
        ours = sum(1 for u in running if u.kind == wanted.kind and system in (u.source, u.target))
        in_use = max(hmc_count, ours)
        if in_use >= limit:
            return f"{system}: {in_use} of {limit} {wanted.kind} migrations in progress" + (
                "" if supported is not None else " (limit not reported; using the default)"
            )
    for system, msp, as_source in (
        (wanted.source, wanted.source_msp, True),
        (wanted.target, wanted.dest_msp, False),
    ):
        if not msp:
            continue
        in_use = _msp_in_use(snapshot, system, msp, running, as_source=as_source)
        if in_use >= msp_capacity:
            return f"MSP {msp} on {system}: {in_use} of {msp_capacity} migrations in progress"
    return ""
