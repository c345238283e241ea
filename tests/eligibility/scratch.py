"""Every partition's best target judged from nothing: the reference the incremental judge (and
the console's background judge built on it) must equal."""

from __future__ import annotations

from lpmtui.eligibility import matrix
from lpmtui.model import FleetSnapshot


def scratch_best(snapshot: FleetSnapshot) -> dict:
    """Every partition's best (target, fails, warns, unknowns), judged from nothing."""
    out = {}
    for key, verdicts in matrix(FleetSnapshot(snapshot.hmcs, snapshot.taken_at)).items():
        v = verdicts[0] if verdicts else None
        out[key] = (v.target_system, v.fails, v.warns, v.unknowns) if v else None
    return out
