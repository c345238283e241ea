"""The dashboard's migration actions: ``m`` migrate, ``s`` stop, ``R`` recover.

Read-only hides them (``state`` → check_action) and refuses them here; the MigrationManager
refuses them again in the core. Every command a confirmation shows comes from the manager.

A controller: built with the fleet view (selection, verdicts, target, snapshot), the
migrations panel it drives, getters for the manager and the fleet (they appear once the
backend has started) and the screen hooks. The screen's actions delegate here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from lpmtui.hmc.redact import shown_command
from lpmtui.migration.types import MigrationProgress, MigrationRequest
from lpmtui.ui.screens.confirm import Answer, ConfirmScreen
from lpmtui.ui.screens.fleet_view import FleetView
from lpmtui.ui.screens.migrate_dialog import Confirmed, MigrateDialog
from lpmtui.ui.screens.screen_hooks import ScreenHooks
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel

MIGRATION_ACTIONS = ("migrate", "stop_migration", "recover")


class MigrationActions:
    def __init__(
        self,
        *,
        view: FleetView,
        panel: MigrationsPanel,
        hooks: ScreenHooks,
        manager: Callable[[], Any],
        fleet: Callable[[], Any],
        read_only: bool,
    ) -> None:
        self.view = view
        self.panel = panel
        self.hooks = hooks
        self._manager = manager
        self._fleet = fleet
        self.read_only = read_only

    @property
    def manager(self) -> Any:
        return self._manager()

    def state(self, action: str) -> bool | None:
        """For check_action: False hides (read-only, no manager), None greys out."""
        if self.read_only or self.manager is None:
            return False
        if action == "migrate":
            loc = self.view.selected()
            return (loc is not None and not loc.partition.is_vios) or None
        # Stop and recover only appear when there is something to stop or recover.
        job = self.job_for_selection()
        if action == "stop_migration":
            return job is not None and (job.can_stop or job.can_cancel)
        return job is not None and job.can_recover

    def why_not(self, action: str) -> str:
        """Why ``action`` is refused right now: what a refused key says."""
        what = {"migrate": "migrate", "stop_migration": "stop", "recover": "recover"}[action]
        if self.read_only:
            return f"read-only: {what} refused (this console was started read-only)"
        if self.manager is None:
            return "migrations are not available: not connected"
        loc = self.view.selected()
        if action == "migrate":
            if loc is None:
                return "migrate: select a partition first"
            return f"migrate: {loc.partition.name} is a VIOS; a VIOS does not migrate"
        job = self.job_for_selection()
        if job is None:
            if loc is None:
                return f"{what}: select a partition or a row of the migrations panel first"
            return f"{what}: {loc.partition.name} has no migration to {what}"
        if action == "stop_migration":
            return f"stop: the migration of {job.partition} is {job.state.value}; nothing to stop"
        return (
            f"recover: the migration of {job.partition} is {job.state.value}; "
            "only a failed migration (or one that needs recovery) is recovered"
        )

    def _refuse(self, what: str) -> bool:
        if self.read_only:
            self.hooks.notify(f"read-only: {what} refused", severity="error", markup=False)
            return True
        if self.manager is None:
            self.hooks.notify(
                "migrations are not available: not connected", severity="warning", markup=False
            )
            return True
        return False

    def job_for_selection(self) -> MigrationProgress | None:
        """The migration row under the cursor when the panel has focus, else the selected
        partition's most recent migration."""
        panel = self.panel
        if panel.has_focus:
            return panel.selected_job()
        loc = self.view.selected()
        if loc is None:
            return None
        jobs = [j for j in panel.jobs.values() if j.partition == loc.partition.name]
        return jobs[-1] if jobs else None

    def show(self, job: MigrationProgress) -> None:
        self.panel.display = True
        self.panel.show(job)
        self.hooks.refresh_bindings()

    def _work(self, job: Callable[[], Any], name: str, group: str, description: str) -> None:
        """A worker of the screen's, as ``@work(group=…, exit_on_error=False)`` made."""
        self.hooks.run_worker(
            job, name=name, group=group, exit_on_error=False, description=description
        )

    # -- migrate ---------------------------------------------------------------------------

    def migrate(self) -> None:
        if self._refuse("migrate"):
            return
        view = self.view
        loc = view.selected()
        if loc is None:
            return
        ranked = view.verdicts.ranked(loc.partition)
        dialog = MigrateDialog(loc, ranked, view.target, view.snapshot, self.manager, self._fleet())
        self.hooks.push_screen(dialog, self._migrate_confirmed)

    def _migrate_confirmed(self, answer: Confirmed | None) -> None:
        if answer is not None:
            start = partial(self._start, answer.request, answer.typed_name)
            self._work(start, "_start", "migration-start", "migrate")

    async def _start(self, request: MigrationRequest, typed: str) -> None:
        try:
            job = await self.manager.start(request, confirmed_name=typed)
        except Exception as error:
            self.hooks.notify(
                str(error),
                title="Migration not started",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        self.show(job)
        self.hooks.notify(f"{request.label}: {job.state.value}", markup=False)

    # -- stop / recover --------------------------------------------------------------------

    def stop(self) -> None:
        if self._refuse("stop"):
            return
        job = self.job_for_selection()
        if job is None:
            return
        if job.can_cancel:
            self.manager.cancel(job.job_id)
            self.hooks.notify(
                f"{job.partition}: removed from the queue (nothing was sent)", markup=False
            )
            return
        argv = self.manager.stop_command(job.job_id)
        screen = ConfirmScreen(
            "Stop migration",
            f"Stop the migration of {job.partition} ({job.source} → {job.target})?"
            + ("" if job.started_here else " It was started elsewhere, not by this console."),
            lambda _force: shown_command(argv),
            action="Stop",
        )
        self.hooks.push_screen(
            screen,
            lambda answer: (
                answer
                and self._work(partial(self._stop, job.job_id), "_stop", "migration-stop", "stop")
            ),
        )

    async def _stop(self, job_id: str) -> None:
        try:
            self.show(await self.manager.stop(job_id, confirmed=True))
        except Exception as error:
            self.hooks.notify(
                str(error), title="Stop refused", severity="error", timeout=15, markup=False
            )

    def recover(self) -> None:
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
        self.hooks.push_screen(
            screen,
            lambda answer: (
                answer
                and self._work(
                    partial(self._recover, job_id, answer),
                    "_recover",
                    "migration-recover",
                    "recover",
                )
            ),
        )

    async def _recover(self, job_id: str, answer: Answer) -> None:
        try:
            job = await self.manager.recover(job_id, confirmed=True, force=answer.force)
            self.show(job)
        except Exception as error:
            self.hooks.notify(
                str(error), title="Recover refused", severity="error", timeout=15, markup=False
            )
