"""A FixedTable keeps each cell's Rich rendering across table updates (Textual renders every
row on screen again after any change) and gives exactly what Textual's own rendering gives,
the row/column meta of each cell included."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from lpmtui.ui.widgets.fixed_table import FixedTable

CELLS = [
    (Text("row with a long name", style="bold red", overflow="ellipsis", no_wrap=True), ""),
    (Text("7", justify="right"), Text("")),
    (Text.assemble(("ok", "green"), " ", ("2 fail", "italic")), Text("x" * 30)),
]


class TableApp(App):
    def __init__(self, padding: int) -> None:
        super().__init__()
        self.padding = padding

    def compose(self) -> ComposeResult:
        yield FixedTable(cursor_type="row", cell_padding=self.padding)


def _meta(lines: list) -> list:
    return [[s.style.meta if s.style is not None else None for s in line] for line in lines]


async def test_cells_render_as_textual_renders_them_meta_included():
    for padding in (0, 1):
        app = TableApp(padding)
        async with app.run_test(size=(60, 10)) as pilot:
            table = app.query_one(FixedTable)
            table.add_column("a", key="a", width=12)
            table.add_column("b", key="b", width=5)
            for i, cells in enumerate(CELLS):
                table.add_row(*cells, key=f"k{i}")
            await pilot.pause()
            base = table.rich_style
            for row in range(len(CELLS)):
                for column in range(2):
                    width = table.ordered_columns[column].get_render_width(table)
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        args = (row, column, base, width, cursor, hover)
                        table._update_count += 1
                        ours = table._render_cell(*args)
                        table._update_count += 1
                        textuals = DataTable._render_cell(table, *args)
                        assert ours == textuals and _meta(ours) == _meta(textuals)


async def test_a_repaint_after_an_update_renders_no_cell_again(monkeypatch):
    app = TableApp(0)
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(FixedTable)
        table.add_column("a", key="a", width=12)
        for i in range(5):
            table.add_row(Text(f"row{i}"), key=f"k{i}")
        await pilot.pause()
        rendered: list[object] = []
        real = app.console.render_lines
        monkeypatch.setattr(
            app.console, "render_lines", lambda *a, **k: rendered.append(a[0]) or real(*a, **k)
        )
        table.update_cell("k3", "a", Text("changed"))  # every cached row is stale now
        await pilot.pause()
        texts = [str(r) for r in rendered if isinstance(r, Text)]
        assert texts == ["a", "changed"]  # the header (Textual's) and the changed cell only
        assert "changed" in str(table.get_row_at(3)[0])
