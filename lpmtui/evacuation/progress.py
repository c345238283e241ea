"""An evacuation (or a bring-home) as one object: its moves by state, GB done / total, the
aggregate rate, elapsed, and an ETA for the whole of it (no Textual; the clock is the caller's).

``EvacuationWatch`` follows the moves ``run_plan`` queued (the manager's ``MigrationProgress``
of each) and reads, at any time, a frozen ``EvacuationProgress``.

The ETA is a schedule, not a division (``evacuation.schedule``): the moves copying keep their
shares of what they move together until one stops, queued moves take the slots (and the shares)
that free, each starts and finishes in the times this evacuation's moves have shown (``starts``,
``tails``); the last move left never ends sooner than it says itself. Once every move has ended,
the totals say when ("ended after 2m13s"), not "ETA —".
Sizes are the HMC's byte totals once reported, the partition's memory before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from lpmtui.evacuation.plan import EVACUATE, EvacuationPlan
from lpmtui.evacuation.schedule import estimate, size
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.model import FleetSnapshot

S = MigrationState
MB = 1024**2

# The buckets an evacuation's moves are counted in, in the order they are shown.
BUCKETS = (
    "waiting for a slot",
    "waiting for a channel",
    "starting",
    "running",
    "outcome unknown",
    "done",
    "failed",
    "stopped",
)
_BUCKET = {
    S.QUEUED: "waiting for a slot",  # the limits do not allow it yet
    S.WAITING: "waiting for a channel",
    S.STARTING: "starting",  # migrlpar -o m sent: the HMC validates, then starts copying
    S.IN_PROGRESS: "running",
    S.STOPPING: "running",
    S.RECOVERING: "running",
    S.OUTCOME_UNKNOWN: "outcome unknown",
    S.SUCCEEDED: "done",
    S.FAILED: "failed",
    S.NEEDS_RECOVERY: "failed",
    S.STOPPED: "stopped",
    S.RECOVERED: "stopped",
    S.CANCELLED: "stopped",
}


def bucket(state: MigrationState) -> str:
    return _BUCKET[state]


@dataclass(frozen=True, slots=True)
class EvacuationProgress:
    """One evacuation (or bring-home) at one moment. Byte counts of failed and stopped moves
    are in neither ``bytes_done`` nor ``bytes_total`` (they did not leave)."""

    title: str  # "Evacuate P10-S1022-B" / "Bring home to P10-S1022-B"
    frame: str
    action: str
    moves: tuple[MigrationProgress, ...]
    counts: tuple[tuple[str, int], ...]  # (bucket, moves), non-zero only, in BUCKETS order
    bytes_done: int
    bytes_total: int
    rate: float | None  # bytes/s of every running move together
    elapsed: float  # from the confirmation to now, or to the end of the last move
    eta: float | None  # seconds until the last move should end; None: no rate to go by
    stays: tuple[tuple[str, str], ...]  # (partition, reason) that were never planned to move
    ended: bool

    def count(self, name: str) -> int:
        return dict(self.counts).get(name, 0)

    @property
    def moved(self) -> int:
        return self.count("done")

    def summary(self) -> str:
        """The line at the end: "P10-S1022-B evacuated: 9 moved in 14m02s, 1 stayed: why"."""
        verb = "evacuated" if self.action == EVACUATE else "brought home"
        text = f"{self.frame} {verb}: {self.moved} moved in {duration(self.elapsed)}"
        not_moved = [
            (m.partition, f"{m.state.value}{': ' + m.message if m.message else ''}")
            for m in self.moves
            if m.state is not S.SUCCEEDED
        ]
        stayed = [*not_moved, *self.stays]
        if stayed:
            reasons = "; ".join(f"{name}: {why}" for name, why in stayed)
            text += f", {len(stayed)} stayed: {reasons}"
        return text

    def short(self) -> str:
        """The header's few words: "Evacuate P10-S1022-B 4/9 · 38% · ETA 6m12s"."""
        pct = 100 * self.bytes_done / self.bytes_total if self.bytes_total else 0.0
        return f"{self.title} {self.moved}/{len(self.moves)} · {pct:.0f}% · {self.when()}"

    def when(self) -> str:
        """ "ETA 6m12s", "ETA —" (no rate to go by yet) or, once over, "ended after 2m13s"."""
        if self.ended:
            return f"ended after {duration(self.elapsed)}"
        return f"ETA {duration(self.eta)}" if self.eta is not None else "ETA —"

    def states(self) -> str:
        """Its moves by state: "4/9 done · 2 waiting for a channel · 2 running"."""
        parts = [f"{self.moved}/{len(self.moves)} done"]
        parts += [f"{n} {name}" for name, n in self.counts if name != "done"]
        return " · ".join(parts)

    def totals(self) -> str:
        """ "110.3/185.8 GB · 980 MB/s · ETA 1m43s · elapsed 1m09s"."""
        parts = [f"{self.bytes_done / 1024**3:.1f}/{self.bytes_total / 1024**3:.1f} GB"]
        if self.ended:  # "8.0/8.0 GB · ended after 2m13s"
            return " · ".join([*parts, self.when()])
        if self.rate:
            parts.append(f"{self.rate / MB:.0f} MB/s")
        parts.append(self.when())
        parts.append(f"elapsed {duration(self.elapsed)}")
        return " · ".join(parts)

    def line(self) -> str:
        """All of it on one line: counts, GB, rate, ETA, elapsed."""
        return f"{self.title}: {self.states()} · {self.totals()}"


