"""A filter keystroke that drops most rows, and the backspace that brings them back: the rows
taken away are kept with their cells and added back at once, in place; the DataTable's own
index (row locations, order, virtual size, cursor) stays consistent through both; the checks
pane ranks a newly selected partition after the table is painted and shows that partition
(never another's checks) meanwhile."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
from textual.widgets.data_table import RowKey

from lpmtui.model import FleetSnapshot
from lpmtui.ui.rows import COLUMNS
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.ui.widgets.sortable_text import sort_key
from tests.ui.test_estate_scale import loaded_estate, settle
from tests.ui.test_small_truths import _pane_text


def consistent(table: PartitionTable) -> None:
    """The DataTable's index agrees with itself, with the rows shown and with the sort."""
    ordered = [row.key for row in table.ordered_rows]
    assert len(ordered) == table.row_count == len(table._data) == len(table.rows_shown)
    assert {k.value for k in ordered} == set(table.rows_shown)
    assert [table._row_locations.get(k) for k in ordered] == list(range(len(ordered)))
    assert [k for k, _ in table._y_offsets] == ordered
    assert table.virtual_size.height == table.row_count + 1  # the header
    column = table.sort_column
    order = [(sort_key(table._data[k][column]), sort_key(table._data[k]["id"])) for k in ordered]
    assert order == sorted(order, reverse=table.sort_reverse)
    if table.row_count:
        assert 0 <= table.cursor_row < table.row_count
        assert table.get_row_index(table.selected_key) == table.cursor_row


def cells(table: PartitionTable) -> dict[str, list[int]]:
    return {k: [id(v) for v in table._data[RowKey(k)].values()] for k in table.keys}


async def test_narrowing_then_backspacing_keeps_the_rows_cells_and_index():
    async with loaded_estate() as (app, pilot, snapshot):
        view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
        before = cells(table)
        assert len(before) > 600 and not table.parked
        hmc = snapshot.hmcs[1].hmc
        await pilot.press("slash", *hmc)
        await settle(app, pilot)
        assert {view.located[k].hmc for k in table.keys} == {hmc}
        consistent(table)
        dropped = len(before) - table.row_count
        assert dropped > 500 and table.parked == dropped  # more than FILL_CHUNK come back

        for _ in hmc:
            await pilot.press("backspace")
        await pilot.pause()
        # All of them at once (no rows left to fill in), as they were: the same cell objects.
        assert view.filter_text == "" and not table.filling and not table.parked
        assert cells(table) == before
        consistent(table)


async def test_a_few_rows_back_go_in_their_place_in_a_reversed_sort():
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        table.sort_by("name", reverse=True)
        keys = table.keys
        removed = keys[::70]  # a few (each bisected into place), first and middle rows
        assert 1 < len(removed) <= 64 and keys[0] in removed
        rows = {k: table.rows_shown[k] for k in removed}
        before = cells(table)
        table.patch({}, removed, park=True)
        assert table.keys == [k for k in keys if k not in removed]
        consistent(table)
        table.patch(rows, [])
        assert table.keys == keys and cells(table) == before
        consistent(table)
        # A row changed while it was hidden is made again, not shown as it was.
        table.patch({}, removed[:1], park=True)
        changed = (rows[removed[0]][0], *rows[removed[0]][1:])  # equal, not the same tuple
        table.patch({removed[0]: changed}, [])
        assert cells(table) == before  # equal rows reuse the cells
        consistent(table)


async def test_the_checks_pane_ranks_a_newly_selected_row_after_the_table_is_painted():
    async with loaded_estate() as (app, pilot, snapshot):
        dash = app.dashboard
        view, table, pane = dash.fleet_view, dash.query_one(PartitionTable), dash.pane
        first = view.located[table.selected_key]
        assert pane.view is not None and pane.view.located.key == first.key
        other = next(h.hmc for h in snapshot.hmcs if h.hmc != first.hmc)
        events: list[tuple] = []
        display, ranked = App._display, dash.checks.detail_view

        def displayed(self, screen, renderable):
            display(self, screen, renderable)
            if renderable is not None and not self._batch_count:
                events.append(("paint", table.row_count))

        def ranking():
            events.append(("rank", view.selected().key))
            return ranked()

        app._display = displayed.__get__(app)
        dash.checks.detail_view = ranking
        await pilot.press("slash", *other)  # the selected partition is filtered out
        await settle(app, pilot)
        now = view.selected()
        assert now.hmc == other and {view.located[k].hmc for k in table.keys} == {other}
        # Ranked once, for the partition now selected, after a paint of the narrowed table.
        ranks = [i for i, e in enumerate(events) if e[0] == "rank"]
        assert [events[i] for i in ranks] == [("rank", now.key)]
        assert ("paint", table.row_count) in events[: ranks[0]]
        assert pane.view is not None and pane.view.located.key == now.key
        assert pane.ranking is None


