"""Write only what changed (issue #14): nothing the dashboard shows is repainted unless it
changed, and the command log repaints at most once a second, routine polls every ten."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult
from textual.coordinate import Coordinate

from lpmtui.evacuation.plan import EVACUATE
from lpmtui.evacuation.progress import EvacuationProgress
from lpmtui.hmc.runner import CommandEvent
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.ui import format as fmt
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.command_log import ROUTINE_EVERY, CommandLog, routine
from lpmtui.ui.widgets.detail_pane import DetailPane
from lpmtui.ui.widgets.evacuation_bar import EvacuationBar, short
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel
from lpmtui.ui.widgets.status_header import HeaderFacts, StatusHeader, header_age
from tests.ui.factory import NOW, demo_snapshot
from tests.ui.test_dashboard import settle

SIZE = (120, 40)
GIB, MIB = 1024**3, 1024**2
POLL = ("lssyscfg", "-r", "lpar", "-m", "P10-E1080-A", "-F", "name,lpar_id,state")
MIGRATE = ("migrlpar", "-o", "m", "-m", "P10-E1080-A", "-t", "P9-S924-C", "-p", "web01")


def event(argv=POLL, rc: int | None = 0, at: float = NOW) -> CommandEvent:
    return CommandEvent("hmc-v10", argv, rc, at, 0.2)


class LogApp(App):
    def __init__(self, clock) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield CommandLog(id="log", utc=True, clock=lambda: self.clock[0])


def counting(widget) -> list[bool]:
    """Every refresh of ``widget`` from now on, as its layout flag."""
    calls: list[bool] = []
    original = widget.refresh

    def refresh(*regions, **kw):
        calls.append(bool(kw.get("layout")))
        return original(*regions, **kw)

    widget.refresh = refresh
    return calls


def test_routine_is_a_successful_read_only():
    assert routine(event())
    assert routine(event(("lshmc", "-V")))
    assert not routine(event(rc=1))
    assert not routine(event(rc=None))
    assert not routine(event(MIGRATE))


async def test_polls_wait_ten_seconds_anything_else_shows_at_the_next_second():
    clock = [0.0]
    app = LogApp(clock)
    async with app.run_test(size=(60, 8)) as pilot:
        log = app.query_one(CommandLog)
        repaints = counting(log)
        log.record(event())
        clock[0] = ROUTINE_EVERY - 0.1
        assert not log.flush() and not log.shown and repaints == []
        clock[0] = ROUTINE_EVERY
        assert log.flush() and list(log.shown) == [event()]
        assert repaints == [False]  # this widget only: no layout pass
        assert not log.flush()  # nothing new: nothing repainted
        log.record(event(rc=1))
        clock[0] += 0.5
        assert log.flush() and len(log.shown) == 2  # a failure does not wait
        log.record(event(MIGRATE))
        assert log.flush() and len(log.shown) == 3  # nor a state change
        assert repaints == [False, False, False]
        await pilot.pause()


async def test_each_command_is_whole_in_time_order_newest_last():
    clock = [0.0]
    app = LogApp(clock)
    async with app.run_test(size=(40, 6)) as pilot:
        log = app.query_one(CommandLog)
        long = (*MIGRATE, "-i", "source_msp_name=a-vios1,dest_msp_name=c-vios1")
        for i in range(5):
            log.record(event(POLL, at=NOW + i))
        log.record(event(long, at=NOW + 9))
        log.flush(force=True)
        await pilot.pause()
        lines = log.render().plain.split("\n")
        assert len(lines) == 6  # the pane's height, filled with the newest
        newest = "08:00:09 hmc-v10 rc=0   0.20s " + " ".join(long)
        # the newest command, whole (wrapped at the pane's 39 columns), at the bottom
        assert "".join(line.rstrip() for line in lines[-5:]).replace(" ", "") == newest.replace(
            " ", ""
        )
        assert lines[-5].startswith("08:00:09 hmc-v10") and lines[-1] == "-vios1"
        assert lines[-6].rstrip() == "name,lpar_id,state"  # the end of the poll before it


def test_the_header_age_moves_in_ten_second_steps_under_a_minute():
    assert [header_age(s) for s in (0, 4.9, 9.99, 10, 19, 25, 59.9)] == [
        "<10s",
        "<10s",
        "<10s",
        "10s",
        "10s",
        "20s",
        "50s",
    ]
    assert header_age(75) == "1m15s"  # an HMC gone quiet: to the second


async def test_the_dashboard_repaints_nothing_when_nothing_changed():
    clock = [NOW + 1]
    app = LpmApp(clock=lambda: clock[0])
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        dash = app.dashboard
        watched = {
            "header": counting(dash.query_one(StatusHeader)),
            "table box": counting(dash.table_box),
            "table": counting(dash.table),
            "checks": counting(dash.query_one("#detail-body")),
        }
        for second in (2, 3, 4, 5):  # the same fleet, polled again and again
            clock[0] = NOW + second
            app.show_snapshot(demo_snapshot())
            await settle(app, pilot)
            dash.fleet_view.tick()
            await settle(app, pilot)
        assert watched == {"header": [], "table box": [], "table": [], "checks": []}
        clock[0] = NOW + 12  # the data's age crosses ten seconds: the header says so, once
        dash.fleet_view.tick()
        dash.fleet_view.tick()
        assert watched["header"] == [False]


async def test_the_header_is_repainted_when_only_a_colour_changed():
    app = LogApp([0.0])
    async with app.run_test(size=(80, 3)):
        header = StatusHeader()
        await app.mount(header)
        facts = HeaderFacts(2, 2, 3, 9, 0, 1.0, (), paused=False, read_only=False)
        repaints = counting(header)
        header.show(facts)
        header.show(facts)
        assert repaints == [False]
        header.show(HeaderFacts(2, 2, 3, 9, 0, 1.0, (), paused=True, read_only=False))
        assert repaints == [False, False]


async def test_the_checks_pane_is_not_rebuilt_for_the_same_checks():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        pane = app.dashboard.query_one(DetailPane)
        body = counting(pane.query_one("#detail-body"))
        pane.show(pane.view, pane.frame_notice, pane.frame)
        assert body == []
        pane.show(None)
        assert body == [True]


async def test_the_footer_is_rebuilt_only_when_its_keys_change():
    from lpmtui.ui.widgets.quiet_footer import QuietFooter

    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        footer = app.dashboard.query_one(QuietFooter)
        rebuilt: list[int] = []
        original = footer.recompose

        async def recompose():
            rebuilt.append(1)
            await original()

        footer.recompose = recompose
        for _ in range(3):  # what every migration update does
            app.dashboard.refresh_bindings()
            await settle(app, pilot)
        assert rebuilt == []
        await pilot.press("slash")  # the filter opens: esc now clears it, a new key shown
        await settle(app, pilot)
        assert rebuilt == [1]


async def test_the_sorted_column_header_shows_its_direction():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        table = app.dashboard.table

        def labels() -> list[str]:
            return [c.label.plain for c in table.columns.values()]

        assert labels()[:3] == [" Partition▲", "ID", " Mobility"]
        await pilot.press("O")  # reverse
        await settle(app, pilot)
        assert labels()[0] == " Partition▼"
        await pilot.press("o")  # the next column, ascending
        await settle(app, pilot)
        assert labels()[:2] == [" Partition", "ID▲"]
        table.sort_by("migration")
        assert labels()[-1] == "Migration▲"  # the arrow is never the part cut off
        await settle(app, pilot)
        assert table.render_line(0).text.rstrip().endswith("Migration▲")  # on screen too


# -- the migrations panel and the evacuation bar while moves run (issue #14) ---------------


def test_running_times_move_in_steps_that_match_their_size():
    down = (0, 42.9, 59.9, 60, 69.9, 70, 599.9, 600, 659, 3600, 3725)
    assert [fmt.stepped(s) for s in down] == [
        "0s", "42s", "59s", "1m00s", "1m00s", "1m10s", "9m50s", "10m", "10m", "1h00m", "1h02m",
    ]  # fmt: skip
    up = (0.2, 59.5, 61, 95, 599, 601, 3599)
    assert [fmt.stepped(s, up=True) for s in up] == [
        "1s", "1m00s", "1m10s", "1m40s", "10m", "11m", "1h00m",
    ]  # fmt: skip


def regions(widget) -> list[object]:
    """Every refresh of ``widget`` from now on: the region repainted (None: all of it)."""
    calls: list[object] = []
    original = widget.refresh

    def refresh(*regions, **kw):
        calls.extend(regions or [None])
        return original(*regions, **kw)

    widget.refresh = refresh
    return calls


class PanelApp(App):
    def compose(self) -> ComposeResult:
        yield MigrationsPanel(id="panel")


async def test_a_running_row_repaints_only_its_cells_that_changed():
    moving = MigrationProgress(
        "j1", "lpar1", "A", "B", "active", MigrationState.IN_PROGRESS,
        percent=40.0, eta=95.0, elapsed=70.0,
    )  # fmt: skip
    queued = MigrationProgress("j2", "lpar2", "A", "B", "active", MigrationState.QUEUED)
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(MigrationsPanel)
        panel.show(moving)
        panel.show(queued)
        await pilot.pause()
        assert [c.key for c in panel.shown] == [
            "partition", "route", "kind", "state", "pct", "gb", "rate", "eta", "elapsed",
        ]  # fmt: skip
        repaints = regions(panel)
        for second in (1, 2, 3, 4):  # ETA and elapsed move on within their 10 s steps
            panel.show(replace(moving, eta=95.0 - second, elapsed=70.0 + second))
        assert repaints == []
        assert (panel.row_text("j1")["eta"], panel.row_text("j1")["elapsed"]) == ("1m40s", "1m10s")
        panel.show(replace(moving, percent=41.0, eta=91.0, elapsed=74.0))  # the % moved: its cell
        column = panel.get_column_index("pct")
        assert repaints == [panel._get_cell_region(Coordinate(0, column))]
        panel.show(replace(moving, percent=41.0, eta=90.0, elapsed=80.0))  # both cross a step
        assert len(repaints) == 3 and all(r is not None and r.height == 1 for r in repaints)
        assert (panel.row_text("j1")["eta"], panel.row_text("j1")["elapsed"]) == ("1m30s", "1m20s")
        await pilot.pause()
        ended = replace(moving, state=MigrationState.SUCCEEDED, percent=100.0, elapsed=83.0)
        panel.show(ended)
        assert panel.row_text("j1")["elapsed"] == "1m23s"  # it ended: to the second


def evacuation(done_gb: float, eta: float, elapsed: float) -> EvacuationProgress:
    moves = tuple(
        MigrationProgress(f"j{n}", f"lpar{n}", "src", "dst", "active", MigrationState.IN_PROGRESS)
        for n in range(3)
    )
    return EvacuationProgress(
        "Evacuate src", "src", EVACUATE, moves, (("running", 3),), int(done_gb * GIB), 30 * GIB,
        500 * MIB, elapsed, eta, (), ended=False,
    )  # fmt: skip


class BarApp(App):
    def compose(self) -> ComposeResult:
        yield EvacuationBar(id="bar")


async def test_the_evacuation_bar_repaints_only_the_line_that_changed():
    app = BarApp()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(EvacuationBar)
        bar.show([evacuation(10, 95, 70)])
        await pilot.pause()
        box = counting(bar)
        lines = [counting(line) for line in bar.children]
        for second in (1, 2, 3, 4):  # ETA and elapsed move on within their 10 s steps
            bar.show([evacuation(10, 95 - second, 70 + second)])
        assert box == [] and lines == [[], []]
        first = bar.text().split("\n")[0]
        assert first.endswith(" · 10.0/30.0 GB · 500 MB/s · ETA 1m40s · elapsed 1m10s")
        assert short(evacuation(10, 91, 74)) == "Evacuate src 0/3 · 33% · ETA 1m40s"  # the header
        bar.show([evacuation(11, 91, 74)])  # more moved: that line alone, not laid out again
        assert box == [] and lines == [[False], []]
        assert "11.0/30.0 GB" in bar.text()
        bar.show([])  # none left: hidden, its line widgets gone
        await pilot.pause()
        assert not bar.display and bar.text() == "" and not bar.children


async def test_a_bar_line_too_long_for_a_narrow_terminal_wraps_whole():
    app = BarApp()
    async with app.run_test(size=(60, 12)) as pilot:
        bar = app.query_one(EvacuationBar)
        bar.show([evacuation(10, 95, 70)])
        await pilot.pause()
        first, second = bar.children
        assert (first.size.height, second.size.height) == (2, 1)  # nothing cut off
        repaints = counting(first)
        bar.show([evacuation(10, 3000, 7000)])  # a line that may wrap: laid out again
        await pilot.pause()
        assert repaints[:1] == [True] and first.size.height == 2
        assert bar.text().split("\n")[0].endswith("ETA 50m · elapsed 1h56m")


def _with_partition(snapshot, frame: str, name: str, **changes):
    """``snapshot`` with one partition of ``frame`` changed (new frame and HMC objects)."""
    return replace(
        snapshot,
        hmcs=tuple(
            replace(
                h,
                frames=tuple(
                    replace(
                        f,
                        partitions=tuple(
                            replace(p, **changes) if p.name == name else p for p in f.partitions
                        ),
                    )
                    if f.system.name == frame
                    else f
                    for f in h.frames
                ),
            )
            for h in snapshot.hmcs
        ),
    )


async def test_the_checks_pane_is_not_rebuilt_when_another_frame_changed():
    """A poll that changes a partition elsewhere re-ranks the selected one (new verdict
    objects, the same checks): nothing is rebuilt, so no layout of the whole screen."""
    clock = [NOW + 1]
    app = LpmApp(clock=lambda: clock[0])
    async with app.run_test(size=SIZE) as pilot:

        async def poll(snapshot) -> None:
            clock[0] += 2  # past the apply pace
            app.show_snapshot(snapshot)
            await settle(app, pilot)

        await poll(demo_snapshot())
        pane = app.dashboard.query_one(DetailPane)
        assert pane.view.located.partition.name == "app02"  # on p9b
        body = counting(pane.query_one("#detail-body"))
        generation = app.dashboard.fleet_view.judge.generation
        await poll(_with_partition(demo_snapshot(), "p10a", "lnx01", curr_proc_units=0.7))
        assert app.dashboard.fleet_view.judge.generation > generation  # ranked again
        assert body == []
        # a change the selected partition's checks show: rebuilt
        await poll(_with_partition(demo_snapshot(), "p9b", "app02", curr_mem=2048))
        assert body and body[-1] is True
