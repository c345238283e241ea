"""How snapshots reach the dashboard: paced (at most one applied per second, none while
paused), turned into rows (reused when unchanged), diffed into the table, with the rules
evaluated in the background for rows still waiting for their verdict.

A controller, not a widget: the dashboard builds it with the widgets it drives (tree, table,
table box, migrations panel) and the callbacks it reports to; it owns the fleet state the
dashboard shows (latest snapshot, scope, filter, target, verdicts, staleness, pause).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from functools import partial

from textual.widget import Widget

from lpmtui.model import FleetSnapshot, Partition
from lpmtui.ui import events
from lpmtui.ui.gc_pace import FULL_GC_EVERY, GcPace
from lpmtui.ui.interned import Interned
from lpmtui.ui.moving import RunningMigrations
from lpmtui.ui.row_filter import RowFilter
from lpmtui.ui.rows import COLUMN_INDEX, Cell, Located, partition_cells, relocate
from lpmtui.ui.screens.screen_hooks import ScreenHooks
from lpmtui.ui.verdicts import ERROR, JUDGING, PENDING, VIOS, VerdictBook, verdict_cell
from lpmtui.ui.widgets.fleet_tree import ALL, FleetTree, Scope
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.judging import BackgroundJudge

APPLY_EVERY = 1.0  # seconds: the table repaints at most this often, whatever the poll rate
LOW_BANDWIDTH_APPLY_EVERY = 5.0  # the same with --low-bandwidth
VERDICT_SLICE = 0.01  # seconds of rule evaluation before yielding to the event loop
HERE = Cell("source", (7, 0, 0, 0), "muted")
_MOBILITY = COLUMN_INDEX["mobility"]


def _itself(cell: Cell) -> Cell:
    return cell


class FleetView:
    """The snapshot → tree/table pipeline of the dashboard."""

    def __init__(
        self,
        *,
        tree: FleetTree,
        table: PartitionTable,
        table_box: Widget,
        panel: MigrationsPanel,
        hooks: ScreenHooks,
        clock: Callable[[], float],
        tune_gc: Callable[[], bool],
        rows_applied: Callable[[], None],
        header_changed: Callable[[], None],
    ) -> None:
        self.tree = tree
        self.table = table
        self.table_box = table_box
        self.panel = panel
        self.hooks = hooks
        self.clock = clock
        self.tune_gc = tune_gc
        self.rows_applied = rows_applied  # the checks pane follows the selection
        self.header_changed = header_changed
        self.snapshot = FleetSnapshot()
        self.pending: FleetSnapshot | None = None
        self.last_apply = 0.0
        self.apply_every = APPLY_EVERY
        self.paused = False
        self._scope: Scope = ALL
        self._filter_text = ""
        self.row_filter = RowFilter(lambda loc: self._mobility(loc).text)  # rows by field
        self.target: str | None = None
        self.located: dict[str, Located] = {}
        self.stale: dict[str, float] = {}
        self.intervals: dict[str, float] = {}
        self.default_interval = 5.0
        self.verdicts = VerdictBook()  # one target's verdicts (t), the selected partition's
        self.judge = BackgroundJudge(self._judged)  # every best target, off the event loop
        self.verdicts.indexed = self.judge.indexed
        self.bests: dict[tuple[str, int], tuple[Partition, Cell]] = {}  # as judged, its cell
        self._fresh: set[tuple[str, int]] = set()  # judged since the table last showed them
        self._shown: set[str] = set()
        self._frames: dict[str, tuple[str, object, list[str]]] = {}  # name -> hmc, frame, keys
        self._view_of_rows: tuple | None = None  # what the table's rows were chosen by
        self.gc_frozen = False
        self.gc_pace = GcPace(schedule=partial(hooks.set_interval, FULL_GC_EVERY, self._collect))
        self._made_rows: dict[str, tuple[tuple, tuple]] = {}  # key -> (inputs, row cells)
        self._cells: Interned = Interned()  # equal cells shared across rows (memory)
        self._previous: FleetSnapshot | None = None
        self.migrations = RunningMigrations()  # which ended since the last poll
        self._title = ""

    # A scope or filter the user set is a choice of rows: from then on the cursor follows the
    # selected partition instead of staying on the first row while data arrives.
    @property
    def scope(self) -> Scope:
        return self._scope

    @scope.setter
    def scope(self, scope: Scope) -> None:
        self._scope, self.table.at_top = scope, False

    @property
    def filter_text(self) -> str:
        return self._filter_text

    @filter_text.setter
    def filter_text(self, text: str) -> None:
        self._filter_text, self.table.at_top = text, False
        if not text:
            self.row_filter.index.forget_matches()

    def selected(self) -> Located | None:
        key = self.table.current_key()
        return self.located.get(key) if key else None

    @property
    def latest(self) -> FleetSnapshot:
        """The newest snapshot received, applied or not (paused, or within the apply pace):
        what plans are made from."""
        return self._previous or self.snapshot

    def receive(self, snapshot: FleetSnapshot) -> None:
        """A new snapshot arrived: notify what changed now, apply it when the pace allows."""
        for notice in events.connection_notices(self._previous, snapshot):
            self.hooks.notify(notice.message, severity=notice.severity, timeout=8, markup=False)
        # Migrations the manager runs get their own notice when it settles them.
        managed = {job.partition for job in self.panel.jobs.values()}
        for notice in self.migrations.ended(snapshot, managed):
            self.hooks.notify(notice.message, severity=notice.severity, timeout=10, markup=False)
        self._previous = snapshot
        self.pending = snapshot
        if not self.paused and self.clock() - self.last_apply >= self.apply_every:
            self.apply_pending()

    def tick(self) -> None:
        self.show_judged()
        # Every APPLY_EVERY; a slower pace (low bandwidth) waits for its own time.
        due = self.apply_every <= APPLY_EVERY or self.clock() - self.last_apply >= self.apply_every
        if self.pending is not None and not self.paused and due:
            self.apply_pending()
        else:
            stale = self._stale_now()
            if set(stale) != set(self.stale):
                self.apply(self.snapshot)
            else:
                self.stale = stale
        self.header_changed()

    def _stale_now(self) -> dict[str, float]:
        """HMCs not answering: judged on the newest snapshot received, not the one on screen,
        so a paused table (older data, on purpose) is not taken for HMCs gone quiet."""
        return events.stale_hmcs(self.latest, self.clock(), self.intervals, self.default_interval)

    def apply_pending(self) -> None:
        snapshot, self.pending = self.pending, None
        if snapshot is not None:
            self.apply(snapshot)

    def apply(self, snapshot: FleetSnapshot) -> None:
        self.last_apply = self.clock()
        self.snapshot = snapshot
        touched, gone = self._locate(snapshot)
        self.verdicts.use(snapshot)
        if touched and not self.gc_pace.held and self.tune_gc():
            self.gc_pace.hold()  # from the first rows on: no automatic full pass in the first load
        if gone:
            self.verdicts.forget({loc.partition.key for loc in self.located.values()})
        for key in gone:
            self._made_rows.pop(key, None)
        self.stale = self._stale_now()
        self.tree.apply(snapshot, self.stale)
        if self._view_of_rows == self._row_view():
            self._patch_rows(touched, gone)  # the same choice of rows: only changed frames
        else:
            self.apply_rows()
        if self.judge.submit(snapshot):
            self.hooks.run_worker(
                self._judge, name="judge", group="judge", exit_on_error=False, description="judge"
            )
        self.header_changed()

    async def _judge(self) -> None:
        await self.judge.run()
        self.show_judged()  # every batch has been reported: show them now, not next tick
        self.rows_applied()  # the checks pane ranks on the judge's index now

    def _locate(self, snapshot: FleetSnapshot) -> tuple[list[str], list[str]]:
        """``located`` brought up to the snapshot (``rows.relocate``): the row keys of the
        frames that changed, and the row keys gone."""
        self._frames, touched, gone = relocate(self._frames, self.located, snapshot)
        self.row_filter.located(self.located, touched, gone)
        return touched, gone

    def _row_view(self) -> tuple:
        return (self.scope, self.filter_text, self.target, frozenset(self.stale))

    def _shows(self, loc: Located) -> bool:
        text = self.filter_text
        if not self.scope.holds(loc.site, loc.hmc, loc.partition.system):
            return False
        return not text or loc.key in self.row_filter.keys(self.located, text, every=False)

    def _keys(self) -> set[str]:
        """The keys of the rows in scope that match the filter (not to be changed)."""
        self.row_filter.use_target(self.target)
        scope, located = self.scope, self.located
        keys = self.row_filter.keys(located, self.filter_text)
        if scope == ALL:
            return keys
        return {
            k for k in keys if scope.holds((loc := located[k]).site, loc.hmc, loc.partition.system)
        }

    def _patch_rows(self, touched: list[str], gone: list[str]) -> None:
        """Only the rows of frames that changed: changed, added or taken away."""
        if not touched and not gone:
            return
        rows, removed, shown, missing = {}, [], self._shown, []
        for key in touched:
            loc = self.located[key]
            if self._shows(loc):
                rows[key] = row = self._row(loc)
                shown.add(key)
                if row[COLUMN_INDEX["mobility"]] is PENDING:
                    missing.append(loc)
            elif key in shown:
                removed.append(key)
                shown.discard(key)
        for key in gone:
            if key in shown and key not in self.located:
                removed.append(key)
                shown.discard(key)
        self.table.patch(rows, removed)
        self._rows_done(len(shown), missing)

    def _judged(self, batch) -> None:
        """Best targets judged in the background (on the loop, in batches): shown next tick."""
        for key, judged in batch.items():
            if judged is None:
                self.bests.pop(key, None)
            else:
                self.bests[key] = (judged.partition, verdict_cell(judged.best))
        self._fresh.update(batch)
        if self.judge.error:  # rows not judged as they are now say "error", not "judging…"
            self._fresh.update(loc.partition.key for loc in self.located.values())

    def show_judged(self) -> None:
        """The rows whose best target came in since the last tick (only those rows)."""
        if self.judge.judged is not None and not self.judge.busy:
            self._first_load_done()
        if not self._fresh:
            return
        fresh, self._fresh = self._fresh, set()
        shown, located = self._shown, self.located
        judged = [f"{key[0]}/{key[1]}" for key in fresh]
        self.row_filter.verdicts_changed(judged)
        if self.filter_text and self.target is None:  # "fail" may match rows it did not
            self.apply_rows(judged)
            return
        self.row_filter.refresh(located, every=False)  # the next keystroke finds them read
        keys = [k for k in judged if k in shown and k in located]
        if keys and self.target is None:
            self.table.update_rows({k: self._row(located[k]) for k in keys})
            self.rows_applied()

    def close(self) -> None:
        """Quitting: stop judging now."""
        self.judge.close()

    def _refilter(self, changed: Iterable[str] = ()) -> None:
        """Only the filter changed (or the verdicts of ``changed``): the rows that now match
        are added, those that no longer do go, the ``changed`` ones shown are written again;
        the others stay as they are. Nothing to do: the table is not touched."""
        keys, shown, located, same = self._keys(), self._shown, self.located, self.row_filter
        removed, added, made = shown - keys, keys - shown, self._made_rows
        rows = same.rows_back(added, made, lambda key: self._row(located[key]))
        rows.update((k, self._row(located[k])) for k in changed if k in shown and k in keys)
        if rows or removed:
            self.table.patch(rows, list(removed), park=True)  # backspacing brings them back
        if self.table.parked + len(keys) > len(located):  # some kept rows are gone
            self.table.forget_parked(located)
        shown -= removed
        shown |= added
        same.hidden(removed)
        # PENDING: a target's verdict not judged yet (with no target, no row waits for one).
        pending = added if self.target is not None else ()
        missing = [located[k] for k in pending if rows[k][_MOBILITY] is PENDING]
        self._view_of_rows = self._row_view()
        self._rows_done(len(shown), missing)

    def _mobility(self, loc: Located) -> Cell:
        p = loc.partition
        if p.is_vios:
            return VIOS
        if self.target is not None:
            if p.system == self.target:
                return HERE
            return self.verdicts.cell(p, self.target) or PENDING
        found = self.bests.get(p.key)
        if found is None or (found[0] is not p and found[0] != p):
            return ERROR if self.judge.error else JUDGING  # not judged as it is now
        return found[1]

    def _row(self, loc: Located) -> tuple[Cell, ...]:
        """The row's cells; the previous tuple when nothing it shows changed, so the table's
        diff of a quiet poll is an identity check per row."""
        mobility = self._mobility(loc)
        stale = loc.hmc in self.stale
        inputs = (loc.partition, loc.migration, mobility, stale)
        (was, cells), same = self._made_rows.get(loc.key, ((), ())), self._cells
        if was == inputs:
            return cells
        if was[:2] == inputs[:2] and was[3:] == inputs[3:]:  # only the verdict: one cell
            row = (*cells[:_MOBILITY], same(mobility, _itself), *cells[_MOBILITY + 1 :])
        else:
            cells = partition_cells(loc, mobility, stale)
            row = cells[:2] + tuple(same(cell, _itself) for cell in cells[2:])  # name, id: own
        self._made_rows[loc.key] = (inputs, row)
        return row

    def _rows_for(self, locs: list[Located]) -> dict[str, tuple[Cell, ...]]:
        return {loc.key: self._row(loc) for loc in locs if loc.key in self.located}

    def apply_rows(self, changed: Iterable[str] = ()) -> None:
        """The table shows the rows of the scope that match the filter; ``changed``: rows whose
        verdict may have changed (all rows are written again when more than the filter did)."""
        before, view = self._view_of_rows, self._row_view()
        if before is not None and before[0] == view[0] and before[2:] == view[2:]:
            return self._refilter(changed)  # only the rows that differ
        rows, missing, keys = {}, [], self._keys()
        self.row_filter.unchanged.clear()  # scope, target or staleness: rows may differ
        for loc in self.located.values():
            if loc.key not in keys:
                continue
            row = self._row(loc)
            if row[COLUMN_INDEX["mobility"]] is PENDING:
                missing.append(loc)
            rows[loc.key] = row
        self.table.apply(rows)
        self._shown = set(rows)
        self._view_of_rows = self._row_view()
        self._rows_done(len(rows), missing)

    def _rows_done(self, count: int, missing: list[Located]) -> None:
        title = (
            f"Partitions · {self.scope.label()}"
            + (" (a: all)" if self.scope != ALL else "")
            + f" · {count} shown"
            + (f" · filter “{self.filter_text}”" if self.filter_text else "")
            + (f" · target {self.target}" if self.target else " · best target")
        )
        # Setting a border title repaints the whole box (the table in it too), even when the
        # title is the same: set it only when it changed.
        if title != self._title:
            self.table_box.border_title = self._title = title
        if missing:
            # A fixed description: Textual would otherwise repr() the (large) arguments.
            self.hooks.run_worker(
                partial(self._compute_verdicts, missing),
                name="_compute_verdicts",
                group="verdicts",
                exclusive=True,
                exit_on_error=False,
                description="rules",
            )
        self.rows_applied()

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
        self.row_filter.verdicts_changed(loc.key for loc in locs)
        self.table.update_rows(self._rows_for(locs))
        self._first_load_done()

    def _first_load_done(self) -> None:
        if not self.gc_frozen and self.tune_gc():
            self.gc_pace.start()  # the first full load is long-lived: out of every later pass
            self.gc_frozen = True

    def _collect(self) -> None:
        # A method, not the pace's own: Textual's timers call it with no arguments.
        self.gc_pace.collect()
