"""The migrations panel: rows grouped (needs attention, running, queued, ended), arrival order
within a group, and the cursor staying on its migration when rows move."""

from __future__ import annotations

from textual.app import App, ComposeResult

from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel

S = MigrationState


class PanelApp(App):
    def compose(self) -> ComposeResult:
        yield MigrationsPanel(id="panel")


def job(n: int, state: MigrationState) -> MigrationProgress:
    return MigrationProgress(f"j{n}", f"lpar{n}", "A", "B", "active", state)


def rows(panel: MigrationsPanel) -> list[str]:
    return [str(panel.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(panel.row_count)]


async def test_rows_group_by_what_needs_the_admin_and_the_cursor_follows_its_job():
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(MigrationsPanel)
        for n, state in enumerate((S.SUCCEEDED, S.IN_PROGRESS, S.QUEUED, S.QUEUED, S.SUCCEEDED)):
            panel.show(job(n, state))
        await pilot.pause()
        assert rows(panel) == ["j1", "j2", "j3", "j0", "j4"]
        panel.move_cursor(row=rows(panel).index("j3"))
        panel.show(job(2, S.STARTING))  # a queued one starts: the rows move, not the cursor's job
        panel.show(job(1, S.NEEDS_RECOVERY))
        await pilot.pause()
        assert rows(panel) == ["j1", "j2", "j3", "j0", "j4"]
        panel.show(job(1, S.RECOVERED))
        await pilot.pause()
        assert rows(panel) == ["j2", "j3", "j0", "j1", "j4"]
        assert panel.selected_job().job_id == "j3"
        assert panel.border_title == "Migrations · 1 running · 1 queued · 3 ended"
