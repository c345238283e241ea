"""Pilot tests of the dashboard fed with hand-built snapshots through the real message path."""

from __future__ import annotations

import io
from dataclasses import replace

from rich.console import Console

from lpmtui.model import ConnectionState
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.detail_pane import EMPTY, DetailPane, render_detail, render_frame_notice
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from tests.ui.factory import NOW, demo_snapshot, lpar

SIZE = (120, 40)


async def settle(app, pilot) -> None:
    """Until no message or worker is pending (a worker can post work for another)."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def table(app) -> PartitionTable:
    return app.dashboard.query_one(PartitionTable)


def detail_text(app) -> str:
    """The detail pane as plain text, rendered the way the pane renders it."""
    pane = app.dashboard.query_one(DetailPane)
    console = Console(width=100, record=True, file=io.StringIO())
    if pane.view:
        console.print(render_detail(pane.view, pane.palette))
    elif pane.frame_notice:
        console.print(render_frame_notice(*pane.frame_notice, pane.palette))
    else:
        console.print(EMPTY)
    return console.export_text()


def cell(app, key: str, column: str) -> str:
    return str(table(app).get_cell(key, column)).strip()


async def test_frames_and_partitions_appear_with_verdicts():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        assert len(table(app).keys) == 9
        assert cell(app, "p9a/2", "name") == "app[01]"  # markup characters shown literally
        assert cell(app, "p9a/1", "mobility") == "VIOS"
        assert cell(app, "p10a/2", "mobility").endswith("fail")
        assert cell(app, "p9a/3", "migration") == "25% →p9b"
        header = str(app.dashboard.query_one("#header").render())
        assert "HMCs 2/2" in header and "partitions 9" in header and "migrating 1" in header


async def test_select_frame_filter_partition_and_target_changes_checks():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)
        tree.select_scope(Scope("frame", "p9a"))
        await settle(app, pilot)
        assert sorted(table(app).keys) == ["p9a/1", "p9a/2", "p9a/3", "p9a/4", "p9a/5"]

        await pilot.press("slash", "d", "b")
        await settle(app, pilot)
        assert table(app).keys == ["p9a/3"]
        assert "db01" in detail_text(app)

        await pilot.press("enter")  # back to the table
        await pilot.press("t")
        await settle(app, pilot)
        picker = app.screen
        assert type(picker).__name__ == "TargetPicker"
        options = picker.query_one("OptionList")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert set(ids[1:]) == {"p9b", "p10a"}
        options.highlighted = ids.index("p9b")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.dashboard.fleet_view.target == "p9b"
        text = detail_text(app)
        assert "Target p9b (chosen" in text
        # p9b has 8 GB free and db01 needs 64 GB: the check says so and what to do.
        assert "✗ Enough available memory on the target" in text
        assert "target p9b has 8 GB free, partition needs 64 GB" in text
        assert "fix: Free memory on the target" in text
        assert cell(app, "p9a/3", "mobility").endswith("fail")

        await pilot.press("slash", "escape")
        await settle(app, pilot)
        assert len(table(app).keys) == 5
        assert table(app).selected_key == "p9a/3"


async def test_selection_follows_the_partition_across_refresh_and_sort():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        assert table(app).select_key("p9a/4")
        await settle(app, pilot)
        await pilot.press("o")  # sort by the next column (ID)
        await settle(app, pilot)
        grid = table(app)
        assert grid.sort_column == "id"
        assert grid.coordinate_to_cell_key((grid.cursor_row, 0)).row_key.value == "p9a/4"

        clears = []
        original_clear = grid.clear
        grid.clear = lambda *a, **k: clears.append(1) or original_clear(*a, **k)
        snap = demo_snapshot(taken_at=NOW + 2)
        hmc1 = snap.hmcs[0]
        frame = hmc1.frames[0]
        renamed = (lpar("p9a", "aaa-new", 9), *frame.partitions[1:])  # the VIOS row leaves
        frames = (replace(frame, partitions=renamed), *hmc1.frames[1:])
        snap = replace(snap, hmcs=(replace(hmc1, frames=frames), snap.hmcs[1]))
        app.dashboard.fleet_view.last_apply = 0.0
        app.show_snapshot(snap)
        await settle(app, pilot)
        assert clears == []  # a refresh is a keyed diff, never clear-and-refill
        assert "p9a/1" not in grid.keys and "p9a/9" in grid.keys
        assert grid.coordinate_to_cell_key((grid.cursor_row, 0)).row_key.value == "p9a/4"
        assert "ibmi01" in detail_text(app)


async def test_stale_hmc_is_marked_and_others_stay():
    clock = [NOW + 1]
    app = LpmApp(clock=lambda: clock[0], hot_interval=5.0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        clock[0] = NOW + 30
        app.dashboard.fleet_view.last_apply = 0.0
        app.show_snapshot(
            demo_snapshot(
                taken_at=NOW + 29, hmc2_state=ConnectionState.UNREACHABLE, hmc2_taken_at=NOW
            )
        )
        await settle(app, pilot)
        header = str(app.dashboard.query_one("#header").render())
        assert "STALE hmc2" in header and "HMCs 1/2" in header
        tree = app.dashboard.query_one(FleetTree)
        labels = [str(n.label) for n in tree.root.children]
        assert any("hmc2  unreachable  stale 30s" in label for label in labels)
        errors = [str(n.label) for n in tree.root.children[1].children if n.data.kind == "error"]
        assert errors == ["⚠ connection refused by 10.0.0.20:22"]
        assert "p10a/2" in table(app).keys and len(table(app).keys) == 9  # nothing blanked
        assert table(app).get_cell("p10a/2", "name").style == table(app).palette.stale
        assert any("hmc2 lost" in n.message for n in app._notifications)


async def test_pause_freezes_the_table_but_the_header_ticks():
    clock = [NOW + 1]
    app = LpmApp(clock=lambda: clock[0])
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        await pilot.press("space")
        assert app.dashboard.fleet_view.paused
        snap = demo_snapshot(taken_at=NOW + 5)
        frame = snap.hmcs[0].frames[0]
        gone = replace(frame, partitions=frame.partitions[:-1])
        snap = replace(
            snap, hmcs=(replace(snap.hmcs[0], frames=(gone, snap.hmcs[0].frames[1])), snap.hmcs[1])
        )
        clock[0] = NOW + 7
        app.show_snapshot(snap)
        await settle(app, pilot)
        app.dashboard.fleet_view.tick()
        assert "p9a/5" in table(app).keys
        assert "PAUSED" in str(app.dashboard.query_one("#header").render())
        await pilot.press("space")
        await settle(app, pilot)
        assert "p9a/5" not in table(app).keys


async def test_help_lists_the_keys_of_the_context():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        text = str(app.screen.query_one("Static").render())
        for words in ("partition table", "Filter", "Target", "Pause", "Sort", "Quit"):
            assert words in text
        await pilot.press("escape")
        assert app.screen is app.dashboard


async def test_detail_pane_without_selection_is_explicit():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE):
        assert "Select a partition" in detail_text(app)


async def test_keys_typed_in_a_burst_after_slash_reach_the_filter():
    """tmux send-keys and fast typists deliver '/db' before the focus change is processed."""
    from textual import events

    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        for key, char in (("slash", "/"), ("d", "d"), ("b", "b")):
            app.post_message(events.Key(key, char))
        await settle(app, pilot)
        assert app.dashboard.query_one("#filter").value == "db"
        assert table(app).keys == ["p9a/3"]


async def test_theme_change_recolours_from_theme_variables():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        before = table(app).get_cell("p9a/2", "state").style
        app.theme = "dracula"
        await settle(app, pilot)
        after = table(app).get_cell("p9a/2", "state").style
        assert before != after  # 'Running' takes the new theme's $success
        assert str(after.color.triplet.hex).lower() == app.theme_variables["success"].lower()
        assert len(table(app).keys) == 9


async def test_hmc_strings_that_look_like_markup_are_shown_literally():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        snap = demo_snapshot(taken_at=NOW + 1, hmc2_state=ConnectionState.UNREACHABLE)
        snap = replace(
            snap, hmcs=(snap.hmcs[0], replace(snap.hmcs[1], last_error="refused [/bold] [x"))
        )
        app.dashboard.fleet_view.last_apply = 0.0
        app.show_snapshot(snap)
        await settle(app, pilot)
        await pilot.pause(0.2)  # the toast renders
        assert any(n.message == "hmc2 lost: refused [/bold] [x" for n in app._notifications)
        tree = app.dashboard.query_one(FleetTree)
        errors = [str(n.label) for n in tree.root.children[1].children if n.data.kind == "error"]
        assert errors == ["⚠ refused [/bold] [x"]
