"""Rows a filter took away from the partition table, kept with their cells.

Typing narrows and backspacing brings the same rows back; making and freeing 17,000 rows'
cells is most of such a keystroke. A kept row is used again only for the very row (cells
tuple) it was made from. Three maps filled by ``dict.update``: 17,000 entries each, on the
keystroke's path, in the order the rows left the table (the table's order).

Rows coming back are put in their place without a sort key each: while no sort or other new
row changed the table's order, by each row's place in the order they left (``_rank``); the
rows of the last drop all back (a backspace after a narrowing keystroke): the table as it was
before that drop (``_undo``), its maps kept, not rebuilt."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from textual.widgets import DataTable

from lpmtui.ui.widgets.table_rows import (
    INSERT_AT_MOST,
    Built,
    add_rows,
    before_drop,
    restore,
)


class ParkedRows:
    def __init__(self) -> None:
        self._made: dict[str, tuple] = {}  # key -> the row (cells tuple) it was made from
        self._rows: dict[str, Any] = {}  # key -> the table's row
        self._cells: dict[str, dict] = {}  # key -> its cells by column
        self._rank: dict[str, int] | None = None  # key -> place in the order rows left in
        self._undo: list[tuple[tuple, Mapping]] = []  # (table before a drop, rows dropped)

    def __len__(self) -> int:
        return len(self._made)

    def __iter__(self) -> Iterator[str]:
        return iter(self._made)

    def park(self, made: Mapping[str, tuple], rows: dict, cells: dict) -> None:
        """The table dropped ``rows`` (and their ``cells``), made from ``made``'s rows."""
        self._made.update((key, made[key]) for key in rows)
        self._rows.update(rows)
        self._cells.update(cells)

    def unpark(
        self, keys: list[str], now: Mapping[str, tuple]
    ) -> tuple[list[tuple[Any, dict]], list[str]]:
        """The kept (row, cells) for ``keys`` whose row is still as it is ``now``; the keys
        without one (never kept, or changed while hidden: to be made again)."""
        ready, fresh, made = [], [], self._made
        if len(keys) > INSERT_AT_MOST:  # in the order they left the table in: sorted runs
            wanted = set(keys)
            keys = [k for k in made if k in wanted] + [k for k in keys if k not in made]
        for key in keys:
            found = made.pop(key, None)
            if found is None:
                fresh.append(key)
                continue
            row, cells = self._rows.pop(key), self._cells.pop(key)
            if found is now[key] or found == now[key]:
                ready.append((row, cells))
            else:
                fresh.append(key)
        return ready, fresh

    def dropping(self, table: DataTable, rows: Mapping[str, Any]) -> None:
        """The table is about to drop ``rows`` (by key) for a filter."""
        self._undo.append((before_drop(table), rows))

    def reordered(self) -> None:
        """Rows were sorted, added or taken away otherwise: the places kept no longer hold."""
        self._rank, self._undo = None, []

    def put_back(
        self, table: DataTable, rows: list[Built], kept: bool, order: Callable, reverse: bool
    ) -> None:
        """Add ``rows`` to ``table`` in their place (``add_rows``' ``order`` and ``reverse``);
        ``kept``: all of them were kept here (unpark's), none made again."""
        last = self._undo[-1][1] if self._undo else {}
        if kept and len(rows) == len(last) and all(row.key.value in last for row, _ in rows):
            restore(table, self._undo.pop()[0])
            return
        if self._rank is None and self._undo:  # the order before the first drop since a sort:
            before = self._undo[0][0][3]  # the rows kept by drops since are in it, in order
            self._rank = {row.key.value: i for i, row in enumerate(before)}
        self._undo, rank = [], self._rank
        if kept and rank is not None and all(row.key.value in rank for row, _ in rows):
            add_rows(table, rows, lambda keys: list(map(rank.__getitem__, keys)), False)
        else:
            self._rank = None
            add_rows(table, rows, order, reverse)

    def forget(self, keep: Collection[str] = ()) -> None:
        """Let go of the kept rows whose keys are not in ``keep``."""
        self._undo = []  # tables with rows that may be gone
        for key in [k for k in self._made if k not in keep]:
            del self._made[key], self._rows[key], self._cells[key]
