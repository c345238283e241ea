"""Every partition's best target for the console, judged off the event loop (issue 16).

``BackgroundJudge.submit(snapshot)`` hands a snapshot to an ``IncrementalJudge``; ``run()``
(started by the caller when ``submit`` says so: the console runs it as a worker) judges in a
thread (``asyncio.to_thread``), one snapshot at a time: a snapshot submitted while one is
being judged waits, and only the newest waiting one is judged next. Results come back on the
event loop in batches, as they are judged (one changed frame's partitions at a time, then the
other partitions whose best target changed), through ``report(batch)``: a mapping of partition
key to ``Judged`` (the partition as judged, its best target or None when there is no other
frame). Partitions that left the fleet come as ``None``.

``close()`` stops the judging between two frames, so quitting never waits for a first judging
of the whole estate; a judge stopped half way is dropped (its caches are half updated).
No Textual here: the console (``ui.screens.fleet_view``) and benchmarks drive it alike.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import NamedTuple

from lpmtui.eligibility.best import Best
from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.model import FleetSnapshot, Partition

log = logging.getLogger(__name__)
Key = tuple[str, int]


class Judged(NamedTuple):
    partition: Partition  # as judged: a row showing another value is not judged yet
    best: Best | None


def same_inputs(before: FleetSnapshot, after: FleetSnapshot) -> bool:
    """Whether ``after`` judges as ``before`` does: the same HMCs (all but their poll time)
    with the same frames, compared by identity first (a quiet poll keeps its frame objects)."""
    if len(before.hmcs) != len(after.hmcs):
        return False
    for h0, h1 in zip(before.hmcs, after.hmcs, strict=True):
        if h0.frames is not h1.frames and (
            len(h0.frames) != len(h1.frames)
            or any(f0 is not f1 and f0 != f1 for f0, f1 in zip(h0.frames, h1.frames, strict=True))
        ):
            return False
        if h0 is not h1 and replace(h0, frames=(), taken_at=0.0) != replace(
            h1, frames=(), taken_at=0.0
        ):
            return False
    return True


class _Stopped(Exception):
    """Raised in the worker thread to end an update early (closing)."""


class BackgroundJudge:
    def __init__(self, report: Callable[[Mapping[Key, Judged | None]], None]) -> None:
        self.report = report
        self.judge = IncrementalJudge()
        self.error: str | None = None  # the last update's failure (the rules raised)
        self.judging: FleetSnapshot | None = None  # the snapshot in the worker now
        self.judged: FleetSnapshot | None = None  # the last snapshot judged to the end
        self.updates = 0  # updates finished (tests and benchmarks wait on it)
        self.generation = 0  # updates that changed a frame: what any ranking reads changed
        self._pending: FleetSnapshot | None = None
        self.busy = False  # run() is judging
        self._closed = False

    def indexed(self) -> FleetSnapshot | None:
        """The snapshot the judge has indexed (``index_of`` answers for it at once)."""
        idx = self.judge.idx
        return idx.snapshot if idx is not None else None

    def submit(self, snapshot: FleetSnapshot) -> bool:
        """Judge ``snapshot`` next (the newest submitted wins). True when nothing is running:
        the caller starts ``run()``."""
        if self._closed or snapshot is self.judged or snapshot is self.judging:
            return False
        newest = self._pending or self.judging or self.judged
        if newest is not None and not self.error and same_inputs(newest, snapshot):
            return False  # a quiet poll: only its time stamps are new
        self._pending = snapshot
        if self.busy:
            return False
        self.busy = True  # run() is due: a second submit must not start another
        return True

    def close(self) -> None:
        """Stop judging (between two frames) and judge nothing more."""
        self._closed = True
        self._pending = None

    async def run(self) -> None:
        """Judge the submitted snapshots until none waits; the batches are all reported when
        it returns."""
        loop = asyncio.get_running_loop()
        self.busy = True
        try:
            while self._pending is not None and not self._closed:
                snapshot, self._pending = self._pending, None
                self.judging = snapshot
                try:
                    await asyncio.to_thread(self._update, snapshot, loop)
                except _Stopped:
                    return
                except Exception as error:  # the rules raised: say so rather than stop
                    log.exception("judging the fleet failed")
                    self.error = f"{type(error).__name__}: {error}"
                    self.judge = IncrementalJudge()  # half updated: start again next time
                    self.report({})
                else:
                    self.error = None
                    self.judged = snapshot
                    self.updates += 1
                    self.generation += bool(self.judge.frames_changed)
                finally:
                    self.judging = None
        finally:
            self.busy = False

    def _update(self, snapshot: FleetSnapshot, loop: asyncio.AbstractEventLoop) -> None:
        """In the worker thread: the update, its batches posted to the loop as judged."""
        judge = self.judge
        sent: set[Key] = set()

        def post(keys) -> None:
            if self._closed:
                raise _Stopped
            if keys:
                batch = {k: Judged(judge.partition(k), judge.best(k)) for k in keys}
                sent.update(keys)
                loop.call_soon_threadsafe(self.report, batch)

        judge.progress = post
        try:
            changed = judge.update(snapshot)
        finally:
            judge.progress = None
        rest: dict[Key, Judged | None] = {}
        for key in changed - sent:
            partition = judge.partition(key)
            rest[key] = Judged(partition, judge.best(key)) if partition is not None else None
        if rest:
            loop.call_soon_threadsafe(self.report, rest)
