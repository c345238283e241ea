"""What a poll hands out reuses what the last one handed out wherever it reads the same.

An unchanged frame is the earlier object; in a frame that changed, each partition (and the
system) that reads the same is the earlier object too. Every consumer (the background judge's
quiet-poll skip, the table's kept rows and cells, the judge's frame facts) then sees
"unchanged" by identity, and the equality check is made once, here, per poll."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import FrameSnapshot


def kept(before: FrameSnapshot | None, frame: FrameSnapshot) -> FrameSnapshot:
    """``frame``, made of ``before``'s objects wherever they read the same."""
    if before is None:
        return frame
    if before == frame:
        return before
    earlier = {p.lpar_id: p for p in before.partitions}
    partitions = tuple(
        q if (q := earlier.get(p.lpar_id)) is not None and q == p else p for p in frame.partitions
    )
    system = before.system if before.system == frame.system else frame.system
    return replace(frame, system=system, partitions=partitions)
