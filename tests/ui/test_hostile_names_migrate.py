"""Migrating partitions with hostile names from the console: the typed confirmation must be the
exact name (never empty, never a placeholder), the argv the HMC receives names the partition by
its id and the frames byte-exact, and the dialog shows the name escaped."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from lpmtui.common.clock import RealClock
from lpmtui.common.visible import visible
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.test_visible import RAW, TARGET, hostile_world
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import wait_for

SIZE = (120, 40)


@pytest.mark.parametrize(
    "name", ["null", "unavailable", "-dash", "$(reboot)", "q\"uo'te", "[red]x", "esc\x1b[31mred"]
)
async def test_a_hostile_name_is_confirmed_exactly_and_sent_by_id(name):
    world = hostile_world(RealClock(speed=50))
    backend = InProcessBackend(world)
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) >= 15)
        located = app.dashboard.fleet_view.located
        key = next(k for k in table.keys if located[k].partition.name == name)
        lpar_id = located[key].partition.lpar_id
        table.select_key(key)
        await settle(app, pilot)
        await pilot.press("m")
        dialog = app.screen
        assert type(dialog).__name__ == "MigrateDialog"
        confirm = dialog.query_one("#confirm", Input)
        go = dialog.query_one("#migrate", Button)
        await wait_for(pilot, lambda: dialog.focused is confirm)
        assert go.disabled  # nothing typed is never a "yes", whatever the name
        confirm.value = name[:-1]
        await pilot.pause()
        assert go.disabled
        confirm.value = name
        await pilot.pause()
        assert not go.disabled
        shown = str(dialog.query_one("#command").render())
        assert f"--id {lpar_id}" in shown and not RAW.search(shown)
        await pilot.press("enter")
        sent = world.received["hmc-a"]
        await wait_for(pilot, lambda: any(a[:3] == ("migrlpar", "-o", "m") for a in sent))
        [argv] = [a for a in sent if a[:3] == ("migrlpar", "-o", "m")]
        assert argv == ("migrlpar", "-o", "m", "-m", "p9-a", "-t", TARGET, "--id", str(lpar_id))
        panel = app.dashboard.query_one("#migrations")
        row = "".join(segment.text for segment in panel.render_line(1))
        assert visible(name)[:8] in row and not RAW.search(row)
        await app.close_backend()
