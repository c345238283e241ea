"""The dashboard's frame actions: ``e`` evacuate the selected frame, ``H`` bring its
partitions home. The frame is the one selected in the tree, else the selected partition's.

The plan is shown even read-only (it changes nothing); starting it is refused here and again in
the core (``evacuation.run.run_plan`` and the MigrationManager). Every command the plan shows
comes from the manager (``command_line``).

A controller: built with the fleet view (scope, selection, latest snapshot), getters for the
manager and the settings (they appear once the backend has started), the screen hooks, and
where started migrations are shown. The screen's actions delegate here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from lpmtui.ui.screens.fleet_view import FleetView
from lpmtui.ui.screens.screen_hooks import ScreenHooks

if TYPE_CHECKING:  # imported when first used: they are not needed for the first paint
    from lpmtui.evacuation.plan import EvacuationPlan
    from lpmtui.evacuation.run import EvacuationLog
    from lpmtui.migration.types import MigrationProgress
    from lpmtui.ui.screens.evacuate_dialog import PlanConfirmed

EVACUATION_ACTIONS = ("evacuate", "bring_home")


class EvacuationActions:
    def __init__(
        self,
        *,
        view: FleetView,
        hooks: ScreenHooks,
        manager: Callable[[], Any],
        settings: Callable[[], Any],
        show_migration: Callable[[MigrationProgress], None],
        read_only: bool,
        watch: Callable[[str, tuple[str, ...]], None] = lambda _label, _job_ids: None,
        track: Callable[[EvacuationPlan, tuple[MigrationProgress, ...]], object] = (
            lambda _plan, _started: None
        ),
    ) -> None:
        self.view = view
        self.hooks = hooks
        self._manager = manager
        self._settings = settings
        self.show_migration = show_migration
        self.read_only = read_only
        self.watch = watch  # told the started moves, to announce when the last has ended
        self.track = track  # told the plan and its started moves: the evacuation on screen

    @property
    def manager(self) -> Any:
        return self._manager()

    def selected_frame(self) -> str | None:
        scope = self.view.scope
        if scope.kind == "frame":
            return scope.name
        loc = self.view.selected()
        return loc.partition.system if loc is not None else None

    def state(self, action: str) -> bool | None:
        """For check_action: hidden without a manager, greyed out without a frame."""
        if self.manager is None:
            return False
        return self.selected_frame() is not None or None

    def _evacuation_log(self) -> EvacuationLog:
        from lpmtui.evacuation.run import EvacuationLog

        return EvacuationLog.beside(self.manager.journal.path)

    def _remote_user(self) -> dict[str, str]:
        """The user each configured HMC is logged into with: the -u of a move towards it."""
        settings = self._settings()
        return {h.name: h.user for h in getattr(settings, "hmcs", ()) if h.user}

    def evacuate(self) -> None:
        frame = self.selected_frame()
        if frame is None or self.manager is None:
            return
        from lpmtui.evacuation.plan import plan_evacuation

        self._open_plan(
            lambda avoid: plan_evacuation(
                self.view.latest, frame, exclude=avoid, remote_user=self._remote_user()
            )
        )

    def bring_home(self) -> None:
        frame = self.selected_frame()
        if frame is None or self.manager is None:
            return
        from lpmtui.evacuation.plan import plan_return

        log = self._evacuation_log()
        try:
            record, *older = log.of_frame(frame) or [None]
        except OSError as error:
            self.hooks.notify(
                f"cannot read {log.path}: {error.strerror or error}", severity="error", markup=False
            )
            return
        if record is None:
            self.hooks.notify(
                f"no evacuation of {frame} is recorded here; select the frame that was evacuated",
                severity="warning",
                markup=False,
            )
            return
        self._open_plan(
            lambda _avoid: plan_return(
                self.view.latest, record, older=older, remote_user=self._remote_user()
            )
        )

    def _open_plan(self, make_plan: Any) -> None:
        from lpmtui.eligibility import EligibilityError
        from lpmtui.evacuation.run import validate_plan
        from lpmtui.ui.screens.evacuate_dialog import EvacuateDialog

        try:
            make_plan(())
        except EligibilityError as error:
            self.hooks.notify(str(error), severity="error", markup=False)
            return
        manager = self.manager
        dialog = EvacuateDialog(
            make_plan,
            manager.command_line,
            read_only=self.read_only,
            validate=lambda plan: validate_plan(manager, plan),
        )
        self.hooks.push_screen(dialog, self._plan_confirmed)

    def _plan_confirmed(self, answer: PlanConfirmed | None) -> None:
        if answer is not None:
            self.hooks.run_worker(
                partial(self._run_plan, answer.plan, answer.typed_name),
                name="_run_plan",
                group="evacuation",
                exit_on_error=False,
                description="evacuate",
            )

    async def _run_plan(self, plan: EvacuationPlan, typed: str) -> None:
        from lpmtui.evacuation.run import run_plan

        try:
            result = await run_plan(
                self.manager, plan, confirmed_frame=typed, log=self._evacuation_log()
            )
        except Exception as error:
            self.hooks.notify(
                str(error),
                title=f"{plan.title}: not started",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        for job in result.started:
            self.show_migration(job)
        if result.started:
            self.track(plan, result.started)
        self.watch(plan.title, tuple(job.job_id for job in result.started))
        queued = len(result.started)
        text = f"{plan.title}: {queued} migration{'' if queued == 1 else 's'} queued"
        if result.refused:
            text += f"; refused: {'; '.join(result.refused)}"
        self.hooks.notify(
            text,
            severity="warning" if result.refused else "information",
            timeout=15 if result.refused else 5,
            markup=False,
        )
