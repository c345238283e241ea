"""A frame's cold data grouped by partition: built when a rule first asks, held for a few frames.

Only the source side of a verdict reads these groups (``partition_facts`` and the partition
rules); the judge, ``matrix`` and the selected partition's checks read them one source frame
at a time, and the judge never again once a frame's partitions have their facts. Held for
every frame they were ~12 MB an index at 20,000 partitions (~25 MB in the console, which may
hold two indexes), more than its margin under the memory target; a frame's are built again in
~0.1 ms.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from lpmtui.model import (
    ColdData,
    IoSlot,
    Profile,
    VirtualEthAdapter,
    VirtualFcAdapter,
    VirtualOpticalMapping,
    VirtualScsiAdapter,
)

# Frames whose groups are held: enough for one reader going frame by frame while another
# (the console's selected partition) reads its own.
HELD = 8


@dataclass(slots=True, eq=False)
class ColdGroups:
    """The cold data of one frame, indexed by partition id."""

    scsi_client: dict[int, list[VirtualScsiAdapter]]
    fc_client: dict[int, list[VirtualFcAdapter]]
    eth: dict[int, list[VirtualEthAdapter]]
    server_scsi: dict[tuple[int, int], VirtualScsiAdapter]  # (vios id, slot)
    server_fc: dict[tuple[int, int], VirtualFcAdapter]
    server_for_client: dict[int, list[VirtualScsiAdapter | VirtualFcAdapter]]
    io_slots: dict[int, list[IoSlot]]
    optical: dict[int, list[VirtualOpticalMapping]]
    profiles: dict[int, list[Profile]]

    @classmethod
    def build(cls, cold: ColdData) -> ColdGroups:
        scsi_client, fc_client = defaultdict(list), defaultdict(list)
        server_scsi, server_fc, server_for_client = {}, {}, defaultdict(list)
        for adapters, clients, servers in (
            (cold.scsi, scsi_client, server_scsi),
            (cold.fc, fc_client, server_fc),
        ):
            for a in adapters:
                if a.adapter_type == "client":
                    clients[a.lpar_id].append(a)
                else:
                    servers[(a.lpar_id, a.slot_num)] = a
                    if a.remote_lpar_id is not None:
                        server_for_client[a.remote_lpar_id].append(a)
        return cls(
            dict(scsi_client),
            dict(fc_client),
            _by_partition(cold.eth, attrgetter("lpar_id")),
            server_scsi,
            server_fc,
            dict(server_for_client),
            _by_partition(cold.io_slots, attrgetter("lpar_id")),
            _by_partition(cold.optical, attrgetter("client_lpar_id")),
            _by_partition(cold.profiles, attrgetter("lpar_id")),
        )


def _by_partition(items, lpar_id) -> dict:
    """``items`` in lists by ``lpar_id(item)``; those of no partition (None) are left out."""
    found: dict = {}
    for item in items:
        key = lpar_id(item)
        if key is not None:
            found.setdefault(key, []).append(item)
    return found


# The holders (ColdFacts) whose groups are held, oldest first. The judge's thread and the
# console's may both add: at worst a frame's groups are built twice or dropped early.
_held: deque = deque()


def groups_of(holder: Any) -> ColdGroups:
    """``holder.data`` (ColdData) grouped by partition, kept in ``holder.groups`` while it is
    one of the last HELD holders asked about."""
    found = holder.groups
    if found is None:
        found = holder.groups = ColdGroups.build(holder.data)
        _held.append(holder)
        while len(_held) > HELD:
            try:
                _held.popleft().groups = None
            except IndexError:  # another thread took the last one
                break
    return found


def held() -> int:
    """How many frames' groups are held now (for tests)."""
    return sum(1 for h in _held if h.groups is not None)
