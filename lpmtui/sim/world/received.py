"""What one simulated HMC received (``World.received[hmc]``): what tests and the soak read back.

A long-running simulator (``lpmtui sim``, the 30-minute fault soak) receives listings without
end, so only the last ``KEEP`` commands are kept in full (enough for any test's "the last
command was ..."). The commands that change the world, ``migrlpar`` and ``mkauthkeys`` (one or
two per migration), are all kept in ``changes`` with their place in the sequence, and ``total``
counts every command ever received.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

KEEP = 4096
CHANGING = frozenset({"migrlpar", "mkauthkeys"})

Argv = tuple[str, ...]


class CommandLog:
    """One HMC's received commands, oldest first: a list-like view of the last ``keep``."""

    def __init__(self, keep: int = KEEP) -> None:
        self.recent: deque[Argv] = deque(maxlen=keep)
        self.changes: list[tuple[int, Argv]] = []  # (sequence number, argv), every one
        self.total = 0  # every command received; the next one's sequence number

    def append(self, argv: Argv) -> None:
        command = next((word for word in argv if "=" not in word), "")  # after VAR=value words
        if command in CHANGING:
            self.changes.append((self.total, argv))
        self.recent.append(argv)
        self.total += 1

    def __len__(self) -> int:
        return len(self.recent)

    def __iter__(self) -> Iterator[Argv]:
        return iter(self.recent)

    def __getitem__(self, index: int | slice) -> Argv | list[Argv]:
        if isinstance(index, slice):
            return list(self.recent)[index]
        return self.recent[index]
