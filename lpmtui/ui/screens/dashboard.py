"""The one screen the admin lives in: header, HMC → frame tree, partitions, checks, command log.

Snapshots arrive as messages at the app, which hands them to ``fleet_view.receive``; the fleet
view applies at most one per second (and none while paused) as keyed diffs into the tree and
table. The screen composes the widgets and four controllers, each built with what it needs:

- ``fleet_view`` (FleetView): the snapshot → tree/table pipeline and the fleet state;
- ``checks`` (CheckView): the Checks pane of the selection and its HMC validation;
- ``migration_actions`` (MigrationActions): migrate, stop, recover;
- ``evacuation_actions`` (EvacuationActions): evacuate a frame, bring it home.

Bindings, ``check_action`` and the ``action_*`` methods stay here as thin delegates, so the keys,
the footer and the help screen are the screen's own.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input

from lpmtui.model import FleetSnapshot
from lpmtui.ui.palette import Palette
from lpmtui.ui.screens.check_view import CheckView
from lpmtui.ui.screens.dashboard_keys import BINDINGS
from lpmtui.ui.screens.evacuation_actions import EVACUATION_ACTIONS, EvacuationActions
from lpmtui.ui.screens.evacuation_tracker import EvacuationTracker
from lpmtui.ui.screens.fleet_view import APPLY_EVERY, FleetView
from lpmtui.ui.screens.migration_actions import MIGRATION_ACTIONS, MigrationActions
from lpmtui.ui.screens.screen_hooks import ScreenHooks
from lpmtui.ui.widgets.command_log import CommandLog
from lpmtui.ui.widgets.detail_pane import DetailPane
from lpmtui.ui.widgets.evacuation_bar import EvacuationBar
from lpmtui.ui.widgets.fleet_tree import ALL, FleetTree, Scope
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.ui.widgets.quiet_footer import QuietFooter
from lpmtui.ui.widgets.status_header import HeaderFacts, StatusHeader

NARROW = 110  # columns: below this the tree shrinks and the command log hides


class DashboardScreen(Screen):
    CSS_PATH = Path(__file__).with_name("dashboard.tcss")  # absolute: subclasses live elsewhere
    AUTO_FOCUS = "#partitions"

    BINDINGS = BINDINGS  # dashboard_keys

    def __init__(self, *, read_only: bool = False, title: str = "lpmtui") -> None:
        super().__init__()
        self.read_only = read_only
        self.title_text = title
        # The widgets the controllers drive, built here so they can be handed over.
        self.header = StatusHeader(id="header")
        self.fleet_tree = FleetTree(id="tree")
        self.table_box = Vertical(id="table-box")
        self.filter_box = Input(
            placeholder="filter partitions (fuzzy) · enter: table · esc: clear", id="filter"
        )
        self.table = PartitionTable(id="partitions")
        self.panel = MigrationsPanel(id="migrations")
        self.pane = DetailPane(id="detail")
        self.evacuation_bar = EvacuationBar(id="evacuations")
        hooks = ScreenHooks.of(self)
        self.evacuations = EvacuationTracker(
            bar=self.evacuation_bar,
            clock=lambda: self.app.migration_manager.clock.now(),
            snapshot=lambda: self.fleet_view.latest,
            hooks=hooks,
            header_changed=self._update_header,
        )
        self.fleet_view = FleetView(
            tree=self.fleet_tree,
            table=self.table,
            table_box=self.table_box,
            panel=self.panel,
            hooks=hooks,
            clock=lambda: self.now,
            tune_gc=lambda: bool(getattr(self.app, "tune_gc", False)),
            rows_applied=lambda: self.checks.show(),
            header_changed=self._update_header,
        )
        self.checks = CheckView(
            view=self.fleet_view,
            pane=self.pane,
            hooks=hooks,
            validate=lambda located, target: self.app.validate(located, target),
        )
        self.migration_actions = MigrationActions(
            view=self.fleet_view,
            panel=self.panel,
            hooks=hooks,
            manager=lambda: getattr(self.app, "migration_manager", None),
            fleet=lambda: getattr(self.app, "fleet", None),
            read_only=read_only,
        )
        self.evacuation_actions = EvacuationActions(
            view=self.fleet_view,
            hooks=hooks,
            manager=lambda: getattr(self.app, "migration_manager", None),
            settings=lambda: getattr(getattr(self.app, "backend", None), "settings", None),
            show_migration=self.migration_actions.show,
            read_only=read_only,
            watch=lambda *moves: getattr(self.app, "watch_evacuation", lambda *_: None)(*moves),
            track=self.evacuations.add,
        )
        self.panel.group_of = self.evacuations.group_of

    def compose(self) -> ComposeResult:
        yield self.header
        with Horizontal(id="top"):
            yield self.fleet_tree
            with self.table_box:
                yield self.filter_box
                yield self.table
        yield self.evacuation_bar
        yield self.panel
        with Horizontal(id="bottom"):
            yield self.pane
            yield CommandLog(id="log", utc=bool(getattr(self.app, "utc", False)))
        yield QuietFooter()

    @property
    def now(self) -> float:
        return self.app.clock() if hasattr(self.app, "clock") else time.time()

    @property
    def snapshot(self) -> FleetSnapshot:
        """The snapshot on screen (the palette and tests read it)."""
        return self.fleet_view.snapshot

    def on_mount(self) -> None:
        self.filter_box.display = False
        self.fleet_tree.border_title = "HMCs and frames"
        self.table_box.border_title = "Partitions · all"
        self.pane.border_title = "Checks"
        self.query_one("#log").border_title = "HMC commands"
        self.panel.border_title = "Migrations"
        self.panel.display = self.evacuation_bar.display = False
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())
        # The filter is applied as the box's value changes, within the key's handling: the
        # table is painted with the character typed (Input.Changed arrives after the box was
        # painted alone, and Textual's next frame then waits up to 33 ms).
        self.watch(self.filter_box, "value", self._filter_changed, init=False)
        self._restyle()
        self.set_interval(APPLY_EVERY, self.fleet_view.tick)
        self.set_interval(1.0, self.evacuations.tick)
        self._update_header()

    def on_unmount(self) -> None:
        self.fleet_view.close()  # the background judge stops between two frames

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self._update_header()

    def action_toggle_log(self) -> None:
        """Show or hide the command log (hidden by default below 110 columns)."""
        narrow = self.has_class("-narrow")
        shown = self.has_class("-log-shown") if narrow else not self.has_class("-log-hidden")
        self.set_class(narrow and not shown, "-log-shown")
        self.set_class(not narrow and shown, "-log-hidden")

    @on(PartitionTable.PartitionSelected)
    def _partition_selected(self, event: PartitionTable.PartitionSelected) -> None:
        self.checks.show()
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.checks.show()  # the tree's frame or the table's partition, whichever has the focus

    @on(FleetTree.ScopeSelected)
    def _scope_selected(self, event: FleetTree.ScopeSelected) -> None:
        self.fleet_view.scope = event.scope
        self.fleet_view.apply_rows()
        self.checks.show()
        self.refresh_bindings()

    # -- header and styles ----------------------------------------------------------------

    def _update_header(self) -> None:
        view = self.fleet_view
        facts = HeaderFacts.of(
            view.snapshot,
            self.now,
            tuple(sorted(view.stale)),
            paused=view.paused,
            read_only=self.read_only,
            title=self.title_text,
        )
        facts = replace(facts, evacuation=self.evacuations.header_text())
        facts = replace(facts, compact=self.size.width < NARROW) if self.is_mounted else facts
        self.header.show(facts)

    def _restyle(self) -> None:
        palette = Palette.from_variables(self.app.theme_variables)
        self.table.restyle(palette)
        self.fleet_tree.restyle(palette, self.fleet_view.snapshot, self.fleet_view.stale)
        self.query_one(CommandLog).palette = palette
        self.panel.restyle(palette)
        self.pane.restyle(palette)
        self.checks.changed()

    # -- filter ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.filter_box.display = True
        # Synchronously: keys typed right after '/' are already queued and must reach the box.
        self.set_focus(self.filter_box)

    def action_clear_filter(self) -> None:
        self.filter_box.value = ""
        self.filter_box.display = False
        self.fleet_view.filter_text = ""
        self.fleet_view.apply_rows()
        self.table.focus()

    def _filter_changed(self, value: str) -> None:
        self.fleet_view.filter_text = value.strip()
        self.fleet_view.apply_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Textual 8: False hides a binding, None shows it greyed out, True enables it."""
        if action == "explain":  # only when the key's own action is refused
            return self.check_action(str(parameters[0]), ()) is not True
        if action == "clear_filter":
            return bool(self.fleet_view.filter_text or self.filter_box.display)
        connected = getattr(self.app, "fleet", None) is not None
        if action in MIGRATION_ACTIONS:
            return self.migration_actions.state(action)
        if action in EVACUATION_ACTIONS:
            return self.evacuation_actions.state(action)
        if action == "pick_target":
            return self.fleet_view.selected() is not None or None
        if action == "validate":
            return (self.fleet_view.selected() is not None or None) if connected else False
        if action == "refresh":
            return connected
        if action == "evacuation_view":  # shown once there is one to view
            return bool(self.evacuations.watches)
        return True

    def why_not(self, action: str) -> str:
        """Why ``action`` is refused right now."""
        if action in MIGRATION_ACTIONS:
            return self.migration_actions.why_not(action)
        if action == "evacuation_view":
            return "no evacuation started here yet (e evacuates the selected frame)"
        if getattr(self.app, "fleet", None) is None and action != "pick_target":
            return "not connected to any HMC yet"
        if action in EVACUATION_ACTIONS:
            return "select a frame in the tree, or one of its partitions, first"
        return "select a partition first"

    def action_explain(self, action: str) -> None:
        self.notify(self.why_not(action), severity="warning", timeout=4, markup=False)

    def action_help(self) -> None:
        from lpmtui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.active_bindings, self.focused))

    def action_toggle_pause(self) -> None:
        view = self.fleet_view
        view.paused = not view.paused
        self.notify(
            "live updates paused" if view.paused else "live updates resumed",
            timeout=2,
            markup=False,
        )
        if not view.paused:
            view.apply_pending()
        self._update_header()

    def action_show_all(self) -> None:
        self.fleet_tree.select_scope(ALL)

    def action_pick_target(self) -> None:
        loc = self.fleet_view.selected()
        if loc is None:
            return
        from lpmtui.ui.screens.target_picker import TargetPicker

        ranked = self.fleet_view.verdicts.ranked(loc.partition)
        picker = TargetPicker(loc.partition.name, ranked, self.fleet_view.target)
        self.app.push_screen(picker, self.set_target)

    def set_target(self, target: str | bool | None) -> None:
        """``None`` = best target per partition; False = picker cancelled."""
        if target is False:
            return
        self.fleet_view.target = target if isinstance(target, str) else None
        self.checks.changed()
        self.fleet_view.apply_rows()

    def action_refresh(self) -> None:
        self.notify("refreshing every HMC", timeout=2, markup=False)
        self.app.refresh_now()

    def action_validate(self) -> None:
        self.checks.validate()

    def action_migrate(self) -> None:
        self.migration_actions.migrate()

    def action_stop_migration(self) -> None:
        self.migration_actions.stop()

    def action_recover(self) -> None:
        self.migration_actions.recover()

    def action_toggle_ended(self) -> None:
        hide = not self.panel.hide_ended
        self.panel.set_hide_ended(hide)
        self.evacuations.hide_ended = hide
        self.evacuations.refresh()
        self.notify(
            "ended migrations hidden (the audit log keeps them)" if hide else "ended shown",
            timeout=3,
            markup=False,
        )

    def action_evacuation_view(self) -> None:
        """The evacuation of the migrations panel's row, else the newest running, else the
        newest."""
        self.evacuations.open_view(self.panel.cursor_group())

    def action_evacuate(self) -> None:
        self.evacuation_actions.evacuate()

    def action_bring_home(self) -> None:
        self.evacuation_actions.bring_home()

    def jump_to_partition(self, key: str) -> None:
        """From the palette: widen the view if needed, then select the partition."""
        if key not in self.table.keys:
            self.fleet_view.scope, self.fleet_view.filter_text = ALL, ""
            self.filter_box.value = ""
            self.filter_box.display = False
            self.fleet_view.apply_rows()
        self.table.select_key(key)
        self.table.focus()

    def jump_to_scope(self, scope: Scope) -> None:
        self.fleet_tree.focus()
        self.fleet_tree.select_scope(scope)
