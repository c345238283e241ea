"""What the migrations panel needs beyond one row per job, without Textual: a rate sparkline
per running migration (a stall is a flat line at a glance), and the ended rows of an
evacuation gathered under one collapsible header row."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable

from lpmtui.migration.types import MigrationProgress

BLOCKS = "▁▂▃▄▅▆▇█"
SPARK = 6  # samples shown
GROUP_KEY = "group:"


def sparkline(rates: Iterable[float]) -> str:
    """One block per sample, scaled to the largest; no samples: nothing."""
    rates = list(rates)
    top = max(rates, default=0.0)
    if not rates:
        return ""
    if top <= 0:
        return BLOCKS[0] * len(rates)
    return "".join(BLOCKS[min(7, round(7 * r / top))] for r in rates)


class RateHistory:
    """The last ``SPARK`` rates of each running migration (a new sample per new reading)."""

    def __init__(self) -> None:
        self._rates: dict[str, deque[float]] = {}
        self._last: dict[str, tuple[int | None, float | None]] = {}

    def feed(self, job: MigrationProgress) -> str:
        if not job.state.running:
            self._rates.pop(job.job_id, None)
            return ""
        reading = (job.bytes_moved, job.rate)
        if self._last.get(job.job_id) != reading and job.rate is not None:
            self._rates.setdefault(job.job_id, deque(maxlen=SPARK)).append(job.rate)
        self._last[job.job_id] = reading
        return sparkline(self._rates.get(job.job_id, ()))


def group_header(title: str, ended: Iterable[MigrationProgress], *, open_: bool) -> str:
    """ "▸ Evacuate P10-S1022-B · 9 ended: 8 succeeded, 1 failed" (▾ when open)."""
    ended = list(ended)
    counts = Counter(j.state.value for j in ended)
    what = ", ".join(f"{n} {state}" for state, n in counts.most_common())
    return f"{'▾' if open_ else '▸'} {title} · {len(ended)} ended: {what}"
