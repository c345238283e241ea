"""Progress arithmetic from ``lslparmigr -r lpar`` byte counters: percent, rate, ETA, stall.

The HMC reports ``bytes_transmitted`` and ``bytes_remaining``; during an active migration pages
dirtied again are re-sent, so the total (their sum) can grow. The rate is the bytes moved over a
sliding window of samples (not since the start, which would hide a slowdown); a stall is no
increase of ``bytes_transmitted`` for ``stall_after`` seconds.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressReading:
    percent: float | None
    moved: int | None
    total: int | None
    rate: float | None  # bytes per second
    eta: float | None  # seconds
    stalled: bool


class ProgressMeter:
    """Feed it (time, transmitted, remaining) samples; read percent, rate, ETA and stall."""

    def __init__(self, *, stall_after: float = 120.0, window: float = 20.0) -> None:
        self.stall_after = stall_after
        self.window = window
        self._samples: deque[tuple[float, int]] = deque()
        self._moved: int | None = None
        self._remaining: int | None = None
        self._last_change: float | None = None

    def start(self, now: float) -> None:
        """The clock a stall is measured from when no bytes were ever reported."""
        if self._last_change is None:
            self._last_change = now

    def feed(self, now: float, transmitted: int | None, remaining: int | None) -> None:
        if transmitted is None:
            return
        if self._moved is None or transmitted > self._moved:
            self._last_change = now
        elif transmitted < self._moved:
            # Counters restarted (a new attempt on the HMC): old samples no longer apply.
            self._samples.clear()
            self._last_change = now
        self._moved = transmitted
        self._remaining = remaining
        self._samples.append((now, transmitted))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self.window:
            self._samples.popleft()

    def reading(self, now: float) -> ProgressReading:
        moved, remaining = self._moved, self._remaining
        total = moved + remaining if moved is not None and remaining is not None else None
        percent = None
        if total:
            percent = min(100.0, 100.0 * moved / total)
        elif total == 0:
            percent = 100.0
        rate = None
        if len(self._samples) >= 2:
            (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
            if t1 > t0:
                rate = max(0.0, (b1 - b0) / (t1 - t0))
        eta = None
        if remaining is not None and rate:
            eta = remaining / rate
        elif remaining == 0:
            eta = 0.0
        stalled = (
            self._last_change is not None
            and self.stall_after > 0
            and now - self._last_change >= self.stall_after
        )
        return ProgressReading(percent, moved, total, rate, eta, stalled)
