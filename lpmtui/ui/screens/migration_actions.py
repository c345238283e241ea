"""The dashboard's migration actions: ``m`` migrate, ``s`` stop, ``R`` recover.

Read-only hides them (``check_action``) and refuses them here; the MigrationManager refuses
them again in the core.
"""

from __future__ import annotations

from typing import Any

from textual import work

from lpmtui.hmc.redact import shown_command
from lpmtui.migration.types import MigrationProgress, MigrationRequest
from lpmtui.ui.screens.confirm import Answer, ConfirmScreen
from lpmtui.ui.screens.migrate_dialog import Confirmed, MigrateDialog
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel

MIGRATION_ACTIONS = ("migrate", "stop_migration", "recover")


class MigrationActions:
    """Mixed into DashboardScreen (which provides selected(), verdicts, snapshot, target)."""

    app: Any
    read_only: bool

    @property
    def manager(self) -> Any:
        return getattr(self.app, "migration_manager", None)

    def migration_action_state(self, action: str) -> bool | None:
        """For check_action: False hides (read-only, no manager), None greys out."""
        if self.read_only or self.manager is None:
            return False
        if action == "migrate":
            loc = self.selected()
            return (loc is not None and not loc.partition.is_vios) or None
        # Stop and recover only appear when there is something to stop or recover.
        job = self.job_for_selection()
        if action == "stop_migration":
            return job is not None and (job.can_stop or job.can_cancel)
        return job is not None and job.can_recover

    def _refuse(self, what: str) -> bool:
        if self.read_only:
            self.notify(f"read-only: {what} refused", severity="error", markup=False)
            return True
        if self.manager is None:
            self.notify(
                "migrations are not available: not connected", severity="warning", markup=False
            )
            return True
        return False

    def job_for_selection(self) -> MigrationProgress | None:
        """The migration row under the cursor when the panel has focus, else the selected
        partition's most recent migration."""
        panel = self.query_one(MigrationsPanel)
        if panel.has_focus:
            return panel.selected_job()
        loc = self.selected()
        if loc is None:
            return None
        jobs = [j for j in panel.jobs.values() if j.partition == loc.partition.name]
        return jobs[-1] if jobs else None

    def show_migration(self, job: MigrationProgress) -> None:
        panel = self.query_one(MigrationsPanel)
        panel.display = True
        panel.show(job)
        self.refresh_bindings()

    # -- migrate ---------------------------------------------------------------------------

    def action_migrate(self) -> None:
        if self._refuse("migrate"):
            return
        loc = self.selected()
        if loc is None:
            return
        ranked = self.verdicts.ranked(loc.partition)
        dialog = MigrateDialog(
            loc, ranked, self.target, self.snapshot, self.manager, getattr(self.app, "fleet", None)
        )
        self.app.push_screen(dialog, self._migrate_confirmed)

    def _migrate_confirmed(self, answer: Confirmed | None) -> None:
        if answer is not None:
            self._start(answer.request, answer.typed_name)

    @work(group="migration-start", exit_on_error=False, description="migrate")
    async def _start(self, request: MigrationRequest, typed: str) -> None:
        try:
            job = await self.manager.start(request, confirmed_name=typed)
        except Exception as error:
            self.notify(
                str(error),
                title="Migration not started",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        self.show_migration(job)
        self.notify(f"{request.label}: {job.state.value}", markup=False)

    # -- stop / recover --------------------------------------------------------------------

    def action_stop_migration(self) -> None:
        if self._refuse("stop"):
            return
        job = self.job_for_selection()
        if job is None:
            return
        if job.can_cancel:
            self.manager.cancel(job.job_id)
            self.notify(f"{job.partition}: removed from the queue (nothing was sent)", markup=False)
            return
        argv = self.manager.stop_command(job.job_id)
        screen = ConfirmScreen(
            "Stop migration",
            f"Stop the migration of {job.partition} ({job.source} → {job.target})?",
            lambda _force: shown_command(argv),
            action="Stop",
        )
        self.app.push_screen(screen, lambda answer: answer and self._stop(job.job_id))

    @work(group="migration-stop", exit_on_error=False, description="stop")
    async def _stop(self, job_id: str) -> None:
        try:
            self.show_migration(await self.manager.stop(job_id, confirmed=True))
        except Exception as error:
            self.notify(
                str(error), title="Stop refused", severity="error", timeout=15, markup=False
            )

    def action_recover(self) -> None:
        if self._refuse("recover"):
            return
        job = self.job_for_selection()
        if job is None:
            return
        job_id = job.job_id
        screen = ConfirmScreen(
            "Recover migration",
            f"Recover the failed migration of {job.partition} ({job.source} → {job.target})?",
            lambda force: shown_command(self.manager.recover_command(job_id, force=force)),
            action="Recover",
            offer_force=True,
        )
        self.app.push_screen(screen, lambda answer: answer and self._recover(job.job_id, answer))

    @work(group="migration-recover", exit_on_error=False, description="recover")
    async def _recover(self, job_id: str, answer: Answer) -> None:
        try:
            job = await self.manager.recover(job_id, confirmed=True, force=answer.force)
            self.show_migration(job)
        except Exception as error:
            self.notify(
                str(error), title="Recover refused", severity="error", timeout=15, markup=False
            )
