"""The stop/recover confirmation shows the argv the core will send, --force included."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Checkbox

from lpmtui.hmc.redact import shown_command
from lpmtui.migration.hmc_io import recover_argv
from lpmtui.migration.types import MigrationRequest
from lpmtui.ui.screens.confirm import Answer, ConfirmScreen


async def test_ticking_force_shows_the_forced_command_and_answers_it():
    request = MigrationRequest("db 01", "P9-A", "P10-B", lpar_id=7)
    answers: list[Answer | None] = []

    class Host(App):
        def on_mount(self) -> None:
            screen = ConfirmScreen(
                "Recover migration",
                "Recover?",
                lambda force: shown_command(recover_argv(request, force=force)),
                action="Recover",
                offer_force=True,
            )
            self.push_screen(screen, answers.append)

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        assert screen.command == shown_command(recover_argv(request, force=False))
        assert "--force" not in screen.command
        screen.query_one("#force", Checkbox).value = True
        await pilot.pause()
        assert screen.command == shown_command(recover_argv(request, force=True))
        assert "--force" in str(screen.query_one("#confirm-text").render())
        screen.query_one("#ok").press()
        await pilot.pause()
    assert answers == [Answer(force=True)]
