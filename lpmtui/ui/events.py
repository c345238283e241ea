"""What changed between two fleet snapshots that the user must be told about (no Textual).

Connection losses and recoveries, migrations that ended, and which HMCs' data went stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lpmtui.model import ConnectionState, FleetSnapshot, MigrationStatus
from lpmtui.ui import format as fmt

STALE_AFTER_POLLS = 2


@dataclass(frozen=True, slots=True)
class Notice:
    message: str
    severity: str = "information"  # information | warning | error


def stale_hmcs(
    snapshot: FleetSnapshot, now: float, intervals: Mapping[str, float], default: float
) -> dict[str, float]:
    """HMC name -> data age, for HMCs whose data is older than two poll intervals."""
    stale: dict[str, float] = {}
    for hmc in snapshot.hmcs:
        if not hmc.taken_at:
            continue
        age = now - hmc.taken_at
        if age > STALE_AFTER_POLLS * intervals.get(hmc.hmc, default):
            stale[hmc.hmc] = age
    return stale


def connection_notices(before: FleetSnapshot | None, after: FleetSnapshot) -> list[Notice]:
    """'hmc1 lost: …' when a connected HMC drops, 'hmc1 back' when it reconnects."""
    if before is None:
        return []
    old = {h.hmc: h.state for h in before.hmcs}
    notices = []
    for hmc in after.hmcs:
        was = old.get(hmc.hmc)
        if was is ConnectionState.CONNECTED and hmc.state is not ConnectionState.CONNECTED:
            why = hmc.last_error or fmt.connection_label(hmc)
            notices.append(Notice(f"{hmc.hmc} lost: {why}", "error"))
        elif was not in (None, ConnectionState.CONNECTED, ConnectionState.CONNECTING) and (
            hmc.state is ConnectionState.CONNECTED
        ):
            notices.append(Notice(f"{hmc.hmc} is back", "information"))
        elif was is not hmc.state and hmc.state is ConnectionState.AUTH_FAILED:
            notices.append(Notice(f"{hmc.hmc}: authentication failed", "error"))
    return notices


def migrations_in(snapshot: FleetSnapshot) -> dict[str, MigrationStatus]:
    """Partition name -> its running migration, across the fleet."""
    return {m.name: m for h in snapshot.hmcs for f in h.frames for m in f.migrations if m.migrating}


def migration_notices(before: Mapping[str, MigrationStatus], after: FleetSnapshot) -> list[Notice]:
    """A migration that was running and no longer is: say where the partition is now."""
    now_running = migrations_in(after)
    where = {p.name: p.system for h in after.hmcs for f in h.frames for p in f.partitions}
    notices = []
    for name, status in before.items():
        if name in now_running:
            continue
        place = where.get(name)
        if place and place == status.dest_sys_name:
            notices.append(Notice(f"{name} migrated to {place}"))
        elif place:
            notices.append(Notice(f"{name} migration ended; still on {place}", "warning"))
        else:
            notices.append(Notice(f"{name} migration ended; partition not seen yet", "warning"))
    return notices
