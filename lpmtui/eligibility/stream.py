"""Every partition's ranked targets, one partition at a time (``lpmtui check --all``).

``matrix`` holds every pair of the fleet at once (10 million at 20,000 partitions x 500
frames). ``ranked_rows`` judges partition P against every target, hands the verdicts over and
keeps nothing of them: memory is bounded by one partition's verdicts, the index and the
per-source check groups of the frame being walked (dropped when the walk leaves that frame).
The verdicts are those of ``rank_targets`` (the same function builds both).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

from lpmtui.eligibility.evaluate import _ranked
from lpmtui.eligibility.index import SnapshotIndex, index_of
from lpmtui.eligibility.verdict import Verdict
from lpmtui.model import FleetSnapshot

# (name, source system, lpar id, kind, ranked verdicts)
Row = tuple[str, str, int, str | None, list[Verdict]]

# Memo entries that are shared by every source frame (kept while walking): target groups and
# the pair-rule counts per partition signature.
_SHARED = frozenset({"tgt", "sig"})


def forget_source(idx: SnapshotIndex, system: str) -> int:
    """Drop what the index memoised for partitions on ``system`` as a source (their facts and
    check groups, the frame-pair groups from it); returns how many entries went."""
    gone = [k for k in idx.memo if len(k) > 1 and k[1] == system and k[0] not in _SHARED]
    for k in gone:
        del idx.memo[k]
    return len(gone)


def ranked_rows(snapshot: FleetSnapshot) -> Iterator[Row]:
    """One row per mobile (non-VIOS) partition, in the snapshot's order (HMC, frame,
    partition), each with its targets ranked as ``rank_targets`` ranks them."""
    idx = index_of(snapshot)
    for h in snapshot.hmcs:
        for f in h.frames:
            src = idx.frames.get(f.system.name)
            if src is None:
                continue
            yield from _frame_rows(idx, src, f.partitions)
            forget_source(idx, src.name)


def _frame_rows(idx: SnapshotIndex, src, partitions) -> Iterator[Row]:
    for p in partitions:
        lp = src.by_id.get(p.lpar_id)
        if lp is None or lp.is_vios:
            continue
        # A partition's few hundred verdicts hold no cycles: pausing the cyclic collector while
        # they are made keeps it from scanning them (they go by reference counting).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            verdicts = _ranked(idx, src, lp)
        finally:
            if was_enabled:
                gc.enable()
        kind = verdicts[0].kind if verdicts else None
        yield (lp.name, lp.system, lp.lpar_id, kind, verdicts)
