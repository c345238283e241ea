"""Many rows into and out of a DataTable in one pass, and cells set without repainting the
whole table (Textual 8.2.8). The one module that writes DataTable's private fields: check it
on an upgrade.

``DataTable.remove_row`` rebuilds the row→index map for every row it removes, and
``add_row`` has every new row measured (8 cells, ~0.2 ms a row) on idle, for column widths
that are fixed here anyway. ``drop_rows`` and ``add_rows`` do what those do, once for all
rows: every row is one line high and every column has a fixed width, so the virtual size is
the row count, and the row order that Textual would rebuild (O(rows)) on its next paint is
written here from the order already at hand.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable
from operator import is_

from textual._two_way_dict import TwoWayDict
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, Row, RowKey

Built = tuple[Row, dict]  # a row not in the table: its Row and its cells by column key
INSERT_AT_MOST = 64  # more new rows than this: one sort of all rows instead of bisecting
REPAINT_ROWS_AT_MOST = 256  # more changed rows than this: the whole table is repainted


def column_keys(table: DataTable) -> list[ColumnKey]:
    return [column.key for column in table.ordered_columns]


def built(columns: list[ColumnKey], key: str, cells: Iterable[object]) -> Built:
    """A one-line row keyed ``key`` for ``add_rows`` (``columns``: ``column_keys(table)``)."""
    return Row(RowKey(key), 1, None, False), dict(zip(columns, cells, strict=True))


def drop_rows(table: DataTable, keys: Collection[str], kept: Collection[str] = ()) -> None:
    """Remove the rows keyed ``keys`` (all present) from ``table``; ``kept``: the keys of
    every row that stays, when the caller has them at hand (fewer rows to look at when most
    go). The rows and cells dropped are not freed here (17,000 rows' cells take ~70 ms to
    free): ``before_drop``'s maps still hold them, for a caller that keeps those."""
    # RowKey hashes in Python (~0.4 µs): only the smaller side is hashed (the rows kept, or
    # those dropped), and the rows kept are found by their place when they are the fewer.
    rows, data, order = table.rows, table._data, ordered(table)
    if len(kept) and len(kept) + len(keys) == len(order) and len(kept) < len(keys):
        stay = list(map(order.__getitem__, sorted(map(table._row_locations.get, kept))))
        gone: list[Row] = []
    else:
        stay, gone = [], []
        for row in order:
            (gone if row.key.value in keys else stay).append(row)
    if len(stay) < len(order) - len(stay):
        table.rows = {row.key: row for row in stay}
        table._data = {row.key: data[row.key] for row in stay}
    else:
        table.rows, table._data = rows.copy(), data.copy()  # (a copy keeps the hashes)
        for row in gone:
            del table.rows[row.key], table._data[row.key]
    if table._new_rows:
        table._new_rows = {k for k in table._new_rows if k.value not in keys}
    if table._updated_cells:
        table._updated_cells = {c for c in table._updated_cells if c.row_key.value not in keys}
    _reorder(table, stay)


def add_rows(
    table: DataTable,
    new: list[Built],
    order: Callable[[list[str]], list] | None,
    reverse: bool,
) -> None:
    """Add the rows ``new`` (none present) where ``order`` puts them among the rows shown,
    which are in that order already; at the bottom when ``order`` is None. ``order``: the
    sort keys of a list of row keys, in one call (it runs over every row)."""
    ordered = list(table.ordered_rows)
    for row, cells in new:
        table.rows[row.key] = row
        table._data[row.key] = cells
    if order is None:
        ordered += (row for row, _ in new)
    elif len(new) > INSERT_AT_MOST:
        ordered += (row for row, _ in new)
        keys = order([row.key.value for row in ordered])
        at = sorted(range(len(ordered)), key=keys.__getitem__, reverse=reverse)
        ordered = [ordered[i] for i in at]
    else:
        wrap = _Descending if reverse else _Ascending
        for row, _ in new:
            at = bisect.bisect_right(ordered, wrap(order([row.key.value])[0]), key=_by(order, wrap))
            ordered.insert(at, row)
    was_empty = table.row_count == len(new)
    _reorder(table, ordered)
    if was_empty and table.show_cursor and table.cursor_type != "none":
        table._highlight_cursor()  # as add_row does for the first row


def before_drop(table: DataTable) -> tuple:
    """What ``restore`` needs to undo the next ``drop_rows`` (its maps are replaced, not
    changed, and cells are changed in place, so these stay as they are)."""
    return table.rows, table._data, table._row_locations, ordered(table)


def restore(table: DataTable, before: tuple) -> None:
    """The table as it was before the drop ``before`` was taken for, every row dropped being
    back as it was and no other row added or taken since: no key hashed (RowKey hashes in
    Python: ~40 ms to rebuild the maps of 21,000 rows)."""
    was_empty = table.row_count == 0
    table.rows, table._data, locations, order = before
    _reorder(table, order, locations)
    if was_empty and table.show_cursor and table.cursor_type != "none":
        table._highlight_cursor()  # as add_row does for the first row


