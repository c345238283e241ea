"""``E``: an evacuation on a screen of its own (issue #15): its moves by state with each move's
partition, target, GB, rate and ETA, the totals from the core's ``EvacuationProgress``, updated
in place as the moves change, the summary once it has ended; escape closes it."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.evacuation.plan import EVACUATE, EvacuationPlan, PlannedMove, Stay
from lpmtui.migration.types import MigrationProgress, MigrationRequest, MigrationState
from lpmtui.ui.app import LpmApp
from lpmtui.ui.messages import MigrationUpdated
from lpmtui.ui.screens.evacuation_view import EvacuationView
from tests.ui.factory import NOW, demo_snapshot
from tests.ui.test_dashboard import settle

S = MigrationState
GIB = 1024**3
MIB = 1024**2
SIZES = {"app[01]": 16, "db01": 64, "app02": 4, "lnx01": 16}


def plan() -> EvacuationPlan:
    moves = tuple(
        PlannedMove(name, n, "p9a", "p10a", "hmc1", "active", gb * 1024, 0.5,
                    MigrationRequest(name, "p9a", "p10a"))
        for n, (name, gb) in enumerate(SIZES.items())
    )  # fmt: skip
    stays = (Stay("p9a-vios1", 1, "a VIOS never moves"),)
    return EvacuationPlan(EVACUATE, "p9a", "hmc1", moves, stays, made_at=NOW)


def move(name: str, state: MigrationState, **kw) -> MigrationProgress:
    n = list(SIZES).index(name)
    return MigrationProgress(f"j{n}", name, "p9a", "p10a", "active", state, hmc="hmc1", **kw)


def running(name: str, moved: int, rate_mb: int, eta: float) -> MigrationProgress:
    total = SIZES[name] * GIB
    return move(name, S.IN_PROGRESS, percent=100 * moved / SIZES[name], bytes_moved=moved * GIB,
                bytes_total=total, rate=rate_mb * MIB, eta=eta, elapsed=40.0)  # fmt: skip


FIRST = (
    running("db01", 24, 800, 50.0),
    move("app[01]", S.QUEUED, queue_position=1),
    replace(running("app02", 4, 0, 0.0), state=S.SUCCEEDED, rate=None, eta=None),
    move("lnx01", S.FAILED, message="HSCL365E the target has no room"),
)


async def start_evacuation(pilot, clock: list[float]) -> None:
    """The demo fleet, and an evacuation of p9a started here: one move running, one waiting
    for a slot, one done, one failed."""
    app = pilot.app
    app.show_snapshot(demo_snapshot())
    await settle(app, pilot)
    tracker = app.dashboard.evacuations
    tracker.clock = lambda: clock[0]
    tracker.add(plan(), [move(name, S.QUEUED) for name in SIZES])
    clock[0] += 70
    for progress in FIRST:
        app.post_message(MigrationUpdated(progress))
    await settle(app, pilot)


def rows(view: EvacuationView) -> list[str]:
    table = view.moves
    return [str(table.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(table.row_count)]


def row(view: EvacuationView, key: str) -> list[str]:
    return [cell.plain for cell in view.moves.get_row(key)]


async def test_the_view_of_an_evacuation_follows_its_moves_and_escape_closes_it():
    clock = [NOW]
    app = LpmApp(clock=lambda: NOW + 4, utc=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.dashboard.table.focus()
        await pilot.press("E")  # nothing started here yet: says so
        assert not isinstance(app.screen, EvacuationView)
        assert "no evacuation started here yet" in list(app._notifications)[-1].message
        await start_evacuation(pilot, clock)
        await pilot.press("E")
        await settle(app, pilot)
        view = app.screen
        assert isinstance(view, EvacuationView)
        assert rows(view) == [
            "state:waiting for a slot", "j0",
            "state:running", "j1",
            "state:done", "j2",
            "state:failed", "j3",
        ]  # fmt: skip
        assert row(view, "j1") == ["db01", "p10a", "24.0/64.0", "800MB/s", "50s", ""]
        assert row(view, "j0")[0::5] == ["app[01]", "queued #1"]
        assert row(view, "j2")[:3] == ["app02", "p10a", "4.0 moved"]
        assert row(view, "j3")[5] == "HSCL365E the target has no room"
        assert row(view, "state:running")[:2] == ["running", "1 move"]
        head = str(view.head.render())
        (progress,) = app.dashboard.evacuations.progress()
        assert head.splitlines() == [
            "Evacuate p9a · evacuate: every movable partition off p9a",
            progress.totals(),
            "1/4 done · 1 waiting for a slot · 1 running · 1 failed",
            "stays: p9a-vios1 (a VIOS never moves)",
        ]
        assert "28.0/84.0 GB · 800 MB/s · ETA" in head

        # live: a keyed diff (the same rows, cells changed in place; no rebuild)
        rebuilds = []
        original = view.moves.clear
        view.moves.clear = lambda columns=False: rebuilds.append(columns) or original(columns)
        clock[0] += 10
        app.post_message(MigrationUpdated(running("db01", 32, 800, 40.0)))
        app.post_message(MigrationUpdated(running("app[01]", 2, 400, 35.0)))
        await settle(app, pilot)
        assert rows(view) == [
            "state:running", "j0", "j1",  # in the plan's order
            "state:done", "j2",
            "state:failed", "j3",
        ]  # fmt: skip
        assert row(view, "j1")[2:5] == ["32.0/64.0", "800MB/s", "40s"]
        assert row(view, "state:running")[:2] == ["running", "2 moves"]
        assert rebuilds == []

        clock[0] += 60
        for name in ("db01", "app[01]"):
            done = replace(running(name, SIZES[name], 0, 0), state=S.SUCCEEDED)
            app.post_message(MigrationUpdated(done))
        await settle(app, pilot)
        assert rows(view) == ["state:done", "j0", "j1", "j2", "state:failed", "j3"]
        assert rebuilds == []
        lines = str(view.head.render()).splitlines()
        assert lines[-1].startswith("✓ p9a evacuated: 3 moved in 2m20s, 2 stayed: lnx01: failed")
        assert lines[1] == "84.0/84.0 GB · ended after 2m20s"  # the end, not "ETA —"
        assert str(view.head.border_title).endswith("· ended")

        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.dashboard
        assert not app.dashboard.evacuations.changed._callbacks  # the view let go


async def test_e_opens_the_evacuation_of_the_panels_row():
    clock = [NOW]
    app = LpmApp(clock=lambda: NOW + 4, utc=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_evacuation(pilot, clock)
        tracker = app.dashboard.evacuations
        assert tracker.pick("") is tracker.watches[0]
        panel = app.dashboard.panel
        panel.focus()
        panel.move_cursor(row=[str(k.value) for k in panel.rows].index("j1"))
        assert panel.cursor_group() == "Evacuate p9a"
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, EvacuationView)
        await pilot.press("E")  # E closes it too
        await settle(app, pilot)
        assert app.screen is app.dashboard
