"""Evacuating a frame and bringing it home from the console, on the demo fleet in-process:
the plan with its commands, the typed frame name, the queue, and the way back."""

from __future__ import annotations

from textual.widgets import Button, Input

from lpmtui.common.clock import RealClock
from lpmtui.sim.world.state import World
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import SIZE, wait_for

FRAME = "P10-S1022-B"
MOVED = {
    "b-db-02",
    "b-app-01",
    "b-app-02",
    "b-app-03",
    "linux-b1",
    "linux-b2",
    "b-web-01",
    "b-web-02",
    "b-batch",
}


def names_on(app, frame: str) -> set[str]:
    found = app.dashboard.snapshot.frame(frame)
    return {p.name for p in found[1].partitions if not p.is_vios} if found else set()


async def open_plan(app, pilot, key: str):
    app.dashboard.query_one(FleetTree).select_scope(Scope("frame", FRAME))
    await settle(app, pilot)
    await pilot.press(key)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "EvacuateDialog")
    return app.screen


async def confirm(pilot, dialog) -> None:
    start = dialog.query_one("#start", Button)
    # The name field has the focus: typing goes straight into it.
    assert start.disabled and dialog.focused is dialog.query_one("#confirm", Input)
    await pilot.press(*FRAME[:-1])
    assert start.disabled
    await pilot.press(FRAME[-1])
    assert not start.disabled
    await pilot.press("enter")


async def test_evacuate_a_frame_and_bring_it_home():
    backend = InProcessBackend(World.demo(clock=RealClock(speed=400)))
    backend.migration_manager.poll_interval = 0.2
    app = LpmApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        dialog = await open_plan(app, pilot, "e")
        assert dialog.plan.frame == FRAME and {m.partition for m in dialog.plan.moves} == MOVED
        shown = str(dialog.query_one("#plan").render())
        assert f"migrlpar -o m -m {FRAME} -t P10-E1080-A --id 12" in shown
        assert "dup-name" in shown and "already has a partition named dup-name" in shown
        await pilot.click("#validate")  # the HMC's own migrlpar -o v for every move
        await wait_for(pilot, lambda: len(dialog.validations) == len(MOVED), 20)
        assert all(r.ok for r in dialog.validations.values())
        await settle(app, pilot)
        assert "HMC validation: 9 ok, 0 refused" in str(dialog.query_one("#summary").render())
        assert str(dialog.query_one("#plan").render()).count("HMC validation: ok") == 9
        await confirm(pilot, dialog)
        await wait_for(pilot, lambda: app.screen is app.dashboard)
        await wait_for(
            pilot,
            lambda: any(
                "Evacuate P10-S1022-B: 9 migrations queued" in str(n.message)
                for n in app._notifications
            ),
        )
        panel = app.dashboard.query_one("#migrations")
        # this console's moves (archive-db, started by another console, has a row of its own)
        mine = lambda: [j for j in panel.jobs.values() if j.started_here]  # noqa: E731
        await wait_for(pilot, lambda: panel.display and len(mine()) == len(MOVED))
        await wait_for(
            pilot,
            lambda: sum(j.state.value == "succeeded" for j in mine()) == len(MOVED),
            60,
        )
        await wait_for(pilot, lambda: names_on(app, FRAME) == {"dup-name"}, 10)
        await wait_for(pilot, lambda: all(j.state.terminal for j in panel.jobs.values()), 10)
        # the 9 moves and archive-db (started by another console, ended too by now)
        assert panel.border_title == "Migrations · 0 running · 0 queued · 10 ended"

        dialog = await open_plan(app, pilot, "H")
        assert dialog.plan.title == f"Bring home to {FRAME}"
        assert {m.partition for m in dialog.plan.moves} == MOVED, dialog.plan.stays
        assert all(m.target == FRAME for m in dialog.plan.moves)
        await confirm(pilot, dialog)
        await wait_for(
            pilot,
            lambda: sum(j.state.value == "succeeded" for j in mine()) == 2 * len(MOVED),
            60,
        )
        await wait_for(pilot, lambda: names_on(app, FRAME) == MOVED | {"dup-name"}, 10)
        await app.close_backend()


async def test_read_only_shows_the_plan_and_nothing_to_start():
    backend = InProcessBackend(read_only=True)
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        dialog = await open_plan(app, pilot, "e")
        assert len(dialog.plan.moves) == len(MOVED)
        assert not dialog.query("#start") and not dialog.query("#confirm")
        assert "read-only console" in " ".join(str(s.render()) for s in dialog.query("Static"))
        dialog.query_one("#avoid", Input).focus()
        await pilot.press(*"P10-E1080-A", "enter")  # keep them off the one frame with room
        await settle(app, pilot)
        assert dialog.avoid == ("P10-E1080-A",)
        assert all(m.target != "P10-E1080-A" for m in dialog.plan.moves)
        assert len(dialog.plan.moves) < len(MOVED)
        assert "keeping off P10-E1080-A" in str(dialog.query_one("#summary").render())
        await pilot.press("escape")
        assert app.screen is app.dashboard
        await pilot.press("H")  # nothing recorded for this frame
        await settle(app, pilot)
        assert app.screen is app.dashboard
        await app.close_backend()


async def test_an_unreadable_evacuation_log_is_one_line_and_the_console_goes_on(tmp_path):
    backend = InProcessBackend(state_dir=tmp_path)
    app = LpmApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        log = backend.migration_manager.journal.path.with_name("evacuations.jsonl")
        log.mkdir(parents=True)  # a directory where the file should be: reading it fails
        app.dashboard.query_one(FleetTree).select_scope(Scope("frame", FRAME))
        await settle(app, pilot)
        await pilot.press("H")
        await settle(app, pilot)
        assert app.screen is app.dashboard and app.is_running
        assert any(str(n.message).startswith(f"cannot read {log}") for n in app._notifications)
        await app.close_backend()
