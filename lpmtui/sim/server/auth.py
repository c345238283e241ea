"""Login failure accounting for a simulated HMC: the real HMC's 3-strikes, 5-minute lockout.

The HMC locks an account after 3 consecutive failed logins for 5 minutes, and a further failure
while locked restarts the timer (hmc-cli.md §1.5, ssh.md §4.4). While locked even the right
password is refused. Each public key the client offers that is not authorized counts as a failure
too, which is how clients that offer several agent keys lock themselves out.

Time comes from the world's clock, so tests unlock an account by advancing a ManualClock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lpmtui.common.clock import Clock

MAX_FAILURES = 3
LOCK_SECONDS = 300.0


def lock_message(seconds_left: float, max_failures: int = MAX_FAILURES) -> str:
    """The HMC's text, e.g. ``The account is locked due to 3 failed logins. (5 minutes left
    to unlock)``; minutes are rounded up, as a countdown would show them."""
    minutes = max(1, math.ceil(seconds_left / 60.0 - 1e-9))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"The account is locked due to {max_failures} failed logins. "
        f"({minutes} {unit} left to unlock)"
    )


@dataclass
class _Tally:
    failures: int = 0
    locked_until: float | None = None


class LoginGuard:
    """Per-user failure tally and lock for one HMC."""

    def __init__(
        self,
        clock: Clock,
        *,
        max_failures: int = MAX_FAILURES,
        lock_seconds: float = LOCK_SECONDS,
    ) -> None:
        self._clock = clock
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
        self._tallies: dict[str, _Tally] = {}

    def seconds_left(self, user: str) -> float:
        """Seconds until ``user`` is unlocked; 0 when not locked."""
        tally = self._tallies.get(user)
        if tally is None or tally.locked_until is None:
            return 0.0
        left = tally.locked_until - self._clock.now()
        if left <= 0:
            # The lock ran out: the slate is clean again, as on the HMC.
            tally.locked_until = None
            tally.failures = 0
            return 0.0
        return left

    def is_locked(self, user: str) -> bool:
        return self.seconds_left(user) > 0

    def message(self, user: str) -> str | None:
        """The lock text for ``user`` while locked, else None."""
        left = self.seconds_left(user)
        return lock_message(left, self.max_failures) if left > 0 else None

    def failed(self, user: str) -> None:
        """Count one failed login; the third locks, and any failure while locked re-arms."""
        locked = self.is_locked(user)
        tally = self._tallies.setdefault(user, _Tally())
        tally.failures += 1
        if locked or tally.failures >= self.max_failures:
            tally.locked_until = self._clock.now() + self.lock_seconds

    def succeeded(self, user: str) -> None:
        """A successful login clears the tally (only possible while not locked)."""
        self._tallies.pop(user, None)

    def failures(self, user: str) -> int:
        tally = self._tallies.get(user)
        return 0 if tally is None else tally.failures
