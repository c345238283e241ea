"""Mobility verdicts for the table, cached so an unchanged fleet costs nothing to refresh.

A verdict for (partition, target) depends on the partition itself and on what the rules read of
its source and target frames (see ``_print``). Each frame is fingerprinted once per snapshot
(frozen snapshots hash by value); a cached verdict is reused while the partition and both
fingerprints are unchanged, so one partition changing re-judges that partition only.
"""

from __future__ import annotations

from dataclasses import dataclass

from lpmtui.eligibility import Verdict, evaluate, rank_targets
from lpmtui.eligibility.checks import CheckStatus, status_rank
from lpmtui.model import FleetSnapshot, HmcSnapshot, Partition
from lpmtui.ui.rows import Cell

PENDING = Cell("…", (9, 0, 0, 0), "muted")
NO_TARGET = Cell("none", (8, 0, 0, 0), "muted")
_STATUS_STYLE = {
    CheckStatus.PASS: "ok",
    CheckStatus.WARN: "warn",
    CheckStatus.FAIL: "fail",
    CheckStatus.UNKNOWN: "warn",
}
ERROR = Cell("error", (3, 0, 0, 0), "fail")  # the rules raised; the detail pane says why
VIOS = Cell("VIOS", (7, 0, 0, 0), "muted")  # a VIOS does not move; its clients do


def verdict_cell(verdict: Verdict | None) -> Cell:
    """``pass``, ``2 warn``, ``3 fail`` or ``1 unkn``: the status with its count."""
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
    return Cell(text, sort, _STATUS_STYLE[status])


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


@dataclass(slots=True)
class _Entry:
    fingerprint: tuple[int, int]
    partition: Partition
    verdict: Verdict | Unjudged
    cell: Cell


class VerdictBook:
    """Per-(partition, target) verdict cache for one snapshot at a time."""

    def __init__(self) -> None:
        self._cache: dict[tuple[tuple[str, int], str], _Entry] = {}
        self._snapshot: FleetSnapshot | None = None
        self._frame_prints: dict[str, int] = {}
        self._fleet: int | None = None
        self._kept: set[tuple[str, int]] = set()
        self._targets: tuple[str, ...] | None = None
        self._best: dict[tuple[str, int], tuple[int, Partition, Cell]] = {}
        self._cold_hashes: dict[int, tuple[object, int]] = {}  # id(cold) -> (cold, hash)
        self.evaluations = 0  # how many rule evaluations ran (tests and benchmarks read it)

    def use(self, snapshot: FleetSnapshot) -> None:
        if snapshot is not self._snapshot:
            self._snapshot = snapshot
            self._frame_prints = {}
            self._fleet = None
            self._targets = None

    def _print(self, system: str) -> int:
        """What of a frame a verdict can depend on, besides the partition itself: the frame,
        its cold data, its VIOSes, the names on it, what is migrating, and its HMC. A change
        to one client partition therefore re-judges only that partition."""
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
                    frame.cold,
                    frame.errors,
                    context,
                    tuple(p for p in frame.partitions if p.is_vios),
                    frozenset(p.name for p in frame.partitions),
                    frozenset((m.name, m.dest_sys_name) for m in frame.migrations if m.migrating),
                )
            )
            self._frame_prints[system] = found
        return found

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

    def _entry(self, partition: Partition, target: str) -> _Entry | None:
        entry = self._cache.get((partition.key, target))
        if (
            entry
            and entry.fingerprint == (self._print(partition.system), self._print(target))
            and entry.partition == partition
        ):
            return entry
        return None

    def cached(self, partition: Partition, target: str) -> Verdict | None:
        """The verdict if it is still valid for the current snapshot, else None."""
        entry = self._entry(partition, target)
        return entry.verdict if entry else None

    def cached_cell(self, partition: Partition, target: str) -> Cell | None:
        """The table cell for a still-valid verdict, else None."""
        entry = self._entry(partition, target)
        return entry.cell if entry else None

    def verdict(self, partition: Partition, target: str) -> Verdict:
        found = self.cached(partition, target)
        if found is not None:
            return found
        assert self._snapshot is not None
        self.evaluations += 1
        try:
            verdict = evaluate(self._snapshot, partition, target)
        except Exception as error:  # a rule that cannot judge must not stop the others
            verdict = Unjudged(partition, target, f"{type(error).__name__}: {error}")
        fingerprint = (self._print(partition.system), self._print(target))
        self._cache[(partition.key, target)] = _Entry(
            fingerprint, partition, verdict, verdict_cell(verdict)
        )
        return verdict

    def targets_for(self, partition: Partition) -> list[str]:
        """Every other frame of the fleet: the candidates for the 'best target' column."""
        if self._targets is None:
            self.fleet_print()
        assert self._targets is not None
        return [name for name in self._targets if name != partition.system]

    def best_cell(self, partition: Partition) -> Cell | None:
        """The best target's cell if every target's verdict is known, else None. Reused as a
        whole while no frame changed and the partition did not: a quiet poll costs a lookup."""
        entry = self._best.get(partition.key)
        if entry is not None and entry[0] == self.fleet_print() and entry[1] == partition:
            return entry[2]
        cells = [self.cached_cell(partition, t) for t in self.targets_for(partition)]
        if any(c is None for c in cells):
            return None
        # Cell.sort is (status rank, fails, unknowns, warns): the same order as best().
        known = [c for c in cells if c is not None]
        chosen = min(known, key=lambda c: c.sort) if known else NO_TARGET
        self._best[partition.key] = (self.fleet_print(), partition, chosen)
        return chosen

    def fleet_print(self) -> int:
        """One number for everything any verdict depends on besides its partition."""
        if self._fleet is None:
            assert self._snapshot is not None
            systems = sorted({f.system.name for h in self._snapshot.hmcs for f in h.frames})
            self._targets = tuple(systems)
            self._fleet = hash(tuple((name, self._print(name)) for name in systems))
        return self._fleet

    def ranked(self, partition: Partition) -> list[Verdict]:
        """The ranked target list for the detail pane and the target picker."""
        assert self._snapshot is not None
        try:
            return rank_targets(self._snapshot, partition)
        except Exception:  # the per-target verdicts (Unjudged) carry the reason instead
            return []

    def forget(self, keep: set[tuple[str, int]]) -> None:
        """Drop cached verdicts of partitions that left the fleet."""
        if keep == self._kept:
            return
        self._kept = keep
        for cache_key in [k for k in self._cache if k[0] not in keep]:
            del self._cache[cache_key]
        for key in [k for k in self._best if k not in keep]:
            del self._best[key]
