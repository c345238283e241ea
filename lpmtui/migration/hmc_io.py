"""The HMC commands the migration core sends, as argv, and how their output is read.

Argv comes from ``lpmtui.hmc.commands`` and output is parsed by ``lpmtui.hmc.parse``; this
module only maps a ``MigrationRequest`` onto those builders so the dialog, the manager and the
audit log all show the very same argv.
"""

from __future__ import annotations

from dataclasses import dataclass

from lpmtui.hmc import commands, records
from lpmtui.hmc.parse_migration import migrations, validation
from lpmtui.migration.types import MigrationRequest
from lpmtui.model import MigrationStatus, ValidationResult


def _inputs(request: MigrationRequest) -> commands.MigrationInputs:
    return commands.MigrationInputs(
        source_msp_name=request.source_msp_name or None,
        source_msp_id=request.source_msp_id,
        dest_msp_name=request.dest_msp_name or None,
        dest_msp_id=request.dest_msp_id,
        shared_proc_pool_name=request.shared_proc_pool_name or None,
        shared_proc_pool_id=request.shared_proc_pool_id,
        dest_lpar_id=request.dest_lpar_id,
        virtual_scsi_mappings=request.virtual_scsi_mappings,
        virtual_fc_mappings=request.virtual_fc_mappings,
    )


def _selector(request: MigrationRequest) -> int | str:
    # By id where we know it: ``-p`` takes a comma-separated list on the HMC, so a name holding a
    # comma would name other partitions. The dialog shows the name beside the command.
    return request.lpar_id if request.lpar_id is not None else request.partition


def _moving(op: commands.MigrationOp, request: MigrationRequest) -> tuple[str, ...]:
    return commands.migrlpar(
        op,
        request.source,
        _selector(request),
        target=request.target,
        remote_ip=request.remote_hmc or None,
        remote_user=(request.remote_user or None) if request.remote_hmc else None,
        profile=request.profile_name or None,
        inputs=_inputs(request),
    ).argv


def migrate_argv(request: MigrationRequest) -> tuple[str, ...]:
    """``migrlpar -o m ...``: the exact command the dialog shows and the manager sends."""
    return _moving("m", request)


def validate_argv(request: MigrationRequest) -> tuple[str, ...]:
    """``migrlpar -o v ...`` with the same options as the migration itself."""
    return _moving("v", request)


def stop_argv(request: MigrationRequest) -> tuple[str, ...]:
    return commands.migrlpar("s", request.source, _selector(request)).argv


def recover_argv(request: MigrationRequest, *, force: bool = False) -> tuple[str, ...]:
    return commands.migrlpar("r", request.source, _selector(request), force=force).argv


def status_argv(system: str) -> tuple[str, ...]:
    """One ``lslparmigr -r lpar`` for a whole frame (never one per partition)."""
    return commands.partition_migrations(system).argv


@dataclass(frozen=True, slots=True)
class FrameStatuses:
    """One ``lslparmigr -r lpar`` answer, with what of it could not be read.

    A partition whose record was unreadable, or one not listed in an answer with an unreadable
    line (or an empty answer: an HMC says ``No results were found.``), is *unknown*: it may be
    on that line. Unknown is never "not migrating".
    """

    statuses: tuple[MigrationStatus, ...] = ()
    doubtful: frozenset[str] = frozenset()  # partitions whose record had an unreadable value
    complete: bool = True  # every line was a named record: an unlisted partition is not there
    problems: tuple[str, ...] = ()

    def lookup(self, partition: str) -> tuple[bool, MigrationStatus | None]:
        """(readable, status): status None with readable True means "not listed"."""
        if partition in self.doubtful:
            return False, None
        found = next((s for s in self.statuses if s.name == partition), None)
        return (found is not None or self.complete), found


def parse_statuses(text: str) -> FrameStatuses:
    """Statuses of the frame's partitions, each record read on its own (see FrameStatuses)."""
    if not text.strip():
        return FrameStatuses(complete=False, problems=("empty answer",))
    rows, bad = records.parse_tolerant(text)
    problems = [f"line {e.line}: {e.reason}" for e in bad]
    statuses: list[MigrationStatus] = []
    doubtful: set[str] = set()
    complete = not bad
    for row in rows:
        parsed = migrations(records.format_record(row))
        if parsed.problems or len(parsed.items) != 1:
            name = row.get("name", "")
            doubtful.add(name)
            complete = complete and bool(name)
            problems.extend(f"{name or 'unnamed record'}: {p}" for p in parsed.problems)
            continue
        statuses.append(parsed.items[0])
    return FrameStatuses(tuple(statuses), frozenset(doubtful), complete, tuple(problems))


def parse_validation(
    request: MigrationRequest, rc: int | None, stdout: str, taken_at: float
) -> ValidationResult:
    return validation(
        stdout,
        rc,
        partition=request.partition,
        source=request.source,
        target=request.target,
        taken_at=taken_at,
    )
