"""SVG snapshots of the main screens at 120x40 (the dashboard also at 100x30 and 80x24): fixed
clock, fixed data, no cursor blink.

Update after reviewing the report: ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from dataclasses import replace

from lpmtui.hmc.runner import CommandEvent
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.model import ConnectionState
from lpmtui.ssh.hostkeys import HostKeyInfo
from lpmtui.ui.app import LpmApp
from lpmtui.ui.messages import MigrationUpdated
from lpmtui.ui.screens.prompts import HostKeyScreen
from lpmtui.ui.widgets.command_log import CommandLog
from lpmtui.ui.widgets.fleet_tree import Scope
from tests.ui.factory import NOW, demo_snapshot

SIZE = (120, 40)
EVENTS = (
    CommandEvent("hmc1", ("lssyscfg", "-r", "sys", "-F", "name,state"), 0, NOW - 3, 0.21),
    CommandEvent("hmc1", ("lssyscfg", "-r", "lpar", "-m", "p9a"), 0, NOW - 2, 0.34),
    CommandEvent("hmc2", ("lshmc", "-V"), None, NOW - 1, 20.0, "connection refused"),
    CommandEvent(
        "hmc1", ("mkauthkeys", "--ip", "hmc2", "-u", "hscroot", "--passwd", "pw"), 1, NOW - 1, 1.5
    ),
)


def make_app() -> LpmApp:
    return LpmApp(clock=lambda: NOW + 4, utc=True)


async def feed(pilot, snapshot=None) -> None:
    app = pilot.app
    app.show_snapshot(snapshot or demo_snapshot())
    for event in EVENTS:
        app.record_command(event)
    await pilot.pause()
    await app.workers.wait_for_complete()
    app.dashboard.query_one(CommandLog).flush(force=True)  # not a second later: now
    await pilot.pause()


def test_dashboard(snap_compare):
    assert snap_compare(make_app(), run_before=feed, terminal_size=SIZE)


def test_failing_partition_checks(snap_compare):
    async def run_before(pilot):
        await feed(pilot)
        dashboard = pilot.app.dashboard
        dashboard.query_one("FleetTree").select_scope(Scope("frame", "p10a"))
        await pilot.pause()
        dashboard.set_target("p9b")
        dashboard.query_one("PartitionTable").select_key("p10a/2")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_stale_hmc(snap_compare):
    async def run_before(pilot):
        await feed(
            pilot,
            replace(demo_snapshot(hmc2_state=ConnectionState.RECONNECTING, hmc2_taken_at=NOW - 60)),
        )
        hmc2 = pilot.app.dashboard.snapshot.hmcs[1]
        assert hmc2.state is ConnectionState.RECONNECTING

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_sites_with_one_in_scope(snap_compare):
    """HMCs at sites (the config's): site -> HMC -> frame, a site's counts, its scope."""

    async def run_before(pilot):
        snapshot = demo_snapshot(hmc2_state=ConnectionState.RECONNECTING, hmc2_taken_at=NOW - 60)
        sites = {"hmc1": "dc-east", "hmc2": "dc-west"}
        hmcs = tuple(replace(h, site=sites[h.hmc]) for h in snapshot.hmcs)
        await feed(pilot, replace(snapshot, hmcs=hmcs))
        pilot.app.dashboard.query_one("FleetTree").select_scope(Scope("site", "dc-east"))
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_help_screen(snap_compare):
    async def run_before(pilot):
        await feed(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_host_key_modal(snap_compare):
    async def run_before(pilot):
        info = HostKeyInfo(
            "10.0.0.10",
            22,
            ("bastion",),
            "ssh-ed25519",
            "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
        )
        pilot.app.push_screen(HostKeyScreen(info))
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_filter(snap_compare):
    async def run_before(pilot):
        await feed(pilot)
        await pilot.press("slash")
        pilot.app.dashboard.query_one("#filter").cursor_blink = False
        await pilot.press("a", "p", "p")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_evacuate_dialog(snap_compare):
    from lpmtui.cli.check import collect
    from lpmtui.common.clock import ManualClock
    from lpmtui.evacuation.plan import plan_evacuation
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.hmc.commands import command_line
    from lpmtui.migration.hmc_io import migrate_argv
    from lpmtui.sim.world.state import World
    from lpmtui.simlink import sim_links
    from lpmtui.ui.screens.evacuate_dialog import EvacuateDialog

    async def run_before(pilot):
        await feed(pilot)
        # the plan of the demo fleet (the factory's snapshot has no cold data to judge on)
        snapshot = await collect(Fleet(sim_links(World.demo(ManualClock(start=NOW)))))
        dialog = EvacuateDialog(
            lambda avoid: plan_evacuation(snapshot, "P10-S1022-B"),
            lambda r: command_line(migrate_argv(r)),
            read_only=False,
        )
        pilot.app.push_screen(dialog)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


# -- the dashboard at the sizes it must fit (issue #14) ------------------------------------------
# What each must show: partition name, state and verdict; each migration's name, % and ETA; the
# keys for help and quit in the footer.

MOVING = MigrationProgress(
    "j1", "app[01]", "p9a", "p9b", "active", MigrationState.IN_PROGRESS,
    hmc="hmc1", percent=42.0, bytes_moved=27 << 30, bytes_total=64 << 30,
    rate=400 << 20, eta=95.0, elapsed=70.0,
)  # fmt: skip


async def feed_moving(pilot) -> None:
    await feed(pilot)
    pilot.app.post_message(MigrationUpdated(MOVING))
    await pilot.pause()


def test_dashboard_at_80x24(snap_compare):
    assert snap_compare(make_app(), run_before=feed_moving, terminal_size=(80, 24))


def test_dashboard_at_100x30(snap_compare):
    assert snap_compare(make_app(), run_before=feed_moving, terminal_size=(100, 30))


def test_dashboard_at_120x40(snap_compare):
    assert snap_compare(make_app(), run_before=feed_moving, terminal_size=(120, 40))


# -- an evacuation's own view (issue #15) --------------------------------------------------------


async def open_evacuation_view(pilot) -> None:
    from tests.ui.test_evacuation_view import start_evacuation

    await start_evacuation(pilot, [NOW])
    await pilot.press("E")
    await pilot.pause()
    pilot.app.clear_notifications()  # (the toasts of the moves that ended)
    await pilot.pause()


def test_evacuation_view(snap_compare):
    assert snap_compare(make_app(), run_before=open_evacuation_view, terminal_size=SIZE)


def test_evacuation_view_at_80x24(snap_compare):
    assert snap_compare(make_app(), run_before=open_evacuation_view, terminal_size=(80, 24))
