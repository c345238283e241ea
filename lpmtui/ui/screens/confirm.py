"""A yes/no confirmation for stop and recover: shows the exact command; Cancel has the focus.

The command comes from the core (``command_for(force)``), so ticking ``--force`` shows the argv
that will really be sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from lpmtui.common.visible import visible


def warning_box_css(screen: str) -> str:
    """The look of a modal that asks before something changes: a centred box, warning border,
    buttons on the right."""
    return f"""
    {screen} {{
        align: center middle;
        & > Vertical {{
            width: 84;
            max-width: 95%;
            height: auto;
            border: thick $warning;
            background: $surface;
            padding: 1 2;
        }}
        & Horizontal {{ height: auto; align-horizontal: right; margin-top: 1; }}
        & Button {{ margin-left: 2; }}
    }}
    """


@dataclass(frozen=True, slots=True)
class Answer:
    force: bool = False


class ConfirmScreen(ModalScreen[Answer | None]):
    DEFAULT_CSS = warning_box_css("ConfirmScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(
        self,
        title: str,
        question: str,
        command_for: Callable[[bool], str],
        *,
        action: str,
        offer_force: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.command_for = command_for
        self.action_label = action
        self.offer_force = offer_force

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self._text(force=False), id="confirm-text")
            if self.offer_force:
                yield Checkbox("--force (only when a normal recover fails)", id="force")
            with Horizontal():
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button(self.action_label, id="ok", variant="warning")

    def _text(self, *, force: bool) -> Content:
        command = self.command_for(force)
        return Content.from_markup(
            "$q\n\nCommand: [b]$c[/b]", q=visible(self.question), c=visible(command)
        )

    @property
    def command(self) -> str:
        """The command as shown now (with --force when it is ticked)."""
        return self.command_for(self._force())

    def _force(self) -> bool:
        return self.offer_force and self.query_one("#force", Checkbox).value

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#confirm-text", Static).update(self._text(force=event.value))

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "ok":
            self.dismiss(None)
            return
        self.dismiss(Answer(force=self._force()))

    def action_cancel(self) -> None:
        self.dismiss(None)
