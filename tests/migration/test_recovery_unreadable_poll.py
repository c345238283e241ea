"""A recovery whose status poll fails while ``migrlpar -o r`` is out ends "recovered", never
"outcome unknown" (found by the fault soak, seed 11: app1 was left "outcome unknown: migrlpar
ended without error but app1 is still on p9-b": one unreadable ``lslparmigr`` during the
recovery turned "recovering" into "outcome unknown", the recovery's rc 0 then came back to a job
no longer recovering, and the partition back on its source read as a migration that never
moved)."""

from __future__ import annotations

import asyncio

from lpmtui.hmc.runner import CommandResult
from lpmtui.migration.manager import MigrationRequest, MigrationState
from tests.migration.stacks import Stack

S = MigrationState
GARBAGE = '\x1b[?25l#%&*xyz\n"unterminated,\n'


async def test_an_unreadable_poll_during_a_recovery_is_no_verdict(stack: Stack):
    link = next(link for link in stack.fleet.links if link.name == "hmc-a")
    real_run = link.run
    answer = asyncio.Event()
    unreadable = asyncio.Event()

    async def run(argv, *, timeout=None):
        result = await real_run(argv, timeout=timeout)
        if tuple(argv[:3]) == ("migrlpar", "-o", "r"):
            await answer.wait()  # the HMC recovered it; its answer is slow to come back
        if tuple(argv[:3]) == ("lslparmigr", "-r", "lpar") and unreadable.is_set():
            return CommandResult(result.argv, 0, GARBAGE, "", result.started, result.duration)
        return result

    link.run = run
    manager = stack.manager()
    stack.world.inject_failure("web1", 0.3)
    job = await manager.start(MigrationRequest("web1", "p9-a", "p9-b"), confirmed_name="web1")
    await stack.run_until(manager, job.job_id, {S.NEEDS_RECOVERY}, 300)
    seen: list[S] = []
    manager.subscribe(lambda p: p.job_id == job.job_id and seen.append(p.state))
    # Another migration keeps the watcher polling while the recovery command is out (the soak
    # keeps three going).
    other = await manager.start(MigrationRequest("web2", "p9-a", "p9-b"), confirmed_name="web2")
    await stack.run_until(manager, other.job_id, {S.IN_PROGRESS})
    recovering = asyncio.create_task(manager.recover(job.job_id, confirmed=True))
    await stack.until(lambda: manager.job(job.job_id).state is S.RECOVERING, 10)
    unreadable.set()
    polls = sum(1 for a in stack.world.received["hmc-a"] if a[0] == "lslparmigr")
    grew = await stack.until(
        lambda: sum(1 for a in stack.world.received["hmc-a"] if a[0] == "lslparmigr") > polls + 2,
        60,
    )
    assert grew, "the watcher did not poll while the recovery was out"
    assert manager.job(job.job_id).state is S.RECOVERING  # a failed poll is no verdict
    unreadable.clear()
    answer.set()
    await recovering
    final = await stack.run_until(
        manager, job.job_id, {S.RECOVERED, S.FAILED, S.NEEDS_RECOVERY, S.SUCCEEDED}, 120
    )
    assert final.state is S.RECOVERED, final
    assert final.message == "recovered: web1 is on p9-a (Running)"
    assert S.OUTCOME_UNKNOWN not in seen, seen
    assert not [j for j in stack.world.open_jobs() if j.partition.name == "web1"]
    assert stack.world.frames["p9-a"].by_name("web1").state == "Running"


async def test_a_recovery_answered_after_the_state_moved_on_is_still_recovered(stack: Stack):
    """Whatever moved the state meanwhile (here: the recovery's own answer lost with the
    link, then a poll that could not be read), a partition back on its source, not migrating,
    after a recovery was sent, was recovered: not failed, not unknown."""
    link = next(link for link in stack.fleet.links if link.name == "hmc-a")
    real_run = link.run
    unreadable = asyncio.Event()

    async def run(argv, *, timeout=None):
        result = await real_run(argv, timeout=timeout)
        if tuple(argv[:3]) == ("migrlpar", "-o", "r"):
            unreadable.set()
            return CommandResult(result.argv, None, "", "connection lost", result.started, 0.0)
        if tuple(argv[:3]) == ("lslparmigr", "-r", "lpar") and unreadable.is_set():
            unreadable.clear()  # one unreadable poll, then the truth
            return CommandResult(result.argv, 0, GARBAGE, "", result.started, result.duration)
        return result

    link.run = run
    manager = stack.manager()
    stack.world.inject_failure("web1", 0.3)
    job = await manager.start(MigrationRequest("web1", "p9-a", "p9-b"), confirmed_name="web1")
    await stack.run_until(manager, job.job_id, {S.NEEDS_RECOVERY}, 300)
    await manager.recover(job.job_id, confirmed=True)
    final = await stack.run_until(
        manager, job.job_id, {S.RECOVERED, S.FAILED, S.NEEDS_RECOVERY, S.SUCCEEDED}, 120
    )
    assert final.state is S.RECOVERED, final
    assert final.message == "recovered: web1 is on p9-a (Running)"
