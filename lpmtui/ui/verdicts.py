"""Mobility verdicts for the table, cached so an unchanged fleet costs nothing to refresh.

A verdict for (partition, target) depends on the partition itself and on what the rules read of
its source and target frames (see ``_print``). Each frame is fingerprinted once per snapshot
(frozen snapshots hash by value). The table needs only each verdict's cell, so the cache keeps
interned cells, not verdicts: per partition, its value, its source print and, per target, the
target's print and the cell. A cell is reused while the partition and both prints are
unchanged, so one partition changing re-judges that partition only. The detail pane asks for
full verdicts of one partition at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lpmtui.eligibility import Verdict, evaluate, rank_targets
from lpmtui.eligibility.checks import CheckStatus, status_rank
from lpmtui.eligibility.index import is_indexed
from lpmtui.model import FleetSnapshot, HmcSnapshot, Partition
from lpmtui.ui.rows import Cell

PENDING = Cell("…", (9, 0, 0, 0), "muted")
JUDGING = Cell("judging…", (9, 0, 0, 0), "muted")  # the best target, still being judged
NO_TARGET = Cell("none", (8, 0, 0, 0), "muted")
ERROR = Cell("error", (3, 0, 0, 0), "fail")  # the rules raised; the detail pane says why
VIOS = Cell("VIOS", (7, 0, 0, 0), "muted")  # a VIOS does not move; its clients do
_STATUS_STYLE = {
    CheckStatus.PASS: "ok",
    CheckStatus.WARN: "warn",
    CheckStatus.FAIL: "fail",
    CheckStatus.UNKNOWN: "warn",
}
_INTERNED: dict[Cell, Cell] = {}


@dataclass(frozen=True, slots=True)
class Unjudged:
    """Stands in for a Verdict when the rules raised: shown as an error, never as a pass."""

    partition: Partition
    target_system: str
    error: str
    status: CheckStatus = CheckStatus.UNKNOWN
    fails: int = 0
    warns: int = 0
    unknowns: int = 1
    kind: str | None = None
    kind_reason: str = ""
    checks: tuple = ()


def verdict_cell(verdict: Verdict | Unjudged | None) -> Cell:
    """``pass``, ``2 warn``, ``3 fail`` or ``1 unkn``: the status with its count (interned)."""
    if verdict is None:
        return NO_TARGET
    if isinstance(verdict, Unjudged):
        return ERROR
    status = CheckStatus(verdict.status)
    count = {
        CheckStatus.FAIL: verdict.fails,
        CheckStatus.WARN: verdict.warns,
        CheckStatus.UNKNOWN: verdict.unknowns,
    }.get(status, 0)
    word = "unkn" if status is CheckStatus.UNKNOWN else status.value
    text = f"{count} {word}" if count else word
    sort = (status_rank(status), verdict.fails, verdict.unknowns, verdict.warns)
    cell = Cell(text, sort, _STATUS_STYLE[status])
    return _INTERNED.setdefault(cell, cell)


@dataclass(slots=True)
class _Judged:
    """What is known of one partition: its value when judged, and per target a cell."""

    partition: Partition
    source_print: int
    cells: dict[str, tuple[int, Cell]]  # target -> (target print, cell)
    best: tuple[int, Cell] | None = None  # (fleet print, best cell)


class VerdictBook:
    """Verdict cells for the table, valid across snapshots while their inputs are unchanged."""

    def __init__(self) -> None:
        self._judged: dict[tuple[str, int], _Judged] = {}
        self._snapshot: FleetSnapshot | None = None
        self._frame_prints: dict[str, int] = {}
        self._fleet: int | None = None
        self._targets: tuple[str, ...] = ()
        self._kept: set[tuple[str, int]] = set()
        self._cold_hashes: dict[int, tuple[object, int]] = {}  # id(cold) -> (cold, hash)
        self.evaluations = 0  # how many rule evaluations ran (tests and benchmarks read it)
        # The snapshot the background judge has indexed (None: none yet). Ranking on the loop
        # uses it while the partition there equals the one shown, rather than indexing a new
        # snapshot on the loop (a second or more at 20,000 partitions).
        self.indexed: Callable[[], FleetSnapshot | None] = lambda: None

    def use(self, snapshot: FleetSnapshot) -> None:
        if snapshot is not self._snapshot:
            self._snapshot = snapshot
            self._frame_prints = {}
            self._fleet = None
            self._targets = tuple(sorted({f.system.name for h in snapshot.hmcs for f in h.frames}))

    # -- fingerprints ----------------------------------------------------------------------

    def _print(self, system: str) -> int:
        """What of a frame a verdict can depend on, besides the partition itself: the frame,
        its cold data, its VIOSes, the names on it, what is migrating, and its HMC."""
        found = self._frame_prints.get(system)
        if found is None:
            located = self._snapshot.frame(system) if self._snapshot else None
            if located is None:
                return 0
            hmc = self._hmc(located[0])
            frame = located[1]
            context = (hmc.version, hmc.manager, hmc.peer_trust, hmc.hmc) if hmc else ()
            found = hash(
                (
                    frame.system,
                    self._cold_hash(frame.cold),
                    frame.errors,
                    context,
                    tuple(p for p in frame.partitions if p.is_vios),
                    frozenset(p.name for p in frame.partitions),
                    frozenset((m.name, m.dest_sys_name) for m in frame.migrations if m.migrating),
                )
            )
            self._frame_prints[system] = found
        return found

    def fleet_print(self) -> int:
        """One number for everything any verdict depends on besides its partition."""
        if self._fleet is None:
            self._fleet = hash(tuple((name, self._print(name)) for name in self._targets))
        return self._fleet

    def _cold_hash(self, cold: object) -> int:
        """Cold data is large and often the very same object poll after poll: hash it once."""
        known = self._cold_hashes.get(id(cold))
        if known is not None and known[0] is cold:
            return known[1]
        value = hash(cold)
        if len(self._cold_hashes) > 4096:
            self._cold_hashes.clear()
        self._cold_hashes[id(cold)] = (cold, value)
        return value

    def _hmc(self, name: str) -> HmcSnapshot | None:
        assert self._snapshot is not None
        return next((h for h in self._snapshot.hmcs if h.hmc == name), None)

    # -- cells for the table ---------------------------------------------------------------

    def _current(self, partition: Partition) -> _Judged:
        """The partition's record, emptied when the partition or its source frame changed."""
        source = self._print(partition.system)
        judged = self._judged.get(partition.key)
        if judged is None or judged.partition != partition or judged.source_print != source:
            judged = _Judged(partition, source, {})
            self._judged[partition.key] = judged
        return judged

    def cell(self, partition: Partition, target: str) -> Cell | None:
        """The cell of a still-valid verdict, else None (not judged yet)."""
        known = self._current(partition).cells.get(target)
        return known[1] if known is not None and known[0] == self._print(target) else None

    def judge(self, partition: Partition, target: str) -> Cell:
        """Evaluate the rules for one target (if not known) and remember the cell."""
        found = self.cell(partition, target)
        if found is None:
            found = verdict_cell(self.verdict(partition, target))
            self._current(partition).cells[target] = (self._print(target), found)
        return found

    def best_cell(self, partition: Partition) -> Cell | None:
        """The best target's cell once every target is judged, else None. Reused as a whole
        while no frame and not the partition changed: a quiet poll costs a lookup."""
        judged = self._current(partition)
        fleet = self.fleet_print()
        if judged.best is not None and judged.best[0] == fleet:
            return judged.best[1]
        cells = [self.cell(partition, t) for t in self.targets_for(partition)]
        if any(c is None for c in cells):
            return None
        known = [c for c in cells if c is not None]
        # Cell.sort is (status rank, fails, unknowns, warns): best first.
        chosen = min(known, key=lambda c: c.sort) if known else NO_TARGET
        judged.best = (fleet, chosen)
        return chosen

    def targets_for(self, partition: Partition) -> list[str]:
        """Every other frame of the fleet: the candidates for the 'best target' column."""
        return [name for name in self._targets if name != partition.system]

    def forget(self, keep: set[tuple[str, int]]) -> None:
        """Drop what is known of partitions that left the fleet."""
        if keep == self._kept:
            return
        self._kept = keep
        for key in [k for k in self._judged if k not in keep]:
            del self._judged[key]

    # -- full verdicts for one partition ---------------------------------------------------

    def _ranking_snapshot(self, partition: Partition) -> FleetSnapshot:
        """The judge's indexed snapshot when it has this partition as shown, else the one shown."""
        assert self._snapshot is not None
        indexed = self.indexed()
        if indexed is None or indexed is self._snapshot or is_indexed(self._snapshot):
            return self._snapshot
        found = indexed.frame(partition.system)
        return indexed if found is not None and partition in found[1].partitions else self._snapshot

    def verdict(self, partition: Partition, target: str) -> Verdict | Unjudged:
        """A fresh, full verdict (every check) for the detail pane or a cell."""
        assert self._snapshot is not None
        self.evaluations += 1
        try:
            return evaluate(self._ranking_snapshot(partition), partition, target)
        except Exception as error:  # a rule that cannot judge must not stop the others
            return Unjudged(partition, target, f"{type(error).__name__}: {error}")

    def ranked(self, partition: Partition) -> list[Verdict]:
        """The ranked target list for the detail pane and the target picker."""
        assert self._snapshot is not None
        try:
            return rank_targets(self._ranking_snapshot(partition), partition)
        except Exception:  # the per-target verdicts (Unjudged) carry the reason instead
            return []
