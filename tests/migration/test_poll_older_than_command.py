"""A poll asked before a job's command ended is no verdict on that job (issue #17, "never a
false verdict").

test_sim_scenarios.py::test_recovery_that_needs_force_keeps_the_hmc_message_until_forced[ssh]
failed under load with "needs recovery" and the refused recovery's HSCLSIM44 message after
``migrlpar -o r --force`` had returned rc 0 and the partition was recovered: the watcher's
``lslparmigr`` was answered before the forced recovery ran ("Migration Failed"), its answer was
judged after the recovery's rc 0 arrived ("recovering", last command ended ok, the HMC says
failed: needs recovery), and a job in "needs recovery" is watched no more, so the recovery's own
look afterwards saw nothing to judge. Here the same interleaving is staged in-process: the poll
is answered by the simulator before the recovery runs, and its answer is held until the
recovery's rc 0 has been noted.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from lpmtui.migration.manager import MigrationRequest, MigrationState
from lpmtui.migration.outcome import JobView, LastCommand, Observation, judge
from lpmtui.model import MigrationStatus, Partition
from tests.migration.conftest import settle
from tests.migration.stacks import Stack

S = MigrationState
POLL = ("lslparmigr", "-r", "lpar", "-m", "p9-a")


async def test_a_poll_answered_before_a_forced_recovery_is_no_verdict_after_it(stack: Stack):
    link = next(link for link in stack.fleet.links if link.name == "hmc-a")
    real_run = link.run
    recover_go = asyncio.Event()
    poll_answered = asyncio.Event()
    release_poll = asyncio.Event()
    armed = [False]

    async def run(argv, *, timeout=None):
        argv = tuple(argv)
        if argv[:3] == ("migrlpar", "-o", "r") and "--force" in argv:
            armed[0] = True  # the next poll of p9-a is the one that races this recovery
            await recover_go.wait()
        elif argv == POLL and armed[0]:
            armed[0] = False
            result = await real_run(argv, timeout=timeout)  # answered before the recovery ran
            poll_answered.set()
            await release_poll.wait()  # ... and slow to come back
            return result
        return await real_run(argv, timeout=timeout)

    link.run = run
    manager = stack.manager()
    stack.world.inject_failure("web1", after_fraction=0.5, needs_force=True)
    job = await manager.start(MigrationRequest("web1", "p9-a", "p9-b"), confirmed_name="web1")
    await stack.run_until(manager, job.job_id, {S.NEEDS_RECOVERY}, 300)
    refused = await manager.recover(job.job_id, confirmed=True)
    assert refused.state is S.NEEDS_RECOVERY and "HSCLSIM44" in refused.message
    # Another migration keeps the watcher polling p9-a while the recovery is out.
    other = await manager.start(MigrationRequest("web2", "p9-a", "p9-b"), confirmed_name="web2")
    await stack.run_until(manager, other.job_id, {S.IN_PROGRESS})
    seen: list[tuple[S, str]] = []
    manager.subscribe(lambda p: p.job_id == job.job_id and seen.append((p.state, p.message)))

    forced = asyncio.create_task(manager.recover(job.job_id, confirmed=True, force=True))
    assert await stack.until(poll_answered.is_set, 10), "no poll raced the recovery"
    answered = [j for j in stack.world.open_jobs() if j.partition.name == "web1"]
    assert answered, "the poll was to be answered while web1 still needed recovery"
    recover_go.set()
    done = ("recover", "done", "ok")
    for _ in range(50):
        if done in [(r["op"], r["phase"], r.get("outcome")) for r in manager.audit.records()]:
            break
        await settle()
    assert not [j for j in stack.world.open_jobs() if j.partition.name == "web1"]
    assert stack.world.frames["p9-a"].by_name("web1").state == "Running"
    release_poll.set()  # the old answer reaches the watcher after the recovery's rc 0
    await forced
    final = await stack.run_until(
        manager, job.job_id, {S.RECOVERED, S.FAILED, S.NEEDS_RECOVERY, S.SUCCEEDED}, 30
    )
    assert final.state is S.RECOVERED, final
    assert final.message == "recovered: web1 is on p9-a (Running)"
    assert seen[0] == (S.RECOVERING, "recovery sent (--force)"), seen
    assert [s for s, _ in seen] == [S.RECOVERING, S.RECOVERED], seen


def test_a_stuck_partition_after_a_recovery_ended_ok_is_reported_in_the_hmcs_words():
    """The refused recovery's message is not the forced one's: when the HMC still says the
    migration failed after ``migrlpar -o r --force`` returned rc 0, the job needs recovery in
    the HMC's current words, not in the earlier refusal's "use --force"."""
    refusal = "HSCLSIM44 The migration of web1 cannot be recovered without --force."
    view = JobView(
        state=S.RECOVERING,
        partition="web1",
        source="p9-a",
        target="p9-b",
        last_command=LastCommand.ENDED_OK,
        command_message=refusal,
        recovery_sent=True,
    )
    failed = MigrationStatus("web1", 3, migration_state="Migration Failed")
    assert judge(view, Observation(True, failed)) == (
        S.NEEDS_RECOVERY,
        "the HMC reports Migration Failed",
    )
    stuck = Partition("p9-a", "web1", 3, state="Migrating - Running")
    assert judge(view, Observation(True, None, on_source=stuck)) == (
        S.NEEDS_RECOVERY,
        "web1 is left in state Migrating - Running and is not migrating",
    )
    refused = replace(view, last_command=LastCommand.ENDED_FAILED)
    assert judge(refused, Observation(True, failed)) == (S.NEEDS_RECOVERY, refusal)
