"""A frame that reads the same on the next poll is handed out as the same object: the one
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
    finally:
        await fleet.stop()