async def test_the_pane_shows_the_selected_partition_while_it_is_ranked():
    async with loaded_estate() as (app, pilot, snapshot):
        dash = app.dashboard
        view, pane = dash.fleet_view, dash.pane
        first = view.selected()
        other = next(h.hmc for h in snapshot.hmcs if h.hmc != first.hmc)
        view.filter_text = other
        view.apply_rows()  # as a keystroke does; nothing painted or ranked yet
        now = view.selected()
        assert now.key != first.key
        assert pane.ranking == now and pane.view is None  # not the old partition's checks
        body = _pane_text(app)
        assert now.partition.name in body and "Target …" in body
        assert first.partition.name not in body
        await settle(app, pilot)
        assert pane.ranking is None and pane.view.located.key == now.key


async def test_rows_kept_for_partitions_gone_from_the_fleet_are_let_go():
    async with loaded_estate() as (app, pilot, snapshot):
        view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
        hmc = snapshot.hmcs[1].hmc
        await pilot.press("slash", *hmc)
        await settle(app, pilot)
        assert table.parked == len(view.located) - table.row_count  # every other row
        # A poll loses a frame of another HMC (its rows were kept, hidden by the filter).
        first = snapshot.hmcs[0]
        gone = {f"{p.system}/{p.lpar_id}" for p in first.frames[0].partitions}
        hmcs = (replace(first, frames=first.frames[1:]), *snapshot.hmcs[1:])
        view.apply(FleetSnapshot(hmcs, snapshot.taken_at + 2))
        assert gone.isdisjoint(view.located) and table.parked > len(view.located) - table.row_count
        await pilot.press("space")  # a keystroke: the same rows
        await pilot.pause()
        assert table.parked == len(view.located) - table.row_count
        assert gone.isdisjoint(table._parked)


async def test_a_changed_cell_keeps_the_tables_row_order_cached():
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        order = table.ordered_rows
        key = table.keys[3]
        row = table.rows_shown[key]
        changed = (*row[:-1], replace(row[-1], text=row[-1].text + "!"))
        table.update_rows({key: changed})
        # The row order Textual rebuilds over every row when it is missing.
        assert table._ordered_row_cache.get((table.row_count, table._update_count)) is order
        assert str(table.get_cell(key, COLUMNS[-1].key)).endswith("!")


async def test_no_list_of_every_rows_line_is_made_when_rows_go_and_come_back():
    """A FixedTable answers Textual's line offsets from the row order: none is built."""
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        rows, keys = dict(table.rows_shown), table.keys
        table.patch({}, keys[10:], park=True)
        table.patch({k: rows[k] for k in keys[10:]}, [], park=True)
        assert len(table._offset_cache) == 0
        assert [k for k, _ in table._y_offsets] == [row.key for row in table.ordered_rows]
        consistent(table)


async def test_the_pane_keeps_its_width_between_the_placeholder_and_the_checks():
    """The scrollbar's room is kept: long checks after the short placeholder do not lay the
    pane out again at another width (each layout renders the whole checks grid)."""
    async with loaded_estate() as (app, pilot, _snapshot):
        pane = app.dashboard.pane
        body = pane.query_one("#detail-body")
        assert pane.view is not None and pane.max_scroll_y > 0  # the checks need the scrollbar
        width = body.size.width
        pane.show(None, ranking=pane.view.located)
        await pilot.pause()
        assert pane.max_scroll_y == 0 and body.size.width == width


async def test_a_keystroke_is_applied_to_the_table_before_the_box_is_painted_alone():
    """The filter follows the box's value within the key's handling, not on Input.Changed
    (which arrives after the box alone was painted: the table then waits a frame or two)."""
    async with loaded_estate() as (app, pilot, snapshot):
        view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
        await pilot.press("slash")
        hmc = snapshot.hmcs[1].hmc
        app.dashboard.filter_box.value = f" {hmc}"  # as a key typed into the box sets it
        assert view.filter_text == hmc
        assert {view.located[k].hmc for k in table.keys} == {hmc}
        consistent(table)
