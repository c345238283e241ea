"""A DataTable whose columns all have a fixed width and whose rows are one line each.

After rows are added, Textual measures every cell of every new row on the next idle (each
column's content width, each row's height) and sums the rows' heights from every row's line
offsets. With fixed widths and one-line rows that measuring changes nothing and the height is
the row count, yet at 21,000 rows it was ~210,000 Rich measurements and a walk of every row
per chunk added (~2-4 s of the loop while the first judging waited for the GIL). Here only the
virtual size is brought up to date, and line y is row y: no list of every row's lines rebuilt
each time a cell changes or rows are added (Textual keys it by its update count). Each cell's
Rich rendering is kept across updates too (``_render_cell``), so a repaint after rows come and
go renders only the cells not seen before.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.renderables.styled import Styled
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A cell's rendering without the row/column meta, by cell, width and styles.
        self._kept_cells: LRUCache[tuple, tuple[object, list]] = LRUCache(1000)

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

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """Textual's, but a cell's Rich rendering (~0.08 ms) is kept across table updates:
        Textual's own cache is keyed by the update count, so every row on screen is rendered
        again after any change (14-18 ms a repaint). What it renders differs by row only in the
        row/column meta of the styles, added here to the kept rendering."""
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        if row_index < 0 or column_index < 0 or fixed or not self._one_line:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor)
        key += (self._update_count, self._pseudo_class_state)  # Textual's cache key
        lines = self._cell_render_cache.get(key)
        if lines is None:
            lines = self._cell_lines(row_index, column_index, base_style, width, cursor, hover)
            self._cell_render_cache[key] = lines
        return lines

    def _cell_lines(
        self, row_index: int, column_index: int, base: Style, width: int, cursor: bool, hover: bool
    ) -> list[list[Segment]]:
        cell = self._get_row_renderables(row_index)[1][column_index]
        css = self.cursor_foreground_priority == "css", self.cursor_background_priority == "css"
        show = self.show_cursor, self._show_hover_cursor
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, *show, *css
        )
        key = (id(cell), width, base, component, post, self._pseudo_class_state)
        kept = self._kept_cells.get(key)
        if kept is None or kept[0] is not cell:
            pre = base + component
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            padded = Padding(cell, (0, self.cell_padding))
            lines = self.app.console.render_lines(Styled(padded, pre, post), options)
            if not pre or any(
                s.style is not None and s.style._meta for line in lines for s in line
            ):
                return super()._render_cell(row_index, column_index, base, width, cursor, hover)
            kept = self._kept_cells[key] = (cell, lines)  # (the cell: its id stays its own)
        meta = Style.from_meta({"row": row_index, "column": column_index})
        return [
            [s if s.style is None else Segment(s.text, s.style + meta, s.control) for s in line]
            for line in kept[1]
        ]

    @property
    def _y_offsets(self):  # type: ignore[override]
        if self._one_line:
            return _Lines(self)
        return DataTable._y_offsets.fget(self)  # type: ignore[attr-defined]
