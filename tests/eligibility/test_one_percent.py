"""Issue 16's 1%: a poll that changes the processor units of one partition in ten, on most
frames (their systems, consoles and VIOSes the same objects), walks those partitions again and
compares no other pair (frame_key: each frame the same target as before, its other partitions
keep their best targets)."""

from __future__ import annotations

from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.sim.generate import with_new_units
from tests.eligibility.scratch import scratch_best
from tests.eligibility.test_incremental import _base, _judged


def test_one_partition_in_ten_changing_walks_only_those_partitions():
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    now, changed = with_new_units(base, 10)
    frames = sum(len(h.frames) for h in base.hmcs)
    walked = []
    scan = judge._scan

    def counted(p):
        walked.append(p.key)
        return scan(p)

    judge._scan = counted
    judge.judged = 0
    reported = judge.update(now)
    assert judge.frames_changed == 2 * len({k[0] for k in changed}) >= frames  # most frames
    assert sorted(walked) == sorted(changed)
    # the pairs compared are those of their walks, no other
    assert judge.judged == sum(judge._parts[k].steps for k in changed) <= len(changed) * frames
    assert reported == changed  # new partition objects: reported, and no other
    assert _judged(judge) == scratch_best(now)
