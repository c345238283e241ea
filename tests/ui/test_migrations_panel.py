"""The migrations panel: rows grouped (needs attention, running, queued, ended), arrival order
within a group, and the cursor staying on its migration when rows move."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult

from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel
from tests.ui.test_bandwidth import counting

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


def cells(panel: MigrationsPanel, job_id: str) -> dict[str, str]:
    keys = ("partition", "state", "progress", "gb", "rate", "eta", "elapsed", "waited")
    return {key: text for key, text in panel.row_text(job_id).items() if key in keys}


async def test_waiting_for_a_channel_is_neither_running_nor_queued_and_waited_is_apart():
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(MigrationsPanel)
        panel.show(replace(job(1, S.IN_PROGRESS), elapsed=23.0, waited=43.0, percent=50.0))
        panel.show(
            replace(
                job(2, S.WAITING),
                waited=12.0,
                message="allowed; waiting for a free channel to hmc1",
            )
        )
        panel.show(replace(job(3, S.QUEUED), waited=5.0, queue_position=1))
        await pilot.pause()
        assert panel.border_title == (
            "Migrations · 1 running · 1 waiting for a channel · 1 queued · 0 ended"
        )
        assert rows(panel) == ["j1", "j2", "j3"]
        running, waiting, queued = (cells(panel, j) for j in ("j1", "j2", "j3"))
        assert (running["state"], running["elapsed"], running["waited"]) == (
            "in progress",
            "23s",
            "43s",
        )
        assert (waiting["state"], waiting["elapsed"], waiting["waited"]) == ("waiting", "", "12s")
        assert (queued["state"], queued["elapsed"], queued["waited"]) == ("queued #1", "", "5s")
        panel.move_cursor(row=1)
        await pilot.pause()
        assert panel.border_subtitle == "lpar2: allowed; waiting for a free channel to hmc1"


async def test_an_ended_row_shows_its_outcome_and_final_figures():
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(MigrationsPanel)
        gib = 1024**3
        moving = replace(job(1, S.IN_PROGRESS), bytes_moved=int(33.8 * gib), bytes_total=34 * gib)
        panel.show(replace(moving, percent=99.4, rate=2 * gib, eta=1.0, elapsed=60.0))
        await pilot.pause()
        assert cells(panel, "j1")["gb"] == "33.8/34.0"
        panel.show(replace(moving, state=S.SUCCEEDED, percent=100.0, elapsed=61.0))
        await pilot.pause()
        ended = cells(panel, "j1")
        assert (ended["state"], ended["gb"], ended["rate"], ended["eta"]) == (
            "succeeded",
            "34.0 moved",
            "",
            "",
        )
        assert ended["elapsed"] == "1m01s"


async def test_the_status_line_follows_the_newest_migration_of_the_partition():
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(MigrationsPanel)
        first = MigrationProgress("j1", "app-02", "A", "B", "active", S.SUCCEEDED)
        panel.show(replace(first, message="running on B (Running)"))
        await pilot.pause()
        assert panel.border_subtitle == "app-02: running on B (Running)"
        again = MigrationProgress("j2", "app-02", "B", "C", "active", S.IN_PROGRESS)
        panel.show(again)  # the cursor stays on the first, ended, row
        await pilot.pause()
        assert panel.selected_job().job_id == "j1"
        assert panel.border_subtitle == "app-02: now in progress B → C"
        panel.show(replace(again, state=S.FAILED, message="HSCL1234 it failed"))
        await pilot.pause()
        assert panel.border_subtitle == "app-02: now failed B → C: HSCL1234 it failed"


async def test_an_evacuations_ended_rows_sit_under_one_header_that_opens_and_closes():
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(MigrationsPanel)
        panel.group_of = lambda jid: "Evacuate A" if jid in ("j1", "j2", "j3") else ""
        for n, state in enumerate((S.SUCCEEDED, S.SUCCEEDED, S.FAILED, S.IN_PROGRESS)):
            panel.show(job(n, state))
        await pilot.pause()
        # j2 failed: it needs the admin, so it is not an ended row; j1 ended, under its header
        assert rows(panel) == ["j2", "j3", "j0", "group:Evacuate A"]
        header = {k: panel.row_text("group:Evacuate A")[k] for k in ("partition", "route")}
        assert header == {"partition": "▸ 1 ended", "route": "Evacuate A"}
        assert panel.get_cell("group:Evacuate A", "state").plain == "1 succeeded"
        panel.show(job(3, S.SUCCEEDED))
        panel.move_cursor(row=rows(panel).index("group:Evacuate A"))
        await pilot.pause()
        assert rows(panel) == ["j2", "j0", "group:Evacuate A"]
        assert str(panel.border_subtitle) == "▸ Evacuate A · 2 ended: 2 succeeded (enter)"
        panel.focus()
        await pilot.press("enter")
        assert rows(panel) == ["j2", "j0", "group:Evacuate A", "j1", "j3"]
        assert panel.get_cell("group:Evacuate A", "partition").plain == "▾ 2 ended"
        await pilot.press("enter")  # the cursor stayed on the header: enter closes it
        assert rows(panel) == ["j2", "j0", "group:Evacuate A"]
        panel.set_hide_ended(True)
        assert rows(panel) == ["j2"]
        assert (
            panel.border_title
            == "Migrations · 0 running · 0 queued · 4 ended (3 hidden) · 1 need attention"
        )


async def test_a_running_migration_draws_its_rate_and_a_stall_is_flat():
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(MigrationsPanel)
        mb = 1024**2
        for n, rate in enumerate((100, 200, 400, 400, 0, 0)):
            panel.show(replace(job(1, S.IN_PROGRESS), bytes_moved=n, rate=rate * mb))
        await pilot.pause()
        assert panel.row_text("j1")["rate"] == "▃▅██▁▁ 0.0MB/s"
        panel.show(replace(job(1, S.IN_PROGRESS), bytes_moved=5, rate=0.0))  # the same reading
        assert panel.row_text("j1")["rate"] == "▃▅██▁▁ 0.0MB/s"
        panel.show(replace(job(1, S.SUCCEEDED), bytes_moved=9))
        await pilot.pause()
        assert panel.row_text("j1")["rate"] == ""


def shown(panel: MigrationsPanel) -> list[str]:
    return [str(key.value) for key in panel.columns]


async def test_the_columns_fit_the_width_and_a_refresh_never_rebuilds_them():
    app = PanelApp()
    async with app.run_test(size=(80, 12)) as pilot:
        panel = app.query_one(MigrationsPanel)
        for n in range(3):
            panel.show(replace(job(n, S.IN_PROGRESS), percent=42.0, eta=95.0, elapsed=70.0))
        panel.move_cursor(row=1)
        await pilot.pause()
        assert shown(panel) == ["partition", "route", "state", "pct", "speed", "eta"]
        assert panel.get_cell("j1", "pct").plain == " 42%"
        assert panel.get_cell("j1", "eta").plain == "1m40s"  # 95 s to go, in 10 s steps, rounded up
        assert sum(c.get_render_width(panel) for c in panel.columns.values()) <= panel.size.width
        rebuilds = []
        original = panel.clear
        panel.clear = lambda columns=False: rebuilds.append(columns) or original(columns)
        for n in range(3):  # the periodic path: a keyed diff
            panel.show(replace(job(n, S.IN_PROGRESS), percent=50.0, eta=80.0, elapsed=85.0))
        await pilot.pause()
        assert rebuilds == [] and panel.get_cell("j1", "pct").plain == " 50%"
        await pilot.resize_terminal(160, 12)
        await pilot.pause()
        assert rebuilds == [True]  # a new width: the columns that fit it, once
        assert shown(panel) == [
            "partition", "route", "kind", "state", "progress", "gb", "rate", "eta", "elapsed",
            "waited",
        ]  # fmt: skip
        assert panel.get_cell("j1", "elapsed").plain == "1m20s"  # 85 s, 10 s steps, down
        assert panel.selected_job().job_id == "j1"  # the cursor stayed on its migration
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        assert shown(panel) == ["partition", "state", "pct", "eta"]
        assert sum(c.get_render_width(panel) for c in panel.columns.values()) <= panel.size.width


async def test_the_border_titles_are_set_only_when_they_change():
    app = PanelApp()
    async with app.run_test(size=(120, 12)) as pilot:
        panel = app.query_one(MigrationsPanel)
        moving = replace(job(1, S.IN_PROGRESS), percent=42.0, message="copying memory")
        panel.show(moving)
        await pilot.pause()
        repaints = counting(panel)
        panel.show(moving)  # the same reading again: nothing changed, nothing repainted
        panel.show(moving)
        assert repaints == []
        assert panel.border_subtitle == "lpar1: copying memory"
        titles = (panel._border_title, panel._border_subtitle)
        panel.show(replace(moving, percent=43.0))  # a cell changes: the cell, not the titles
        assert panel._border_title is titles[0] and panel._border_subtitle is titles[1]
        assert repaints and all(not layout for layout in repaints)
        repaints.clear()
        panel.show(replace(moving, percent=43.0, state=S.SUCCEEDED))
        assert panel.border_title == "Migrations · 0 running · 0 queued · 1 ended"
        panel.border_title = "someone else's"
        panel.show(replace(moving, percent=43.0, state=S.SUCCEEDED))
        assert panel.border_title == "Migrations · 0 running · 0 queued · 1 ended"
