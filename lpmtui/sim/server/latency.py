"""How long a simulated HMC takes to answer a command.

Real HMC commands are slow: list commands take a few hundred milliseconds to about 1.5 s, and
``migrlpar -o v`` talks to both frames' partition firmware and the VIOS and takes tens of seconds.
The delay is in simulated seconds and is slept on the world's clock, so a ``RealClock(speed=10)``
makes it ten times shorter; ``scale`` shrinks or stretches it further. ``None`` (the default of
``start_fleet``) means no latency at all, which is what tests and benchmarks want.
"""

from __future__ import annotations

import random
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field

# Ranges in simulated seconds, chosen from published timings of HMC CLI calls (hmc-cli.md [?]).
LIST_RANGE = (0.3, 1.5)
VALIDATE_RANGE = (15.0, 40.0)
CHANGE_RANGE = (1.0, 3.0)
OTHER_RANGE = (0.1, 0.4)

_CHANGE_PREFIXES = ("ch", "mk", "rm", "migr", "start", "stop")


@dataclass
class Latency:
    """Per-command delay drawn uniformly from a range chosen by the command's kind."""

    list_range: tuple[float, float] = LIST_RANGE
    validate_range: tuple[float, float] = VALIDATE_RANGE
    change_range: tuple[float, float] = CHANGE_RANGE
    other_range: tuple[float, float] = OTHER_RANGE
    scale: float = 1.0
    seed: int | None = None
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.scale < 0:
            raise ValueError("latency scale must not be negative")
        self._rng = random.Random(self.seed)

    @classmethod
    def realistic(cls, *, seed: int | None = None) -> Latency:
        return cls(seed=seed)

    @classmethod
    def fixed(cls, seconds: float) -> Latency:
        """The same delay for every command (handy for timing tests)."""
        span = (seconds, seconds)
        return cls(span, span, span, span)

    def range_for(self, argv: Sequence[str]) -> tuple[float, float]:
        if not argv:
            return self.other_range
        name = argv[0]
        if name == "migrlpar" and _option(argv, "-o") == "v":
            return self.validate_range
        if name.startswith("ls"):
            return self.list_range
        if name.startswith(_CHANGE_PREFIXES):
            return self.change_range
        return self.other_range

    def delay_for(self, command_line: str) -> float:
        """Seconds to wait before answering ``command_line`` (unparseable lines answer quickly)."""
        try:
            argv = shlex.split(command_line)
        except ValueError:
            argv = []
        low, high = self.range_for(argv)
        return self._rng.uniform(low, high) * self.scale


def _option(argv: Sequence[str], flag: str) -> str | None:
    """The value after ``flag`` (``-o v``), or None."""
    for i, arg in enumerate(argv[:-1]):
        if arg == flag:
            return argv[i + 1]
    return None
