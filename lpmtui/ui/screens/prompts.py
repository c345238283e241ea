"""Modal prompts the transport needs: an unknown host key and a password or passphrase.

Nothing is pre-accepted: the host key modal focuses Reject. Passwords are never echoed and
never leave memory.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

_CSS = """
{name} {{
    align: center middle;
    & > Vertical {{
        width: 80;
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


def route_label(route) -> str:
    """``bastion → hmc1``: the jump hosts passed through, or ``direct``."""
    if not route:
        return "direct"
    return route if isinstance(route, str) else " → ".join(route)


class HostKeyScreen(ModalScreen[bool]):
    """Shows host, route and SHA256 fingerprint; dismisses True only on an explicit accept."""

    DEFAULT_CSS = _CSS.format(name="HostKeyScreen")
    BINDINGS = [Binding("escape", "reject", "Reject", id="hostkey.reject")]

    def __init__(self, info) -> None:
        super().__init__()
        self.info = info

    def compose(self) -> ComposeResult:
        info = self.info
        with Vertical() as box:
            box.border_title = (
                "Unknown host key of a jump host" if info.jump_host else "Unknown host key"
            )
            # A jump host's key comes from whoever runs the jump host, not the HMC administrator.
            subject = f"The {info.who} at" if info.who else "The host"
            owner = "the jump host's administrator" if info.jump_host else "your HMC administrator"
            yield Static(
                Content.from_markup(
                    "$subject [b]$host[/b] (port $port) is not in the known hosts.\n"
                    "Route: $route\nKey type: $kind\nFingerprint: [b $warning]$fp[/]\n\n"
                    "Compare the fingerprint with the one $owner gave you "
                    "before accepting. Accepting adds it to lpmtui's known_hosts.",
                    subject=subject,
                    owner=owner,
                    host=info.host,
                    port=str(info.port),
                    route=route_label(info.route),
                    kind=info.key_type,
                    fp=info.fingerprint,
                )
            )
            with Horizontal():
                yield Button("Reject", id="reject", variant="primary")
                yield Button("Accept and remember", id="accept", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#reject", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "accept")

    def action_reject(self) -> None:
        self.dismiss(False)


class SecretScreen(ModalScreen[str | None]):
    """A password or key passphrase: typed masked, returned in memory, None when cancelled."""

    DEFAULT_CSS = _CSS.format(name="SecretScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="secret.cancel")]

    def __init__(self, title: str, prompt: str) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(Content(self.prompt))
            yield Input(password=True, id="secret")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#secret", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.query_one("#secret", Input).value if event.button.id == "ok" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
