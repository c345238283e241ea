"""A DataTable whose columns all have a fixed width and whose rows are one line each.

After rows are added, Textual measures every cell of every new row on the next idle (each
column's content width, each row's height) and sums the rows' heights from every row's line
offsets. With fixed widths and one-line rows that measuring changes nothing and the height is
the row count, yet at 21,000 rows it was ~210,000 Rich measurements and a walk of every row
per chunk added (~2-4 s of the loop while the first judging waited for the GIL). Here only the
virtual size is brought up to date, and line y is row y: no list of every row's lines rebuilt
each time a cell changes or rows are added (Textual keys it by its update count).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class _Lines:
    """Textual's ``_y_offsets`` (line y -> (row key, line within the row)) for one-line rows:
    answered from the row order itself."""

    __slots__ = ("table",)

    def __init__(self, table: DataTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return len(self.table.rows)

    def __getitem__(self, y: int) -> tuple[RowKey, int]:
        if not 0 <= y < len(self.table.rows):
            raise IndexError(y)
        return self.table._row_locations.get_key(y), 0

    def clear(self) -> None:
        """``DataTable.clear`` empties its cached list; nothing is cached here."""


class FixedTable(DataTable):
    """Columns added with a ``width``, rows without a label, one line each; any other column
    or row and Textual's own measuring runs (from then on for good)."""

    _one_line = True  # every row ever added had no label and a height of 1

    def add_row(self, *cells, height: int | None = 1, key=None, label=None) -> RowKey:
        if height != 1 or label is not None:
            self._one_line = False  # Textual's measuring from now on
        return super().add_row(*cells, height=height, key=key, label=label)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if not self._one_line or any(c.auto_width for c in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(c.get_render_width(self) for c in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, len(self.rows) + header)

    @property
    def _y_offsets(self):  # type: ignore[override]
        if self._one_line:
            return _Lines(self)
        return DataTable._y_offsets.fget(self)  # type: ignore[attr-defined]
