"""rows.relocate on a frame that changed: a partition that is the same object (and the frame's
migrations the same) keeps its row without being compared; one whose migration began is
located again although the partition object is the same."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import FleetSnapshot, FrameSnapshot, HmcSnapshot, MigrationStatus
from lpmtui.ui.rows import relocate
from tests.ui.factory import lpar, system


def fleet(frame: FrameSnapshot) -> FleetSnapshot:
    return FleetSnapshot((HmcSnapshot("hmc1", frames=(frame,), taken_at=1.0),), 1.0)


def test_a_changed_frame_relocates_only_what_changed_even_with_the_same_partition_objects():
    a, b, c = lpar("P9-A", "a", 2), lpar("P9-A", "b", 3), lpar("P9-A", "c", 4)
    frame = FrameSnapshot(system("P9-A"), (a, b, c))
    located: dict = {}
    frames, touched, gone = relocate({}, located, fleet(frame))
    assert touched == ["P9-A/2", "P9-A/3", "P9-A/4"] and gone == []
    kept = dict(located)

    b2 = replace(b, curr_proc_units=2.5)  # one partition changed: a new frame object
    frames, touched, gone = relocate(frames, located, fleet(replace(frame, partitions=(a, b2, c))))
    assert touched == ["P9-A/3"] and located["P9-A/3"].partition is b2
    assert located["P9-A/2"] is kept["P9-A/2"] and located["P9-A/4"] is kept["P9-A/4"]

    moving = MigrationStatus("c", 4, "Migration Starting", "active", dest_sys_name="P9-B")
    now = replace(frame, partitions=(a, b2, c), migrations=(moving,))  # same objects
    frames, touched, gone = relocate(frames, located, fleet(now))
    assert touched == ["P9-A/4"] and located["P9-A/4"].migration == moving

    frames, touched, gone = relocate(frames, located, fleet(replace(now, partitions=(a, c))))
    assert touched == [] and gone == ["P9-A/3"] and frames["P9-A"][2] == ["P9-A/2", "P9-A/4"]
