"""The evacuations this console started, followed as they run: each is an
``evacuation.progress.EvacuationWatch`` fed every migration update; the bar, the header and the
evacuation view (``E``: ``open_view``, told of every change through ``changed``) read their
frozen ``EvacuationProgress``. When the last move of one ends, its
summary is announced ("P10-S1022-B evacuated: 9 moved in 14m02s, 1 stayed: …").

A controller: built with the bar it drives, the manager's clock, the latest snapshot (for the
frame's concurrency limit), the screen hooks and the header to refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from lpmtui.common.listeners import Listeners
from lpmtui.evacuation.plan import EvacuationPlan
from lpmtui.evacuation.progress import EvacuationProgress, EvacuationWatch, frame_slots
from lpmtui.migration.types import MigrationProgress
from lpmtui.ui.screens.evacuation_view import EvacuationView
from lpmtui.ui.screens.screen_hooks import ScreenHooks
from lpmtui.ui.widgets.evacuation_bar import EvacuationBar, short

log = logging.getLogger(__name__)


class EvacuationTracker:
    def __init__(
        self,
        *,
        bar: EvacuationBar,
        clock: Callable[[], float],
        snapshot: Callable[[], Any],
        hooks: ScreenHooks,
        header_changed: Callable[[], None],
    ) -> None:
        self.bar = bar
        self.clock = clock
        self.snapshot = snapshot
        self.hooks = hooks
        self.header_changed = header_changed
        self.watches: list[EvacuationWatch] = []
        # every migration's newest progress: an update may arrive before its evacuation is added
        self.latest: dict[str, MigrationProgress] = {}
        self.hide_ended = False
        self.changed: Listeners[None] = Listeners("evacuation view", log)  # open views

    def add(self, plan: EvacuationPlan, started: Iterable[MigrationProgress]) -> EvacuationWatch:
        kind = plan.moves[0].kind if plan.moves else "active"
        slots = frame_slots(self.snapshot(), plan.frame, kind)
        started = [self.latest.get(m.job_id, m) for m in started]
        watch = EvacuationWatch(plan, started, now=self.clock(), slots=slots)
        for move in started:  # one of them may have ended already
            watch.update(move, self.clock())
        self.watches.append(watch)
        self.refresh()
        self.hooks.refresh_bindings()  # E: there is an evacuation to view
        return watch

    def feed(self, move: MigrationProgress) -> None:
        self.latest[move.job_id] = move
        for watch in self.watches:
            was_ended = watch.ended
            if watch.update(move, self.clock()):
                if watch.ended and not was_ended:
                    summary = watch.progress(self.clock()).summary()
                    self.hooks.notify(summary, title=watch.title, timeout=30, markup=False)
                self.refresh()

    def group_of(self, job_id: str) -> str:
        """The evacuation a migration belongs to ("" for none): the panel groups by it."""
        for watch in reversed(self.watches):
            if job_id in watch.moves:
                return watch.title
        return ""

    def pick(self, title: str = "") -> EvacuationWatch | None:
        """The evacuation to view: the newest titled ``title``, else the newest running, else
        the newest."""
        newest = list(reversed(self.watches))
        titled = [w for w in newest if w.title == title]
        running = [w for w in newest if not w.ended]
        return next(iter(titled or running or newest), None)

    def open_view(self, title: str = "") -> bool:
        """Push the view of an evacuation (``pick``); False when none was started here."""
        watch = self.pick(title)
        if watch is None:
            return False

        def subscribe(callback: Callable[[], None]) -> Callable[[], None]:
            return self.changed.add(lambda _none: callback())

        self.hooks.push_screen(EvacuationView(lambda: watch.progress(self.clock()), subscribe))
        return True

    def progress(self) -> list[EvacuationProgress]:
        if not self.watches:  # (and no clock to ask before the backend has started)
            return []
        now = self.clock()
        return [w.progress(now) for w in self.watches]

    def running(self) -> list[EvacuationProgress]:
        return [p for p in self.progress() if not p.ended]

    def header_text(self) -> str:
        if all(w.ended for w in self.watches):  # none runs (and no clock is asked)
            return ""
        running = self.running()
        if not running:
            return ""
        more = f" (+{len(running) - 1})" if len(running) > 1 else ""
        return short(running[0]) + more  # ETA in steps, as the bar shows it

    def tick(self) -> None:
        """Once a second: elapsed and ETA move on while an evacuation runs."""
        if any(not w.ended for w in self.watches):
            self.refresh()

    def refresh(self) -> None:
        self.bar.show(self.progress(), hide_ended=self.hide_ended)
        self.header_changed()
        self.changed.emit(None)
