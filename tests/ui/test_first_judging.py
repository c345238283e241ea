"""The first judging of a large fleet (issue 16: every best target on screen <= 10 s at 21,000
rows): the loop's work while the judge thread waits for the GIL is kept small. The table does
not measure the cells of rows it adds (fixed widths, one-line rows), a judged row changes its
verdict cell only, and no automatic full GC pass runs from the first rows on."""

from __future__ import annotations

import gc
import threading

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import _data_table

from lpmtui.ui import gc_pace
from lpmtui.ui.app import LpmApp
from lpmtui.ui.rows import COLUMN_INDEX
from lpmtui.ui.screens import fleet_view
from lpmtui.ui.widgets.fixed_table import FixedTable
from lpmtui.ui.widgets.partition_table import PartitionTable
from tests.ui.test_dashboard import settle
from tests.ui.test_estate_scale import SIZE, generated


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield FixedTable()


def counting_measure(monkeypatch) -> list[object]:
    measured: list[object] = []
    real = _data_table.measure

    def measure(console, renderable, *args, **kwargs):
        measured.append(renderable)
        return real(console, renderable, *args, **kwargs)

    monkeypatch.setattr(_data_table, "measure", measure)
    return measured


async def test_fixed_table_adds_rows_without_measuring_their_cells(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(FixedTable)
        table.add_column("a", key="a", width=6)
        table.add_column("b", key="b", width=4)
        await pilot.pause()
        measured = counting_measure(monkeypatch)
        for i in range(30):
            table.add_row(Text(f"row{i:02}"), Text(str(i)), key=f"k{i}")
        await pilot.pause()
        assert measured == []  # Textual measures each new cell: 60 here
        assert table.virtual_size.height == 30 + table.header_height
        assert table.virtual_size.width == 6 + 4 + 2 * 2  # widths, a padding each side
        table.sort("a", key=lambda a: str(a), reverse=True)
        # Line y is the row at y in the table's order, one line each.
        assert table._get_offsets(table.header_height)[0].value == "k29"
        assert len(table._y_offsets) == 30
        assert str(table.get_row_at(0)[0]) == "row29"

        # A row of another height: Textual's measuring from then on, its height counted.
        table.add_row(Text("tall\ntall"), Text("x"), key="tall", height=None)
        await pilot.pause()
        assert measured
        assert table.virtual_size.height == 32 + table.header_height


async def test_a_judged_row_changes_its_verdict_cell_only(monkeypatch):
    snapshot = await generated()
    now = snapshot.taken_at
    app = LpmApp(clock=lambda: now + 1)
    async with app.run_test(size=SIZE) as pilot:
        view = app.dashboard.fleet_view
        gate, judging = threading.Event(), view.judge._update

        def held(snapshot, loop):
            gate.wait(timeout=30)
            return judging(snapshot, loop)

        monkeypatch.setattr(view.judge, "_update", held)
        app.show_snapshot(snapshot)
        await pilot.pause()
        table = app.dashboard.query_one(PartitionTable)
        before = dict(table.rows_shown)
        made = []
        real = fleet_view.partition_cells
        monkeypatch.setattr(fleet_view, "partition_cells", lambda *a: made.append(a) or real(*a))
        gate.set()
        await settle(app, pilot)
        view.show_judged()
        mobility = COLUMN_INDEX["mobility"]
        after = table.rows_shown
        judged = [k for k in before if after[k][mobility] is not before[k][mobility]]
        assert len(judged) > 600  # every client partition's verdict arrived
        assert made == []  # no row made again for its verdict
        for key in judged:
            assert str(table.get_cell(key, "mobility")).strip() != "judging…"
            assert all(
                a is b
                for i, (a, b) in enumerate(zip(before[key], after[key], strict=True))
                if i != mobility
            )


async def test_no_automatic_full_gc_pass_from_the_first_rows_until_the_first_load_is_judged(
    monkeypatch,
):
    snapshot = await generated()
    now = snapshot.taken_at
    threshold = gc.get_threshold()
    app = LpmApp(clock=lambda: now + 1, tune_gc=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            view = app.dashboard.fleet_view
            gate, judging = threading.Event(), view.judge._update

            def held(snapshot, loop):
                gate.wait(timeout=30)
                return judging(snapshot, loop)

            monkeypatch.setattr(view.judge, "_update", held)
            assert gc.get_threshold()[2] != gc_pace.FULL_GC_NEVER
            app.show_snapshot(snapshot)
            await pilot.pause()
            # The rows are in, the judge is still at work: full passes are ours already.
            assert view.judge.busy and not view.gc_frozen
            assert gc.get_threshold()[2] == gc_pace.FULL_GC_NEVER
            every = [t for t in app.dashboard._timers if t._interval == gc_pace.FULL_GC_EVERY]
            assert len(every) == 1
            gate.set()
            await settle(app, pilot)
            view.tick()
            assert view.gc_frozen  # the first load, judged, frozen out of later passes
            every = [t for t in app.dashboard._timers if t._interval == gc_pace.FULL_GC_EVERY]
            assert len(every) == 1
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
