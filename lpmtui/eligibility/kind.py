"""Which kind of mobility a partition's state allows, and why the other kinds do not."""

from __future__ import annotations

from functools import lru_cache

ACTIVE = "active"
INACTIVE = "inactive"
SUSPENDED = "suspended"

_OTHERS = {
    ACTIVE: "inactive needs it shut down (Not Activated), suspended needs it suspended",
    INACTIVE: "active needs it Running, suspended needs it suspended",
    SUSPENDED: "active needs it Running, inactive needs it shut down (Not Activated)",
}

_KIND_OF_STATE = {"Running": ACTIVE, "Not Activated": INACTIVE, "Suspended": SUSPENDED}

_NO_KIND = {
    "Error": "a crashed partition (state Error) cannot be migrated; restart it first",
    "Open Firmware": "it is at the firmware (SMS/OK) prompt: boot it (active) or shut it down "
    "(inactive)",
    "Starting": "it is starting: wait until Running",
    "Shutting Down": "it is shutting down: wait until Not Activated",
    "Suspending": "it is suspending: wait until Suspended",
    "Resuming": "it is resuming: wait until Running",
    "Not Available": "the HMC reports it Not Available",
    "Hardware Discovery": "the frame is in hardware discovery: wait",
}


# Worked out once per distinct state: the judge keeps every partition's reason, and a fleet's
# partitions are in a handful of states (one reason string each, not one per partition).
@lru_cache(maxsize=256)
def mobility_kind(state: str) -> tuple[str | None, str]:
    """(kind or None, the reason in words)."""
    kind = _KIND_OF_STATE.get(state)
    if kind is not None:
        return kind, f"state {state}: {kind} mobility; {_OTHERS[kind]}"
    if state.startswith("Migrating"):
        return None, f"state {state}: a migration of this partition is already under way"
    if not state:
        return None, "the HMC has not reported the partition's state"
    why = _NO_KIND.get(state, "no kind of mobility applies to this state")
    return None, f"state {state}: {why}"
