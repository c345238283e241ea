"""One shared object per equal value (no Textual): most of a row's cells repeat across the
fleet (a state, an OS level, a verdict, a memory size), and at 20,000 partitions a cell object
per row and column is ~20 MB of ``Cell`` and ~70 MB of table text. Sharing equal ones keeps one
of each, and a re-render of every row (HMCs gone stale and back) does not leave the heap twice
its size.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

KEPT = 4096  # distinct values kept; past that the table starts again (a name per row is not)


class Interned(Generic[K, V]):
    """``interned(key, make)``: the value kept for ``key``, made (and kept) the first time."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._values: dict[K, V] = {}

    def __call__(self, key: K, make: Callable[[K], V]) -> V:
        value = self._values.get(key)
        if value is None:
            if len(self._values) >= self.kept:
                self._values.clear()  # bounded: values still in use stay alive where used
            value = self._values[key] = make(key)
        return value

    def clear(self) -> None:
        self._values.clear()
