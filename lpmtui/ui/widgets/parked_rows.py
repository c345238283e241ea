"""Rows a filter took away from the partition table, kept with their cells.

Typing narrows and backspacing brings the same rows back; making and freeing 17,000 rows'
cells is most of such a keystroke. A kept row is used again only for the very row (cells
tuple) it was made from. Three maps filled by ``dict.update``: 17,000 entries each, on the
keystroke's path, in the order the rows left the table (the table's order)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from lpmtui.ui.widgets.table_rows import INSERT_AT_MOST


class ParkedRows:
    def __init__(self) -> None:
        self._made: dict[str, tuple] = {}  # key -> the row (cells tuple) it was made from
        self._rows: dict[str, Any] = {}  # key -> the table's row
        self._cells: dict[str, dict] = {}  # key -> its cells by column

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

    def forget(self, keep: Collection[str] = ()) -> None:
        """Let go of the kept rows whose keys are not in ``keep``."""
        for key in [k for k in self._made if k not in keep]:
            del self._made[key], self._rows[key], self._cells[key]
