"""Rows a filter brings back as the undo of the last drops: the filter cleared after several
narrowing keystrokes, or rows that changed while they were hidden, put the table's maps back
as they were and set only the changed cells; the rows kept by a narrowing keystroke are found
by their place, not by a walk of every row."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.ui.widgets.table_rows import ordered
from tests.ui.test_estate_scale import loaded_estate
from tests.ui.test_filter_backspace import _counting, _maps, _same
from tests.ui.test_filter_narrowing import consistent


async def test_the_rows_of_several_drops_back_at_once_restore_the_maps_before_the_first():
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        rows, keys, maps = dict(table.rows_shown), table.keys, _maps(table)
        table.patch({}, keys[100:], park=True)  # "h", "hm": two narrowing keystrokes
        table.patch({}, keys[50:100], park=True)
        orders: list = []
        _counting(table, "_orders", orders)
        table.patch({k: rows[k] for k in keys[50:]}, [], park=True)  # the filter cleared
        assert _same(_maps(table), maps) and orders == []
        assert table.keys == keys and not table.parked
        consistent(table)


async def test_rows_changed_while_hidden_come_back_in_the_maps_from_before_with_new_cells():
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        rows, keys, maps = dict(table.rows_shown), table.keys, _maps(table)
        table.patch({}, keys[10:], park=True)
        back = {k: rows[k] for k in keys[10:]}
        renamed, last = keys[20], keys[-1]
        name = back[renamed][0]
        back[renamed] = (replace(name, text="zz-renamed", sort="zz-renamed"), *back[renamed][1:])
        back[last] = (*back[last][:-1], replace(back[last][-1], text="changed"))
        orders: list = []
        _counting(table, "_orders", orders)
        table.patch(back, [], park=True)
        # The maps from before (the order too, until the renamed row sorted again) and no row
        # given a sort key of its own.
        assert _same(_maps(table)[:2], maps[:2]) and orders == []
        assert "zz-renamed" in str(table.get_cell(renamed, "name"))
        assert str(table.get_cell(last, table.ordered_columns[-1].key)).strip() == "changed"
        assert table.keys[-1] == renamed  # its name sorts last now: the table sorted again
        assert table.rows_shown == {**rows, **back}
        consistent(table)


async def test_a_narrowing_keystroke_finds_the_rows_kept_by_their_place():
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        keys = table.keys
        looked_up: list = []
        _counting(table._row_locations, "get", looked_up)
        table.patch({}, keys[30:], park=True)
        assert sorted(k for (k,) in looked_up) == sorted(keys[:30])  # not the rows dropped
        assert table.keys == keys[:30]
        consistent(table)


class _NotWalked(dict):
    def items(self):  # type: ignore[override]
        raise AssertionError("every row's place walked")


async def test_the_row_order_after_a_resize_is_the_rows_map_when_it_is_in_order():
    """Showing the filter box resizes the table (Textual's row order cache is then stale):
    the rows map is in the table's order, checked in C, not rebuilt row by row."""
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        keys = table.keys
        table._update_count += 1  # as DataTable._on_resize does
        locations = table._row_locations
        forward, locations._forward = locations._forward, _NotWalked(locations._forward)
        assert [row.key.value for row in ordered(table)] == keys
        locations._forward = forward
        table.sort_by("state", reverse=True)  # the rows map is no longer in order
        table._update_count += 1
        assert [row.key.value for row in ordered(table)] == table.keys != keys
        consistent(table)
