"""The console driven against the simulated demo fleet in-process (World.demo + SimLink +
Fleet): what an admin does in the first minute, and an HMC dropping."""

from __future__ import annotations

import asyncio

from lpmtui.model import ConnectionState
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.ui.test_dashboard import cell, detail_text, settle

SIZE = (120, 40)


async def wait_for(pilot, predicate, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached in time")


def key_of(app, name: str) -> str:
    return next(
        k for k, loc in app.dashboard.fleet_view.located.items() if loc.partition.name == name
    )


async def test_admin_picks_frame_filters_partition_and_target():
    backend = InProcessBackend()
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        assert "HMCs 6/6" in str(app.dashboard.query_one("#header").render())
        tree = app.dashboard.query_one(FleetTree)
        # The demo's HMCs are at sites (its config): site -> HMC, sites in the config's order.
        sites = [str(n.label) for n in tree.root.children]
        assert sites == [
            "dc-east  2 HMCs · 5 frames",
            "dc-west  1 HMC · 3 frames",
            "lab  3 HMCs · 3 frames",
        ]
        nodes = [hmc for site in tree.root.children for hmc in site.children]
        consoles = {str(n.label).split()[0]: str(n.label) for n in nodes}
        assert "FSM" in consoles["fsm-flex"] and "IVM" in consoles["ivm-blade"]
        assert "FSM" not in consoles["hmc-v10"] and "IVM" not in consoles["hmc-v7"]
        assert app.dashboard.query_one("#log").count > 0  # every command is logged

        app.dashboard.query_one(FleetTree).select_scope(Scope("frame", "P10-E1080-A"))
        await settle(app, pilot)
        shown = [app.dashboard.fleet_view.located[k].partition.system for k in table.keys]
        assert shown and set(shown) == {"P10-E1080-A"}

        await pilot.press("slash", *"app-01", "enter")
        await settle(app, pilot)
        assert [app.dashboard.fleet_view.located[k].partition.name for k in table.keys] == [
            "app-01"
        ]
        key = table.keys[0]
        await wait_for(pilot, lambda: cell(app, key, "mobility") != "…")
        assert cell(app, key, "mobility") == "pass"
        before = detail_text(app)
        assert "Target P10-S1022-B (best" in before

        # The old POWER8 frame is powered off: choosing it turns the checks to failures.
        await pilot.press("t")
        await settle(app, pilot)
        options = app.screen.query_one("OptionList")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("P8-S824-OLD")
        await pilot.press("enter")
        await settle(app, pilot)
        after = detail_text(app)
        assert "Target P8-S824-OLD (chosen" in after
        assert "✗ Target frame Operating" in after and "fix:" in after
        assert cell(app, key, "mobility").endswith("fail")

        # v asks the HMC itself; its verdict shows beside the local checks.
        await pilot.press("v")
        await wait_for(pilot, lambda: "HMC validation →" in detail_text(app))
        assert "failed" in detail_text(app)
        await app.close_backend()


async def test_a_dropped_hmc_goes_stale_and_the_other_stays():
    now = [1_900_000_000.0]
    backend = InProcessBackend(clock=lambda: now[0])
    app = LpmApp(backend, clock=lambda: now[0])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        rows = len(table.keys)
        link = backend.links["hmc-v9"]
        link.state, link.last_error = ConnectionState.UNREACHABLE, "timed out via bastion"
        now[0] += 60
        backend.fleet.wake()
        await wait_for(
            pilot,
            lambda: "STALE hmc-v9" in str(app.dashboard.query_one("#header").render()),
            seconds=5,
        )
        assert len(table.keys) == rows  # nothing blanked
        tree = app.dashboard.query_one(FleetTree)
        labels = {str(n.label) for site in tree.root.children for n in site.children}
        assert any(label.startswith("hmc-v9  unreachable  stale") for label in labels)
        assert any(label == "hmc-v10  connected" for label in labels)
        sites = {str(n.label) for n in tree.root.children}  # hmc-v9's site counts it
        assert "dc-west  1 down  1 stale  1 HMC · 3 frames" in sites
        assert "dc-east  2 HMCs · 5 frames" in sites
        stale_row = next(
            k for k, loc in app.dashboard.fleet_view.located.items() if loc.hmc == "hmc-v9"
        )
        assert table.get_cell(stale_row, "name").style == table.palette.stale
        assert any("hmc-v9 lost: timed out via bastion" in n.message for n in app._notifications)

        link.state, link.last_error = ConnectionState.CONNECTED, ""
        backend.fleet.wake()
        await wait_for(
            pilot,
            lambda: "STALE" not in str(app.dashboard.query_one("#header").render()),
            seconds=5,
        )
        await asyncio.sleep(0)
        assert any("hmc-v9 is back" in n.message for n in app._notifications)
        await app.close_backend()


async def test_migrate_dialog_validates_confirms_by_name_and_the_partition_lands():
    from textual.widgets import Button, Input

    from lpmtui.common.clock import RealClock
    from lpmtui.sim.world.state import World

    backend = InProcessBackend(World.demo(clock=RealClock(speed=200)))
    backend.migration_manager.poll_interval = 0.2
    app = LpmApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        key = key_of(app, "app-01")
        table.select_key(key)
        await settle(app, pilot)
        await pilot.press("m")
        dialog = app.screen
        assert type(dialog).__name__ == "MigrateDialog"
        await wait_for(pilot, lambda: dialog.validation is not None)
        assert dialog.validation.ok
        assert dialog.focused is dialog.query_one("#confirm", Input)  # next: type the name
        command = str(dialog.query_one("#command").render())
        assert "migrlpar -o m -m P10-E1080-A -t P10-S1022-B --id 33" in command
        assert dialog.query_one("#migrate", Button).disabled  # the name is not typed yet
        await pilot.press(*"app-0")
        assert dialog.query_one("#migrate", Button).disabled
        await pilot.press("1")
        assert not dialog.query_one("#migrate", Button).disabled
        assert dialog.query_one("#confirm", Input).value == "app-01"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.dashboard)
        panel = app.dashboard.query_one("#migrations")
        # this console's one row (archive-db, started by another console, has its own)
        mine = lambda: [j for j in panel.jobs.values() if j.started_here]  # noqa: E731
        await wait_for(pilot, lambda: panel.display and [j.partition for j in mine()] == ["app-01"])
        await wait_for(
            pilot,
            lambda: any(j.state.value == "succeeded" for j in mine()),
            seconds=20,
        )
        await wait_for(
            pilot,
            lambda: any(
                loc.partition.name == "app-01" and loc.partition.system == "P10-S1022-B"
                for loc in app.dashboard.fleet_view.located.values()
            ),
            seconds=10,
        )
        assert any("Migration ended" in (n.title or "") for n in app._notifications)
        await app.close_backend()


