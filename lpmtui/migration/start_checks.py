"""What must hold before a migration is queued: the partition's name typed (never empty),
and no other migration of that partition, here or seen on its HMC: none from the same frame,
and none still open towards it (the partition may be the one that move brought there)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lpmtui.migration.inventory import listed_migration
from lpmtui.migration.jobs import Job
from lpmtui.migration.types import ConfirmationError, MigrationError, MigrationRequest


def refuse_unconfirmed(request: MigrationRequest, confirmed_name: str) -> None:
    if not confirmed_name.strip():  # whatever the partition's name: nothing typed is no "yes"
        raise ConfirmationError(
            f"no partition name was typed for {request.partition!r}; nothing was started"
        )
    if confirmed_name != request.partition:
        raise ConfirmationError(
            f"the typed name {confirmed_name!r} does not match partition "
            f"{request.partition!r}; nothing was started"
        )


def refuse_second_migration(jobs: Iterable[Job], fleet: Any, request: MigrationRequest) -> None:
    for job in jobs:
        if job.request.partition != request.partition or job.state.terminal:
            continue
        if job.request.source == request.source:
            raise MigrationError(
                f"{request.partition} already has a migration here ({job.state}); "
                "nothing was started"
            )
        if job.request.target == request.source:
            # Its move here may have landed unconfirmed (the target cannot hold a namesake
            # while it is open): moving it on or back now would leave that move's outcome
            # unknowable ("ended without error but still on its source"; the fault soak).
            raise MigrationError(
                f"{request.partition} already has a migration here ({job.state}, "
                f"{job.request.source} -> {job.request.target}, not settled); nothing was started"
            )
    status = listed_migration(fleet, request)
    if status is not None and status.migrating:
        raise MigrationError(
            f"{request.partition} is already migrating ({status.migration_state}); "
            "nothing was started"
        )
