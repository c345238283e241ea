"""An evacuation of 10 moves on screen, on the simulator at 30 times wall speed: the bar and the
header show its moves by state, GB done / total and an ETA; the ETA read once half the GB has
moved lands within 20% of the real end; the summary is announced and stays in the bar."""

from __future__ import annotations

from lpmtui.common.clock import RealClock
from lpmtui.sim.world.state import World
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.evacuation_bar import EvacuationBar
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.migration.test_evacuation_progress import TEN
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import SIZE, wait_for


async def test_an_evacuation_of_ten_moves_with_its_states_totals_and_eta(tmp_path):
    world = World.from_yaml(TEN, RealClock(speed=30))
    # polls as often, relative to the evacuation (~20 s of wall time here), as a console polls
    # a real one that lasts a quarter of an hour
    backend = InProcessBackend(world, state_dir=tmp_path, hot_interval=0.3)
    backend.migration_manager.poll_interval = 0.2
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
        clock = app.migration_manager.clock
        seen: set[str] = set()
        half = None

        def look() -> bool:
            nonlocal half
            (got,) = tracker.progress()
            seen.update(name for name, _ in got.counts)
            if not got.ended:
                # what the screen shows is what the model says (elapsed moves on between ticks)
                shown = str(bar.render())
                assert got.totals().partition(" · elapsed")[0] in shown
                assert f"\n{' ' * 12} {got.states()}" in shown
                assert app.dashboard.header.render().plain.count(got.short()[:20]) == 1
            if half is None and got.bytes_done * 2 >= got.bytes_total and got.eta is not None:
                half = (clock.now(), got.eta)
            return got.ended

        await wait_for(pilot, look, 120)
        (end,) = tracker.progress()
        assert end.moved == 10 and end.bytes_done == end.bytes_total
        assert {"waiting for a slot", "running", "done"} <= seen
        at, eta = half
        actual = tracker.watches[0].ended_at - at
        assert abs(eta - actual) <= 0.2 * actual, (eta, actual)
        print(f"ETA {eta:.2f}s actual {actual:.2f}s error {100 * (eta - actual) / actual:+.1f}%")
        summary = end.summary()
        assert summary.startswith("src evacuated: 10 moved in ") and "stayed" not in summary
        assert f"✓ {summary}" in str(bar.render())
        assert "Evacuate src" not in app.dashboard.header.render().plain  # it ended
        await wait_for(pilot, lambda: any(summary == n.message for n in app._notifications))
