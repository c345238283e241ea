"""The one screen the admin lives in: header, HMC → frame tree, partitions, checks, command log.

Snapshots arrive as messages at the app, which hands them to ``receive``; the screen applies at
most one per second (and none while paused) as keyed diffs into the tree and table.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input

from lpmtui.model import FleetSnapshot
from lpmtui.ui import events
from lpmtui.ui.palette import Palette
from lpmtui.ui.rows import COLUMN_INDEX, Cell, Located, locate_all, matches, partition_cells
from lpmtui.ui.screens.migration_actions import MIGRATION_ACTIONS, MigrationActions
from lpmtui.ui.verdicts import PENDING, VIOS, VerdictBook
from lpmtui.ui.widgets.command_log import CommandLog
from lpmtui.ui.widgets.detail_pane import DetailPane, DetailView
from lpmtui.ui.widgets.fleet_tree import ALL, FleetTree, Scope
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.ui.widgets.status_header import HeaderFacts, StatusHeader

NARROW = 110  # columns: below this the tree shrinks and the command log hides
APPLY_EVERY = 1.0  # seconds: the table repaints at most this often, whatever the poll rate
VERDICT_SLICE = 0.01  # seconds of rule evaluation before yielding to the event loop
HERE = Cell("source", (7, 0, 0, 0), "muted")


class DashboardScreen(MigrationActions, Screen):
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

    # -- snapshots -------------------------------------------------------------------------

    def receive(self, snapshot: FleetSnapshot) -> None:
        """A new snapshot arrived: notify what changed now, apply it when the pace allows."""
        for notice in events.connection_notices(self._previous, snapshot):
            self.notify(notice.message, severity=notice.severity, timeout=8)
        # Migrations the manager runs get their own notice when it settles them.
        managed = {job.partition for job in self.query_one(MigrationsPanel).jobs.values()}
        moving = {name: m for name, m in self._moving.items() if name not in managed}
        for notice in events.migration_notices(moving, snapshot):
            self.notify(notice.message, severity=notice.severity, timeout=10)
        self._moving = events.migrations_in(snapshot)
        self._previous = snapshot
        self.pending = snapshot
        if not self.paused and self.now - self.last_apply >= APPLY_EVERY:
            self._apply_pending()

    def _tick(self) -> None:
        if self.pending is not None and not self.paused:
            self._apply_pending()
        else:
            stale = events.stale_hmcs(
                self.snapshot, self.now, self.intervals, self.default_interval
            )
            if set(stale) != set(self.stale):
                self.apply(self.snapshot)
            else:
                self.stale = stale
        self._update_header()

    def _apply_pending(self) -> None:
        snapshot, self.pending = self.pending, None
        if snapshot is not None:
            self.apply(snapshot)

    def apply(self, snapshot: FleetSnapshot) -> None:
        self.last_apply = self.now
        self.snapshot = snapshot
        self.located = {loc.key: loc for loc in locate_all(snapshot)}
        self.verdicts.use(snapshot)
        self.verdicts.forget({loc.partition.key for loc in self.located.values()})
        for key in [k for k in self._made_rows if k not in self.located]:
            del self._made_rows[key]
        self.stale = events.stale_hmcs(snapshot, self.now, self.intervals, self.default_interval)
        self.query_one(FleetTree).apply(snapshot, self.stale)
        self._apply_rows()
        self._update_header()

    def _visible(self) -> list[Located]:
        scope, text = self.scope, self.filter_text
        shown = []
        for loc in self.located.values():
            if scope.kind == "hmc" and loc.hmc != scope.name:
                continue
            if scope.kind == "frame" and loc.partition.system != scope.name:
                continue
            if text and not matches(text, loc):
                continue
            shown.append(loc)
        return shown

    def _mobility(self, loc: Located) -> Cell:
        p = loc.partition
        if p.is_vios:
            return VIOS
        if self.target is not None:
            if p.system == self.target:
                return HERE
            return self.verdicts.cell(p, self.target) or PENDING
        return self.verdicts.best_cell(p) or PENDING

    def _row(self, loc: Located) -> tuple[Cell, ...]:
        """The row's cells; the previous tuple when nothing it shows changed, so the table's
        diff of a quiet poll is an identity check per row."""
        mobility = self._mobility(loc)
        stale = loc.hmc in self.stale
        inputs = (loc.partition, loc.migration, mobility, stale)
        previous = self._made_rows.get(loc.key)
        if previous is not None and previous[0] == inputs:
            return previous[1]
        row = partition_cells(loc, mobility, stale)
        self._made_rows[loc.key] = (inputs, row)
        return row

    def _rows_for(self, locs: list[Located]) -> dict[str, tuple[Cell, ...]]:
        return {loc.key: self._row(loc) for loc in locs if loc.key in self.located}

    def _apply_rows(self) -> None:
        visible = self._visible()
        rows = {}
        missing = []
        for loc in visible:
            row = self._row(loc)
            if row[COLUMN_INDEX["mobility"]] is PENDING:
                missing.append(loc)
            rows[loc.key] = row
        table = self.query_one(PartitionTable)
        table.apply(rows)
        self.query_one("#table-box").border_title = (
            f"Partitions · {self.scope.label()}"
            + (" (a: all)" if self.scope != ALL else "")
            + f" · {len(rows)} shown"
            + (f" · filter “{self.filter_text}”" if self.filter_text else "")
            + (f" · target {self.target}" if self.target else " · best target")
        )
        if missing:
            self._compute_verdicts(missing)
        self._show_detail()

    # A fixed description: Textual would otherwise repr() the (large) arguments.
    @work(exclusive=True, group="verdicts", exit_on_error=False, description="rules")
    async def _compute_verdicts(self, locs: list[Located]) -> None:
        """Evaluate the rules for rows still showing '…', yielding to the UI every slice."""
        snapshot, deadline = self.snapshot, time.perf_counter() + VERDICT_SLICE
        for loc in locs:
            if snapshot is not self.snapshot:
                return  # a newer snapshot re-queued its own work
            targets = [self.target] if self.target else self.verdicts.targets_for(loc.partition)
            for target in targets:
                if target != loc.partition.system:
                    self.verdicts.judge(loc.partition, target)
            if time.perf_counter() > deadline:
                await asyncio.sleep(0)
                deadline = time.perf_counter() + VERDICT_SLICE
        # Only the rows that were waiting change: no need to walk the whole fleet again.
        self.query_one(PartitionTable).update_rows(self._rows_for(locs))

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
        self.query_one(DetailPane).show(self.detail_view())

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
        self.notify("live updates paused" if self.paused else "live updates resumed", timeout=2)
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
        self.notify("refreshing every HMC", timeout=2)
        self.app.refresh_now()

    def action_validate(self) -> None:
        view = self.detail_view()
        if view is None or view.verdict is None:
            self.notify("no target frame to validate against", severity="warning")
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
