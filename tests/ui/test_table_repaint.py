"""Cells changed off screen repaint nothing, and are right once scrolled to; on screen, only
their rows are repainted (a poll changing 1% of 5,000 rows repainted every cell shown)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from lpmtui.ui.widgets.table_rows import REPAINT_ROWS_AT_MOST, set_cells
from tests.ui.test_bandwidth import counting

ROWS = 400


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield DataTable(id="t")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("name", width=10, key="name")
        table.add_column("state", width=12, key="state")
        for i in range(ROWS):
            table.add_row(f"row{i:03}", "Running", key=f"r{i}")


def shown(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_cells_off_screen_repaint_nothing_and_show_when_scrolled_to():
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        repaints = counting(table)
        set_cells(table, [("r300", "state", "Migrating")])
        assert repaints == []  # row 300 is far below the 9 lines shown
        table.scroll_to(y=295, animate=False)
        await pilot.pause()
        line = next(line for line in shown(app).splitlines() if "row300" in line)
        assert line.split()[:2] == ["row300", "Migrating"]


async def test_a_cell_on_screen_repaints_its_row_only():
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        regions = []
        original = table.refresh

        def refresh(*args, **kw):
            regions.append(args)
            return original(*args, **kw)

        table.refresh = refresh
        set_cells(table, [("r2", "state", "Migrating")])
        assert len(regions) == 1 and len(regions[0]) == 1
        (region,) = regions[0]
        assert (region.y, region.height) == (3, 1)  # the header's line, then rows 0, 1, 2
        await pilot.pause()
        assert "Migrating" in shown(app)


async def test_past_the_limit_the_whole_table_is_repainted():
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        repaints = counting(table)
        first = ROWS - REPAINT_ROWS_AT_MOST - 1
        many = [(f"r{i}", "state", "Stopping") for i in range(first, ROWS)]
        set_cells(table, many)  # none on screen, but too many to look at one by one
        assert repaints == [False]
        set_cells(table, many[1:])
        assert repaints == [False]  # at the limit: looked at, none on screen
