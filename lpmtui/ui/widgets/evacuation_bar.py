"""The evacuations on screen: two lines per evacuation (or bring-home) while it runs — GB
done / total, rate, ETA, elapsed; its moves by state — and its summary once every move has
ended. Hidden while there is none (and ended ones hide with the migrations panel's ended rows).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from lpmtui.common.visible import visible
from lpmtui.evacuation.progress import EvacuationProgress

BAR = 12


def gb_bar(done: int, total: int) -> str:
    filled = round(BAR * done / total) if total else 0
    return "█" * filled + "░" * (BAR - filled)


def evacuation_lines(items: Sequence[EvacuationProgress], *, hide_ended: bool) -> list[str]:
    """What the bar shows: each running one (a GB bar, its totals; its moves by state under
    them), then the summaries of those that ended."""
    lines = []
    for e in items:
        if not e.ended:  # two lines: a 120-column terminal has no room for one
            lines.append(f"{gb_bar(e.bytes_done, e.bytes_total)} {e.title} · {e.totals()}")
            lines.append(f"{' ' * BAR} {e.states()}")
    if not hide_ended:
        lines += [f"✓ {e.summary()}" for e in items if e.ended]
    return lines


class EvacuationBar(Static):
    DEFAULT_CSS = """
    EvacuationBar {
        height: auto;
        max-height: 6;
        padding: 0 1;
        border: round $accent;
        border-title-color: $accent;
    }
    """

    def show(self, items: Sequence[EvacuationProgress], *, hide_ended: bool = False) -> None:
        lines = evacuation_lines(items, hide_ended=hide_ended)
        self.display = bool(lines)
        running = sum(not e.ended for e in items)
        self.border_title = f"Evacuations · {running} running" if running else "Evacuations"
        # Frame and partition names come from the HMC: never markup, never a control character.
        self.update(Content("\n".join(visible(line) for line in lines)))