def _recording(run, sent):
    async def recorded(argv, **kwargs):
        sent.append(tuple(argv))
        return await run(argv, **kwargs)

    return recorded


async def test_stop_asks_first_then_stops_the_migration():
    from lpmtui.hmc.redact import shown_command
    from lpmtui.migration.types import MigrationRequest

    backend = InProcessBackend()
    backend.migration_manager.poll_interval = 0.2
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        manager = backend.migration_manager
        request = MigrationRequest("app-02", "P10-E1080-A", "P10-S1022-B", lpar_id=34)
        await manager.validate(request)
        job = await manager.start(request, confirmed_name="app-02")
        table.select_key(key_of(app, "app-02"))
        await wait_for(
            pilot,
            lambda: (
                manager.job(job.job_id).can_stop
                and app.dashboard.check_action("stop_migration", ()) is True
            ),
        )
        sent_argv: list[tuple[str, ...]] = []
        for link in backend.links.values():
            link.run = _recording(link.run, sent_argv)
        await pilot.press("s")
        await settle(app, pilot)
        confirm = app.screen
        assert type(confirm).__name__ == "ConfirmScreen"
        # The confirmation shows the argv the core sends (by id), not one rebuilt in the UI.
        assert confirm.command == "migrlpar -o s -m P10-E1080-A --id 34"
        assert confirm.command == shown_command(manager.stop_command(job.job_id))
        assert confirm.focused.id == "cancel"
        await pilot.press("tab", "enter")
        await wait_for(
            pilot,
            lambda: manager.job(job.job_id).state.value in ("stopping", "stopped"),
            seconds=10,
        )

        def sent():
            return [a for a in sent_argv if a[:3] == ("migrlpar", "-o", "s")]

        await wait_for(pilot, lambda: sent(), seconds=10)
        assert [shown_command(a) for a in sent()] == [confirm.command]
        await app.close_backend()


async def test_a_frame_that_is_not_operating_says_why_it_has_no_partitions():
    backend = InProcessBackend()
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        app.dashboard.query_one(FleetTree).select_scope(Scope("frame", "P8-S824-OLD"))
        await settle(app, pilot)
        assert table.keys == []
        text = detail_text(app)
        assert "P8-S824-OLD · no partition can migrate from this frame" in text
        assert "cannot migrate from a failed frame: P8-S824-OLD is Power Off" in text

        app.dashboard.query_one(FleetTree).select_scope(Scope("frame", "P10-E1080-A"))
        await settle(app, pilot)
        assert "no partition can migrate from this frame" not in detail_text(app)
        await app.close_backend()


async def test_tuned_gc_runs_full_passes_on_the_console_s_own_schedule():
    import gc

    from lpmtui.ui import gc_pace

    threshold = gc.get_threshold()
    app = LpmApp(InProcessBackend(), tune_gc=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            table = app.dashboard.query_one(PartitionTable)
            await wait_for(
                pilot, lambda: len(table.keys) > 20 and app.dashboard.fleet_view.gc_frozen
            )
            assert gc.get_threshold()[2] == gc_pace.FULL_GC_NEVER
            timers = [t for t in app.dashboard._timers if t._interval == gc_pace.FULL_GC_EVERY]
            assert len(timers) == 1
            await timers[0]._tick(next_timer=0.0, count=1)  # what the timer does every 30 s
            assert app.is_running
            await app.close_backend()
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
