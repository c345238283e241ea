"""Mobility verdicts for the table, cached so an unchanged fleet costs nothing to refresh.

A verdict for (partition, target) depends on the partition, its source frame, the target frame
and the two HMCs. Each frame is fingerprinted once per snapshot (frozen snapshots hash by
value), and a cached verdict is reused while both fingerprints are unchanged.
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


def best(verdicts: list[Verdict]) -> Verdict | None:
    """The verdict a user would pick first: best status, then fewest fails and warnings."""
    if not verdicts:
        return None
    return min(verdicts, key=lambda v: (status_rank(v.status), v.fails, v.unknowns, v.warns))


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
    verdict: Verdict


class VerdictBook:
    """Per-(partition, target) verdict cache for one snapshot at a time."""

    def __init__(self) -> None:
        self._cache: dict[tuple[tuple[str, int], str], _Entry] = {}
        self._snapshot: FleetSnapshot | None = None
        self._frame_prints: dict[str, int] = {}
        self.evaluations = 0  # how many rule evaluations ran (tests and benchmarks read it)

    def use(self, snapshot: FleetSnapshot) -> None:
        if snapshot is not self._snapshot:
            self._snapshot = snapshot
            self._frame_prints = {}

    def _print(self, system: str) -> int:
        found = self._frame_prints.get(system)
        if found is None:
            located = self._snapshot.frame(system) if self._snapshot else None
            if located is None:
                return 0
            hmc = self._hmc(located[0])
            context = (hmc.version, hmc.manager, hmc.peer_trust) if hmc else ()
            found = hash((located[1], context))
            self._frame_prints[system] = found
        return found

    def _hmc(self, name: str) -> HmcSnapshot | None:
        assert self._snapshot is not None
        return next((h for h in self._snapshot.hmcs if h.hmc == name), None)

    def cached(self, partition: Partition, target: str) -> Verdict | None:
        """The verdict if it is already known for the current snapshot, else None."""
        entry = self._cache.get((partition.key, target))
        if entry and entry.fingerprint == (self._print(partition.system), self._print(target)):
            return entry.verdict
        return None

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
        self._cache[(partition.key, target)] = _Entry(fingerprint, verdict)
        return verdict

    def targets_for(self, partition: Partition) -> list[str]:
        """Every other frame of the fleet: the candidates for the 'best target' column."""
        assert self._snapshot is not None
        names = {f.system.name for h in self._snapshot.hmcs for f in h.frames}
        names.discard(partition.system)
        return sorted(names)

    def best_for(self, partition: Partition) -> Verdict | None:
        return best([self.verdict(partition, t) for t in self.targets_for(partition)])

    def ranked(self, partition: Partition) -> list[Verdict]:
        """The ranked target list for the detail pane and the target picker."""
        assert self._snapshot is not None
        try:
            return rank_targets(self._snapshot, partition)
        except Exception:  # the per-target verdicts (Unjudged) carry the reason instead
            return []

    def forget(self, keep: set[tuple[str, int]]) -> None:
        """Drop cached verdicts of partitions that left the fleet."""
        for cache_key in [k for k in self._cache if k[0] not in keep]:
            del self._cache[cache_key]
