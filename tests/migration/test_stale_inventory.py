"""A verdict is never drawn from an old partition list: when the refresh of the inventory fails
after lslparmigr says a partition no longer migrates, the job stays undecided that round and
is judged once the list is read again (found by the fault soak: a move that landed was called
'needs recovery' on the list from before the move)."""

from __future__ import annotations

from lpmtui.migration.manager import MigrationRequest, MigrationState
from tests.migration.stacks import Stack

S = MigrationState


async def test_a_failed_inventory_refresh_is_no_verdict(stack: Stack):
    manager = stack.manager()
    job = await manager.start(MigrationRequest("web1", "p9-a", "p9-b"), confirmed_name="web1")
    await stack.run_until(manager, job.job_id, {S.IN_PROGRESS})
    await stack.fleet.refresh_now()  # the list now shows web1 "Migrating - Running" on p9-a
    real_refresh = stack.fleet.refresh_now
    failures = []

    async def broken_refresh():
        failures.append(1)
        raise OSError("connection lost while listing partitions")

    stack.fleet.refresh_now = broken_refresh
    seen: list[S] = []
    manager.subscribe(lambda p: p.job_id == job.job_id and seen.append(p.state))
    world_job = next(j for j in stack.world.jobs if j.partition.name == "web1")
    await stack.until(lambda: not world_job.open and len(failures) >= 2, 600)
    assert stack.world.frames["p9-b"].by_name("web1") is not None  # it landed
    assert S.NEEDS_RECOVERY not in seen and S.FAILED not in seen
    assert manager.job(job.job_id).state not in (S.NEEDS_RECOVERY, S.FAILED, S.SUCCEEDED)
    stack.fleet.refresh_now = real_refresh  # the list can be read again
    final = await stack.run_until(manager, job.job_id, {S.SUCCEEDED, S.NEEDS_RECOVERY, S.FAILED})
    assert final.state is S.SUCCEEDED, final.message
    assert S.NEEDS_RECOVERY not in seen
