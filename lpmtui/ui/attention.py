"""When the console asks for the admin's attention outside its window (no Textual here).

``attention(before, after)`` is the policy for one job: fed with the previous and the new
MigrationProgress of the same job, it returns the event to announce, or None. An event is
announced when a migration

- reaches an end the admin acts on: succeeded, failed, stopped, recovered, needs recovery
  (not "cancelled": the admin removed a queued job, nothing ran; not "outcome unknown": the
  console is still asking the HMC, and its answer is announced);
- is newly flagged stalled by the progress meter (once per stall; a stall that clears and
  comes back is a new one).

Nothing for a repeat of the same state, and nothing for the first snapshot of a job that has
already ended (what the console finds at start is history, not news).

``Attention`` keeps the last snapshot of every job, feeds the policy, follows evacuations (one
event when the last of their moves has ended) and writes the one-line status for the terminal
title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lpmtui.migration.types import MigrationProgress, MigrationState

S = MigrationState
ENDS = frozenset({S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY})
GOOD = frozenset({S.SUCCEEDED, S.RECOVERED})


@dataclass(frozen=True, slots=True)
class Event:
    """One thing to announce: ``title`` is short and fixed, ``body`` names the partition."""

    title: str
    body: str
    good: bool


def attention(before: MigrationProgress | None, after: MigrationProgress) -> Event | None:
    moved = f"{after.partition} {after.source} → {after.target}"
    if after.state in ENDS:
        if before is None or before.state is after.state:
            return None
        detail = f" — {after.message}" if after.message else ""
        good = after.state in GOOD
        title = "migration ended" if good else f"migration {after.state.value}"
        return Event(f"lpmtui: {title}", f"{moved}: {after.state.value}{detail}", good)
    if after.stalled and not after.state.terminal and not (before is not None and before.stalled):
        return Event("lpmtui: migration stalled", f"{moved}: no progress", False)
    return None


def _ended(progress: MigrationProgress | None) -> bool:
    return progress is not None and (progress.state.terminal or progress.state in ENDS)


class Attention:
    """The latest snapshot of every job, the evacuations followed, the events they give."""

    def __init__(self) -> None:
        self.jobs: dict[str, MigrationProgress] = {}
        self._groups: dict[str, tuple[str, ...]] = {}  # label -> job ids, until all ended

    def watch_group(self, label: str, job_ids: Iterable[str]) -> list[Event]:
        """Follow an evacuation's moves; an event once the last of them has ended."""
        ids = tuple(job_ids)
        if not ids:
            return []
        self._groups[label] = ids
        return self._groups_ended()

    def feed(self, progress: MigrationProgress) -> list[Event]:
        before = self.jobs.get(progress.job_id)
        self.jobs[progress.job_id] = progress
        event = attention(before, progress)
        return ([event] if event else []) + self._groups_ended()

    def _groups_ended(self) -> list[Event]:
        events = []
        for label, ids in list(self._groups.items()):
            if all(_ended(self.jobs.get(i)) for i in ids):
                del self._groups[label]
                events.append(self._group_event(label, ids))
        return events

    def _group_event(self, label: str, ids: tuple[str, ...]) -> Event:
        counts: dict[str, int] = {}
        for i in ids:
            state = self.jobs[i].state.value
            counts[state] = counts.get(state, 0) + 1
        good = set(counts) <= {s.value for s in GOOD}
        text = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        return Event("lpmtui: evacuation ended", f"{label}: {text}", good)

    def status(self, name: str = "lpmtui") -> str:
        """'lpmtui — 3 running · 1 failed': what runs, waits and needs the admin."""
        counts = {"running": 0, "queued": 0, "stalled": 0, "failed": 0, "need recovery": 0}
        for job in self.jobs.values():
            if job.stalled and job.state.running:
                counts["stalled"] += 1
            elif job.state.running:
                counts["running"] += 1
            elif job.state in (S.QUEUED, S.WAITING):
                counts["queued"] += 1
            elif job.state is S.FAILED:
                counts["failed"] += 1
            elif job.state is S.NEEDS_RECOVERY:
                counts["need recovery"] += 1
        parts = [f"{n} {what}" for what, n in counts.items() if n]
        return f"{name} — {' · '.join(parts) if parts else 'idle'}"
