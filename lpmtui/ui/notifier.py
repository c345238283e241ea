"""Notifications outside the window: the terminal bell, desktop notifications (OSC 9 and
OSC 777) and the terminal title, written as raw bytes through the app's driver.

Modes (config ``notifications``, option ``--notify``):

- ``off``: nothing is written at all (not even the title);
- ``bell``: BEL on every event (one byte: every terminal, SSH link and multiplexer passes it);
- ``osc``: OSC 9 and OSC 777 desktop notifications with the partition's name, no bell;
- ``both``: the bell and the desktop notifications.

In every mode but ``off`` the terminal title carries the one-line status ("lpmtui — 3 running ·
1 failed"); the title in use before is pushed on the terminal's title stack and popped on quit.

Text inside a sequence has every control character removed (C0, DEL and C1, which hold BEL, ESC
and ST), so a partition's name cannot end the sequence early or start another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from lpmtui.config.model import NOTIFY_MODES as MODES
from lpmtui.ui.attention import Event

BEL = "\a"
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]+")
MAX_TEXT = 200  # a notification is a line, not a report: thin links pay for every byte


def clean(text: str, *, limit: int = MAX_TEXT) -> str:
    """One line without control characters (each becomes a space; spaces run into one)."""
    return " ".join(_CONTROLS.sub(" ", text).split())[:limit]


def osc_notifications(event: Event) -> str:
    """OSC 9 (iTerm2, WezTerm, kitty…) and OSC 777 (urxvt, foot, VTE terminals…).

    The OSC 9 text starts with "lpmtui:" so that no partition name can read as one of the
    numbered OSC 9 sub-commands (``9;4;…`` progress); OSC 777 splits on ``;``, so its title has
    none.
    """
    title = clean(event.title).replace(";", ",")
    body = clean(event.body)
    return f"\x1b]9;{title}: {body}{BEL}\x1b]777;notify;{title};{body}{BEL}"


def set_title(text: str) -> str:
    return f"\x1b]2;{clean(text)}{BEL}"


PUSH_TITLE = "\x1b[22;2t"  # xterm's title stack: keep the title the shell had
POP_TITLE = "\x1b[23;2t"


def driver_writer(app: Any) -> Callable[[str], None]:
    """Raw output through the running app's driver, in order with its screen updates (Textual
    8.2.8 writes BEL and OSC 52 the same way: ``App.bell``, ``App.copy_to_clipboard``)."""

    def write(data: str) -> None:
        driver = getattr(app, "_driver", None)
        if driver is not None:
            driver.write(data)

    return write


class Notifier:
    def __init__(self, mode: str, write: Callable[[str], None]) -> None:
        if mode not in MODES:
            raise ValueError(f"notifications: found {mode!r}; expected one of {', '.join(MODES)}")
        self.mode = mode
        self._write = write
        self._title: str | None = None

    def announce(self, events: Iterable[Event]) -> None:
        """One bell for what happened at once, one desktop notification per event."""
        events = list(events)
        if self.mode == "off" or not events:
            return
        bell = BEL if self.mode in ("bell", "both") else ""
        osc = "".join(map(osc_notifications, events)) if self.mode in ("osc", "both") else ""
        self._write(bell + osc)

    def title(self, text: str) -> None:
        """Set the terminal title when it changed (the first time: keep the old one first)."""
        if self.mode == "off" or text == self._title:
            return
        self._write(("" if self._title is not None else PUSH_TITLE) + set_title(text))
        self._title = text

    def restore_title(self) -> None:
        if self._title is not None:
            self._write(POP_TITLE)
            self._title = None
