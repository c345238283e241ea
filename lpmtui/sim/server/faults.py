"""Fault injection for one simulated HMC: the ways a real HMC link misbehaves.

``SimFleet.faults(name)`` returns the ``HmcFaults`` of that HMC:

- ``drop_connections(keep_dropping=False)``: abort every open SSH connection at once (no
  disconnect message, like a dead network path); with ``keep_dropping`` every new connection is
  aborted right after the handshake too, until ``clear()``.
- ``hang_next(n)``: the next ``n`` commands are accepted and never answered. A hung command does
  not run; ``release_hangs()`` lets the ones still waiting run normally, and a client that closes
  the channel abandons it.
- ``garbage_next(n)``: the next ``n`` commands run, but answer text that is not in the HMC
  record format (it contains an unterminated quote, so every record parser rejects it) with
  their own exit status: rc 0 for a command that worked, rc 1 for one that failed. (Until
  issue #17 it was always rc 0, which turned a failed ``migrlpar -o m`` into a success that
  moved nothing; an exit status travels apart from the output, and noise does not change it.)
- ``truncate_next(n)``: the next ``n`` commands run, send the first half of their output, then
  the channel closes without an exit status: to the client the outcome is unknown.
- ``await restart(downtime=0.0)``: the HMC reboots: the listener closes, every connection drops,
  and after ``downtime`` simulated seconds it listens again on the same port with the same key.
  Commands already running (a ``migrlpar -o m``) go on, as HMC tasks do.

When several one-shot faults are armed, a command takes a hang first, then a truncation, then
garbage.
"""

from __future__ import annotations

import asyncio
import enum
import random
from typing import Protocol


class CommandFault(enum.Enum):
    HANG = "hang"
    TRUNCATE = "truncate"
    GARBAGE = "garbage"


class _Controller(Protocol):
    def abort_connections(self) -> int: ...

    async def restart(self, downtime: float) -> None: ...


class HmcFaults:
    """The armed faults of one HMC; the SSH server consults it for every connection and command."""

    def __init__(self, controller: _Controller, *, seed: int | None = None) -> None:
        self._controller = controller
        self._rng = random.Random(seed)
        self._pending = dict.fromkeys(CommandFault, 0)
        self.keep_dropping = False
        self._release = asyncio.Event()
        self.hung = 0  # commands waiting in a hang right now

    def drop_connections(self, *, keep_dropping: bool = False) -> int:
        """Abort every open connection; returns how many there were."""
        self.keep_dropping = keep_dropping
        return self._controller.abort_connections()

    def hang_next(self, n: int = 1) -> None:
        self._arm(CommandFault.HANG, n)

    def garbage_next(self, n: int = 1) -> None:
        self._arm(CommandFault.GARBAGE, n)

    def truncate_next(self, n: int = 1) -> None:
        self._arm(CommandFault.TRUNCATE, n)

    async def restart(self, downtime: float = 0.0) -> None:
        await self._controller.restart(downtime)

    def release_hangs(self) -> None:
        """Let the commands hanging now run; later hangs need a new release."""
        self._release.set()
        self._release = asyncio.Event()

    def clear(self) -> None:
        """Disarm everything and release hung commands."""
        self._pending = dict.fromkeys(CommandFault, 0)
        self.keep_dropping = False
        self.release_hangs()

    def pending(self, fault: CommandFault) -> int:
        return self._pending[fault]

    def _arm(self, fault: CommandFault, n: int) -> None:
        if n < 0:
            raise ValueError("the number of commands must not be negative")
        self._pending[fault] += n

    def take(self) -> CommandFault | None:
        """The fault the next command suffers, consuming it (None: behave)."""
        for fault in (CommandFault.HANG, CommandFault.TRUNCATE, CommandFault.GARBAGE):
            if self._pending[fault] > 0:
                self._pending[fault] -= 1
                return fault
        return None

    async def wait_released(self) -> None:
        self.hung += 1
        try:
            await self._release.wait()
        finally:
            self.hung -= 1

    def garble(self, text: str) -> str:
        """Noise of about the same size as ``text`` that no HMC record parser accepts."""
        alphabet = "#%&*+-/:;<>?@[]^_{|}~ \t" + "abcdefxyz0123456789"
        size = max(16, len(text))
        noise = "".join(self._rng.choice(alphabet) for _ in range(size))
        lines = [noise[i : i + 60] for i in range(0, size, 60)]
        return "\x1b[?25l" + "\n".join(lines) + '\n"unterminated,\n'


def truncated(text: str) -> str:
    """The first half of ``text``: cut mid-record, as a dropped link leaves it."""
    return text[: len(text) // 2]
