"""The ETA of an evacuation as a schedule of its moves on the frame's slots (no Textual).

What the console can see of each move is its own rate (``lslparmigr``: bytes over time), how
long moves take to start copying after ``migrlpar -o m`` (validation, mover set-up) and how long
they hold their slot after the last byte (suspend, resume, clean-up). The schedule:

- The moves copying now share what they move together now (the sum of their rates, or the
  most they ever moved together, ``busiest``). Each keeps its share of it in proportion to the
  rate it has now: a move that shares its mover service partitions with another goes slower,
  and stays slower while the other copies. No move goes faster than it does now until one
  stops copying (nothing else frees room), unless room is free already (the moves copying now
  move less together than the most they have: one ended since the last look, or their rates,
  averages, still lag behind); then the others take up what is free, each up
  to the fastest any move has gone (``fastest``, or the fastest now) or its share of one of
  the usual two mover service partition pairs (``PAIRS``), whichever is more.
- A queued move starts when a slot frees (``slots``: the frame's concurrency limit, never
  fewer than run now), in queue order, and copies with the share of the move whose slot it
  took (the HMC picks the mover service partitions that just freed).
- What is left of a move shrinks by its rate less the rate its total grows by (pages dirtied
  again are sent again: ``dirty``, seen per move as its total grew while it copied).
- Each move that has not started copying waits ``start`` seconds first, and each holds its
  slot ``tail`` seconds after its last byte: both learned from this evacuation's moves (0 until
  one has shown them).

Between moves (none has a rate), the moves that ended set the rate (bytes over their whole time
on the HMC, start and finish included). No rate known yet: no ETA (never a guess).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lpmtui.migration.types import MigrationProgress, MigrationState

S = MigrationState
# Mover service partition pairs a frame's moves usually spread over (two VIOSes a frame): one
# move alone is assumed to get at least this share of what the moves move together.
PAIRS = 2
RUNNING = (S.STARTING, S.IN_PROGRESS, S.STOPPING, S.RECOVERING, S.OUTCOME_UNKNOWN)
_EPS = 1e-6


@dataclass(slots=True)
class _Move:
    left: float  # bytes still to copy
    share: float | None  # the rate it holds a share by (None: an equal part of what is free)
    delay: float  # seconds before it copies
    tail: float  # seconds it holds its slot after the last byte
    dirty: float = 0.0  # bytes/s its total grows by (pages dirtied again, sent again)


def size(move: MigrationProgress, planned: dict[str, int]) -> int:
    if move.bytes_total is not None:
        return move.bytes_total
    return planned.get(move.partition, 0)


def _rates(copying: list[_Move], together: float, alone: float, freed: bool) -> list[float]:
    """What each copying move moves: ``together`` split in proportion to the shares (unknown
    shares: equal parts of what the known ones leave), none above ``alone``, and none above
    its own rate until some move has stopped copying (``freed``): nothing else frees room."""
    known = sum(m.share for m in copying if m.share is not None)
    unknown = [m for m in copying if m.share is None]
    free = together - known
    part = (free if free > _EPS else together) / len(unknown) if unknown else 0.0
    weights = [m.share if m.share is not None else part for m in copying]
    caps = [alone if freed or m.share is None else min(alone, m.share) for m in copying]
    rates = [0.0] * len(copying)
    open_ = [i for i, w in enumerate(weights) if w > 0]
    budget = together
    while open_ and budget > _EPS:  # water-filling: what a capped move cannot take goes on
        weight = sum(weights[i] for i in open_)
        capped = [i for i in open_ if budget * (weights[i] / weight) >= caps[i] - rates[i]]
        if not capped:
            for i in open_:
                rates[i] += budget * (weights[i] / weight)
            break
        for i in capped:
            budget -= caps[i] - rates[i]
            rates[i] = caps[i]
        open_ = [i for i in open_ if i not in capped]
    return rates


def _drain(move: _Move, rate: float) -> float:
    """How fast what is left shrinks: the rate, less the pages dirtied again meanwhile (a move
    that dirties faster than it copies still ends: the HMC suspends it for the rest)."""
    return max(rate - move.dirty, rate / 10)


def estimate(
    moves: Sequence[MigrationProgress],
    planned: dict[str, int],
    slots: int,
    fastest: float = 0.0,
    busiest: float = 0.0,
    start: float = 0.0,
    tail: float = 0.0,
    dirty: dict[str, float] | None = None,
) -> float | None:
    """Seconds until the last move should end (see the module's docstring); None: no rate."""
    running = [m for m in moves if m.state in RUNNING]
    waiting = [m for m in moves if m.state in (S.QUEUED, S.WAITING)]
    if not running and not waiting:
        return 0.0
    rates = [m.rate for m in running if m.rate]
    done = [m for m in moves if m.state is S.SUCCEEDED and m.elapsed > 0]
    if rates:
        together = max(sum(rates), busiest)
        alone = max(*rates, fastest, together / PAIRS)
    elif done:  # the ended ones' rate has their start and finish in it already
        alone = sum(size(m, planned) for m in done) / sum(m.elapsed for m in done)
        together = alone * max(1, min(slots, len(running) + len(waiting)))
        start = tail = 0.0
    else:
        return None
    active = [
        _Move(
            max(0.0, size(m, planned) - (m.bytes_moved or 0)),
            m.rate or None,
            0.0 if m.rate else max(0.0, start - m.elapsed),
            tail,
            (dirty or {}).get(m.job_id, 0.0),
        )
        for m in running
    ]
    queue = [float(size(m, planned)) for m in waiting]  # in queue order: the order they start
    slots = max(slots, len(running), 1)
    freed: list[float | None] = []  # the shares of the moves that stopped copying, in order
    # every share freed so far: room is free already when the moves copying now move less
    # together than the most they have (one ended since, or their rates still lag behind)
    gone: list[float | None] = [None] if rates and sum(rates) < together else []
    elapsed = 0.0
    for _ in range(100_000):
        while queue and len(active) < slots:
            active.append(_Move(queue.pop(0), freed.pop(0) if freed else None, start, tail))
        if not active:
            return elapsed
        copying = [m for m in active if m.delay <= _EPS and m.left > 1.0]
        rates = _rates(copying, together, alone, bool(gone))
        speeds = {id(m): _drain(m, rate) for m, rate in zip(copying, rates, strict=True)}
        steps = []
        for m in active:
            if m.delay > _EPS:
                steps.append(m.delay)
            elif m.left > 1.0:
                speed = speeds[id(m)]
                steps.append(m.left / speed if speed > 0 else float("inf"))
            else:
                steps.append(m.tail)
        step = min(steps)
        if step == float("inf"):
            return None
        elapsed += step
        kept = []
        for m in active:
            if m.delay > _EPS:
                m.delay -= step
            elif m.left > 1.0:
                m.left -= speeds[id(m)] * step
                if m.left <= 1.0:
                    freed.append(m.share)
                    gone.append(m.share)
            else:
                m.tail -= step
            if m.delay > _EPS or m.left > 1.0 or m.tail > _EPS:
                kept.append(m)
        active = kept
    return elapsed
