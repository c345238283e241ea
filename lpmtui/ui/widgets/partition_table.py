"""The partition table: a DataTable updated only by keyed diffs.

Rows are keyed ``system/lpar_id``. An update removes vanished rows, changes only the cells whose
value differs, adds new rows, and sorts only when a sort-column value changed. Column widths are
fixed, so no update ever re-measures a column. The selection follows the partition's key across
refreshes and sorts, not the row index.

Many new rows at once (the first snapshot of a large fleet, a filter cleared: DataTable takes
~0.2 ms a row) are sorted here and added ``FILL_CHUNK`` at a time, one chunk per loop turn, so
the first rows are on screen at once and keys stay answered; a row waiting to be added takes
its newest value when it is added.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from itertools import compress, filterfalse
from operator import is_not

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from lpmtui.ui.interned import Interned
from lpmtui.ui.palette import Palette
from lpmtui.ui.rows import COLUMN_INDEX, COLUMNS, Cell
from lpmtui.ui.widgets.fixed_table import FixedTable
from lpmtui.ui.widgets.parked_rows import ParkedRows
from lpmtui.ui.widgets.sortable_text import SortableText, sort_key
from lpmtui.ui.widgets.table_rows import (
    Built,
    add_rows,
    built,
    column_keys,
    drop_rows,
    set_cells,
)

Row = tuple[Cell, ...]
_RIGHT = {"id", "mem", "procs"}
_OWN = (COLUMN_INDEX["name"], COLUMN_INDEX["id"])  # a value per row: never shared
FILL_CHUNK = 500  # rows added per loop turn when more arrive at once


class PartitionTable(FixedTable):
    """Partitions of the current scope; posts ``PartitionSelected`` when the selection moves."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
        Binding("o", "cycle_sort", "Sort", tooltip="Sort by the next column", id="table.sort"),
        Binding("O", "reverse_sort", "Reverse", show=False, id="table.reverse"),
    ]

    class PartitionSelected(Message):
        def __init__(self, key: str | None) -> None:
            self.key = key
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=0)
        self._rows: dict[str, Row] = {}
        self.palette = Palette.from_variables({})
        self.sort_column = "name"
        self.sort_reverse = False
        self.selected_key: str | None = None
        # Until the user picks a row, the cursor stays on the first one: rows that arrive
        # later (HMCs answer one by one) sort in above it and must not push it down the table.
        self.at_top = True
        self._waiting: set[str] = set()  # in _rows, not yet added to the DataTable
        self._queue: deque[str] = deque()  # the order they are added in
        self._sort_after_fill = False
        self._fill_due = False
        self._texts: Interned = Interned()  # one text per equal cell (a state, a verdict)
        self._parked = ParkedRows()  # rows a filter took away: backspacing brings them back

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.add_column(self._label(column.key), key=column.key, width=column.width + 1)

    def _label(self, key: str) -> Text:
        """The column's header; the sorted one ends with ▲ (ascending) or ▼ (descending)."""
        column = COLUMNS[COLUMN_INDEX[key]]
        label = column.label
        if key == self.sort_column:
            label += "▼" if self.sort_reverse else "▲"
        if key in _RIGHT:
            return Text(label, justify="right")
        # The blank that separates it from the column before, unless the arrow needs the room.
        return Text(label if len(label) > column.width else f" {label}")

    def _relabel(self) -> None:
        for key, column in self.columns.items():
            column.label = self._label(str(key.value))
        self._clear_caches()  # the header is cached like the rows
        self.refresh()

    # -- updates ---------------------------------------------------------------------------

    def apply(self, rows: Mapping[str, Row]) -> None:
        """Make the table show exactly ``rows`` (already scoped and filtered), by diffing."""
        vanished = [key for key in self._rows if key not in rows]
        with self.app.batch_update():
            if vanished and len(vanished) == len(self._rows):
                self.clear()
                self._rows = {}
                self._parked.reordered()
                self._waiting.clear()
                self._queue.clear()
                self._sort_after_fill = False
            else:
                self._remove(vanished)
            self._write(rows, add=True)

    def _remove(self, keys: list[str], *, park: bool = False) -> None:
        waiting, rows = self._waiting, self._rows
        if waiting:
            shown = {key: rows.pop(key) for key in keys if key not in waiting}
            for key in waiting.intersection(keys):
                waiting.discard(key)
                del rows[key]
        else:  # (17,000 rows on a narrowing keystroke: popped in C)
            shown = dict(zip(keys, map(rows.pop, keys), strict=True))
        if not shown:
            return
        kept = () if waiting else rows.keys()  # every row the table keeps
        if park:
            self._parked.drop(self, shown, kept)
        else:
            self._parked.reordered()  # rows gone for good: the table before is no more
            drop_rows(self, shown.keys(), kept)

    def patch(self, rows: Mapping[str, Row], removed: list[str], *, park: bool = False) -> None:
        """Change, add or remove only these rows (a refresh that touched a few frames);
        ``park``: the rows removed may come back as they are (a filter typed)."""
        with self.app.batch_update():
            self._remove(list(filter(self._rows.__contains__, removed)), park=park)
            self._write(rows, add=True)

    @property
    def parked(self) -> int:
        """How many rows taken away by a filter are kept, cells and all."""
        return len(self._parked)

    def forget_parked(self, keep: Collection[str] = ()) -> None:
        """Let go of the kept rows whose keys are not in ``keep``."""
        self._parked.forget(keep)

    def update_rows(self, rows: Mapping[str, Row]) -> None:
        """Change rows already shown (e.g. their verdicts arrived); others are ignored."""
        with self.app.batch_update():
            self._write({k: r for k, r in rows.items() if k in self._rows}, add=False)

    def _write(self, rows: Mapping[str, Row], *, add: bool) -> None:
        known, cells = self._rows, []
        new = list(filterfalse(known.__contains__, rows)) if add else []  # (in C)
        # The rows already here: their changed cells (a sort-column value changed: resort).
        resort = len(new) < len(rows) and self._diff(
            filter(known.__contains__, rows), known, rows, cells
        )
        known.update(rows)
        if new:
            back = rows if len(new) == len(rows) else {k: rows[k] for k in new}
            resort = self._add(back, cells) or resort
        if cells:
            set_cells(self, cells)
        if resort:
            self._sort()
        self._restore_cursor()

    def _diff(
        self, keys: Iterable[str], old: Mapping, rows: Mapping[str, Row], cells: list
    ) -> bool:
        """The cells of ``keys`` (not waiting) where ``rows`` differ from the ``old`` rows they
        show, into ``cells``; True when a sort-column value changed."""
        resort, sort_index = False, COLUMN_INDEX[self.sort_column]
        for key in keys:
            was, row = old[key], rows[key]
            if key in self._waiting or was is row or was == row:
                continue  # (one waiting is added later with the value it has then)
            for column, (before, after) in enumerate(zip(was, row, strict=True)):
                if before != after:
                    cells.append((key, COLUMNS[column].key, self._text(column, after)))
                    resort = resort or (column == sort_index and before.sort != after.sort)
        return resort

    def _add(self, rows: Mapping[str, Row], cells: list) -> bool:
        """Add ``rows`` (new here, already in ``_rows``); the cells of rows back from a drop
        that changed since go into ``cells``; True when the table must be sorted again."""
        undone = self._parked.undo(self, rows)  # the last drops' rows all back: as they were
        if undone is not None:  # (in C: the rows that changed while they were hidden)
            changed = [
                compress(made, map(is_not, made.values(), map(rows.__getitem__, made)))
                for made in undone
            ]
            pairs = zip(changed, undone, strict=True)
            return any([self._diff(keys, made, rows, cells) for keys, made in pairs])
        ready, fresh = self._parked.unpark(list(rows), self._rows)
        if len(fresh) + len(self._queue) > FILL_CHUNK:
            self._queue_rows(fresh)
        elif fresh:
            ready += self._build(fresh)
        if ready:  # in their place: no sort of the whole table
            self._parked.put_back(self, ready, not fresh, self._orders, self.sort_reverse)
        return False

    def _text(self, column: int, cell: Cell) -> SortableText:
        if column in _OWN:
            return SortableText(cell, self.palette)
        return self._texts(cell, self._make_text)  # shared: nothing renders a cell in place

    def _make_text(self, cell: Cell) -> SortableText:
        return SortableText(cell, self.palette)

    def _texts_of(self, row: Row) -> list[SortableText]:
        return [self._text(column, cell) for column, cell in enumerate(row)]

    def _build(self, keys: Iterable[str]) -> list[Built]:
        columns, rows = column_keys(self), self._rows
        return [built(columns, k, self._texts_of(rows[k])) for k in keys]

    def _orders(self, keys: list[str]) -> list[tuple]:
        """The rows' places in the table's order (``_sort``'s, from the cells not yet made)."""
        column, ident = COLUMN_INDEX[self.sort_column], COLUMN_INDEX["id"]
        pairs = ((row[column].sort, row[ident].sort) for row in map(self._rows.__getitem__, keys))
        # cell_key of both, inline: this runs over every row of the table
        return [
            ((0, a) if a not in (None, "") else (1, ""), (0, b) if b not in (None, "") else (1, ""))
            for a, b in pairs
        ]

    def _queue_rows(self, keys: list[str]) -> None:
        """Add ``keys`` a chunk per loop turn, in the table's order (sorted once, here)."""
        at = dict(zip(keys, self._orders(keys), strict=True))
        keys.sort(key=at.__getitem__, reverse=self.sort_reverse)
        # Rows already shown (or queued) mean the whole table sorts once the queue is added.
        self._sort_after_fill = self._sort_after_fill or self.row_count > 0 or bool(self._queue)
        self._waiting.update(keys)
        self._queue.extend(keys)
        self._fill()

    def _fill(self) -> None:
        self._fill_due = False
        chunk = []
        while self._queue and len(chunk) < FILL_CHUNK:
            key = self._queue.popleft()
            if key in self._waiting:
                self._waiting.discard(key)
                chunk.append(key)
        with self.app.batch_update():
            if chunk:
                self._parked.reordered()
                add_rows(self, self._build(chunk), None, self.sort_reverse)  # sorted at the end
            if not self._queue and self._sort_after_fill:
                self._sort_after_fill = False
                self._sort()
            self._restore_cursor()
        if self._queue and not self._fill_due:
            self._fill_due = True
            self.set_timer(0.005, self._fill)  # the loop paints and reads keys in between

    @property
    def rows_shown(self) -> Mapping[str, Row]:
        """Every row of the table (added or waiting to be), by key."""
        return self._rows

    @property
    def filling(self) -> bool:
        """Rows still waiting to be added (tests and benchmarks wait on it)."""
        return bool(self._queue)

    def restyle(self, palette: Palette) -> None:
        """Re-render every cell in the new theme's colours (theme changes only)."""
        self.palette = palette
        self._texts.clear()  # made in the old colours
        rows, self._rows = self._rows, {}
        self.forget_parked()  # cells in the old colours
        self._waiting.clear()
        self._queue.clear()
        self.clear()
        self.apply(rows)

    @property
    def keys(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    # -- sorting ---------------------------------------------------------------------------

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        if (column, reverse) != (self.sort_column, self.sort_reverse):
            self.sort_column, self.sort_reverse = column, reverse
            self._relabel()
        self._sort()
        self._sort_after_fill = self._sort_after_fill or bool(self._queue)
        self._restore_cursor()

    def _sort(self) -> None:
        self._parked.reordered()
        self.sort(
            self.sort_column,
            "id",
            key=lambda values: tuple(map(sort_key, values)),
            reverse=self.sort_reverse,
        )

    def action_cycle_sort(self) -> None:
        order = [c.key for c in COLUMNS]
        self.sort_by(order[(order.index(self.sort_column) + 1) % len(order)], reverse=False)
        self.notify(
            f"sorted by {COLUMNS[COLUMN_INDEX[self.sort_column]].label}", timeout=2, markup=False
        )

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort_column, reverse=not self.sort_reverse)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    # -- selection -------------------------------------------------------------------------

    def select_key(self, key: str) -> bool:
        """Move the cursor to a partition; False when it is not in the current view."""
        if key not in self._rows:
            return False
        self.at_top = False
        self.selected_key = key
        self._restore_cursor()
        self.post_message(self.PartitionSelected(key))
        return True

    def current_key(self) -> str | None:
        """The partition under the cursor now (key presses may outrun highlight messages)."""
        return self._key_at_cursor() if self._rows else None

    def _restore_cursor(self) -> None:
        if not self._rows:
            if self.selected_key is not None:
                self.selected_key = None
                self.post_message(self.PartitionSelected(None))
            return
        if self.at_top:
            if self.cursor_row != 0:
                self.move_cursor(row=0, animate=False)
            first = self._key_at_cursor()
            if first != self.selected_key:
                self.selected_key = first
                self.post_message(self.PartitionSelected(first))
            return
        if self.selected_key in self._rows:
            index = self.get_row_index(self.selected_key)
            if index != self.cursor_row:
                self.move_cursor(row=index, animate=False)
            return
        # The selected partition left the view: follow whatever is under the cursor now.
        self.selected_key = self._key_at_cursor()
        self.post_message(self.PartitionSelected(self.selected_key))

    def on_click(self) -> None:
        self.at_top = False  # a row picked with the mouse stays picked, wherever it sorts

    def _key_at_cursor(self) -> str | None:
        if not self.row_count:
            return None
        row = min(max(self.cursor_row, 0), self.row_count - 1)
        return str(self.coordinate_to_cell_key((row, 0)).row_key.value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        # Highlights posted during a diff can name a row that is no longer under the cursor.
        if event.row_key != RowKey(self._key_at_cursor()):
            return
        key = str(event.row_key.value)
        if event.cursor_row != 0:
            self.at_top = False  # the user moved the cursor: it follows their partition now
        if key != self.selected_key:
            self.selected_key = key
            self.post_message(self.PartitionSelected(key))
