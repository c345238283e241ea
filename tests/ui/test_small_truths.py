"""Item 18 of the "Trust in the window" issue: small things that still misled. Each test names
the letter of the item it pins down."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import Label, OptionList, Static

from lpmtui.evacuation.plan import RETURN, EvacuationPlan, PlannedMove, Stay
from lpmtui.migration.types import MigrationRequest
from lpmtui.model import FleetSnapshot
from lpmtui.ssh.hostkeys import HostKeyInfo
from lpmtui.ui.app import LpmApp
from lpmtui.ui.screens.evacuate_dialog import EvacuateDialog
from lpmtui.ui.screens.prompts import HostKeyScreen
from lpmtui.ui.screens.target_picker import TargetPicker
from lpmtui.ui.widgets.detail_pane import DetailPane
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.ui.widgets.status_header import HeaderFacts
from lpmtui.wiring.backend import InProcessBackend
from tests.ui.factory import NOW, demo_snapshot, lpar
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import SIZE, key_of, wait_for

ROOT = Path(__file__).resolve().parents[2]


def _text(renderable) -> str:
    """A renderable as the terminal would show it, in plain text."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _pane_text(app) -> str:
    return _text(app.dashboard.query_one(DetailPane).query_one("#detail-body", Static).content)


def _all_loaded(app) -> bool:
    """Every HMC has answered and the table shows every partition it listed."""
    view = app.dashboard.fleet_view
    snapshot = view.snapshot
    listed = sum(len(f.partitions) for h in snapshot.hmcs for f in h.frames)
    return (
        bool(snapshot.hmcs)
        and all(h.taken_at for h in snapshot.hmcs)
        and len(app.dashboard.query_one(PartitionTable).keys) == listed
    )


# -- a. a frame that is not Operating ranks last, and says why ---------------------------------


async def test_a_down_target_says_why_it_ranks_below_frames_with_more_failures(tmp_path):
    app = LpmApp(InProcessBackend(state_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: _all_loaded(app))
        app.dashboard.query_one(PartitionTable).select_key(key_of(app, "app-01"))
        await settle(app, pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetPicker))
        picker = app.screen
        options = picker.query_one(OptionList)
        labels = {
            options.get_option_at_index(i).id: str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        }
        order = list(labels)
        # P9-E950-D has more failures than P8-E870-E, yet ranks above it: the E870 is down.
        assert order.index("P9-E950-D") < order.index("P8-E870-E")
        assert "fail · " in labels["P9-E950-D"]
        e870 = labels["P8-E870-E"]
        assert "frame No Connection, not Operating" in e870 and "fail · " not in e870
        assert "frame Power Off, not Operating" in labels["P8-S824-OLD"]
        head = str(picker.query_one(Static).content)
        assert "frames that are not Operating last" in head
        await pilot.press("escape")
        await app.close_backend()


# -- b. one partition returns ------------------------------------------------------------------


def _move(name: str) -> PlannedMove:
    request = MigrationRequest(name, "P9-S924-C", "P10-S1022-B", lpar_id=4)
    return PlannedMove(
        name, 4, "P9-S924-C", "P10-S1022-B", "hmc-v10", "active", 16384, 0.5, request
    )


async def _summary_and_label(plan: EvacuationPlan) -> tuple[str, str]:
    app = App()
    async with app.run_test(size=SIZE) as pilot:
        dialog = EvacuateDialog(
            lambda avoid: plan, lambda r: f"migrlpar {r.partition}", read_only=False
        )
        await app.push_screen(dialog)
        await pilot.pause()
        summary = str(dialog.query_one("#summary", Static).content)
        label = str(dialog.query_one("#confirm-label", Label).content)
        return " ".join(summary.split()), label


async def test_b_one_partition_returns_in_the_singular():
    one = EvacuationPlan(
        RETURN,
        "P10-S1022-B",
        "hmc-v10",
        (_move("b-app-01"),),
        (Stay("b-db-02", 12, "not on a frame"),),
    )
    summary, label = await _summary_and_label(one)
    assert summary.startswith("1 partition returns, 1 stays · via hmc-v10"), summary
    assert label == "Type the frame's name (P10-S1022-B) to start its one migration"
    two = EvacuationPlan(RETURN, "P10-S1022-B", "hmc-v10", (_move("b-app-01"), _move("b-app-02")))
    summary, label = await _summary_and_label(two)
    assert summary.startswith("2 partitions return, 0 stay · via hmc-v10"), summary
    assert label == "Type the frame's name (P10-S1022-B) to start all 2 migrations"


# -- c. no data yet is not "never old" ---------------------------------------------------------


async def test_c_the_header_waits_for_first_data_instead_of_calling_it_never_old():
    facts = HeaderFacts.of(FleetSnapshot(), 1_900_000_000.0, (), paused=False, read_only=False)
    assert facts.content().plain.endswith("│ waiting for first data")
    assert replace(facts, compact=True).content().plain.endswith("│ waiting")
    assert replace(facts, age=75.0).content().plain.endswith("│ data 1m15s old")
    app = LpmApp(None)  # no backend: nothing will ever arrive
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        line = app.dashboard.query_one("#header").render_line(0).text
        assert "waiting for first data" in line and "never" not in line


# -- d. a jump host's key comes from the jump host's administrator -----------------------------


