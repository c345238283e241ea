"""LPM eligibility: every prerequisite of the seed article as a rule over a FleetSnapshot."""

from lpmtui.eligibility.catalogue import RULES, RuleInfo
from lpmtui.eligibility.checks import Agreement, AgreementKind, Check, CheckStatus
from lpmtui.eligibility.compare import MESSAGE_RULES, compare
from lpmtui.eligibility.evaluate import (
    EligibilityError,
    Verdict,
    evaluate,
    frame_source_check,
    matrix,
    rank_targets,
)
from lpmtui.eligibility.kind import mobility_kind

__all__ = [
    "MESSAGE_RULES",
    "RULES",
    "Agreement",
    "AgreementKind",
    "Check",
    "CheckStatus",
    "EligibilityError",
    "RuleInfo",
    "Verdict",
    "compare",
    "evaluate",
    "frame_source_check",
    "matrix",
    "mobility_kind",
    "rank_targets",
]
