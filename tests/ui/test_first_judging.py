"""The first judging of a large fleet (issue 16: every best target on screen <= 10 s at 21,000
rows): the loop's work while the judge thread waits for the GIL is kept small. The table does
not measure the cells of rows it adds (fixed widths, one-line rows)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import _data_table

from lpmtui.ui.widgets.fixed_table import FixedTable


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield FixedTable()


def counting_measure(monkeypatch) -> list[object]:
    measured: list[object] = []
    real = _data_table.measure

    def measure(console, renderable, *args, **kwargs):
        measured.append(renderable)
        return real(console, renderable, *args, **kwargs)

    monkeypatch.setattr(_data_table, "measure", measure)
    return measured


async def test_fixed_table_adds_rows_without_measuring_their_cells(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(FixedTable)
        table.add_column("a", key="a", width=6)
        table.add_column("b", key="b", width=4)
        await pilot.pause()
        measured = counting_measure(monkeypatch)
        for i in range(30):
            table.add_row(Text(f"row{i:02}"), Text(str(i)), key=f"k{i}")
        await pilot.pause()
        assert measured == []  # Textual measures each new cell: 60 here
        assert table.virtual_size.height == 30 + table.header_height
        assert table.virtual_size.width == 6 + 4 + 2 * 2  # widths, a padding each side
        table.sort("a", key=lambda a: str(a), reverse=True)
        # Line y is the row at y in the table's order, one line each.
        assert table._get_offsets(table.header_height)[0].value == "k29"
        assert len(table._y_offsets) == 30
        assert str(table.get_row_at(0)[0]) == "row29"

        # A row of another height: Textual's measuring from then on, its height counted.
        table.add_row(Text("tall\ntall"), Text("x"), key="tall", height=None)
        await pilot.pause()
        assert measured
        assert table.virtual_size.height == 32 + table.header_height
