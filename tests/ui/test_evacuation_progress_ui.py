"""An evacuation of 10 moves on screen, against the simulator in-process: the bar and the header
show its moves by state, GB done / total and an ETA; the ETA read once half the GB has moved
lands within 20% of the real end; the summary is announced and stays in the bar.

The simulator and the console share one ManualClock that the test advances a second at a time,
letting the app settle between steps: the measurement is in the simulator's time and does not
depend on how loaded the machine is (at ``--speed 30`` each step is 1/30 s of wall time)."""

from __future__ import annotations

import asyncio

from lpmtui.common.clock import ManualClock
from lpmtui.migration.manager import MigrationManager
from lpmtui.sim.world.state import World
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.evacuation_bar import EvacuationBar, short, totals
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.migration.test_evacuation_progress import TEN
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import SIZE, wait_for

HOT = 5  # the console's hot poll, in the simulator's seconds (the fleet's own loop is idle)


def on_one_clock(tmp_path, clock: ManualClock) -> InProcessBackend:
    """The in-process backend with its world and its migration manager on ``clock``."""
    backend = InProcessBackend(World.from_yaml(TEN, clock), hot_interval=3600.0)
    backend.migration_manager = MigrationManager(
        backend.fleet,
        journal=Journal(tmp_path / "journal.jsonl"),
        audit=AuditLog(tmp_path / "audit.jsonl"),
        clock=clock,
        poll_interval=2.0,
    )
    return backend


async def handled(app) -> None:
    """Until the app has handled every message posted so far (its queue is first in, first
    out: a callback posted now runs after them)."""
    done = asyncio.get_running_loop().create_future()
    app.call_later(done.set_result, None)
    await done


async def step(app, clock: ManualClock, t: int) -> None:
    """One second of the simulator's time: every woken chain runs to its next wait, the hot
    poll every ``HOT`` seconds, then the app handles what they posted (before time moves on,
    so each update is stamped with the second it happened in)."""
    clock.advance(1.0)
    for _ in range(30):
        await asyncio.sleep(0)
    if t % HOT == 0:
        await app.backend.fleet.refresh_now()
    await handled(app)


async def test_an_evacuation_of_ten_moves_with_its_states_totals_and_eta(tmp_path):
    clock = ManualClock(start=1000.0)
    backend = on_one_clock(tmp_path, clock)
    app = LpmApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) >= 10)
        app.dashboard.query_one(FleetTree).select_scope(Scope("frame", "src"))
        await settle(app, pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EvacuateDialog")
        assert len(app.screen.plan.moves) == 10
        await pilot.press(*"src", "enter")
        await wait_for(pilot, lambda: app.screen is app.dashboard)
        tracker = app.dashboard.evacuations
        bar = app.dashboard.query_one(EvacuationBar)
        await wait_for(pilot, lambda: len(tracker.watches) == 1)
        seen: set[str] = set()
        half = None
        t = 0
        while t < 3600:
            t += 1
            await step(app, clock, t)
            tracker.tick()  # the app's once-a-second timer (it runs on wall time)
            (got,) = tracker.progress()
            seen.update(name for name, _ in got.counts)
            if got.ended:
                break
            # what the screen shows is what the model says
            shown = bar.text()
            assert f"{got.title} · {totals(got)}" in shown
            assert f"\n{' ' * 12} {got.states()}" in shown
            assert app.dashboard.header.render().plain.count(short(got)) == 1
            if half is None and got.bytes_done * 2 >= got.bytes_total and got.eta is not None:
                half = (clock.now(), got.eta)
        (end,) = tracker.progress()
        assert end.ended, end.line()
        assert end.moved == 10 and end.bytes_done == end.bytes_total
        assert {"waiting for a slot", "starting", "running", "done"} <= seen
        at, eta = half
        actual = tracker.watches[0].ended_at - at
        print(f"ETA {eta:.0f}s actual {actual:.0f}s error {100 * (eta - actual) / actual:+.1f}%")
        assert abs(eta - actual) <= 0.2 * actual, (eta, actual)
        summary = end.summary()
        assert summary.startswith("src evacuated: 10 moved in ") and "stayed" not in summary
        assert f"✓ {summary}" in bar.text()
        assert "Evacuate src" not in app.dashboard.header.render().plain  # it ended
        await wait_for(pilot, lambda: any(summary == n.message for n in app._notifications))
