"""The first judging of a large fleet (issue 16: every best target on screen <= 10 s at 21,000
rows): the loop's work while the judge thread waits for the GIL is kept small. The table does
not measure the cells of rows it adds (fixed widths, one-line rows) and adds a chunk of them
with one cursor clamp, a judged row changes its verdict cell only, and no automatic full GC
pass runs from the first rows on."""

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
from tests.ui.test_estate_scale import SIZE, generated, held_estate


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
    async with held_estate(monkeypatch) as (app, pilot, view, gate, _):
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


async def test_rows_added_at_once_are_the_rows_added_one_by_one_with_one_cursor_clamp(
    monkeypatch,
):
    from lpmtui.ui.widgets.table_rows import add_rows, built, column_keys

    class TwoTables(App):
        def compose(self) -> ComposeResult:
            yield FixedTable(id="one")
            yield FixedTable(id="many")

    highlighted: list[str | None] = []
    app = TwoTables()
    async with app.run_test(size=(60, 20)) as pilot:
        one, many = app.query_one("#one", FixedTable), app.query_one("#many", FixedTable)
        for table in (one, many):
            table.add_column("a", key="a", width=6)
            table.add_column("b", key="b", width=4)
        rows = [(f"k{i}", [Text(f"r{i}"), Text(str(i))]) for i in range(40)]
        for key, cells in rows:
            one.add_row(*cells, key=key)
        clamps = []
        real = FixedTable._clamp_cursor_coordinate
        monkeypatch.setattr(
            FixedTable, "_clamp_cursor_coordinate", lambda t, c: clamps.append(c) or real(t, c)
        )
        real_post = many.post_message
        many.post_message = lambda m: highlighted.append(type(m).__name__) or real_post(m)
        columns = column_keys(many)
        add_rows(many, [built(columns, k, c) for k, c in rows[:30]], None, False)
        add_rows(many, [built(columns, k, c) for k, c in rows[30:]], None, False)
        assert len(clamps) == 2  # once a call, not once a row (add_row: 40)
        assert highlighted == ["CellHighlighted"]  # a cell to highlight now: once
        del many.post_message
        monkeypatch.undo()
        await pilot.pause()
        assert [r.key.value for r in many.ordered_rows] == [r.key.value for r in one.ordered_rows]
        assert [many.get_row_at(i) for i in range(40)] == [one.get_row_at(i) for i in range(40)]
        assert many.virtual_size == one.virtual_size
        assert many.cursor_coordinate == one.cursor_coordinate


async def test_the_partition_table_fills_a_chunk_at_a_time_with_one_cursor_clamp_a_chunk(
    monkeypatch,
):
    from lpmtui.ui.rows import COLUMNS, Cell
    from lpmtui.ui.widgets.partition_table import FILL_CHUNK, PartitionTable

    class TableOnly(App):
        def compose(self) -> ComposeResult:
            yield PartitionTable()

    rows = {
        f"f/{i}": tuple(Cell(f"p{i:04}", i, "") for _ in COLUMNS) for i in range(2 * FILL_CHUNK + 7)
    }
    app = TableOnly()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(PartitionTable)
        clamps = []
        real = FixedTable._clamp_cursor_coordinate
        monkeypatch.setattr(
            FixedTable, "_clamp_cursor_coordinate", lambda t, c: clamps.append(c) or real(t, c)
        )
        table.apply(rows)
        while table.filling:
            await pilot.pause()
        assert table.row_count == len(rows) and table.keys == sorted(
            rows, key=lambda k: rows[k][0].sort
        )
        assert len(clamps) < 4 * 3  # a few a chunk, not one a row (add_row: 1,007)
