"""Quitting while migrations run or wait: say what happens to them, and ask. Stay has focus."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from lpmtui.ui.screens.confirm import warning_box_css


class QuitScreen(ModalScreen[bool]):
    DEFAULT_CSS = warning_box_css("QuitScreen")
    BINDINGS = [Binding("escape", "stay", "Stay", id="quit.stay")]

    def __init__(self, notice: str) -> None:
        super().__init__()
        self.notice = notice

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Migrations are in flight"
            yield Static(self.notice, id="quit-text", markup=False)
            with Horizontal():
                yield Button("Stay", id="stay", variant="primary")
                yield Button("Quit", id="quit", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "quit")

    def action_stay(self) -> None:
        self.dismiss(False)
