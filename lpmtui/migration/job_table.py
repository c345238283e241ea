"""The jobs this console holds, shared by the manager and its collaborators.

``JobTable`` is the one place migration jobs live: the start queue, the operator's actions and
the watcher all read and change jobs through it, never through each other. It also turns a job
into its frozen ``MigrationProgress`` (with its place in the queue) and tells subscribers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from lpmtui.common.clock import Clock
from lpmtui.common.listeners import Listeners
from lpmtui.migration.jobs import Job
from lpmtui.migration.types import MigrationError, MigrationProgress, MigrationState

log = logging.getLogger("lpmtui.migration")


class JobTable:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._jobs: dict[str, Job] = {}
        self._subscribers: Listeners[MigrationProgress] = Listeners(
            "migration progress subscriber", log
        )

    def __iter__(self) -> Iterator[Job]:
        return iter(list(self._jobs.values()))

    def __contains__(self, job_id: object) -> bool:
        return job_id in self._jobs

    def add(self, job: Job) -> None:
        self._jobs[job.id] = job

    def get(self, job_id: str) -> Job:
        try:
            return self._jobs[job_id]
        except KeyError:
            raise MigrationError(f"no migration job {job_id!r} in this console") from None

    def queued(self) -> list[Job]:
        """Queued jobs, oldest first (the order they start in)."""
        return [j for j in self._jobs.values() if j.state is MigrationState.QUEUED]

    def running(self) -> list[Job]:
        return [j for j in self._jobs.values() if j.state.running]

    def committed(self) -> list[Job]:
        """Jobs that hold a slot under the limits: running, or waiting for a channel to go."""
        return [
            j for j in self._jobs.values() if j.state.running or j.state is MigrationState.WAITING
        ]

    def watched(self) -> list[Job]:
        return [j for j in self._jobs.values() if j.watched]

    def progress(self, job: Job) -> MigrationProgress:
        position = None
        if job.state is MigrationState.QUEUED:
            position = self.queued().index(job) + 1
        return job.progress(self.clock.now(), position)

    def all_progress(self) -> list[MigrationProgress]:
        return [self.progress(job) for job in self._jobs.values()]

    def subscribe(self, callback: Callable[[MigrationProgress], None]) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def emit(self, job: Job) -> None:
        # a broken subscriber must not stop a migration being watched: Listeners logs it
        self._subscribers.emit(self.progress(job))

    def emit_progress(self, progress: MigrationProgress) -> None:
        """Tell subscribers of a migration this table does not hold (started elsewhere)."""
        self._subscribers.emit(progress)
