"""The results the rules produce: Check (one prerequisite), Verdict (one partition -> target)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class CheckStatus(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"


PASS = CheckStatus.PASS
WARN = CheckStatus.WARN
FAIL = CheckStatus.FAIL
UNKNOWN = CheckStatus.UNKNOWN


class Check(NamedTuple):
    """One prerequisite judged for one partition and target (immutable).

    ``reason`` carries the actual values; ``seed`` the article's words the rule comes from;
    ``source`` the HMC command whose data it used. ``blind`` marks a rule whose data no HMC
    command shows (an open console): it is always unknown, shown, but not counted. A named
    tuple rather than a dataclass: a fleet matrix makes about a hundred thousand of them.
    """

    rule_id: str
    title: str
    status: CheckStatus
    reason: str
    fix: str = ""
    seed: str = ""
    source: str = ""
    blind: bool = False


class CheckGroup(tuple):
    """A tuple of checks with its counts computed once (groups are shared by many verdicts)."""

    fails: int
    warns: int
    unknowns: int

    def __new__(cls, checks=()):
        self = super().__new__(cls, checks)
        # One pass (a fleet matrix makes thousands of groups); blind unknowns are not counted.
        fails = warns = unknowns = 0
        for c in self:
            status = c.status
            if status is FAIL:
                fails += 1
            elif status is WARN:
                warns += 1
            elif status is UNKNOWN and not c.blind:
                unknowns += 1
        self.fails, self.warns, self.unknowns = fails, warns, unknowns
        return self


EMPTY_GROUP = CheckGroup()

_RANK = {PASS: 0, WARN: 1, UNKNOWN: 2, FAIL: 3}


def overall(fails: int, warns: int, unknowns: int) -> CheckStatus:
    """Fail beats unknown beats warn beats pass."""
    if fails:
        return FAIL
    if unknowns:
        return UNKNOWN
    if warns:
        return WARN
    return PASS


def status_rank(status: CheckStatus) -> int:
    return _RANK[status]


class AgreementKind(StrEnum):
    AGREE = "agree"
    HMC_ONLY = "hmc-only"  # the HMC objects, the local rule did not
    LOCAL_ONLY = "local-only"  # the local rule objects, the HMC did not
    UNKNOWN = "unknown"  # the local rule could not see its data


@dataclass(frozen=True, slots=True)
class Agreement:
    """How one rule (or one unmapped HMC message) compares with ``migrlpar -o v``."""

    rule_id: str  # "" for an HMC message no local rule maps to
    local: CheckStatus | None
    hmc: tuple[str, ...]  # the HMC's messages for this rule, verbatim ("ID text")
    kind: AgreementKind
    note: str = ""
