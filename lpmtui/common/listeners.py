"""Callbacks registered for a stream of values (snapshots, progress, command events).

One broken callback never stops the others nor the producer: its exception is logged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Listeners(Generic[T]):
    def __init__(self, what: str, log: logging.Logger) -> None:
        self._what = what  # for the log line, e.g. "fleet subscriber"
        self._log = log
        self._callbacks: list[Callable[[T], None]] = []

    def add(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Register ``callback``; returns the function that removes it (twice is harmless)."""
        self._callbacks.append(callback)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._callbacks.remove(callback)

        return remove

    def emit(self, value: T) -> None:
        for callback in list(self._callbacks):  # a callback may remove itself
            try:
                callback(value)
            except Exception:
                self._log.exception("%s failed", self._what)
