"""The console's own full GC passes (``tune_gc``), without Textual.

The first full load (widgets, caches, thousands of rows) is long-lived: it is frozen out of
every later full pass, and automatic full passes are turned off so none lands inside a table
refresh. Every ``FULL_GC_EVERY`` seconds the console runs one itself, then freezes what
survived it, so the next pass walks only what was born since (at 20,000 partitions an unfrozen
pass over what accumulated took 0.2-0.6 s every 30 s: 1-2% of a core when idle).

Freezing has a price: a frozen object that later becomes cyclic garbage is never collected
(reference counting still frees acyclic garbage, which snapshots and rows are). Every
``THAW_EVERY`` passes the frozen objects are unfrozen first, so such garbage lives at most
that long (10 minutes) and one pass over everything is paid that often.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

FULL_GC_EVERY = 30.0  # seconds between the full GC passes the console runs itself
FULL_GC_NEVER = 1_000_000  # a gen-2 threshold automatic collection never reaches
THAW_EVERY = 20  # passes: every 10 minutes the frozen objects are collected too


class GcPace:
    """``hold`` when the first rows arrive, ``start`` once after the first load; call
    ``collect`` every ``FULL_GC_EVERY`` seconds."""

    def __init__(
        self,
        collector: Any = gc,
        thaw_every: int = THAW_EVERY,
        schedule: Callable[[], object] | None = None,
    ) -> None:
        self.gc = collector  # the gc module; tests hand a recorder
        self.schedule = schedule  # called once, on the first hold: collect every FULL_GC_EVERY
        self.thaw_every = thaw_every
        self.passes = 0
        self.held = False

    def hold(self) -> None:
        """No automatic full pass from now on: the first load is arriving (at 20,000
        partitions its automatic full passes took ~1 s while the first judging waited)."""
        young, middle, _ = self.gc.get_threshold()
        self.gc.set_threshold(young, middle, FULL_GC_NEVER)
        if not self.held:
            self.held = True
            if self.schedule is not None:
                self.schedule()

    def start(self) -> None:
        """After the first load: what it left is long-lived, out of every later pass."""
        self.gc.freeze()
        self.hold()

    def collect(self) -> None:
        self.passes += 1
        if self.passes % self.thaw_every == 0:
            self.gc.unfreeze()  # cyclic garbage among the frozen is found this time
        self.gc.collect()
        self.gc.freeze()  # the survivors are long-lived: the next pass skips them
