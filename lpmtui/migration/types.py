"""What the migration core takes and emits: requests, states, progress snapshots, errors.

``MigrationRequest`` is what the migrate dialog fills in. ``MigrationProgress`` is the frozen
snapshot the migrations panel shows: one per job, re-emitted on every change. Errors are
one-line and user-facing (``str(err)`` is what to show).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

GB = 1024**3


class MigrationError(Exception):
    """A migration request the core refuses; ``str()`` is one line for the user."""


class ReadOnlyError(MigrationError):
    """The console runs read-only: migrate, stop and recover are refused."""


class ConfirmationError(MigrationError):
    """The typed confirmation does not match the partition's name."""


class MigrationState(StrEnum):
    QUEUED = "queued"  # not yet allowed by the limits; nothing sent yet
    # allowed by the limits and handed to the HMC link, which has no free channel for it yet:
    # not sent yet, but it may go at any moment (so it is journaled as possibly sent)
    WAITING = "waiting for a channel"
    STARTING = "starting"  # migrlpar -o m sent, the HMC has not reported progress yet
    IN_PROGRESS = "in progress"
    STOPPING = "stopping"  # migrlpar -o s sent
    RECOVERING = "recovering"  # migrlpar -o r sent
    SUCCEEDED = "succeeded"  # verified: running on the target, gone from the source
    FAILED = "failed"  # ended, partition not moved and not stuck (no recovery needed)
    STOPPED = "stopped"  # stopped on request, partition back on the source
    RECOVERED = "recovered"  # recovery completed
    NEEDS_RECOVERY = "needs recovery"  # ended with the partition stuck mid-migration
    OUTCOME_UNKNOWN = "outcome unknown"  # the HMC cannot be asked right now; never re-sent
    CANCELLED = "cancelled"  # removed from the queue before anything was sent

    @property
    def terminal(self) -> bool:
        return self in _TERMINAL

    @property
    def running(self) -> bool:
        """Holds a migration slot on the HMC (or may: a sent command not yet settled)."""
        return self in _RUNNING


_TERMINAL = frozenset(
    {
        MigrationState.SUCCEEDED,
        MigrationState.FAILED,
        MigrationState.STOPPED,
        MigrationState.RECOVERED,
        MigrationState.CANCELLED,
    }
)
_RUNNING = frozenset(
    {
        MigrationState.STARTING,
        MigrationState.IN_PROGRESS,
        MigrationState.STOPPING,
        MigrationState.RECOVERING,
        MigrationState.OUTCOME_UNKNOWN,
    }
)


@dataclass(frozen=True, slots=True)
class MigrationRequest:
    """One partition to move, as the migrate dialog chose it.

    ``kind`` is "active" or "inactive" (None: derived from the partition's state). For a target
    managed by another HMC set ``remote_hmc`` (the address the source HMC uses, ``--ip``) and
    ``remote_user`` (``-u``). Mappings are the HMC's ``slot/vios_name/vios_id[/...]`` strings.
    """

    partition: str
    source: str
    target: str
    lpar_id: int | None = None
    kind: str | None = None
    dest_lpar_id: int | None = None
    profile_name: str = ""
    source_msp_name: str = ""
    source_msp_id: int | None = None
    dest_msp_name: str = ""
    dest_msp_id: int | None = None
    shared_proc_pool_id: int | None = None
    shared_proc_pool_name: str = ""
    virtual_scsi_mappings: tuple[str, ...] = ()
    virtual_fc_mappings: tuple[str, ...] = ()
    remote_hmc: str = ""
    remote_user: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MigrationRequest:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("virtual_scsi_mappings", "virtual_fc_mappings"):
            values[name] = tuple(values.get(name) or ())
        return cls(**values)

    @property
    def label(self) -> str:
        return f"{self.partition} {self.source} → {self.target}"


@dataclass(frozen=True, slots=True)
class MigrationProgress:
    """One migration as the panel shows it. Emitted again (a new object) on every change.

    ``percent``, ``rate`` (bytes/s), ``eta`` (seconds) and the byte counts are None until the
    HMC reports them. ``elapsed`` counts from when the command was sent to the HMC (0 until
    then) to its outcome. ``waited`` is the time before that: queued for the limits and waiting
    for a channel (still growing while the job has not been sent). ``queue_position`` is
    1-based for queued jobs, None otherwise.
    """

    job_id: str
    partition: str
    source: str
    target: str
    kind: str
    state: MigrationState
    hmc: str = ""
    remote_hmc: str = ""
    percent: float | None = None
    bytes_moved: int | None = None
    bytes_total: int | None = None
    rate: float | None = None
    eta: float | None = None
    elapsed: float = 0.0
    waited: float = 0.0
    stalled: bool = False
    message: str = ""
    queue_position: int | None = None
    reattached: bool = False
    command: str = ""  # the exact migrlpar -o m command line (elsewhere: its stop command)
    started_here: bool = True  # False: started elsewhere, seen in lslparmigr (``external``)

    @property
    def gb_moved(self) -> float | None:
        return None if self.bytes_moved is None else self.bytes_moved / GB

    @property
    def gb_total(self) -> float | None:
        return None if self.bytes_total is None else self.bytes_total / GB

    @property
    def can_stop(self) -> bool:
        return self.state in (MigrationState.STARTING, MigrationState.IN_PROGRESS)

    @property
    def can_recover(self) -> bool:
        return self.state in (MigrationState.NEEDS_RECOVERY, MigrationState.FAILED)

    @property
    def can_cancel(self) -> bool:
        return self.state is MigrationState.QUEUED
