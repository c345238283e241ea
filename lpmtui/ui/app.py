"""The Textual application: owns the backend, turns its callbacks into messages, and hands
snapshots to the dashboard. Connections start only after the first paint."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from lpmtui.hmc.runner import CommandEvent
from lpmtui.model import FleetSnapshot, ValidationResult
from lpmtui.ui.attention import Attention
from lpmtui.ui.messages import (
    BackendFailed,
    CommandRan,
    FleetUpdated,
    MigrationUpdated,
    ValidationDone,
)
from lpmtui.ui.notifier import Notifier, driver_writer
from lpmtui.ui.prompter import ScreenPrompter
from lpmtui.ui.providers import FleetProvider
from lpmtui.ui.rows import Located
from lpmtui.ui.screens.dashboard import DashboardScreen
from lpmtui.ui.screens.fleet_view import LOW_BANDWIDTH_APPLY_EVERY
from lpmtui.wiring.backend import Hooks
from lpmtui.wiring.quit_notice import quit_notice


class LpmApp(App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "lpmtui"
    COMMANDS = App.COMMANDS | {FleetProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+s", "screenshot", "Screenshot", show=False, id="app.screenshot"),
    ]

    def __init__(
        self,
        backend: Any = None,
        *,
        read_only: bool | None = None,
        clock: Callable[[], float] = time.time,
        title: str = "lpmtui",
        utc: bool = False,
        hot_interval: float | None = None,
        tune_gc: bool = False,
        notify: str = "off",
        low_bandwidth: bool = False,
    ) -> None:
        super().__init__()
        self.low_bandwidth = low_bandwidth
        self.backend = backend
        self.read_only = backend.read_only if read_only is None and backend else bool(read_only)
        self.clock = clock
        self.utc = utc
        self.title_text = title
        self.hot_interval = hot_interval or (backend.hot_interval if backend else 5.0)
        self.prompter = ScreenPrompter(self)
        # Freeze the first full load out of later GC passes (process-wide: the console sets
        # it, tests that share one interpreter do not).
        self.tune_gc = tune_gc
        self.dashboard = DashboardScreen(read_only=self.read_only, title=title)
        self.started_at = time.perf_counter()
        self.first_paint: float | None = None
        self._migration_states: dict[str, Any] = {}
        # Bell, desktop notifications and the terminal title (lpmtui.ui.notifier).
        self.attention = Attention()
        self.notifier = Notifier(notify, driver_writer(self))
        if low_bandwidth:
            self.animation_level = "none"
            self.dashboard.add_class("-low-bandwidth")  # ASCII borders (dashboard.tcss)
            self.dashboard.fleet_view.apply_every = LOW_BANDWIDTH_APPLY_EVERY

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, without its "Keys" panel: the palette's "Help" (every key of
        the current pane) is the one place that lists keys."""
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command

    @property
    def fleet(self) -> Any:
        return getattr(self.backend, "fleet", None)

    @property
    def migration_manager(self) -> Any:
        return getattr(self.backend, "migration_manager", None)

    def on_mount(self) -> None:
        self.dashboard.fleet_view.default_interval = self.hot_interval
        if self.backend is not None and hasattr(self.backend, "hot_intervals"):
            self.dashboard.fleet_view.intervals = dict(self.backend.hot_intervals())
        self.push_screen(self.dashboard)
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.first_paint = time.perf_counter() - self.started_at
        if self.backend is not None:
            self._start_backend()

    @work(group="backend", exit_on_error=False, description="connect")
    async def _start_backend(self) -> None:
        hooks = Hooks(
            on_snapshot=lambda snap: self.post_message(FleetUpdated(snap)),
            on_command=lambda event: self.post_message(CommandRan(event)),
            on_migration=lambda progress: self.post_message(MigrationUpdated(progress)),
        )
        try:
            await self.backend.start(self.prompter, hooks)
        except Exception as error:  # anything at all: one line in the UI, never a traceback
            self.post_message(BackendFailed(_one_line(error)))
            return
        if self.backend is not None and hasattr(self.backend, "hot_intervals"):
            self.dashboard.fleet_view.intervals = dict(self.backend.hot_intervals())
        self.refresh_bindings()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                f"{event.worker.name}: {_one_line(event.worker.error)}",
                title="Internal error",
                severity="error",
                timeout=15,
                markup=False,
            )

    @on(FleetUpdated)
    def _fleet_updated(self, message: FleetUpdated) -> None:
        self.dashboard.fleet_view.receive(message.snapshot)

    @on(CommandRan)
    def _command_ran(self, message: CommandRan) -> None:
        from lpmtui.ui.widgets.command_log import CommandLog

        for log in self.dashboard.query(CommandLog):  # none once the screen has gone (quitting)
            log.record(message.event)

    @on(MigrationUpdated)
    def _migration_updated(self, message: MigrationUpdated) -> None:
        progress = message.progress
        before = self._migration_states.get(progress.job_id)
        self._migration_states[progress.job_id] = progress.state
        self.dashboard.migration_actions.show(progress)
        self.dashboard.evacuations.feed(progress)
        if progress.started_here:  # the bell and the title are about this console's own
            self.notifier.announce(self.attention.feed(progress))
            self.notifier.title(self.attention.status(self.title_text))
        if before is not progress.state and (
            progress.state.terminal or progress.state.value == "needs recovery"
        ):
            ok = progress.state.value in ("succeeded", "recovered")
            self.notify(
                f"{progress.partition} {progress.source} → {progress.target}: "
                f"{progress.state.value}" + (f" — {progress.message}" if progress.message else ""),
                title="Migration ended",
                severity="information" if ok else "warning",
                timeout=15,
                markup=False,
            )

    def watch_evacuation(self, label: str, job_ids: tuple[str, ...]) -> None:
        """Announce when the last of these moves (an evacuation's) has ended."""
        self.notifier.announce(self.attention.watch_group(label, job_ids))

    @on(BackendFailed)
    def _backend_failed(self, message: BackendFailed) -> None:
        self.notify(
            message.error, title="Could not start", severity="error", timeout=30, markup=False
        )

    def record_command(self, event: CommandEvent) -> None:
        self.post_message(CommandRan(event))

    def show_snapshot(self, snapshot: FleetSnapshot) -> None:
        self.post_message(FleetUpdated(snapshot))

    # -- requests from the dashboard -------------------------------------------------------

    def refresh_now(self) -> None:
        """Poll every HMC now, and try again the logins that wait for the user."""
        if self.fleet is not None:
            self._refresh()
        for name in getattr(self.backend, "needs_user", list)():
            self.notify(f"{name}: trying to log in again", markup=False)
            self._retry(name)

    @work(group="retry", exit_on_error=False, description="log in again")
    async def _retry(self, name: str) -> None:
        await self.backend.retry(name)

    @work(group="refresh", exclusive=True, exit_on_error=False, description="refresh")
    async def _refresh(self) -> None:
        try:
            await self.fleet.refresh_now()
        except Exception as error:
            self.notify(f"refresh failed: {_one_line(error)}", severity="error", markup=False)

    def validate(self, located: Located, target: str) -> None:
        self._validate(located, target)

    @work(group="validate", exit_on_error=False, description="migrlpar -o v")
    async def _validate(self, located: Located, target: str) -> None:
        p = located.partition
        try:
            result = await self.fleet.validate(p.system, p.lpar_id, target)
        except Exception as error:
            result = ValidationResult(
                p.name, p.system, target, None, raw=_one_line(error), taken_at=self.clock()
            )
            self.notify(
                f"validation of {p.name} failed: {_one_line(error)}", severity="error", markup=False
            )
        self.post_message(ValidationDone(located.key, target, result))

    @on(ValidationDone)
    def _validation_done(self, message: ValidationDone) -> None:
        self.dashboard.checks.validation_done(message.key, message.target, message.result)
        verdict = "passed" if message.result.ok else "did not pass"
        self.notify(
            f"HMC validation of {message.result.partition} → {message.target} {verdict}",
            severity="information" if message.result.ok else "warning",
            markup=False,
        )

    async def action_quit(self) -> None:
        """Quit at once when no migration runs or waits; otherwise say what becomes of them
        (the backend knows whether its HMCs outlive the console) and ask."""
        from lpmtui.ui.screens.quit_confirm import QuitScreen

        if isinstance(self.screen, QuitScreen):
            return
        manager = self.migration_manager
        jobs = manager.jobs() if manager is not None else []
        in_process = bool(getattr(self.backend, "migrations_end_on_quit", False))
        notice = quit_notice(jobs, in_process=in_process)
        if notice is None:
            await self._quit_now()
            return

        def answered(quit: bool | None) -> None:
            if quit:
                self.call_later(self._quit_now)

        self.push_screen(QuitScreen(notice), answered)

    async def _quit_now(self) -> None:
        self.notifier.restore_title()
        self.dashboard.fleet_view.close()
        await self.close_backend()
        self.exit(0)

    async def close_backend(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            try:
                await backend.close()
            except Exception as error:
                self.log.error(f"closing connections: {_one_line(error)}")


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
