"""Messages that carry core data into the app; the app owns every state change they cause."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from lpmtui.hmc.runner import CommandEvent
from lpmtui.model import FleetSnapshot, ValidationResult


class FleetUpdated(Message):
    """A new frozen fleet snapshot. A newer one replaces an older one still in the queue."""

    def __init__(self, snapshot: FleetSnapshot) -> None:
        self.snapshot = snapshot
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FleetUpdated)


class CommandRan(Message):
    """One HMC command completed (or failed to): for the command log."""

    def __init__(self, event: CommandEvent) -> None:
        self.event = event
        super().__init__()


class ValidationDone(Message):
    """``migrlpar -o v`` answered for (partition key, target)."""

    def __init__(self, key: str, target: str, result: ValidationResult) -> None:
        self.key = key
        self.target = target
        self.result = result
        super().__init__()


class MigrationUpdated(Message):
    """A migration's progress or state changed (MigrationProgress, frozen)."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        super().__init__()


class BackendFailed(Message):
    """The console could not start its connections at all (one line for the user)."""

    def __init__(self, error: str) -> None:
        self.error = error
        super().__init__()
