"""Host-key and password modals (the transport's Prompter) and the read-only console."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from textual.widgets import Button, Input

from lpmtui.migration.manager import MigrationManager
from lpmtui.ssh.hostkeys import HostKeyInfo
from lpmtui.ui.app import LpmApp
from lpmtui.ui.screens.prompts import HostKeyScreen, SecretScreen
from tests.ui.factory import NOW, demo_snapshot
from tests.ui.test_dashboard import settle

INFO = HostKeyInfo(
    "10.0.0.10",
    22,
    ("bastion",),
    "ssh-ed25519",
    "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
)


async def _ask(app, pilot, coro):
    task = asyncio.ensure_future(coro)
    await settle(app, pilot)
    return task


async def test_unknown_host_key_modal_shows_fingerprint_and_rejects_by_default():
    app = LpmApp(clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        task = await _ask(app, pilot, app.prompter.confirm_host_key(INFO))
        assert isinstance(app.screen, HostKeyScreen)
        text = str(app.screen.query_one("Static").render())
        assert "10.0.0.10" in text and "bastion" in text and INFO.fingerprint in text
        assert app.screen.focused.id == "reject"  # nothing is pre-accepted
        await pilot.press("enter")
        await settle(app, pilot)
        assert task.done() and task.result() is False

        task = await _ask(app, pilot, app.prompter.confirm_host_key(INFO))
        await pilot.click("#accept")
        await settle(app, pilot)
        assert task.result() is True


async def test_password_modal_masks_input_and_returns_it_in_memory():
    app = LpmApp(clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        task = await _ask(app, pilot, app.prompter.ask_password("hscroot@hmc1"))
        assert isinstance(app.screen, SecretScreen)
        box = app.screen.query_one("#secret", Input)
        assert box.password
        await pilot.press(*"s3cr[t")
        assert "s3cr[t" not in str(box.render_line(0).text)  # never echoed
        await pilot.press("enter")
        await settle(app, pilot)
        assert task.result() == "s3cr[t"

        task = await _ask(app, pilot, app.prompter.ask_passphrase("~/.ssh/id_ed25519"))
        await pilot.press("escape")
        await settle(app, pilot)
        assert task.result() is None


def _backend(read_only: bool, snapshot):
    fleet = SimpleNamespace(snapshot=snapshot, link_for_system=lambda system: None)
    manager = MigrationManager(fleet, read_only=read_only)
    return SimpleNamespace(
        fleet=fleet, migration_manager=manager, read_only=read_only, hot_interval=5.0
    )


async def test_read_only_hides_and_refuses_migration_actions():
    snapshot = demo_snapshot()
    app = LpmApp(_backend(True, snapshot), clock=lambda: NOW + 1)
    app._painted = lambda: None  # the fake backend has nothing to start
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.show_snapshot(snapshot)
        await settle(app, pilot)
        assert "READ-ONLY" in str(app.dashboard.query_one("#header").render())
        listed = {b.binding.action for b in app.dashboard.active_bindings.values()}
        assert not listed & {"migrate", "stop_migration", "recover"}  # hidden, not greyed
        await pilot.press("m")
        await settle(app, pilot)
        assert app.screen is app.dashboard  # no dialog
        app.dashboard.action_migrate()
        await settle(app, pilot)
        assert any("read-only: migrate refused" in n.message for n in app._notifications)


async def test_migrate_is_offered_when_writable():
    snapshot = demo_snapshot()
    app = LpmApp(_backend(False, snapshot), clock=lambda: NOW + 1)
    app._painted = lambda: None
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_snapshot(snapshot)
        await settle(app, pilot)
        app.dashboard.query_one("#partitions").select_key("p9a/3")
        await settle(app, pilot)
        enabled = {b.binding.action for b in app.dashboard.active_bindings.values() if b.enabled}
        assert "migrate" in enabled
        await pilot.press("m")
        await pilot.pause()
        assert type(app.screen).__name__ == "MigrateDialog"
        assert app.screen.focused is app.screen.query_one("#cancel", Button)
        assert app.screen.query_one("#migrate", Button).disabled
        await pilot.press("escape")
