"""The partition table's cells: Rich Texts that sort by their model value (blanks last), not
by the text they show."""

from __future__ import annotations

from rich.text import Text

from lpmtui.common.visible import visible
from lpmtui.ui.palette import Palette
from lpmtui.ui.rows import Cell


class SortableText(Text):
    """A Rich Text cell that sorts by its model value rather than its rendered text."""

    __slots__ = ("sort_value",)  # no __dict__: 210,000 of them at 20,000 partitions

    def __init__(self, cell: Cell, palette: Palette) -> None:
        style = getattr(palette, cell.style) if cell.style else ""
        # Cell padding is 0: a leading blank separates left-aligned cells from the previous.
        text = visible(cell.text if cell.right else f" {cell.text}")  # never a raw control char
        super().__init__(
            text,
            style=style,
            justify="right" if cell.right else "left",
            no_wrap=True,
            overflow="ellipsis",
        )
        self.sort_value = cell.sort


def cell_key(cell: Cell) -> tuple[int, object]:
    """``sort_key`` of a Cell not yet in the table (the order rows are added in)."""
    return (0, cell.sort) if cell.sort not in (None, "") else (1, "")


def sort_key(value: object) -> tuple[int, object]:
    """A cell's place in the table's sort: by its model value, blanks last."""
    sort = getattr(value, "sort_value", value)
    return (0, sort) if sort not in (None, "") else (1, "")
