"""The "Trust in the window" issue, driven against the in-process simulator: what the console
shows is what happened, and a refused key says why."""

from __future__ import annotations

from lpmtui.model import ConnectionState
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import SIZE, key_of, wait_for


async def _started(app, pilot) -> PartitionTable:
    table = app.dashboard.query_one(PartitionTable)
    await wait_for(pilot, lambda: len(table.keys) > 20)
    return table


def _said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def _press_and_hear(app, pilot, key: str) -> str:
    before = len(app._notifications)
    await pilot.press(key)
    await settle(app, pilot)
    assert app.screen is app.dashboard  # refused: no dialog
    heard = _said(app)[before:]
    assert len(heard) == 1, (key, heard)
    return heard[0]


async def test_refused_keys_say_why_when_read_only(tmp_path):
    app = LpmApp(InProcessBackend(read_only=True, state_dir=tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = await _started(app, pilot)
        table.select_key(key_of(app, "app-01"))
        await settle(app, pilot)
        for key, what in (("m", "migrate"), ("s", "stop"), ("R", "recover")):
            said = await _press_and_hear(app, pilot, key)
            assert said == f"read-only: {what} refused (this console was started read-only)"
        await app.close_backend()


async def test_stop_and_recover_say_why_when_nothing_applies(tmp_path):
    app = LpmApp(InProcessBackend(state_dir=tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = await _started(app, pilot)
        table.select_key(key_of(app, "app-01"))
        await settle(app, pilot)
        assert await _press_and_hear(app, pilot, "s") == "stop: app-01 has no migration to stop"
        said = await _press_and_hear(app, pilot, "R")
        assert said == "recover: app-01 has no migration to recover"
        vios = key_of(app, "a-vios1")
        table.select_key(vios)
        await settle(app, pilot)
        said = await _press_and_hear(app, pilot, "m")
        assert said == "migrate: a-vios1 is a VIOS; a VIOS does not migrate"
        await app.close_backend()


def _header_line(app) -> str:
    """The header as the terminal shows it: cut at the screen's width."""
    return app.dashboard.query_one("#header").render_line(0).text


async def test_pause_is_not_stale_and_paused_shows_at_80_columns(tmp_path):
    now = [1_900_000_000.0]
    backend = InProcessBackend(clock=lambda: now[0], state_dir=tmp_path)
    app = LpmApp(backend, clock=lambda: now[0])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _started(app, pilot)
        view = app.dashboard.fleet_view
        await pilot.press("space")
        assert view.paused
        # Every HMC keeps answering while the table is paused: a minute later nothing is stale.
        shown = view.snapshot
        now[0] += 60
        backend.fleet.wake()
        # Wait until every HMC has answered since the clock moved (a poll merges HMC by HMC).
        await wait_for(
            pilot,
            lambda: (
                view.pending is not None and all(h.taken_at >= now[0] for h in view.latest.hmcs)
            ),
        )
        view.tick()
        await settle(app, pilot)
        assert view.snapshot is shown  # still paused: the table did not move
        assert view.stale == {}
        assert "STALE" not in _header_line(app) and "PAUSED" in _header_line(app)
        tree = app.dashboard.query_one("#tree")
        assert not any("stale" in str(n.label) for n in tree.root.children)

        # One HMC really stops answering: only it is stale, and PAUSED still shows at 80×24.
        link = backend.links["hmc-v9"]
        link.state, link.last_error = ConnectionState.UNREACHABLE, "timed out via bastion"
        now[0] += 60
        backend.fleet.wake()
        await wait_for(  # hmc-v9 unreachable, and every other HMC answered since
            pilot,
            lambda: all(
                h.state is ConnectionState.UNREACHABLE
                if h.hmc == "hmc-v9"
                else h.taken_at >= now[0]
                for h in view.latest.hmcs
            ),
        )
        view.tick()
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert set(view.stale) == {"hmc-v9"}
        line = _header_line(app)
        assert "PAUSED" in line and "STALE hmc-v9" in str(
            app.dashboard.query_one("#header").render()
        )
        await app.close_backend()


def _in_view(app, widget) -> bool:
    """The widget is on screen and nothing covers it: the terminal cell at its first
    character belongs to it."""
    region = widget.region
    if not region.width or not region.height or not app.screen.region.contains_region(region):
        return False
    found, _ = app.screen.get_widget_at(region.x + 1, region.y + 1)
    return found is widget or widget in found.ancestors


async def _typed_confirmation_in_reach(app, pilot, key: str, frame: str) -> None:
    from textual.widgets import Button, Input

    await pilot.press(key)
    await settle(app, pilot)
    dialog = app.screen
    assert type(dialog).__name__ == "EvacuateDialog" and dialog.plan.moves
    field = dialog.query_one("#confirm", Input)
    assert dialog.focused is field
    # The field and the top of the plan are in view together: the plan scrolls, the field stays.
    assert _in_view(app, field) and _in_view(app, dialog.query_one("#summary"))
    await pilot.press(*frame)
    await settle(app, pilot)
    assert not dialog.query_one("#start", Button).disabled  # typed where the focus was
    await pilot.press("escape")
    await settle(app, pilot)
    assert app.screen is app.dashboard


async def test_evacuate_and_home_dialogs_focus_the_name_field_in_view_at_80x24(tmp_path):
    from lpmtui.evacuation.run import EvacuationLog
    from lpmtui.store.journal import append_jsonl
    from lpmtui.ui.widgets.fleet_tree import Scope

    backend = InProcessBackend(state_dir=tmp_path)
    app = LpmApp(backend)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _started(app, pilot)
        app.dashboard.query_one("#tree").select_scope(Scope("frame", "P10-E1080-A"))
        await settle(app, pilot)
        await _typed_confirmation_in_reach(app, pilot, "e", "P10-E1080-A")

        # Home: app-01 (on P10-E1080-A) recorded as sent there by an evacuation of P10-S1022-B.
        log = EvacuationLog.beside(backend.migration_manager.journal.path)
        record = {"id": "e1", "frame": "P10-S1022-B", "hmc": "hmc-v10", "at": "", "moves": []}
        record["moves"] = [["app-01", "P10-E1080-A"]]
        append_jsonl(log.path, record)
        app.dashboard.query_one("#tree").select_scope(Scope("frame", "P10-S1022-B"))
        await settle(app, pilot)
        await _typed_confirmation_in_reach(app, pilot, "H", "P10-S1022-B")
        await app.close_backend()


async def test_a_picked_target_that_is_the_partitions_own_frame_is_not_called_chosen(tmp_path):
    from tests.ui.test_dashboard import detail_text

    app = LpmApp(InProcessBackend(state_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        table = await _started(app, pilot)
        table.select_key(key_of(app, "app-01"))
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        options = app.screen.query_one("OptionList")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("P10-S1022-B")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Target P10-S1022-B (chosen, " in detail_text(app)

        table.select_key(key_of(app, "b-app-01"))  # already on P10-S1022-B
        await settle(app, pilot)
        text = detail_text(app)
        best = app.dashboard.fleet_view.verdicts.ranked(
            app.dashboard.fleet_view.selected().partition
        )[0].target_system
        assert f"Target {best} (best, 1st of " in text
        assert "chosen" not in text
        assert (
            f"Picked target P10-S1022-B is b-app-01's own frame: the best other target, {best}, "
            "is shown" in text
        )
        await app.close_backend()


async def test_a_blind_unknown_check_is_counted_as_left_to_the_hmc_not_zero(tmp_path):
    from tests.ui.test_dashboard import detail_text

    app = LpmApp(InProcessBackend(state_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        table = await _started(app, pilot)
        table.select_key(key_of(app, "app-01"))
        await settle(app, pilot)
        text = detail_text(app)
        verdict = app.dashboard.checks.detail_view().verdict
        # hmc-v10 is at V10R3, which prints no migration_disabled (real-hmc-facts §3)
        assert [c.title for c in verdict.left_to_hmc] == [
            "Migration not disabled on the partition",
            "No open console",
        ]
        assert "? No open console" in text
        assert (
            f"· {verdict.fails} fail · {verdict.unknowns} unknown · {verdict.warns} warn · "
            "2 left to the HMC's validation" in " ".join(text.split())
        )
        await app.close_backend()


async def test_a_selected_hmc_that_failed_shows_its_whole_error(tmp_path):
    from lpmtui.ui.widgets.fleet_tree import Scope
    from tests.ui.test_dashboard import detail_text

    backend = InProcessBackend(state_dir=tmp_path)
    error = (
        "hscroot@10.0.0.9:22 (hmc-v9 via bastion): connection refused after 3 attempts; "
        "the jump host bastion answered but port 22 of 10.0.0.9 did not"
    )
    link = backend.links["hmc-v9"]
    link.state, link.last_error = ConnectionState.UNREACHABLE, error
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await _started(app, pilot)
        app.dashboard.query_one("#tree").select_scope(Scope("hmc", "hmc-v9"))
        await settle(app, pilot)
        assert app.dashboard.fleet_view.selected() is None  # it never listed a partition
        text = " ".join(detail_text(app).split())
        assert "hmc-v9 · not connected: no partitions are listed from this console" in text
        assert "hmc-v9 is unreachable" in text
        assert error in text
        await app.close_backend()
