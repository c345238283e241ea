"""A frame that reads the same on the next poll is handed out as the same object (and so is
each partition that reads the same in a frame that changed): the one
equality check is the collector's, and every consumer (the background judge's quiet-poll skip,
the table's kept rows, the judge's frame facts) sees "unchanged" by identity."""

from __future__ import annotations

from lpmtui.common.clock import ManualClock
from lpmtui.fleet.fleet import Fleet
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links


def frames(snapshot) -> dict:
    return {f.system.name: f for h in snapshot.hmcs for f in h.frames}


async def test_an_unchanged_frame_is_the_same_object_and_a_changed_one_is_new():
    world = World.demo(ManualClock())
    fleet = Fleet(sim_links(world))
    try:
        first = frames(await fleet.refresh_now())
        second = frames(await fleet.refresh_now())
        assert first.keys() == second.keys() and len(first) > 3
        assert all(second[name] is first[name] for name in first)

        name, frame = next((n, f) for n, f in world.frames.items() if f.partitions)
        next(p for p in frame.partitions.values() if p.state == "Running").state = "Not Activated"
        third = frames(await fleet.refresh_now())
        assert third[name] is not second[name] and third[name] != second[name]
        assert all(third[n] is second[n] for n in second if n != name)
        # Within the changed frame, what reads the same is the earlier object too.
        was = {p.lpar_id: p for p in second[name].partitions}
        now = {p.lpar_id: p for p in third[name].partitions}
        moved = {i for i in now if now[i] != was[i]}
        assert len(moved) == 1 and now[moved.pop()] is not None
        assert all(now[i] is was[i] for i in now if now[i] == was[i])
        # (the system changed too here: a stopped partition frees memory and processors)
        assert third[name].system != second[name].system
    finally:
        await fleet.stop()


def test_kept_reuses_each_piece_that_reads_the_same():
    from dataclasses import replace

    from lpmtui.fleet.kept import kept
    from lpmtui.model import FrameSnapshot, ManagedSystem, Partition

    a, b = (Partition(system="f", name=n, lpar_id=i) for i, n in ((1, "a"), (2, "b")))
    before = FrameSnapshot(ManagedSystem(name="f"), (a, b))
    assert kept(None, before) is before
    assert kept(before, replace(before, system=ManagedSystem(name="f"))) is before
    changed = kept(
        before, FrameSnapshot(ManagedSystem(name="f"), (replace(a), replace(b, name="c")))
    )
    assert changed.system is before.system and changed.partitions[0] is a
    assert changed.partitions[1] is not b and changed.partitions[1].name == "c"
