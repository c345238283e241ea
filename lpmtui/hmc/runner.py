"""The seam between command producers and whatever runs HMC commands.

Production runs argv over SSH (``lpmtui.transport``); fast tests run it through the simulator's
shell in-process. Both take argv, join it into one command line with ``commands.command_line``
(the HMC's restricted bash parses that string) and return a CommandResult.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What one HMC command did. ``rc`` None means the outcome is unknown (connection lost)."""

    argv: tuple[str, ...]
    rc: int | None
    stdout: str
    stderr: str = ""
    started: float = 0.0  # time.time() when sent
    duration: float = 0.0  # seconds

    @property
    def ok(self) -> bool:
        return self.rc == 0


@dataclass(frozen=True, slots=True)
class CommandEvent:
    """For the command log: every command run, on which HMC, with rc and duration."""

    hmc: str
    argv: tuple[str, ...]
    rc: int | None
    started: float
    duration: float
    error: str = ""  # a one-line reason when the command did not complete


class Runner(Protocol):
    async def run(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult: ...
