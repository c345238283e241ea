"""``t``: the ranked target frames for a partition, best first, with their verdicts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from lpmtui.eligibility import Verdict
from lpmtui.eligibility.checks import CheckStatus

BEST = "\x00best"  # option id for "best target per partition" (never a frame name)
_STYLE = {"pass": "$success", "warn": "$warning", "fail": "$error"}


def down_reason(verdict: Verdict) -> str:
    """Why a frame that is not Operating is ranked after every frame that is, whatever its
    counts: ``No Connection, not Operating`` (its other checks could not be judged)."""
    check = verdict.check("server.target_operating")
    reason = check.reason if check is not None else "not Operating"
    return reason.removeprefix(f"target {verdict.target_system} is ")


def option_label(verdict: Verdict) -> Content:
    status = CheckStatus(verdict.status).value
    style = _STYLE.get(status, "$foreground-muted")
    if verdict.target_down:  # its fail count is not comparable with the frames above it
        return Content.from_markup(
            f"$frame  [{style}]$status[/]  frame $why",
            frame=f"{verdict.target_system:<18}",
            status=f"{status:<7}",
            why=down_reason(verdict),
        )
    return Content.from_markup(
        f"$frame  [{style}]$status[/]  $fails fail · $warns warn  [dim]$kind[/dim]",
        frame=f"{verdict.target_system:<18}",
        status=f"{status:<7}",
        fails=str(verdict.fails),
        warns=str(verdict.warns),
        kind=verdict.kind or "cannot move",
    )


class TargetPicker(ModalScreen[str | None | bool]):
    """Dismisses with a frame name, None for "best target", or False when cancelled."""

    DEFAULT_CSS = """
    TargetPicker {
        align: center middle;
        & > Vertical {
            width: 76;
            max-width: 95%;
            height: auto;
            max-height: 80%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        & OptionList { height: auto; max-height: 20; }
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="target.cancel")]

    def __init__(self, partition: str, ranked: list[Verdict], current: str | None) -> None:
        super().__init__()
        self.partition = partition
        self.ranked = ranked
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Target frame"
            yield Static(
                Content.from_markup(
                    "Where should [b]$p[/b] go? Ranked best first; frames that are not "
                    "Operating last.",
                    p=self.partition,
                )
            )
            options = [Option(Content("Best target for each partition (automatic)"), id=BEST)]
            options += [Option(option_label(v), id=v.target_system) for v in self.ranked]
            yield OptionList(*options, id="targets")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        wanted = self.current or BEST
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == wanted:
                options.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(None if choice == BEST else choice)

    def action_cancel(self) -> None:
        self.dismiss(False)
