"""The backspace that brings back rows a filter hid: rows unchanged since they were hidden are
neither made again by the view nor given sort keys by the table (they go back by their place in
the order they left); a row changed while hidden is made again and shows its new value."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import FleetSnapshot
from lpmtui.ui.row_filter import RowFilter
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.ui.widgets.table_rows import ordered
from tests.ui.test_estate_scale import loaded_estate, settle
from tests.ui.test_filter_narrowing import consistent


def _counting(obj, name: str, calls: list) -> None:
    real = getattr(obj, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    setattr(obj, name, counted)


async def test_rows_back_unchanged_are_not_made_again_nor_sorted_by_key():
    async with loaded_estate() as (app, pilot, snapshot):
        view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
        before = {k: table.rows_shown[k] for k in table.keys}
        hmc = snapshot.hmcs[1].hmc
        await pilot.press("slash", *hmc)
        await settle(app, pilot)
        assert table.parked > 500
        made, orders = [], []
        _counting(view, "_row", made)
        _counting(table, "_orders", orders)
        for _ in hmc:
            await pilot.press("backspace")
        await pilot.pause()
        assert view.filter_text == "" and not table.parked
        assert made == [] and orders == []
        assert {k: table.rows_shown[k] for k in table.keys} == before
        consistent(table)


async def test_a_sort_while_rows_are_hidden_puts_them_back_by_the_new_order():
    async with loaded_estate() as (app, pilot, snapshot):
        table = app.dashboard.query_one(PartitionTable)
        hmc = snapshot.hmcs[1].hmc
        await pilot.press("slash", *hmc)
        await settle(app, pilot)
        table.sort_by("state", reverse=True)  # the order the rows left in is no longer shown
        for _ in hmc:
            await pilot.press("backspace")
        await pilot.pause()
        assert not table.parked
        consistent(table)


async def test_a_row_changed_while_hidden_comes_back_as_it_is_now():
    async with loaded_estate() as (app, pilot, snapshot):
        view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
        hmc = snapshot.hmcs[1].hmc
        await pilot.press("slash", *hmc)
        await settle(app, pilot)
        # A poll renames a partition of another HMC (its row is hidden by the filter).
        first = snapshot.hmcs[0]
        frame = first.frames[0]
        p = frame.partitions[0]
        key = f"{p.system}/{p.lpar_id}"
        assert key in table._parked
        renamed = replace(frame, partitions=(replace(p, name="zz-renamed"), *frame.partitions[1:]))
        hmcs = (replace(first, frames=(renamed, *first.frames[1:])), *snapshot.hmcs[1:])
        view.apply(FleetSnapshot(hmcs, snapshot.taken_at + 2))
        for _ in hmc:
            await pilot.press("backspace")
        await pilot.pause()
        assert "zz-renamed" in str(table.get_cell(key, "name"))
        consistent(table)


def test_the_filter_says_which_hidden_rows_are_unchanged():
    rows = RowFilter(lambda loc: "")
    rows.hidden(["a", "b", "c", "d"])
    rows.verdicts_changed(iter(["a"]))  # a generator: read once
    rows.located({}, [], ["b"])
    assert rows.unchanged == {"c", "d"}
    rows.use_target("frame-1")  # every verdict may differ
    assert rows.unchanged == set()


def test_rows_back_unchanged_are_taken_as_made_and_the_others_made_again():
    rows = RowFilter(lambda loc: "")
    rows.hidden(["a", "b", "c"])
    rows.verdicts_changed(["b"])
    made = {"a": ((), ("row a",)), "b": ((), ("old b",)), "c": ((), ("row c",))}
    asked: list[str] = []
    back = rows.rows_back({"a", "b"}, made, lambda key: asked.append(key) or ("new " + key,))
    assert back == {"a": ("row a",), "b": ("new b",)} and asked == ["b"]


def _maps(table: PartitionTable) -> tuple[object, ...]:
    return table.rows, table._data, table._row_locations


def _same(these: tuple[object, ...], those: tuple[object, ...]) -> bool:
    return all(a is b for a, b in zip(these, those, strict=True))


async def test_the_rows_of_the_last_drops_all_back_restore_the_tables_maps_as_they_were():
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        rows = dict(table.rows_shown)
        keys = table.keys
        maps = _maps(table)
        table.patch({}, keys[100:], park=True)  # two narrowing keystrokes
        narrowed = _maps(table)
        table.patch({}, keys[50:100], park=True)
        table.patch({k: rows[k] for k in keys[50:100]}, [], park=True)  # two backspaces
        assert _same(_maps(table), narrowed)
        table.patch({k: rows[k] for k in keys[100:]}, [], park=True)
        assert _same(_maps(table), maps)
        assert table.keys == keys
        consistent(table)


async def test_some_of_the_rows_back_go_in_their_place_without_sort_keys():
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        table.sort_by("state", reverse=True)
        rows, keys = dict(table.rows_shown), table.keys
        orders = []
        _counting(table, "_orders", orders)
        table.patch({}, keys[::2], park=True)
        table.patch({}, keys[1::4], park=True)
        back = keys[::4] + keys[1::8] + keys[2:10]  # some of each drop: many and a few
        table.patch({k: rows[k] for k in back[:-8]}, [], park=True)
        table.patch({k: rows[k] for k in back[-8:]}, [], park=True)
        assert orders == []
        assert table.keys == [k for k in keys if k in set(back) or k in table.rows_shown]
        consistent(table)


async def test_the_row_order_rebuilt_after_a_cache_clear_is_kept():
    """A focus change clears Textual's cached row order; a drop asks for it twice."""
    async with loaded_estate() as (app, _pilot, _snapshot):
        table = app.dashboard.query_one(PartitionTable)
        keys = table.keys
        table._clear_caches()
        first = ordered(table)
        assert ordered(table) is first
        assert [row.key.value for row in first] == keys
