"""``?``: every key of the current context, then what the symbols on the dashboard mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

LEGEND = (
    ("✓ pass / ! warn / ✗ fail / ? unknown", "a prerequisite's status; the count is how many"),
    ("…", "mobility still being evaluated"),
    ("source", "the partition already runs on the chosen target frame"),
    (
        "stale (warning colour, italic)",
        "data older than two poll intervals: the HMC is not answering",
    ),
    ("42% →frame", "a migration in progress, as the HMC reports it"),
    ("HMC agrees / objects", "the HMC's own validation (v) compared with the local check"),
)

# Plain movement keys, summarised in one line instead of one line each.
_MOVEMENT = {
    "cursor_left",
    "cursor_right",
    "page_left",
    "page_right",
    "page_up",
    "page_down",
    "scroll_home",
    "scroll_end",
    "screen.copy_text",
    "app.focus_next",
    "app.focus_previous",
    "select_cursor",
    "scroll_top",
    "scroll_bottom",
}

_WIDGET_NAMES = {
    "PartitionTable": "partition table",
    "FleetTree": "site, HMC and frame tree",
    "CommandLog": "command log",
    "DetailPane": "checks",
    "Input": "filter",
}


def _key_label(app_key: str, binding: Binding, app) -> str:
    return app.get_key_display(binding) if app else app_key


def help_content(bindings: dict[str, ActiveBinding], focused: Widget | None, app) -> Content:
    where = _WIDGET_NAMES.get(type(focused).__name__, "dashboard") if focused else "dashboard"
    lines = [Content.from_markup("[b $accent]Keys — $where[/]", where=where)]
    seen: set[str] = set(_MOVEMENT)
    # The screen's own actions first: they are what the admin came for.
    ordered = sorted(bindings.items(), key=lambda item: item[1].node is not focused)
    ordered.sort(key=lambda item: item[1].node is focused)
    for key, active in ordered:
        binding = active.binding
        if not active.enabled or binding.action in seen or binding.action.startswith("explain("):
            continue
        seen.add(binding.action)
        label = _key_label(key, binding, app)
        keys = ", ".join(
            _key_label(b.key, b, app)
            for k, b in ((k, a.binding) for k, a in bindings.items())
            if b.action == binding.action and k != key
        )
        shown = f"{label}, {keys}" if keys else label
        lines.append(
            Content.from_markup(
                "  [b]$keys[/b]  $description  [dim]$tooltip[/dim]",
                keys=f"{shown:<14}",
                description=binding.description or binding.action,
                tooltip=active.tooltip or binding.tooltip or "",
            )
        )
    lines.append(
        Content.from_markup(
            "  [b]tab / shift+tab[/b]  move between panes; arrows, "
            "pgup/pgdn, home/end move; the mouse works everywhere"
        )
    )
    lines.append(
        Content.from_markup(
            "  [b]ctrl+p        [/b]  palette: jump to a partition or "
            "frame, run an action, change the theme"
        )
    )
    lines.append(Content(""))
    lines.append(Content.from_markup("[b $accent]What the marks mean[/]"))
    for mark, meaning in LEGEND:
        lines.append(Content.from_markup("  [b]$m[/b]  $t", m=mark, t=meaning))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90%;
            max-width: 100;
            height: auto;
            max-height: 90%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
    }
    """
    BINDINGS = [
        Binding("escape,question_mark,q,f1", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, bindings: dict[str, ActiveBinding], focused: Widget | None) -> None:
        super().__init__()
        self._context_bindings = bindings
        self._context_widget = focused

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Help"
            box.border_subtitle = "esc to close"
            yield Static(help_content(self._context_bindings, self._context_widget, self.app))

    def action_dismiss(self) -> None:
        self.dismiss(None)
