"""The one clock protocol: ``now()`` in seconds and ``await sleep(seconds)``.

Two users: the simulator's world (its physics reads ``now()``, blocking commands ``await
sleep()``) and the migration manager (elapsed times, rates, ETAs, the watcher's poll interval;
it only ever subtracts two ``now()`` values, never compares one with the wall clock).

``RealClock`` runs at ``speed`` times wall time from ``start`` (default: the wall clock now,
so at speed 1 it reads like ``time.time()`` but never jumps with the system clock); it is the
manager's default and the demo's world clock. ``ManualClock`` only moves when a test calls
``advance``, so a 30-minute migration takes milliseconds.

(The fleet stamps its snapshots with a plain ``Callable[[], float]``, ``time.time`` by
default: a wall-clock time stamp shown to the user, not a clock it waits on.)
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since an arbitrary epoch; only differences mean anything."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    """Time that runs ``speed`` times faster than the wall clock, starting at ``start``."""

    def __init__(self, speed: float = 1.0, start: float | None = None) -> None:
        if speed <= 0:
            raise ValueError(f"clock speed must be positive, found {speed}")
        self.speed = speed
        self._wall0 = time.monotonic()
        self._sim0 = time.time() if start is None else start

    def now(self) -> float:
        return self._sim0 + (time.monotonic() - self._wall0) * self.speed

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)


class ManualClock:
    """A clock that moves only when told to; sleepers wake in deadline order."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + seconds, next(self._seq), future))
        await future

    @property
    def sleepers(self) -> int:
        """How many coroutines are waiting on this clock (cancelled ones excluded)."""
        return sum(1 for _, _, f in self._sleepers if not f.done())

    def advance(self, seconds: float) -> None:
        """Move time forward and wake, in deadline order, everyone whose deadline has come.

        Woken coroutines run at the caller's next ``await``; they see ``now()`` at the new time.
        """
        if seconds < 0:
            raise ValueError("time does not run backwards")
        target = self._now + seconds
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not future.done():
                future.set_result(None)
        self._now = target

    async def run_for(self, seconds: float, step: float = 1.0) -> None:
        """Advance in ``step`` increments, letting woken coroutines run after each one."""
        remaining = seconds
        while remaining > 0:
            delta = min(step, remaining)
            self.advance(delta)
            remaining -= delta
            for _ in range(5):
                await asyncio.sleep(0)
