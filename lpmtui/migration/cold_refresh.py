"""After a migration ends, both frames' cold data (profiles, adapters, slots) is fetched at once,
not at the next cold poll: the checks of what just moved need it (bringing a partition home is
judged on it).

``ColdRefresher.refresh(system)`` coalesces the refreshes of one frame: one runs, and one more
after it when another migration ended meanwhile. A fleet without ``cold`` is left alone.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("lpmtui.migration")


class ColdRefresher:
    def __init__(self, fleet: Any) -> None:
        self.fleet = fleet
        self.closed = False
        self._due: dict[str, bool] = {}  # frame -> refresh again after the running one
        self.tasks: set[asyncio.Task] = set()

    def refresh(self, system: str) -> None:
        cold = getattr(self.fleet, "cold", None)
        if self.closed or not callable(cold):
            return
        if system in self._due:
            self._due[system] = True  # run once more when the current one is done
            return
        self._due[system] = False

        async def refresh() -> None:
            try:
                while True:
                    try:
                        await cold(system)
                    except Exception as exc:  # a frame gone or an HMC down: the next poll will do
                        log.info("cold data of %s not refreshed after a migration: %s", system, exc)
                    if not self._due.get(system):
                        return
                    self._due[system] = False
            finally:
                self._due.pop(system, None)

        task = asyncio.get_running_loop().create_task(refresh())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
