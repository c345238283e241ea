"""The command log: every HMC command run, with HMC, rc and duration (passwords masked).

Each command is shown whole (wrapped), in time order, newest last; the pane shows the newest
that fit. What reaches the terminal is paced: commands are shown at most once a second, and
routine ones (a read that succeeded: the polls) only every ``routine_every`` seconds, so a fleet
where nothing happens does not repaint the pane with every poll. A failed, unanswered or
state-changing command is shown at the next second. Nothing is rendered between flushes, and
a flush repaints this widget only (no layout pass: its size never depends on its content).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from rich.text import Text
from textual.widget import Widget

from lpmtui.common.visible import visible
from lpmtui.hmc.redact import shown_command
from lpmtui.hmc.runner import CommandEvent
from lpmtui.ui.palette import Palette

MAX_LINES = 2000
FLUSH_EVERY = 1.0  # seconds: the pane repaints at most this often
ROUTINE_EVERY = 10.0  # seconds: successful reads (the polls) wait at most this long
LOW_BANDWIDTH_ROUTINE_EVERY = 30.0  # the same with --low-bandwidth
READS = ("ls", "lshmc")  # commands that only read: lssyscfg, lshwres, lslparmigr, lshmc, ...


def event_text(event: CommandEvent, palette: Palette, *, utc: bool = False) -> Text:
    """``05:41:07 hmc1 rc=0 0.21s lssyscfg -r sys`` with the rc coloured; wraps when long."""
    stamp = time.strftime("%H:%M:%S", (time.gmtime if utc else time.localtime)(event.started))
    if event.rc == 0:
        rc, style = "rc=0", palette.ok
    elif event.rc is None:
        rc, style = "rc=?", palette.warn
    else:
        rc, style = f"rc={event.rc}", palette.fail
    text = Text(overflow="fold")
    text.append(f"{stamp} ", palette.muted)
    text.append(f"{visible(event.hmc)} ", palette.accent)
    text.append(f"{rc:<6}", style)
    text.append(f"{event.duration:5.2f}s ", palette.muted)
    text.append(visible(shown_command(event.argv)))  # what was sent, shown: argv stays exact
    if event.error:
        text.append(f"  ({visible(event.error)})", palette.warn)
    return text


def routine(event: CommandEvent) -> bool:
    """A read that succeeded: a poll, nothing an admin waits to see."""
    first = event.argv[0] if event.argv else ""
    return event.rc == 0 and not event.error and first.startswith(READS)


class CommandLog(Widget, can_focus=True):
    DEFAULT_CSS = """
    CommandLog { height: 1fr; padding: 0 0 0 1; }
    """

    def __init__(
        self,
        *,
        id: str | None = None,
        utc: bool = False,
        routine_every: float = ROUTINE_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(id=id)
        self.palette = Palette.from_variables({})
        self.utc = utc
        self.count = 0  # commands recorded
        self.routine_every = routine_every
        self.clock = clock
        self.shown: deque[CommandEvent] = deque(maxlen=MAX_LINES)
        self.pending: list[CommandEvent] = []
        self._urgent = False
        self._last_flush = clock()

    def on_mount(self) -> None:
        if getattr(self.app, "low_bandwidth", False):
            self.routine_every = max(self.routine_every, LOW_BANDWIDTH_ROUTINE_EVERY)
        self.set_interval(FLUSH_EVERY, self.flush)

    def record(self, event: CommandEvent) -> None:
        self.count += 1
        self.pending.append(event)
        self._urgent = self._urgent or not routine(event)

    def flush(self, *, force: bool = False) -> bool:
        """Show what arrived, if it is time to; True when the pane was repainted."""
        now = self.clock()
        if not self.pending or not (
            force or self._urgent or now - self._last_flush >= self.routine_every
        ):
            return False
        self.shown.extend(self.pending)
        self.pending.clear()
        self._urgent, self._last_flush = False, now
        self.refresh()
        return True

    def texts(self) -> list[Text]:
        """Every command shown, oldest first."""
        return [event_text(e, self.palette, utc=self.utc) for e in self.shown]

    def render(self) -> Text:
        width, height = self.content_region.width, self.content_region.height
        if width <= 0 or height <= 0 or not self.shown:
            return Text()
        lines: list[Text] = []
        for event in reversed(self.shown):  # newest first, until the pane is full
            wrapped = event_text(event, self.palette, utc=self.utc).wrap(self.app.console, width)
            lines[:0] = list(wrapped)
            if len(lines) >= height:
                break
        return Text("\n", no_wrap=True).join(lines[-height:])
