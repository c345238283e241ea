"""One shared object per equal value among the facts kept for every partition.

A judge keeps facts for every partition of the fleet (20,000), and most of their small values
repeat: a partition's VLANs are one of a few sets. A frozenset is ~200 bytes even for one
VLAN; keeping one per distinct value instead of one per partition saves ~5 MB at 20,000.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)

KEPT = 4096  # distinct values kept; past that the table starts again (bounded over a session)

_values: dict = {}


def shared(value: T) -> T:
    """The value kept equal to ``value`` (``value`` itself the first time)."""
    found = _values.get(value)
    if found is None:
        if len(_values) >= KEPT:
            _values.clear()  # values still in use stay alive where they are used
        found = _values[value] = value
    return found
