"""Rows a filter took away from the partition table, kept with their cells.

Typing narrows and backspacing brings the same rows back; making and freeing 17,000 rows'
cells is most of such a keystroke. A kept row is used again only for the very row (cells
tuple) it was made from, or has its changed cells set. Each drop keeps the table's maps from
before it (they still hold the rows dropped, cells and all) and the rows it dropped by key:
nothing per row is copied on the keystroke's path.

Rows coming back are put in their place without a sort key each: the rows of the last drops
all back (backspaces after narrowing keystrokes, or the filter cleared): the table as it was
before the first of them (``undo``: its maps kept, not rebuilt); else, while no sort or other
new row changed the table's order, by each row's place in the order before the first drop
since (``_rank``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from itertools import chain
from typing import Any

from textual.widgets import DataTable

from lpmtui.ui.widgets.table_rows import (
    INSERT_AT_MOST,
    Built,
    add_rows,
    before_drop,
    drop_rows,
    restore,
)


class _Drop:
    """One drop: the rows it dropped (key -> the row, a cells tuple, each was made from) and
    the table before it (``before_drop``: its maps hold those rows and their cells)."""

    __slots__ = ("before", "made")

    def __init__(self, made: dict[str, tuple], before: tuple) -> None:
        self.made, self.before = made, before


class ParkedRows:
    def __init__(self) -> None:
        self._drops: list[_Drop] = []  # every kept row in one of them, oldest first
        self._whole = 0  # the last drops that still hold all they dropped: each undoable
        self._order: list | None = None  # the table's rows before the first drop since a sort
        self._rank: dict[str, int] | None = None  # key -> place in _order

    def __len__(self) -> int:
        return sum(len(drop.made) for drop in self._drops)

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(drop.made for drop in self._drops)

    def __contains__(self, key: object) -> bool:
        return any(key in drop.made for drop in self._drops)

    def drop(self, table: DataTable, made: dict[str, tuple], kept: Collection[str] = ()) -> None:
        """Drop the rows ``made`` (key -> the row it was made from; kept as it is, not to be
        changed) from ``table`` for a filter, and keep them; ``kept``: ``drop_rows``'."""
        before = before_drop(table)
        if self._rank is None and self._order is None:
            self._order = before[3]
        drop_rows(table, made.keys(), kept)
        self._drops.append(_Drop(made, before))
        self._whole += 1

    def undo(self, table: DataTable, rows: Mapping[str, tuple]) -> list[dict] | None:
        """When ``rows`` (by key) are all the rows of the last drops: the table is put back as
        it was before the first of them and each drop's rows (key -> the row it was made
        from) are returned, for the cells of those that differ from ``rows`` now; else None."""
        whole = self._drops[len(self._drops) - self._whole :]
        first, count = len(whole), 0
        while first and count < len(rows):
            first -= 1
            count += len(whole[first].made)
        undone = whole[first:]  # (drops are disjoint: a row is dropped once until it is back)
        if not undone or count != len(rows):
            return None
        if not all(drop.made.keys() <= rows.keys() for drop in undone):
            return None
        del self._drops[len(self._drops) - len(undone) :]
        self._whole -= len(undone)
        restore(table, undone[0].before)
        return [drop.made for drop in undone]

    def unpark(
        self, keys: list[str], now: Mapping[str, tuple]
    ) -> tuple[list[tuple[Any, dict]], list[str]]:
        """The kept (row, cells) for ``keys`` whose row is still as it is ``now``; the keys
        without one (never kept, or changed while hidden: to be made again)."""
        self._whole = 0  # the drops are taken apart: none is whole any more
        found: list[tuple[str, _Drop | None, Any, Any]] = []  # key, its drop, row, cells
        if len(keys) > INSERT_AT_MOST:  # in the order they left the table in: sorted runs
            wanted = set(keys)
            for drop in self._drops:
                made, data = drop.made, drop.before[1]
                for row in drop.before[3]:
                    if (key := row.key.value) in wanted and key in made:
                        found.append((key, drop, row, data[row.key]))
            there = {key for key, *_ in found}
            found += [(key, None, None, None) for key in keys if key not in there]
        else:
            for key in keys:
                drop = next((d for d in self._drops if key in d.made), None)
                if drop is None:
                    found.append((key, None, None, None))
                else:  # (the maps are keyed by RowKey, which equals its string)
                    found.append((key, drop, drop.before[0][key], drop.before[1][key]))
        ready, fresh = [], []
        for key, drop, row, cells in found:
            made = drop.made.pop(key) if drop is not None else None
            if made is not None and (made is now[key] or made == now[key]):
                ready.append((row, cells))
            else:
                fresh.append(key)
        self._drops = [drop for drop in self._drops if drop.made]
        return ready, fresh

    def reordered(self) -> None:
        """Rows were sorted, added or taken away otherwise: the places kept no longer hold."""
        self._rank = self._order = None
        self._whole = 0

    def put_back(
        self, table: DataTable, rows: list[Built], kept: bool, order: Callable, reverse: bool
    ) -> None:
        """Add ``rows`` to ``table`` in their place (``add_rows``' ``order`` and ``reverse``);
        ``kept``: all of them were kept here (unpark's), none made again."""
        self._whole = 0
        if self._rank is None and self._order is not None:  # the rows kept by drops since
            self._rank = {row.key.value: i for i, row in enumerate(self._order)}  # in order
        self._order, rank = None, self._rank
        if kept and rank is not None and all(row.key.value in rank for row, _ in rows):
            add_rows(table, rows, lambda keys: list(map(rank.__getitem__, keys)), False)
        else:
            self._rank = None
            add_rows(table, rows, order, reverse)

    def forget(self, keep: Collection[str] = ()) -> None:
        """Let go of the kept rows whose keys are not in ``keep``."""
        self._whole = 0  # tables with rows that may be gone
        for drop in self._drops:
            for key in [k for k in drop.made if k not in keep]:
                del drop.made[key]
        self._drops = [drop for drop in self._drops if drop.made]
