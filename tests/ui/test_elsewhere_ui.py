"""The demo's archive-db, started by another console: in the migrations panel, marked as
started elsewhere, with its progress; ``s`` on it asks to confirm the exact stop command from
the core, sends it and audits it; read-only refuses it. ``x`` hides ended rows."""

from __future__ import annotations

from lpmtui.common.clock import RealClock
from lpmtui.sim.world.state import World
from lpmtui.ui.app import LpmApp
from lpmtui.ui.screens.confirm import ConfirmScreen
from lpmtui.ui.widgets.migration_groups import BLOCKS
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel, rate_text
from lpmtui.wiring.backend import InProcessBackend
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import SIZE, wait_for

KEY = "elsewhere:P10-E1080-A/archive-db"
STOP = "migrlpar -o s -m P10-E1080-A --id 36"


def stops(backend) -> list[tuple[str, ...]]:
    return [a for a in backend.world.received["hmc-v10"] if a[:3] == ("migrlpar", "-o", "s")]


async def test_a_migration_started_elsewhere_is_shown_stopped_and_audited(tmp_path):
    backend = InProcessBackend(
        World.demo(clock=RealClock(speed=30)), state_dir=tmp_path, hot_interval=0.3
    )
    app = LpmApp(backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = app.dashboard.query_one(MigrationsPanel)
        await wait_for(pilot, lambda: KEY in panel.jobs and panel.jobs[KEY].rate is not None)
        row = {k: panel.get_cell(KEY, k).plain for k in ("partition", "kind", "state", "rate")}
        assert row["partition"] == "archive-db" and row["kind"] == "elsewhere"
        # the sparkline, then the rate (in wall time: the world runs 30 times faster)
        assert row["state"] == "in progress" and row["rate"].strip()[0] in BLOCKS
        assert row["rate"].endswith(rate_text(panel.jobs[KEY].rate))
        assert "running (1 started elsewhere)" in str(panel.border_title)
        panel.focus()
        panel.move_cursor(row=panel.get_row_index(KEY))
        await settle(app, pilot)
        assert "started elsewhere (not by this console)" in str(panel.border_subtitle)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.command == STOP  # from the core: manager.stop_command
        assert "started elsewhere" in str(app.screen.query_one("#confirm-text").render())
        assert stops(backend) == []  # nothing before the confirmation
        app.screen.query_one("#ok").press()
        try:
            await wait_for(pilot, lambda: panel.jobs[KEY].state.value == "stopped", 30)
        except AssertionError:
            raise AssertionError(str(panel.jobs[KEY]) + str(app._notifications)) from None
        assert [" ".join(a) for a in stops(backend)] == [STOP]
        audited = [r for r in app.migration_manager.audit.records() if r["op"] == "stop"]
        assert [(r["phase"], r["started_here"], r["command"]) for r in audited] == [
            ("sent", False, STOP),
            ("done", False, STOP),
        ]
        # x hides ended rows (kept in the panel's jobs and in the audit log), x shows them
        await pilot.press("x")
        await settle(app, pilot)
        assert KEY in panel.jobs and KEY not in panel.rows
        assert "1 ended (1 hidden)" in str(panel.border_title)
        await pilot.press("x")
        await settle(app, pilot)
        assert panel.get_row_index(KEY) == 0


async def test_read_only_refuses_stopping_a_migration_started_elsewhere(tmp_path):
    backend = InProcessBackend(
        World.demo(clock=RealClock(speed=30)), read_only=True, state_dir=tmp_path
    )
    app = LpmApp(backend, read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = app.dashboard.query_one(MigrationsPanel)
        await wait_for(pilot, lambda: KEY in panel.jobs)
        panel.focus()
        panel.move_cursor(row=panel.get_row_index(KEY))
        await pilot.press("s")
        await wait_for(
            pilot, lambda: any("read-only" in str(n.message) for n in app._notifications)
        )
        assert not isinstance(app.screen, ConfirmScreen) and stops(backend) == []
