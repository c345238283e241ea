"""What quitting does to migrations this console holds, in words (no Textual here).

A real HMC goes on migrating after the console quits: the journal lets the next start
re-attach. The demo's HMCs are simulated inside this process: quitting ends them and every
migration they run. Jobs never sent (queued, or waiting for a channel) are not sent later.
"""

from __future__ import annotations

from collections.abc import Iterable

from lpmtui.migration.types import MigrationProgress, MigrationState


def _migrations(n: int) -> str:
    return f"{n} migration" + ("" if n == 1 else "s")


def quit_notice(jobs: Iterable[MigrationProgress], *, in_process: bool) -> str | None:
    """The question to ask before quitting, or None when nothing is running or waiting."""
    jobs = list(jobs)
    running = sum(j.state.running for j in jobs)
    unsent = sum(j.state in (MigrationState.QUEUED, MigrationState.WAITING) for j in jobs)
    if not running and not unsent:
        return None
    lines = []
    if running and in_process:
        lines.append(
            f"{_migrations(running)} running on the demo's simulated HMCs. They live in this "
            "process: quitting ends the simulated HMCs and these migrations with them."
        )
    elif running:
        where = "keeps running on its HMC" if running == 1 else "keep running on their HMCs"
        lines.append(f"{_migrations(running)} {where}; lpmtui re-attaches at its next start.")
    if unsent:
        verb = "was" if unsent == 1 else "were"
        lines.append(
            f"{_migrations(unsent)} not sent yet (queued or waiting for a channel) {verb} "
            "never sent to an HMC and will not be started."
        )
    return "\n".join(lines) + "\n\nQuit lpmtui?"
