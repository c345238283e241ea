"""What the world's helpers need of the world: physics, validation and the in-flight start-up.

``state.World`` is the one implementation; the helpers take this protocol so that they do not
import the module that imports them (the world owns its physics and starts its in-flight jobs).
"""

from __future__ import annotations

from typing import Protocol

from lpmtui.common.clock import Clock
from lpmtui.sim.settings import SimSettings
from lpmtui.sim.world.model import MigrationJob, SimFrame, SimHmc


class Integrator(Protocol):
    """The world's physics, as the in-flight start-up drives it."""

    last: float

    def advance(self, now: float) -> None: ...


class WorldView(Protocol):
    settings: SimSettings
    clock: Clock
    hmcs: dict[str, SimHmc]
    frames: dict[str, SimFrame]
    jobs: list[MigrationJob]
    physics: Integrator

    def update(self) -> None: ...

    def open_jobs(self) -> list[MigrationJob]: ...

    def start_job(self, job: MigrationJob, at: float | None = None) -> None: ...

    def complete_job(self, job: MigrationJob, now: float) -> None: ...

    def fail_job(self, job: MigrationJob, message: str, needs_force: bool, now: float) -> None: ...
