"""What the dashboard's controllers may ask of the screen they work for: notices, workers,
timers, modal screens and a bindings refresh. Passed explicitly, so a controller names every
dependency it has and can be driven by a test without a screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class ScreenHooks:
    notify: Callable[..., Any]
    run_worker: Callable[..., Any]
    set_interval: Callable[..., Any]
    push_screen: Callable[..., Any]
    refresh_bindings: Callable[[], Any]

    @classmethod
    def of(cls, screen: Screen) -> ScreenHooks:
        """The screen's own notify/run_worker/set_interval (workers and timers belong to the
        screen, as @work and set_interval on its methods did), and its app's push_screen."""
        return cls(
            notify=screen.notify,
            run_worker=screen.run_worker,
            set_interval=screen.set_interval,
            push_screen=lambda *args, **kwargs: screen.app.push_screen(*args, **kwargs),
            refresh_bindings=screen.refresh_bindings,
        )