def duration(seconds: float | None) -> str:
    """14m02s, 1h05m, 42s."""
    if seconds is None:
        return "—"
    s = max(0, round(seconds))
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


def frame_slots(snapshot: FleetSnapshot | None, frame: str, kind: str, fallback: int = 1) -> int:
    """How many migrations of ``kind`` the frame runs at once (``lslparmigr -r sys``)."""
    found = snapshot.frame(frame) if snapshot is not None else None
    if found is None:
        return fallback
    system = found[1].system
    limit = (
        system.num_inactive_migrations_supported
        if kind == "inactive"
        else system.num_active_migrations_supported
    )
    return limit if limit else fallback


class EvacuationWatch:
    """The moves of one evacuation (or bring-home) as they change; read ``progress(now)``."""

    def __init__(
        self,
        plan: EvacuationPlan,
        started: Iterable[MigrationProgress],
        *,
        now: float,
        slots: int = 1,
    ) -> None:
        self.plan = plan
        self.started_at = now
        self.slots = slots
        self.planned = {m.partition: m.mem_mb * MB for m in plan.moves}
        self.moves: dict[str, MigrationProgress] = {m.job_id: m for m in started}
        self.ended_at: float | None = None
        self.fastest = 0.0  # the fastest a move of it has gone (bytes/s)
        self.busiest = 0.0  # the most its moves have moved together (bytes/s)
        # what its moves showed: seconds from the command to the first byte; seconds from the
        # last byte to the end (learned per move, for the schedule's ``start`` and ``tail``)
        self.starts: dict[str, float] = {}
        self.tails: dict[str, float] = {}
        self._copying: dict[str, MigrationProgress] = {}  # each move's last sighting copying
        self._first: dict[str, tuple[float, int]] = {}  # (when, total) it was first seen copying
        self.dirty: dict[str, float] = {}  # bytes/s each move's total has grown by
        for move in self.moves.values():
            self._learn(move)
            self._grow(move, now)

    @property
    def title(self) -> str:
        return self.plan.title

    def update(self, move: MigrationProgress, now: float) -> bool:
        """Take a move's new progress; True when it is one of this evacuation's."""
        if move.job_id not in self.moves:
            return False
        self.moves[move.job_id] = move
        self._learn(move)
        self._grow(move, now)
        if move.rate and move.state is S.IN_PROGRESS:
            self.fastest = max(self.fastest, move.rate)
            together = sum(m.rate or 0.0 for m in self.moves.values() if m.state is S.IN_PROGRESS)
            self.busiest = max(self.busiest, together)
        if self.ended_at is None and all(m.state.terminal for m in self.moves.values()):
            self.ended_at = now
        return True

    def _grow(self, move: MigrationProgress, now: float) -> None:
        if move.state is not S.IN_PROGRESS or not move.bytes_total or not move.bytes_moved:
            return
        first = self._first.setdefault(move.job_id, (now, move.bytes_total))
        if now > first[0]:
            self.dirty[move.job_id] = max(0.0, (move.bytes_total - first[1]) / (now - first[0]))

    def _learn(self, move: MigrationProgress) -> None:
        job = move.job_id
        if move.state is S.IN_PROGRESS and move.bytes_moved and move.rate:
            if job not in self.starts:  # the bytes it has moved took bytes / rate of it
                self.starts[job] = max(0.0, move.elapsed - move.bytes_moved / move.rate)
            self._copying[job] = move
        last = self._copying.get(job)
        if move.state is S.SUCCEEDED and last is not None and job not in self.tails:
            left = max(0, (last.bytes_total or 0) - (last.bytes_moved or 0))
            self.tails[job] = max(0.0, move.elapsed - last.elapsed - left / (last.rate or 1.0))

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    def eta(self, moves: tuple[MigrationProgress, ...]) -> float | None:
        start = median(self.starts.values()) if self.starts else 0.0
        tail = median(self.tails.values()) if self.tails else 0.0
        eta = estimate(
            moves,
            self.planned,
            self.slots,
            self.fastest,
            self.busiest,
            start=start,
            tail=tail,
            dirty=self.dirty,
        )
        left = [m for m in moves if bucket(m.state) not in ("done", "failed", "stopped")]
        if eta is None or len(left) != 1 or left[0].eta is None:
            return eta
        # the last move: nothing can free room for it, so never sooner than it says it ends
        return max(eta, left[0].eta)

    def progress(self, now: float) -> EvacuationProgress:
        moves = tuple(self.moves.values())
        counts = {name: 0 for name in BUCKETS}
        for m in moves:
            counts[bucket(m.state)] += 1
        gone = {"failed", "stopped"}
        kept = [m for m in moves if bucket(m.state) not in gone]
        total = sum(size(m, self.planned) for m in kept)
        done = sum(
            size(m, self.planned) if m.state is S.SUCCEEDED else (m.bytes_moved or 0) for m in kept
        )
        rates = [m.rate for m in moves if m.rate and bucket(m.state) == "running"]
        end = self.ended_at if self.ended_at is not None else now
        return EvacuationProgress(
            title=self.plan.title,
            frame=self.plan.frame,
            action=self.plan.action,
            moves=moves,
            counts=tuple((n, c) for n, c in counts.items() if c),
            bytes_done=done,
            bytes_total=total,
            rate=sum(rates) if rates else None,
            elapsed=max(0.0, end - self.started_at),
            eta=None if self.ended else self.eta(moves),
            stays=tuple((s.partition, s.reason) for s in self.plan.stays),
            ended=self.ended,
        )