def _by(order: Callable[[list[str]], list], wrap: type) -> Callable[[Row], object]:
    return lambda row: wrap(order([row.key.value])[0])


class _Ascending:
    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __lt__(self, other: _Ascending) -> bool:
        return self.value < other.value


class _Descending(_Ascending):
    def __lt__(self, other: _Ascending) -> bool:
        return other.value < self.value


def ordered(table: DataTable) -> list[Row]:
    """``table.ordered_rows`` (not to be changed), whose rebuild (~17 ms at 21,000 rows)
    hashes every key twice; rebuilt here, and kept as Textual keeps it (a focus change clears
    it, a resize bumps the update count it is kept by: showing the filter box does)."""
    at = (table.row_count, table._update_count)
    cached = table._ordered_row_cache.get(at)
    if cached is None and _in_order(table):  # (the usual case: checked in C, ~1 ms)
        cached = table._ordered_row_cache[at] = list(table.rows.values())
    if cached is None:  # by the keys' strings
        place = {key.value: i for key, i in table._row_locations._forward.items()}
        cached = [None] * len(place)
        for row in table.rows.values():
            cached[place[row.key.value]] = row
        table._ordered_row_cache[at] = cached
    return cached


def _in_order(table: DataTable) -> bool:
    """The rows map holds the rows in the table's order (rows are added and kept in order)."""
    at = table._row_locations._reverse.get  # place -> the row's key
    return all(map(is_, table.rows, map(at, range(len(table.rows)))))


def _changed(table: DataTable) -> None:
    """Cells changed, not the rows or their order: Textual's caches of the order (keyed by
    the update count, rebuilt over every row) are carried over to the new count."""
    count = table._update_count
    table._update_count += 1
    order = table._ordered_row_cache.get((table.row_count, count))
    if order is not None:
        table._ordered_row_cache[(table.row_count, count + 1)] = order
    offsets = table._offset_cache.get(count)
    if offsets is not None:
        table._offset_cache[count + 1] = offsets


def _reorder(table: DataTable, ordered: list[Row], locations: TwoWayDict | None = None) -> None:
    """The table shows ``ordered`` (every row in ``table.rows``), each row one line high;
    ``locations``: the row→index map of that order, when at hand."""
    if locations is None:
        locations = TwoWayDict({row.key: i for i, row in enumerate(ordered)})
    table._row_locations = locations
    table._update_count += 1
    count = table._update_count
    table._ordered_row_cache[(len(ordered), count)] = ordered
    # Textual's line offsets are not written: a FixedTable answers them from the order, and
    # another DataTable rebuilds them from the cached order if it asks.
    width = sum(column.get_render_width(table) for column in table.columns.values())
    header = table.header_height if table.show_header else 0
    table.virtual_size = Size(width + table._row_label_column_width, len(ordered) + header)
    table.cursor_coordinate = table.cursor_coordinate  # kept within the table
    table.hover_coordinate = table.hover_coordinate
    table.refresh()


def set_cells(table: DataTable, cells: list[tuple[str, str, object]]) -> None:
    """Put new values (row key, column key, value) into existing cells, widths unchanged: what
    ``update_cell`` does, with one refresh for all of them instead of one per cell (~25 µs
    each: 170,000 cells when every row dims for a stale HMC)."""
    data = table._data
    for row_key, column_key, value in cells:
        data[row_key][column_key] = value  # keyed by RowKey/ColumnKey, which equal their str
    _changed(table)
    refresh_rows(table, {row_key for row_key, _, _ in cells})


def refresh_rows(table: DataTable, keys: set[str]) -> None:
    """Repaint the rows keyed ``keys`` that are on screen, and no other: a poll that changes
    1% of 5,000 rows changes none on screen most of the time (a whole-table repaint renders
    every cell shown again: ~400 cells). Rows off screen are painted afresh when scrolled to
    (every cache is keyed by the update count)."""
    if len(keys) > REPAINT_ROWS_AT_MOST:
        table.refresh()
        return
    window = table.window_region  # in the table's own (scrolled) coordinates
    header = table.header_height if table.show_header else 0
    width = max(table.virtual_size.width, table.size.width)
    locations = table._row_locations
    for key in keys:
        index = locations.get(key)  # RowKey equals and hashes as its str
        if index is not None:
            region = Region(0, index + header, width, 1)  # every row is one line high
            if window.overlaps(region):
                table.refresh(region.translate(-table.scroll_offset))


def set_cell(table: DataTable, row: str, column: str, value: object) -> None:
    """``update_cell`` without its repaint of the whole table: only this cell's region is
    repainted (the row cache is keyed by ``_update_count``, as ``update_cell`` keeps it)."""
    table._data[RowKey(row)][ColumnKey(column)] = value
    _changed(table)
    table.refresh_coordinate(Coordinate(table.get_row_index(row), table.get_column_index(column)))
