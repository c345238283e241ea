"""``migrlpar -o m`` ends rc 0 but the partition never moved (found by the fault soak, seed 11:
app6 was left "outcome unknown" at the end). Once a readable ``lslparmigr`` says it is not
migrating and a fresh partition list shows it on its source only, after the confirmation wait,
the move did not happen: the job is failed, true to the HMC, and never judged so on an old list.

The HMC's answer here is what the simulator's garbage fault used to make of a failed command (rc
1 turned into rc 0 under noise); whatever turns a failure into rc 0, the verdict is the same."""

from __future__ import annotations

from lpmtui.hmc.runner import CommandResult
from lpmtui.migration.manager import MigrationError, MigrationRequest, MigrationState
from tests.migration.stacks import Stack

S = MigrationState


def _answer_rc0_with_noise(link) -> None:
    real_run = link.run

    async def run(argv, *, timeout=None):
        result = await real_run(argv, timeout=timeout)
        if tuple(argv[:3]) == ("migrlpar", "-o", "m") and result.rc != 0:
            return CommandResult(
                result.argv, 0, '#%&*xyz\n"unterminated,\n', "", result.started, result.duration
            )
        return result

    link.run = run


async def test_rc0_with_the_partition_still_on_its_source_is_a_failed_move(stack: Stack):
    link = next(link for link in stack.fleet.links if link.name == "hmc-a")
    _answer_rc0_with_noise(link)
    manager = stack.manager()
    job = await manager.start(MigrationRequest("web1", "p9-a", "p9-b"), confirmed_name="web1")
    await stack.run_until(manager, job.job_id, {S.IN_PROGRESS})
    seen: list[S] = []
    manager.subscribe(lambda p: p.job_id == job.job_id and seen.append(p.state))
    real_refresh = stack.fleet.refresh_now
    refreshes = []

    async def broken_refresh():
        refreshes.append(1)
        raise OSError("connection lost while listing partitions")

    stack.fleet.refresh_now = broken_refresh
    world_job = next(j for j in stack.world.jobs if j.partition.name == "web1")
    stack.world.stop_job(world_job)  # another console stopped it: the HMC's migrlpar fails
    # Far past the confirmation wait (60 s), on an old list: no verdict.
    await stack.until(lambda: False, 200)
    assert len(refreshes) >= 2
    assert stack.world.frames["p9-a"].by_name("web1") is not None
    assert stack.world.frames["p9-b"].by_name("web1") is None
    assert not [s for s in seen if s.terminal], seen
    stack.fleet.refresh_now = real_refresh  # the list can be read again
    final = await stack.run_until(manager, job.job_id, {S.FAILED, S.SUCCEEDED, S.NEEDS_RECOVERY})
    assert final.state is S.FAILED, final
    assert final.message == (
        "migrlpar ended without error but web1 is still on p9-a (Running) and not migrating: "
        "the move did not happen"
    )
    assert not stack.world.open_jobs()  # true to the HMC: on the source, nothing migrating
    assert stack.world.frames["p9-a"].by_name("web1").state == "Running"
    assert len(stack.sent("m")) == 1


async def test_no_move_back_while_the_first_move_is_unsettled(stack: Stack):
    """The verdict above is only true if nothing of this console moved the partition back
    meanwhile: while web1's move p9-a -> p9-b is not settled (here: rc 0, its placement not yet
    confirmed on a fresh list), a migration of web1 from p9-b is refused, nothing sent."""
    manager = stack.manager()
    job = await manager.start(MigrationRequest("web1", "p9-a", "p9-b"), confirmed_name="web1")
    real_refresh = stack.fleet.refresh_now

    async def broken_refresh():
        raise OSError("connection lost while listing partitions")

    stack.fleet.refresh_now = broken_refresh  # the watcher cannot confirm the placement
    await stack.until(lambda: any(j.partition.name == "web1" for j in stack.world.history), 600)
    assert stack.world.frames["p9-b"].by_name("web1") is not None  # landed, not yet confirmed
    assert not manager.job(job.job_id).state.terminal
    try:
        await manager.start(MigrationRequest("web1", "p9-b", "p9-a"), confirmed_name="web1")
    except MigrationError as exc:
        assert "web1 already has a migration here" in str(exc), exc
    else:
        raise AssertionError("a second migration of web1 was started while its first was open")
    assert len(stack.sent("m")) == 1
    stack.fleet.refresh_now = real_refresh
    final = await stack.run_until(manager, job.job_id, {S.SUCCEEDED, S.FAILED, S.NEEDS_RECOVERY})
    assert final.state is S.SUCCEEDED, final
