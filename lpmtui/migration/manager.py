"""MigrationManager: validate, start, watch, stop and recover partition migrations.

API (all coroutines run on the console's asyncio loop; ``MigrationProgress`` is frozen)::

    manager = MigrationManager.for_settings(fleet, settings)   # paths, intervals, read-only
    # or MigrationManager(fleet, journal=Journal(), audit=AuditLog(), read_only=False,
    #                     clock=None, poll_interval=2.0, stall_after=120.0)
    unsubscribe = manager.subscribe(callback)        # callback(MigrationProgress) on every change
    manager.build_command(request) -> tuple[str, ...]  # the exact migrlpar -o m argv
    manager.command_line(request) -> str               # ... as the one line the dialog shows
    await manager.validate(request) -> ValidationResult  # migrlpar -o v (allowed read-only)
    await manager.start(request, confirmed_name=..., confirmation=...) -> MigrationProgress
    await manager.stop(job_id, confirmed=True) -> MigrationProgress      # migrlpar -o s
    await manager.recover(job_id, confirmed=True, force=False) -> MigrationProgress  # -o r
    manager.cancel(job_id) -> MigrationProgress       # a queued job only; nothing was sent
    await manager.reattach() -> list[MigrationProgress]  # after a restart or reconnect
    manager.jobs() -> list[MigrationProgress]; manager.job(job_id) -> MigrationProgress
    await manager.close()   # stops watching; migrations go on on the HMC, the journal keeps them

Refusals raise ``ReadOnlyError`` / ``ConfirmationError`` / ``MigrationError`` (one-line str).

How it works: ``migrlpar -o m`` runs on its own channel (``link.run_long``) and blocks until the
migration ends. While anything runs, one watcher polls ONE ``lslparmigr -r lpar -m SRC`` per
source frame every ``poll_interval`` seconds for byte counts (percent, rate, ETA, stall), and
settles each job from that plus the fleet inventory (``migration_outcome.judge``): success
means running on the target and gone from the source. Extra requests wait in a queue until the
limits allow them (``migration_limits``). Each migration is journaled before its command is
sent; a sent migration whose outcome is unknown is watched, never re-sent. Every
state-changing command is written to the audit log before it is sent and when it ends.

Modules: migration_types (request, states, progress, errors), migration_hmc (argv + parsing),
migration_limits, migration_progress (percent/rate/ETA/stall), migration_outcome (verdicts),
migration_watch (the poll), migration_jobs, migration_queue (start queue and launch),
migration_records (journal and audit), migration_ops (stop/recover/cancel),
migration_support; journal and audit beside them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from lpmtui.common.listeners import Listeners
from lpmtui.config.model import Settings
from lpmtui.hmc.commands import command_line
from lpmtui.migration import hmc_io
from lpmtui.migration.bookkeeping import JobRecords
from lpmtui.migration.jobs import Job, job_from_journal
from lpmtui.migration.launch_queue import LaunchQueue
from lpmtui.migration.operator_actions import OperatorActions
from lpmtui.migration.progress import ProgressMeter
from lpmtui.migration.support import (
    Clock,
    MonotonicClock,
    configured_secrets,
    connected,
    hmc_message,
    link_for,
    run_command,
    validation_summary,
)
from lpmtui.migration.types import (
    ConfirmationError,
    MigrationError,
    MigrationProgress,
    MigrationRequest,
    MigrationState,
    ReadOnlyError,
)
from lpmtui.migration.watch import Watcher, partition_on
from lpmtui.model import FleetSnapshot, MigrationStatus, ValidationResult
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal

__all__ = [
    "ConfirmationError",
    "MigrationError",
    "MigrationManager",
    "MigrationProgress",
    "MigrationRequest",
    "MigrationState",
    "ReadOnlyError",
]

log = logging.getLogger(__name__)
S = MigrationState
_SETTLED = (S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY, S.CANCELLED)


class MigrationManager(JobRecords, LaunchQueue, OperatorActions):
    def __init__(
        self,
        fleet: Any,
        *,
        journal: Journal | None = None,
        audit: AuditLog | None = None,
        clock: Clock | None = None,
        poll_interval: float = 2.0,
        stall_after: float = 120.0,
        read_only: bool = False,
        fallback_limit: int = 1,
        msp_capacity: int = 4,
        confirm_timeout: float = 60.0,
        command_timeout: float = 60.0,
        validate_timeout: float = 900.0,
    ) -> None:
        self.fleet = fleet
        self.journal = journal if journal is not None else Journal()
        self.audit = audit if audit is not None else AuditLog()
        self.clock: Clock = clock if clock is not None else MonotonicClock()
        self.poll_interval = poll_interval
        self.stall_after = stall_after
        self.read_only = read_only
        self.fallback_limit = fallback_limit
        self.msp_capacity = msp_capacity
        self.confirm_timeout = confirm_timeout
        self.command_timeout = command_timeout
        self.validate_timeout = validate_timeout
        self._jobs: dict[str, Job] = {}
        self._subscribers: Listeners[MigrationProgress] = Listeners(
            "migration progress subscriber", log
        )
        self._validations: dict[MigrationRequest, ValidationResult] = {}
        self._watcher: asyncio.Task | None = None
        self._watch = Watcher(
            fleet,
            self.clock,
            apply=self._set_state,
            emit=self._emit,
            command_timeout=command_timeout,
            confirm_timeout=confirm_timeout,
        )
        self._closed = False
        self._cold_due: dict[str, bool] = {}  # frame -> refresh again after the running one
        self._cold_tasks: set[asyncio.Task] = set()
        subscribe = getattr(fleet, "subscribe", None)
        self._unsubscribe_fleet = subscribe(self._on_snapshot) if callable(subscribe) else None

    @classmethod
    def for_settings(
        cls,
        fleet: Any,
        settings: Settings,
        *,
        clock: Clock | None = None,
        secrets: Iterable[str] = (),
        read_only: bool | None = None,
    ) -> MigrationManager:
        """A manager wired to the config: journal and audit files, intervals, read-only.

        Known secrets (passwords in the config or its environment variables, plus ``secrets``,
        e.g. a password typed at a prompt) are registered with the audit log as a second guard.
        """
        audit = AuditLog(settings.audit_file, secrets=[*secrets, *configured_secrets(settings)])
        return cls(
            fleet,
            journal=Journal(settings.journal_file),
            audit=audit,
            clock=clock,
            poll_interval=settings.migration_poll_interval,
            stall_after=settings.stall_after,
            read_only=settings.read_only if read_only is None else read_only,
            command_timeout=settings.command_timeout,
        )

    # -- observing ------------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[MigrationProgress], None]) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def jobs(self) -> list[MigrationProgress]:
        return [self._progress(job) for job in self._jobs.values()]

    def job(self, job_id: str) -> MigrationProgress:
        return self._progress(self._get(job_id))

    def _get(self, job_id: str) -> Job:
        try:
            return self._jobs[job_id]
        except KeyError:
            raise MigrationError(f"no migration job {job_id!r} in this console") from None

    def _progress(self, job: Job) -> MigrationProgress:
        position = None
        if job.state is S.QUEUED:
            queued = [j for j in self._jobs.values() if j.state is S.QUEUED]
            position = queued.index(job) + 1
        return job.progress(self.clock.now(), position)

    def _emit(self, job: Job) -> None:
        # a broken subscriber must not stop a migration being watched: Listeners logs it
        self._subscribers.emit(self._progress(job))

    # -- commands -------------------------------------------------------------------------------

    def build_command(self, request: MigrationRequest) -> tuple[str, ...]:
        return hmc_io.migrate_argv(request)

    def stop_command(self, job_id: str) -> tuple[str, ...]:
        """The exact argv ``stop(job_id)`` sends: what a confirmation must show."""
        return hmc_io.stop_argv(self._get(job_id).request)

    def recover_command(self, job_id: str, *, force: bool = False) -> tuple[str, ...]:
        """The exact argv ``recover(job_id, force=force)`` sends."""
        return hmc_io.recover_argv(self._get(job_id).request, force=force)

    def command_line(self, request: MigrationRequest) -> str:
        return command_line(self.build_command(request))

    # -- validate -------------------------------------------------------------------------------

    async def validate(self, request: MigrationRequest) -> ValidationResult:
        """``migrlpar -o v`` with the request's options; the HMC's verdict, messages verbatim."""
        argv = hmc_io.validate_argv(request)
        link = link_for(self.fleet, request.source)
        started = self.clock.now()
        result = await run_command(link, argv, long=False, timeout=self.validate_timeout)
        duration = self.clock.now() - started
        validation = hmc_io.parse_validation(request, result.rc, result.stdout, time.time())
        self._validations[request] = validation
        outcome = "ok" if validation.ok else ("outcome unknown" if result.rc is None else "failed")
        self._audit(
            "validate",
            request,
            link,
            phase="done",
            argv=argv,
            rc=result.rc,
            outcome=outcome,
            duration=round(duration, 3),
            validation=validation_summary(validation),
            message="" if validation.ok else hmc_message(result),
        )
        return validation

    # -- start ----------------------------------------------------------------------------------

    async def start(
        self,
        request: MigrationRequest,
        *,
        confirmed_name: str,
        confirmation: str = "partition name typed",
    ) -> MigrationProgress:
        """Queue the migration; it starts at once when the limits allow (see ``state``).
        ``confirmation`` says in the audit log how the user confirmed (an evacuation confirms
        all its moves with the frame's name, see ``evacuation_run``)."""
        argv = self.build_command(request)
        self._refuse_read_only("migrate", request, argv)
        if confirmed_name != request.partition:
            raise ConfirmationError(
                f"the typed name {confirmed_name!r} does not match partition "
                f"{request.partition!r}; nothing was started"
            )
        for job in self._jobs.values():
            same = job.request.source == request.source
            same = same and job.request.partition == request.partition
            if same and not job.state.terminal:
                raise MigrationError(
                    f"{request.partition} already has a migration here ({job.state}); "
                    "nothing was started"
                )
        status = self._snapshot_status(request)
        if status is not None and status.migrating:
            raise MigrationError(
                f"{request.partition} is already migrating ({status.migration_state}); "
                "nothing was started"
            )
        link = link_for(self.fleet, request.source)
        if not connected(link):
            raise MigrationError(
                f"{link.name} is not connected ({link.state}); nothing was started"
            )
        job = Job(
            id=uuid.uuid4().hex[:12],
            request=request,
            kind=request.kind or self._kind_of(request),
            argv=argv,
            hmc=link.name,
            meter=ProgressMeter(stall_after=self.stall_after),
            validation=validation_summary(self._validations.get(request)),
            confirmation=confirmation,
        )
        self._journal_or_refuse(
            job.id,
            "queued",
            state=S.QUEUED.value,
            request=request.to_dict(),
            hmc=job.hmc,
            kind=job.kind,
        )
        self._jobs[job.id] = job
        self._emit(job)
        self._pump()
        return self._progress(job)

    def _snapshot(self) -> FleetSnapshot:
        return self.fleet.snapshot

    def _snapshot_status(self, request: MigrationRequest) -> MigrationStatus | None:
        found = self._snapshot().frame(request.source)
        if found is None:
            return None
        return next((m for m in found[1].migrations if m.name == request.partition), None)

    def _kind_of(self, request: MigrationRequest) -> str:
        _, partition = partition_on(self.fleet, request.source, request.partition)
        if partition is not None and partition.state == "Not Activated":
            return "inactive"
        return "active"

    # -- watching -------------------------------------------------------------------------------

    def _set_state(self, job: Job, state: S, message: str) -> bool:
        """Apply, journal and emit a change; False when nothing changed (nothing emitted)."""
        changed = state is not job.state
        if not changed and message == job.message:
            return False
        job.state, job.message = state, message
        if changed:
            self._journal(job.id, "state", state=state.value, message=message)
        if state in _SETTLED:
            job.ended_at = self.clock.now()
            if job.outcome_open is not None:
                op, argv = job.outcome_open
                job.outcome_open = None
                self._audit(
                    op,
                    job,
                    phase="done",
                    argv=argv,
                    hmc=job.hmc,
                    outcome=state.value,
                    determined_by="re-attach",
                    message=message,
                )
        self._emit(job)
        if changed and state in _SETTLED and state is not S.CANCELLED:
            for system in (job.request.source, job.request.target):
                self._refresh_cold(system)
        if changed and not state.running:
            self._pump()
        return True

    def _refresh_cold(self, system: str) -> None:
        """After a migration ends, fetch both frames' cold data (profiles, adapters, slots)
        now, not at the next cold poll: the checks of what just moved need it (bringing a
        partition home is judged on it). Refreshes of one frame coalesce: one runs, and one
        more after it when another migration ended meanwhile."""
        cold = getattr(self.fleet, "cold", None)
        if self._closed or not callable(cold):
            return
        if system in self._cold_due:
            self._cold_due[system] = True  # run once more when the current one is done
            return
        self._cold_due[system] = False

        async def refresh() -> None:
            try:
                while True:
                    try:
                        await cold(system)
                    except Exception as exc:  # a frame gone or an HMC down: the next poll will do
                        log.info("cold data of %s not refreshed after a migration: %s", system, exc)
                    if not self._cold_due.get(system):
                        return
                    self._cold_due[system] = False
            finally:
                self._cold_due.pop(system, None)

        task = asyncio.get_running_loop().create_task(refresh())
        self._cold_tasks.add(task)
        task.add_done_callback(self._cold_tasks.discard)

    def _ensure_watcher(self) -> None:
        if self._closed or (self._watcher is not None and not self._watcher.done()):
            return
        self._watcher = asyncio.get_running_loop().create_task(self._watch_loop())

    async def _watch_loop(self) -> None:
        while any(j.watched for j in self._jobs.values()):
            await self.clock.sleep(self.poll_interval)
            await self._tick()

    async def _tick(self) -> None:
        await self._watch.tick(lambda: [j for j in self._jobs.values() if j.watched])
        self._pump()

    # -- re-attach ------------------------------------------------------------------------------

    async def reattach(self) -> list[MigrationProgress]:
        """Take over the journal's unsettled migrations and ask the HMCs what became of them.

        Call at start-up and after a connection comes back. A journaled migration that was
        never sent is cancelled (not started late); one that was sent is watched until the HMC
        and the inventory tell its true outcome. Nothing is ever re-sent.
        """
        for entry in self.journal.jobs().values():
            if entry.job in self._jobs:
                continue
            job = job_from_journal(
                entry, self.build_command, stall_after=self.stall_after, now=self.clock.now()
            )
            if job is None:
                continue
            self._jobs[job.id] = job
            if not entry.sent:
                self._set_state(
                    job,
                    S.CANCELLED,
                    "was queued when the console stopped; "
                    "nothing had been sent, so it was not started",
                )
                continue
            if job.state is S.OUTCOME_UNKNOWN:
                self._journal(job.id, "state", state=job.state.value, message=job.message)
            self._emit(job)
        await self._tick()
        self._ensure_watcher()
        return self.jobs()

    async def close(self) -> None:
        """Stop watching. Migrations continue on the HMC; the journal lets a later run re-attach."""
        self._closed = True
        if self._unsubscribe_fleet is not None:
            self._unsubscribe_fleet()
            self._unsubscribe_fleet = None
        tasks = [t for j in self._jobs.values() for t in j.tasks] + list(self._cold_tasks)
        if self._watcher is not None:
            tasks.append(self._watcher)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