async def _host_key_text(info: HostKeyInfo) -> tuple[str, str]:
    app = App()
    async with app.run_test(size=SIZE) as pilot:
        screen = HostKeyScreen(info)
        await app.push_screen(screen)
        await pilot.pause()
        box = screen.query_one("Vertical")
        return " ".join(str(screen.query_one(Static).content).split()), str(box.border_title)


async def test_d_a_jump_host_key_names_the_jump_host_and_its_administrator():
    fp = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
    jump = HostKeyInfo("10.0.0.5", 22, (), "ssh-ed25519", fp, hop="bastion", jump_host=True)
    text, title = await _host_key_text(jump)
    assert text.startswith("The jump host bastion at 10.0.0.5 (port 22) is not in the known")
    assert "the one the jump host's administrator gave you" in text
    assert "HMC administrator" not in text
    assert title == "Unknown host key of a jump host"
    hmc = HostKeyInfo("10.0.0.10", 22, ("bastion",), "ssh-ed25519", fp, hop="hmc1")
    text, title = await _host_key_text(hmc)
    assert text.startswith("The HMC hmc1 at 10.0.0.10 (port 22)")
    assert "the one your HMC administrator gave you" in text and title == "Unknown host key"


# -- e. a selected frame shows the frame ---------------------------------------------------------


async def test_e_selecting_a_healthy_frame_shows_the_frame_not_a_partition(tmp_path):
    app = LpmApp(InProcessBackend(state_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: _all_loaded(app))
        tree = app.dashboard.query_one(FleetTree)
        tree.focus()
        tree.select_scope(Scope("frame", "P10-E1080-A"))
        await settle(app, pilot)
        text = _pane_text(app)
        first = app.dashboard.fleet_view.selected().partition.name
        assert text.startswith("P10-E1080-A · frame")
        assert f"{first} (id" not in text  # not the first partition's checks
        lines = [" ".join(line.split()) for line in text.splitlines()]
        assert "State Operating" in lines and "Managed by hmc-v10" in lines
        assert "Mobility LPM act+inact · LMB 256M" in lines
        assert any(line.startswith("Memory 884G free of ") for line in lines)
        assert any(line.startswith("Partitions 36 clients (") for line in lines)
        assert "Migrations 1 running" in lines  # archive-db is on its way to P9-S924-C
        assert any(line.startswith("archive-db ") and "→P9-S924-C" in line for line in lines)
        # Into the table: the partition under the cursor, with its checks.
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.focused is app.dashboard.query_one(PartitionTable)
        assert _pane_text(app).startswith(f"{first} (id")
        # The palette's "frame …" jump shows the frame too.
        app.dashboard.jump_to_scope(Scope("frame", "P10-S1022-B"))
        await settle(app, pilot)
        assert _pane_text(app).startswith("P10-S1022-B · frame")
        await app.close_backend()


# -- f. the cursor starts on the first row -------------------------------------------------------


async def test_f_the_cursor_stays_on_the_first_row_while_the_hmcs_answer_one_by_one():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        full = demo_snapshot()
        app.show_snapshot(replace(full, hmcs=(full.hmcs[1],)))  # hmc2 answers first
        await settle(app, pilot)
        early = set(table.keys)
        app.dashboard.fleet_view.last_apply = 0.0
        app.show_snapshot(full)  # then hmc1: its partitions sort in above
        await settle(app, pilot)
        assert table.keys[0] not in early  # the first row is one that arrived later
        assert table.cursor_row == 0 and table.current_key() == table.keys[0]
        name = app.dashboard.fleet_view.located[table.keys[0]].partition.name
        assert _pane_text(app).startswith(f"{name} (id")
        # Once the user moves, the cursor stays on their partition as rows sort in above it.
        await pilot.press("down", "down")
        await settle(app, pilot)
        chosen = table.keys[2]
        assert table.current_key() == chosen
        hmc1 = full.hmcs[0]
        p9a = hmc1.frames[0]
        more = replace(p9a, partitions=(*p9a.partitions, lpar("p9a", "aaa-new", 9)))
        later = replace(full, hmcs=(replace(hmc1, frames=(more, *hmc1.frames[1:])), full.hmcs[1]))
        app.dashboard.fleet_view.last_apply = 0.0
        app.show_snapshot(later)
        await settle(app, pilot)
        assert table.keys[0] == "p9a/9" and table.current_key() == chosen
        assert table.cursor_row == 3


# -- g. one palette entry for help ---------------------------------------------------------------


async def test_g_the_palette_lists_help_once(tmp_path):
    app = LpmApp(InProcessBackend(state_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: _all_loaded(app))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.option_count > 5)
        await settle(app, pilot)
        titles = [
            str(commands.get_option_at_index(i).prompt).splitlines()[0]
            for i in range(commands.option_count)
        ]
        assert "Help" in titles and "Keys" not in titles, titles
        assert "Quit" in titles  # Textual's other commands stay
        await pilot.press("escape")
        await app.close_backend()


# -- h. --help shows every form of check ---------------------------------------------------------


def test_h_help_shows_the_check_evacuate_form():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "lpmtui", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    usage = " ".join(done.stdout.split())
    assert (
        "lpmtui check [--config FILE | --demo] --evacuate FRAME [--avoid FRAME ...] [--home] "
        "[--validate] [--json]"
    ) in usage
