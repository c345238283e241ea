"""The evacuations on screen: two lines per evacuation (or bring-home) while it runs — GB
done / total, rate, ETA, elapsed; its moves by state — and its summary once every move has
ended. Hidden while there is none (and ended ones hide with the migrations panel's ended rows).

Each line is a widget of its own, repainted only when its text changes; the box's title is
set only when it changes (setting one repaints the whole box), and the box is laid out again
only when its number of lines changes. While a move runs, ETA and elapsed move in steps that
match their size (``fmt.stepped``), so the bar is not repainted every second for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from lpmtui.common.visible import visible
from lpmtui.evacuation.progress import EvacuationProgress
from lpmtui.ui import format as fmt

BAR = 12
MB = 1024**2


def gb_bar(done: int, total: int) -> str:
    filled = round(BAR * done / total) if total else 0
    return "█" * filled + "░" * (BAR - filled)


def when(e: EvacuationProgress) -> str:
    """``EvacuationProgress.when`` with a running ETA in steps (``ETA 3m20s``, ``ETA 14m``)."""
    if e.ended or e.eta is None:
        return e.when()
    return f"ETA {fmt.stepped(e.eta, up=True)}"


def totals(e: EvacuationProgress) -> str:
    """``EvacuationProgress.totals`` with ETA and elapsed in steps while it runs:
    "110.3/185.8 GB · 980 MB/s · ETA 1m50s · elapsed 1m00s"."""
    if e.ended:
        return e.totals()
    parts = [f"{e.bytes_done / 1024**3:.1f}/{e.bytes_total / 1024**3:.1f} GB"]
    if e.rate:
        parts.append(f"{e.rate / MB:.0f} MB/s")
    return " · ".join([*parts, when(e), f"elapsed {fmt.stepped(e.elapsed)}"])


def short(e: EvacuationProgress) -> str:
    """The header's few words, ETA in steps: "Evacuate P10-S1022-B 4/9 · 38% · ETA 6m20s"."""
    pct = 100 * e.bytes_done / e.bytes_total if e.bytes_total else 0.0
    return f"{e.title} {e.moved}/{len(e.moves)} · {pct:.0f}% · {when(e)}"


def evacuation_lines(items: Sequence[EvacuationProgress], *, hide_ended: bool) -> list[str]:
    """What the bar shows: each running one (a GB bar, its totals; its moves by state under
    them), then the summaries of those that ended."""
    lines = []
    for e in items:
        if not e.ended:  # two lines: a 120-column terminal has no room for one
            lines.append(f"{gb_bar(e.bytes_done, e.bytes_total)} {e.title} · {totals(e)}")
            lines.append(f"{' ' * BAR} {e.states()}")
    if not hide_ended:
        lines += [f"✓ {e.summary()}" for e in items if e.ended]
    return lines


class EvacuationBar(Vertical):
    DEFAULT_CSS = """
    EvacuationBar {
        height: auto;
        max-height: 6;
        padding: 0 1;
        border: round $accent;
        border-title-color: $accent;
    }
    EvacuationBar > Static {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []  # what each line widget shows
        self._widgets: list[Static] = []
        self._title: str | None = None

    def text(self) -> str:
        """The bar's lines as shown."""
        return "\n".join(visible(line) for line in self.lines)

    def show(self, items: Sequence[EvacuationProgress], *, hide_ended: bool = False) -> None:
        lines = evacuation_lines(items, hide_ended=hide_ended)
        if bool(lines) != self.display:
            self.display = bool(lines)
        running = sum(not e.ended for e in items)
        title = f"Evacuations · {running} running" if running else "Evacuations"
        if title != self._title:  # (the getter gives markup back, not what was set)
            self.border_title = self._title = title
        while len(self._widgets) > len(lines):
            self._widgets.pop().remove()
        for n, line in enumerate(lines):
            if n >= len(self._widgets):
                self._widgets.append(Static(self._content(line), markup=False))
                self.mount(self._widgets[-1])
            elif line != self.lines[n]:
                # laid out again only when a line may wrap (a narrow terminal): else one row
                wraps = max(len(line), len(self.lines[n])) > self.content_size.width
                self._widgets[n].update(self._content(line), layout=wraps)
        self.lines = lines

    @staticmethod
    def _content(line: str) -> Content:
        # Frame and partition names come from the HMC: never markup, never a control character.
        return Content(visible(line))
