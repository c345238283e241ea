"""The table applies at most one snapshot per second, and none while paused: the pace is
measured from the last real apply (the test never resets the pacing clock)."""

from __future__ import annotations

from lpmtui.ui.app import LpmApp
from lpmtui.ui.screens.fleet_view import APPLY_EVERY
from tests.ui.factory import NOW, demo_snapshot

SIZE = (120, 40)


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_at_most_one_snapshot_applied_per_second_and_none_while_paused():
    clock = [NOW + 1]
    app = LpmApp(clock=lambda: clock[0])
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        view = app.dashboard.fleet_view
        start = view.last_apply
        assert start == NOW + 1  # the first snapshot was applied at once
        applied = []
        original = view.apply
        view.apply = lambda snap: applied.append(snap) or original(snap)
        snaps = [demo_snapshot(taken_at=NOW + 2 + i) for i in range(6)]
        # No await between these calls: the app's 1 s timer cannot run in between.
        clock[0] = start + 0.5
        view.receive(snaps[0])
        clock[0] = start + APPLY_EVERY - 0.001
        view.receive(snaps[1])
        assert applied == [] and view.pending is snaps[1]
        clock[0] = start + APPLY_EVERY
        view.receive(snaps[2])
        assert applied == [snaps[2]] and view.pending is None
        clock[0] = start + APPLY_EVERY + 0.5
        view.receive(snaps[3])
        assert applied == [snaps[2]] and view.pending is snaps[3]
        view.paused = True
        clock[0] = start + 10 * APPLY_EVERY
        view.receive(snaps[4])
        view.tick()
        assert applied == [snaps[2]]  # paused: nothing applied, however late
        view.paused = False
        view.tick()
        assert applied == [snaps[2], snaps[4]]  # the newest, once resumed
