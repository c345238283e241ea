"""MigrationManager: validate, start, watch, stop and recover partition migrations.

API (all coroutines run on the console's asyncio loop; ``MigrationProgress`` is frozen)::

    manager = MigrationManager.for_settings(fleet, settings)   # paths, intervals, read-only
    # or MigrationManager(fleet, journal=Journal(), audit=AuditLog(), read_only=False,
    #                     clock=None, poll_interval=2.0, stall_after=120.0, hmc_identities=None)
    unsubscribe = manager.subscribe(callback)        # callback(MigrationProgress) on every change
    manager.build_command(request) -> tuple[str, ...]  # the exact migrlpar -o m argv
    manager.command_line(request) -> str               # ... as the one line the dialog shows
    manager.stop_command(job_id) / manager.recover_command(job_id, force=...)  # what they send
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
settles each job from that plus the fleet inventory (``outcome.judge``): success means running
on the target and gone from the source. Extra requests wait in a queue until the limits allow
them (``limits``). Each migration is journaled before its command is sent; a sent migration
whose outcome is unknown is watched, never re-sent. Every state-changing command is written to
the audit log before it is sent and when it ends.

The manager is the package's composition root: it owns the shared ``JobTable`` and the
``JournalAuditWriter`` and hands them, with explicit callbacks, to ``LaunchQueue`` (start queue,
launch), ``OperatorActions`` (stop/recover/cancel), ``Watcher`` (the poll), ``ColdRefresher``
(cold data after a migration), ``StateChanges``; it keeps watch loop, validate, start, re-attach.
Re-attach takes over only the journal entries of this configuration's HMCs (``hmc_identity``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lpmtui.common.clock import Clock, RealClock
from lpmtui.config.model import Settings
from lpmtui.hmc.commands import command_line
from lpmtui.migration import hmc_identity, hmc_io
from lpmtui.migration.cold_refresh import ColdRefresher
from lpmtui.migration.external import ExternalMigrations
from lpmtui.migration.inventory import migration_kind
from lpmtui.migration.job_table import JobTable
from lpmtui.migration.jobs import Job, job_from_journal
from lpmtui.migration.journal_audit import JournalAuditWriter
from lpmtui.migration.launch_queue import LaunchQueue
from lpmtui.migration.operator_actions import OperatorActions
from lpmtui.migration.progress import ProgressMeter
from lpmtui.migration.start_checks import refuse_second_migration, refuse_unconfirmed
from lpmtui.migration.state_changes import StateChanges
from lpmtui.migration.support import (
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
from lpmtui.migration.watch import Watcher
from lpmtui.model import FleetSnapshot, ValidationResult
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

S = MigrationState


class MigrationManager:
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
        hmc_identities: Mapping[str, str] | None = None,  # see hmc_identity
    ) -> None:
        self.fleet = fleet
        self.hmc_identities = hmc_identities
        self.journal = journal if journal is not None else Journal()
        self.audit = audit if audit is not None else AuditLog()
        self.clock: Clock = clock if clock is not None else RealClock()
        self.poll_interval = poll_interval  # read at every poll: may be changed while running
        self.stall_after = stall_after
        self.validate_timeout = validate_timeout
        self._jobs = JobTable(self.clock)
        self._writer = JournalAuditWriter(self.journal, self.audit, read_only=read_only)
        self._queue = LaunchQueue(
            self._jobs,
            self._writer,
            fleet,
            self.clock,
            fallback_limit=fallback_limit,
            msp_capacity=msp_capacity,
            on_sent=self._ensure_watcher,
            after_command=self._tick,
        )
        self._cold = ColdRefresher(fleet)
        self._changes = StateChanges(
            self._jobs,
            self._writer,
            self.clock,
            on_settled=self._cold.refresh,
            pump=self._queue.pump,
        )
        self._actions = OperatorActions(
            self._jobs,
            self._writer,
            fleet,
            self.clock,
            command_timeout=command_timeout,
            set_state=self._changes.apply,
            pump=self._queue.pump,
            watch=self._ensure_watcher,
            look=self._tick,
        )
        self._watch = Watcher(
            fleet,
            self.clock,
            apply=self._changes.apply,
            emit=self._jobs.emit,
            command_timeout=command_timeout,
            confirm_timeout=confirm_timeout,
        )
        # migrations started elsewhere (``external``)
        self.elsewhere = ExternalMigrations(fleet, self._writer, self.clock, self._jobs)
        self.elsewhere.stall_after, self.elsewhere.command_timeout = stall_after, command_timeout
        self._validations: dict[MigrationRequest, ValidationResult] = {}
        self._watcher: asyncio.Task | None = None
        self._closed = False
        subscribe = getattr(fleet, "subscribe", None)
        self._unsubscribe_fleet = subscribe(self._on_snapshot) if callable(subscribe) else None

    @property
    def read_only(self) -> bool:
        """Migrate, stop and recover are refused (and audited as refused) when True."""
        return self._writer.read_only

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
            hmc_identities=hmc_identity.identities(settings),
        )

    # -- observing ------------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[MigrationProgress], None]) -> Callable[[], None]:
        return self._jobs.subscribe(callback)

    def jobs(self) -> list[MigrationProgress]:
        return self._jobs.all_progress()

    def job(self, job_id: str) -> MigrationProgress:
        return self._jobs.progress(self._jobs.get(job_id))

    # -- commands -------------------------------------------------------------------------------
    def build_command(self, request: MigrationRequest) -> tuple[str, ...]:
        return hmc_io.migrate_argv(request)

    def stop_command(self, job_id: str) -> tuple[str, ...]:
        """The exact argv ``stop(job_id)`` sends: what a confirmation must show."""
        if job_id in self.elsewhere:
            return self.elsewhere.stop_command(job_id)
        return hmc_io.stop_argv(self._jobs.get(job_id).request)

    def recover_command(self, job_id: str, *, force: bool = False) -> tuple[str, ...]:
        """The exact argv ``recover(job_id, force=force)`` sends."""
        return hmc_io.recover_argv(self._jobs.get(job_id).request, force=force)

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
        self._writer.audit(
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
        typed: str | None = None,
        evacuation: str = "",
    ) -> MigrationProgress:
        """Queue the migration; it starts at once when the limits allow (see ``state``).
        ``confirmation`` says in the audit log how the user confirmed (an evacuation confirms
        all its moves with the frame's name, see ``evacuation.run``), ``typed`` what was typed
        (default: ``confirmed_name``), ``evacuation`` the id of the evacuation it belongs to."""
        argv = self.build_command(request)
        self._writer.refuse_read_only("migrate", request, argv)
        refuse_unconfirmed(request, confirmed_name)
        refuse_second_migration(self._jobs, self.fleet, request)
        link = link_for(self.fleet, request.source)
        if not connected(link):
            raise MigrationError(
                f"{link.name} is not connected ({link.state}); nothing was started"
            )
        job = Job(
            id=uuid.uuid4().hex[:12],
            request=request,
            kind=request.kind or migration_kind(self.fleet, request),
            argv=argv,
            hmc=link.name,
            meter=ProgressMeter(stall_after=self.stall_after),
            validation=validation_summary(self._validations.get(request)),
            confirmation=confirmation,
            typed=confirmed_name if typed is None else typed,
            evacuation=evacuation,
            queued_at=self.clock.now(),
        )
        self._writer.journal_or_refuse(
            job.id,
            "queued",
            state=S.QUEUED.value,
            request=request.to_dict(),
            hmc=job.hmc,
            kind=job.kind,
            **hmc_identity.journal_fields(self.hmc_identities, job.hmc),
        )
        self._jobs.add(job)
        self._jobs.emit(job)
        self._queue.pump()
        return self._jobs.progress(job)

    # -- the operator's actions (see operator_actions) -------------------------------------------

    async def stop(self, job_id: str, *, confirmed: bool = False) -> MigrationProgress:
        """``migrlpar -o s`` on the source's HMC; the watcher reports ``stopped`` when done."""
        if job_id in self.elsewhere:
            return await self.elsewhere.stop(job_id, confirmed=confirmed)
        return await self._actions.stop(job_id, confirmed=confirmed)

    async def recover(
        self, job_id: str, *, confirmed: bool = False, force: bool = False
    ) -> MigrationProgress:
        """``migrlpar -o r`` (``--force`` only when asked) for a failed or stuck migration."""
        return await self._actions.recover(job_id, confirmed=confirmed, force=force)

    def cancel(self, job_id: str) -> MigrationProgress:
        """Drop a queued job (nothing was sent for it)."""
        return self._actions.cancel(job_id)

    # -- watching -------------------------------------------------------------------------------

    def _on_snapshot(self, snapshot: FleetSnapshot) -> None:
        self.elsewhere.observe(snapshot)
        if self._jobs.queued():
            self._queue.pump()

    def _ensure_watcher(self) -> None:
        if self._closed or (self._watcher is not None and not self._watcher.done()):
            return
        self._watcher = asyncio.get_running_loop().create_task(self._watch_loop())

    async def _watch_loop(self) -> None:
        while self._jobs.watched():
            await self.clock.sleep(self.poll_interval)
            await self._tick()

    async def _tick(self) -> None:
        await self._watch.tick(self._jobs.watched)
        self._queue.pump()

    # -- re-attach ------------------------------------------------------------------------------

    async def reattach(self) -> list[MigrationProgress]:
        """Take over the journal's unsettled migrations and ask the HMCs what became of them.

        Call at start-up and after a connection comes back. A journaled migration that was
        never sent is cancelled (not started late); one that was sent is watched until the HMC
        and the inventory tell its true outcome. Nothing is ever re-sent. Other HMCs' entries
        (not in this configuration: ``hmc_identity.belongs``) are left alone, never rewritten.
        """
        for entry in self.journal.jobs().values():
            if entry.job in self._jobs or not hmc_identity.belongs(entry, self.hmc_identities):
                continue
            job = job_from_journal(
                entry, self.build_command, stall_after=self.stall_after, now=self.clock.now()
            )
            if job is None:
                continue
            self._jobs.add(job)
            if not entry.sent:
                self._changes.apply(
                    job,
                    S.CANCELLED,
                    "was queued when the console stopped; "
                    "nothing had been sent, so it was not started",
                )
                continue
            if job.state is S.OUTCOME_UNKNOWN:
                self._writer.journal_change(
                    job.id, "state", state=job.state.value, message=job.message
                )
            self._jobs.emit(job)
        await self._tick()
        self._ensure_watcher()
        return self.jobs()

    async def close(self) -> None:
        """Stop watching. Migrations continue on the HMC; the journal lets a later run re-attach."""
        self._closed = self._queue.closed = self._cold.closed = True
        if self._unsubscribe_fleet is not None:
            self._unsubscribe_fleet()
            self._unsubscribe_fleet = None
        tasks = [t for j in self._jobs for t in j.tasks] + list(self._cold.tasks)
        if self._watcher is not None:
            tasks.append(self._watcher)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
