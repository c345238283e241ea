"""A partition's best target as the table shows it, and when a report of it is news."""

from __future__ import annotations

from typing import NamedTuple

from lpmtui.eligibility.checks import overall


class Best(NamedTuple):
    """A partition's best target: what ``rank_targets(...)[0]`` says, without the verdicts."""

    target_system: str
    fails: int
    warns: int
    unknowns: int

    @property
    def status(self):
        return overall(self.fails, self.warns, self.unknowns)

    @property
    def migratable(self) -> bool:
        return self.fails == 0 and self.unknowns == 0


def same_report(was: tuple | None, partition, best: Best | None) -> bool:
    """Whether ``(partition, best)`` says what ``was`` (the last report) said: the same best
    target and counts for the same partition (the same object, or one that reads the same)."""
    return was is not None and was[1] == best and (was[0] is partition or was[0] == partition)
