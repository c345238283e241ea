"""The one screen the admin lives in: header, HMC → frame tree, partitions, checks, command log.

Snapshots arrive as messages at the app, which hands them to ``receive``; the screen applies at
most one per second (and none while paused) as keyed diffs into the tree and table.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input

from lpmtui.eligibility.checks import Check
from lpmtui.model import FleetSnapshot
from lpmtui.ui.palette import Palette
from lpmtui.ui.rows import Located
from lpmtui.ui.screens.evacuation_actions import EVACUATION_ACTIONS, EvacuationActions
from lpmtui.ui.screens.fleet_view import APPLY_EVERY, FleetView
from lpmtui.ui.screens.migration_actions import MIGRATION_ACTIONS, MigrationActions
from lpmtui.ui.verdicts import VerdictBook
from lpmtui.ui.widgets.command_log import CommandLog
from lpmtui.ui.widgets.detail_pane import DetailPane, DetailView
from lpmtui.ui.widgets.fleet_tree import ALL, FleetTree, Scope
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.ui.widgets.status_header import HeaderFacts, StatusHeader

NARROW = 110  # columns: below this the tree shrinks and the command log hides


class DashboardScreen(FleetView, MigrationActions, EvacuationActions, Screen):
    CSS_PATH = Path(__file__).with_name("dashboard.tcss")  # absolute: subclasses live elsewhere
    AUTO_FOCUS = "#partitions"

    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="dash.help"),
        # Priority: handled on arrival, so keys typed right after '/' land in the filter box.
        Binding(
            "slash",
            "filter",
            "Filter",
            tooltip="Fuzzy filter as you type",
            id="dash.filter",
            priority=True,
        ),
        Binding("escape", "clear_filter", "Clear filter", id="dash.clear_filter"),
        Binding("t", "pick_target", "Target", tooltip="Pick the target frame", id="dash.target"),
        Binding(
            "v", "validate", "Validate", tooltip="Run migrlpar -o v on the HMC", id="dash.validate"
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            tooltip="Poll every HMC now; retry refused logins",
            id="dash.refresh",
        ),
        Binding(
            "space", "toggle_pause", "Pause", tooltip="Pause/resume live updates", id="dash.pause"
        ),
        Binding(
            "l",
            "toggle_log",
            "Log",
            tooltip="Show/hide the HMC command log",
            id="dash.log",
            show=False,
        ),
        Binding("a", "show_all", "All", tooltip="Show the whole fleet", id="dash.all", show=False),
        Binding(
            "m",
            "migrate",
            "Migrate",
            tooltip="Validate, confirm and start a migration",
            id="dash.migrate",
        ),
        Binding(
            "s",
            "stop_migration",
            "Stop",
            tooltip="Stop the selected migration (migrlpar -o s)",
            id="dash.stop",
        ),
        Binding(
            "R",
            "recover",
            "Recover",
            tooltip="Recover a failed migration (migrlpar -o r)",
            id="dash.recover",
        ),
        Binding(
            "e",
            "evacuate",
            "Evacuate",
            tooltip="Plan moving every partition off the selected frame, then start it",
            id="dash.evacuate",
        ),
        Binding(
            "H",
            "bring_home",
            "Home",
            tooltip="Bring an evacuated frame's partitions back",
            id="dash.home",
        ),
    ]

    def __init__(self, *, read_only: bool = False, title: str = "lpmtui") -> None:
        super().__init__()
        self.read_only = read_only
        self.title_text = title
        self.snapshot = FleetSnapshot()
        self.applied: FleetSnapshot | None = None
        self.pending: FleetSnapshot | None = None
        self.last_apply = 0.0
        self.paused = False
        self.scope: Scope = ALL
        self.filter_text = ""
        self.target: str | None = None
        self.located: dict[str, Located] = {}
        self.stale: dict[str, float] = {}
        self.intervals: dict[str, float] = {}
        self.default_interval = 5.0
        self.verdicts = VerdictBook()
        self._made_rows: dict[str, tuple[tuple, tuple]] = {}  # key -> (inputs, row cells)
        self._detail_inputs: tuple | None = None
        self._detail_epoch = 0  # bumped by anything else the pane shows (validation, theme)
        self.validations: dict[tuple[str, str], object] = {}
        self.validating: set[tuple[str, str]] = set()
        self._previous: FleetSnapshot | None = None
        self._moving: dict = {}

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with Horizontal(id="top"):
            yield FleetTree(id="tree")
            with Vertical(id="table-box"):
                yield Input(
                    placeholder="filter partitions (fuzzy) · enter: table · esc: clear", id="filter"
                )
                yield PartitionTable(id="partitions")
        yield MigrationsPanel(id="migrations")
        with Horizontal(id="bottom"):
            yield DetailPane(id="detail")
            yield CommandLog(id="log", utc=self.app_utc)
        yield Footer()

    @property
    def app_utc(self) -> bool:
        return bool(getattr(self.app, "utc", False))

    @property
    def now(self) -> float:
        return self.app.clock() if hasattr(self.app, "clock") else time.time()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#tree").border_title = "HMCs and frames"
        self.query_one("#table-box").border_title = "Partitions · all"
        self.query_one("#detail").border_title = "Checks"
        self.query_one("#log").border_title = "HMC commands"
        self.query_one("#migrations").border_title = "Migrations"
        self.query_one("#migrations").display = False
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())
        self._restyle()
        self.set_interval(APPLY_EVERY, self._tick)
        self._update_header()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self._update_header()

    def action_toggle_log(self) -> None:
        """Show or hide the command log (hidden by default below 110 columns)."""
        narrow = self.has_class("-narrow")
        shown = self.has_class("-log-shown") if narrow else not self.has_class("-log-hidden")
        self.set_class(narrow and not shown, "-log-shown")
        self.set_class(not narrow and shown, "-log-hidden")

    # -- detail ----------------------------------------------------------------------------

    def selected(self) -> Located | None:
        key = self.query_one(PartitionTable).current_key()
        return self.located.get(key) if key else None

    def _show_detail(self) -> None:
        """Re-judge and re-render the selected partition only when something it shows changed
        (the ranking reads the whole fleet, so a quiet poll must not redo it)."""
        loc = self.selected()
        inputs = None
        if loc is not None:
            inputs = (
                loc.key,
                loc.partition,
                loc.migration,
                self.verdicts.fleet_print(),
                self.target,
                self._detail_epoch,
                loc.hmc in self.stale,
            )
        if inputs is not None and inputs == self._detail_inputs:
            return
        self._detail_inputs = inputs
        self.query_one(DetailPane).show(self.detail_view(), self._frame_notice(loc))

    def _frame_notice(self, loc: Located | None) -> tuple[str, Check] | None:
        """With no partition to show and a frame selected that is not Operating: the one check
        that explains why it lists no partitions and nothing can move off it."""
        if loc is not None or self.scope.kind != "frame":
            return None
        found = self.snapshot.frame(self.scope.name)
        if found is None or found[1].system.operating:
            return None  # the common case costs a lookup, not a rule index of the whole fleet
        from lpmtui.eligibility import frame_source_check

        check = frame_source_check(self.snapshot, self.scope.name)
        return (self.scope.name, check) if check is not None else None

    def detail_view(self) -> DetailView | None:
        loc = self.selected()
        if loc is None:
            return None
        ranked = tuple(self.verdicts.ranked(loc.partition))
        targets = self.verdicts.targets_for(loc.partition)
        if self.target and self.target != loc.partition.system:
            verdict = self.verdicts.verdict(loc.partition, self.target)
        elif ranked:
            verdict = ranked[0]
        else:  # no ranking: either no other frame, or the rules failed (Unjudged says why)
            verdict = self.verdicts.verdict(loc.partition, targets[0]) if targets else None
        key = (loc.key, verdict.target_system) if verdict else None
        validation = self.validations.get(key) if key else None
        agreements = ()
        if validation is not None and verdict is not None:
            from lpmtui.eligibility import compare

            agreements = tuple(compare(verdict, validation))
        return DetailView(
            loc,
            verdict,
            ranked,
            self.target,
            validation,
            agreements,
            validating=key in self.validating,
        )

    @on(PartitionTable.PartitionSelected)
    def _partition_selected(self, event: PartitionTable.PartitionSelected) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(FleetTree.ScopeSelected)
    def _scope_selected(self, event: FleetTree.ScopeSelected) -> None:
        self.scope = event.scope
        self._apply_rows()
        self._show_detail()
        self.refresh_bindings()

    # -- header and styles ----------------------------------------------------------------

    def _update_header(self) -> None:
        facts = HeaderFacts.of(
            self.snapshot,
            self.now,
            tuple(sorted(self.stale)),
            paused=self.paused,
            read_only=self.read_only,
            title=self.title_text,
        )
        facts = replace(facts, compact=self.size.width < NARROW) if self.is_mounted else facts
        self.query_one(StatusHeader).show(facts)

    def _restyle(self) -> None:
        palette = Palette.from_variables(self.app.theme_variables)
        self.query_one(PartitionTable).restyle(palette)
        self.query_one(FleetTree).restyle(palette, self.snapshot, self.stale)
        self.query_one(CommandLog).palette = palette
        self.query_one(MigrationsPanel).restyle(palette)
        self.query_one(DetailPane).restyle(palette)
        self._detail_epoch += 1

    # -- filter ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        # Synchronously: keys typed right after '/' are already queued and must reach the box.
        self.set_focus(box)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.filter_text = ""
        self._apply_rows()
        self.query_one(PartitionTable).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._apply_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(PartitionTable).focus()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Textual 8: False hides a binding, None shows it greyed out, True enables it."""
        if action == "clear_filter":
            return bool(self.filter_text or self.query_one("#filter").display)
        connected = getattr(self.app, "fleet", None) is not None
        if action in MIGRATION_ACTIONS:
            return self.migration_action_state(action)
        if action in EVACUATION_ACTIONS:
            return self.evacuation_action_state(action)
        if action == "pick_target":
            return self.selected() is not None or None
        if action == "validate":
            return (self.selected() is not None or None) if connected else False
        if action == "refresh":
            return connected
        return True

    def action_help(self) -> None:
        from lpmtui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.active_bindings, self.focused))

    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        self.notify(
            "live updates paused" if self.paused else "live updates resumed",
            timeout=2,
            markup=False,
        )
        if not self.paused:
            self._apply_pending()
        self._update_header()

    def action_show_all(self) -> None:
        self.query_one(FleetTree).select_scope(ALL)

    def action_pick_target(self) -> None:
        loc = self.selected()
        if loc is None:
            return
        from lpmtui.ui.screens.target_picker import TargetPicker

        ranked = self.verdicts.ranked(loc.partition)
        self.app.push_screen(TargetPicker(loc.partition.name, ranked, self.target), self.set_target)

    def set_target(self, target: str | bool | None) -> None:
        """``None`` = best target per partition; False = picker cancelled."""
        if target is False:
            return
        self.target = target if isinstance(target, str) else None
        self._detail_epoch += 1
        self._apply_rows()

    def action_refresh(self) -> None:
        self.notify("refreshing every HMC", timeout=2, markup=False)
        self.app.refresh_now()

    def action_validate(self) -> None:
        view = self.detail_view()
        if view is None or view.verdict is None:
            self.notify("no target frame to validate against", severity="warning", markup=False)
            return
        key = (view.located.key, view.verdict.target_system)
        if key in self.validating:
            return
        self.validating.add(key)
        self._detail_epoch += 1
        self._show_detail()
        self.app.validate(view.located, view.verdict.target_system)

    def validation_done(self, key: str, target: str, result: object) -> None:
        self.validating.discard((key, target))
        self.validations[(key, target)] = result
        self._detail_epoch += 1
        self._show_detail()

    def jump_to_partition(self, key: str) -> None:
        """From the palette: widen the view if needed, then select the partition."""
        table = self.query_one(PartitionTable)
        if key not in table.keys:
            self.scope, self.filter_text = ALL, ""
            self.query_one("#filter", Input).value = ""
            self.query_one("#filter", Input).display = False
            self._apply_rows()
        table.select_key(key)
        table.focus()

    def jump_to_scope(self, scope: Scope) -> None:
        self.query_one(FleetTree).select_scope(scope)
