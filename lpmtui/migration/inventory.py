"""What the fleet inventory (its latest snapshot) says about one partition, for the migration
core: where it is listed, whether the HMC lists it migrating, and which kind of move it needs."""

from __future__ import annotations

from typing import Any

from lpmtui.migration.types import MigrationRequest
from lpmtui.model import MigrationStatus, Partition


def partition_on(fleet: Any, system: str, name: str) -> tuple[bool, Partition | None]:
    """(frame watched, the partition if the fleet inventory lists it on that frame)."""
    found = fleet.snapshot.frame(system)
    if found is None:
        return False, None
    return True, next((p for p in found[1].partitions if p.name == name), None)


def listed_migration(fleet: Any, request: MigrationRequest) -> MigrationStatus | None:
    """The source frame's last ``lslparmigr -r lpar`` line for the request's partition."""
    found = fleet.snapshot.frame(request.source)
    if found is None:
        return None
    return next((m for m in found[1].migrations if m.name == request.partition), None)


def migration_kind(fleet: Any, request: MigrationRequest) -> str:
    """``inactive`` for a partition listed "Not Activated", else ``active``."""
    _, partition = partition_on(fleet, request.source, request.partition)
    if partition is not None and partition.state == "Not Activated":
        return "inactive"
    return "active"
