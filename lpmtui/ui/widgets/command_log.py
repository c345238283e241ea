"""The command log: every HMC command run, with HMC, rc and duration (passwords masked)."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import RichLog

from lpmtui.common.visible import visible
from lpmtui.hmc.redact import shown_command
from lpmtui.hmc.runner import CommandEvent
from lpmtui.ui.palette import Palette

MAX_LINES = 2000


def event_text(event: CommandEvent, palette: Palette, *, utc: bool = False) -> Text:
    """``05:41:07 hmc1 rc=0 0.21s lssyscfg -r sys`` with the rc coloured."""
    stamp = time.strftime("%H:%M:%S", (time.gmtime if utc else time.localtime)(event.started))
    if event.rc == 0:
        rc, style = "rc=0", palette.ok
    elif event.rc is None:
        rc, style = "rc=?", palette.warn
    else:
        rc, style = f"rc={event.rc}", palette.fail
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{stamp} ", palette.muted)
    text.append(f"{visible(event.hmc)} ", palette.accent)
    text.append(f"{rc:<6}", style)
    text.append(f"{event.duration:5.2f}s ", palette.muted)
    text.append(visible(shown_command(event.argv)))  # what was sent, shown: argv stays exact
    if event.error:
        text.append(f"  ({visible(event.error)})", palette.warn)
    return text


class CommandLog(RichLog):
    DEFAULT_CSS = """
    CommandLog { scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None, utc: bool = False) -> None:
        super().__init__(id=id, max_lines=MAX_LINES, wrap=False, markup=False, auto_scroll=True)
        self.palette = Palette.from_variables({})
        self.utc = utc
        self.count = 0

    def record(self, event: CommandEvent) -> None:
        self.count += 1
        self.write(event_text(event, self.palette, utc=self.utc))
