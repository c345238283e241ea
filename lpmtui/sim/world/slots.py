"""Virtual slot numbers handed out while a frame is built from its fleet-file entry.

``SimPartition.next_slot`` rescans every adapter of the partition; a VIOS serving 40 clients
holds ~100, asked once per adapter, which made wiring a 20,000-partition fleet quadratic per
frame. While building, slots are only ever added, so each partition's lowest free slot only
grows: the allocator keeps the used set and that floor and gives the same numbers.
"""

from __future__ import annotations

from lpmtui.sim.world.model import SimPartition


class SlotAllocator:
    """``next(p)`` == ``p.next_slot()`` as long as every slot added goes through it."""

    def __init__(self) -> None:
        self._used: dict[SimPartition, set[int]] = {}
        self._floor: dict[SimPartition, int] = {}

    def next(self, p: SimPartition) -> int:
        used = self._used.get(p)
        if used is None:
            used = self._used[p] = p.used_slots()
        slot = self._floor.get(p, 2)
        while slot in used:
            slot += 1
        used.add(slot)
        self._floor[p] = slot + 1
        return slot
