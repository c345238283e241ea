"""What the fault soak (soak.py) checks: every job's states against the simulator's truth.

``Ledger`` follows the manager's progress reports. Each time a job enters an ending state it
compares the claim with the simulated world at that instant (``world.update()`` first):

- ``succeeded``: the partition runs on the target, off the source, with no open HMC job;
- ``failed``, ``stopped``, ``recovered``: it is on the source with no open HMC job;
- ``needs recovery``: the HMC has a failed, unrecovered job for it (else: a false one);
- ``cancelled``: nothing to check here (its sends are counted below).

Sends: ``mark(partition)`` before each migration is asked for (by the soak, an evacuation or the
killed console) notes how many commands the HMC had received; every ``migrlpar -o m`` for that
partition received after the mark (and before the next mark of the same partition, since one
partition has one migration at a time) belongs to that job. A sent job must show exactly one.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from lpmtui.migration.manager import MigrationProgress, MigrationState

S = MigrationState
ENDING = {S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY, S.CANCELLED}


@dataclass
class Mark:
    partition: str
    index: int  # world.received[hmc].total when the migration was asked for
    where: set[tuple[str, str]]  # (frame, id) it leaves from (an evacuation uses ``--id``)
    by_id: bool = False  # the command names it by ``-m FRAME --id N``, not by ``-p NAME``
    job_id: str | None = None


@dataclass
class Ledger:
    world: Any
    hmc: str
    progress: dict[str, MigrationProgress] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # every ending state entered
    false_claims: list[str] = field(default_factory=list)
    false_needs_recovery: dict[str, str] = field(default_factory=dict)  # job id -> the first
    reattached: set[str] = field(default_factory=set)
    paths: dict[str, list[str]] = field(default_factory=dict)  # job id -> states it went through

    # -- marks --------------------------------------------------------------------------------

    def mark(self, partition: str, *, by_id: bool = False) -> Mark:
        where = {
            (f.name, str(lpar_id)) for f in self.world.frames.values()
            for lpar_id, part in f.partitions.items() if part.name == partition
        }  # fmt: skip
        made = Mark(partition, self.world.received[self.hmc].total, where, by_id)
        self.marks.append(made)
        return made

    def bind(self, made: Mark, job_id: str) -> None:
        made.job_id = job_id

    def unmark(self, made: Mark) -> None:
        self.marks.remove(made)

    # -- progress -----------------------------------------------------------------------------

    def on_progress(self, p: MigrationProgress) -> None:
        before = self.progress.get(p.job_id)
        self.progress[p.job_id] = p
        path = self.paths.setdefault(p.job_id, [])
        if not path or path[-1] != p.state.value:
            path.append(p.state.value)
        if p.reattached:
            self.reattached.add(p.job_id)
        if p.state in ENDING and (before is None or before.state is not p.state):
            self.outcomes[p.state.value] += 1
            self._check(p)

    def _where(self, partition: str) -> tuple[set[str], Any]:
        """Frames showing the partition, and its open HMC job (None when there is none)."""
        self.world.update()
        frames = {
            f.name for f in self.world.frames.values()
            for part in f.partitions.values() if part.name == partition
        }  # fmt: skip
        job = next((j for j in self.world.open_jobs() if j.partition.name == partition), None)
        return frames, job

    def _check(self, p: MigrationProgress) -> None:
        if p.state is S.CANCELLED:
            return
        frames, job = self._where(p.partition)
        src, dst = p.source, p.target
        if p.state is S.NEEDS_RECOVERY:
            if job is None or job.phase.value != "failed":
                self.false_needs_recovery.setdefault(
                    p.job_id,
                    f"{p.partition} ({p.job_id}): needs recovery but the HMC shows it "
                    f"on {sorted(frames)} with {'no open job' if job is None else job.phase}: "
                    f"{p.message} [states: {' > '.join(self.paths[p.job_id])}]",
                )
            return
        if p.state is S.SUCCEEDED:
            true = job is None and frames == {dst}
        else:
            true = job is None and frames == {src}
        if not true:
            self.false_claims.append(  # every time: a claim is false when it is made
                f"{p.partition} ({p.job_id}) {p.state.value} {src}->{dst}, but the HMC shows "
                f"it on {sorted(frames)} with {'no open job' if job is None else job.phase}"
            )

    # -- the end ------------------------------------------------------------------------------

    def unknown(self) -> list[MigrationProgress]:
        """Jobs whose outcome is not settled (anything but an ending state)."""
        return [p for p in self.progress.values() if p.state not in ENDING]

    def sends(self, journal_jobs: dict[str, Any]) -> dict[str, int]:
        """job id -> ``migrlpar -o m`` commands the HMC received for it."""
        return {key: len(found) for key, found in self.sent_commands().items()}

    def sent_commands(self) -> dict[str, list[str]]:
        """job id -> the ``migrlpar -o m`` commands (``#index argv``) received for it."""
        log = self.world.received[self.hmc]  # every migrlpar kept, with its sequence number
        by_partition: dict[str, list[Mark]] = defaultdict(list)
        for m in self.marks:
            by_partition[m.partition].append(m)
        counts: dict[str, list[str]] = {}
        for partition, marks in by_partition.items():
            marks.sort(key=lambda m: m.index)
            for i, m in enumerate(marks):
                end = marks[i + 1].index if i + 1 < len(marks) else log.total
                found = [
                    f"#{seq} {' '.join(argv)}"
                    for seq, argv in log.changes if m.index <= seq < end and _migrates(argv, m)
                ]  # fmt: skip
                counts[m.job_id or f"{partition}@{m.index} (no job)"] = found
        return counts

    def send_problems(self, journal_jobs: dict[str, Any]) -> tuple[list[str], list[str]]:
        """(jobs sent more than once, or sent when they should not have been; jobs journaled
        as sent that the HMC never received: a hung ``migrlpar -o m`` that never ran)."""
        broken, swallowed = [], []
        for key, found in self.sent_commands().items():
            n = len(found)
            entry = journal_jobs.get(key)
            progress = self.progress.get(key)
            state = progress.state.value if progress is not None else "no job"
            sent = entry is not None and entry.sent and state != S.CANCELLED.value
            if n > 1 or (n == 1 and not sent):
                broken.append(
                    f"{key}: sent {n} times ({state}, journal sent={bool(sent)}): {found}"
                )
            elif n == 0 and sent:
                swallowed.append(f"{key}: journaled as sent, never reached the HMC ({state})")
        return broken, swallowed


def _migrates(argv: tuple[str, ...], mark: Mark) -> bool:
    if argv[:3] != ("migrlpar", "-o", "m"):
        return False
    pairs = set(itertools.pairwise(argv))
    if ("-p", mark.partition) in pairs:
        return True
    return mark.by_id and any(("-m", f) in pairs and ("--id", i) in pairs for f, i in mark.where)
