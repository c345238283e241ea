"""A recovery command whose failure comes back after the watcher has seen the partition settle
on its target does not turn that outcome back into 'needs recovery' (found by the fault soak)."""

from __future__ import annotations

import asyncio

from lpmtui.hmc.runner import CommandResult
from lpmtui.migration.manager import MigrationRequest, MigrationState
from tests.migration.conftest import advance, settle

S = MigrationState


async def test_a_late_failed_recover_answer_does_not_undo_a_settled_outcome(
    make_manager, world, fleet, clock
):
    manager = make_manager()
    world.fail_next = 3
    job = await manager.start(MigrationRequest("web1", "SYS-A", "SYS-B"), confirmed_name="web1")
    await advance(clock, 8)
    assert manager.job(job.job_id).state is S.NEEDS_RECOVERY
    link = fleet.links["hmc1"]
    answer = asyncio.Event()
    real_run_long = link.run_long

    async def slow_recover(argv, **kwargs):
        if tuple(argv[:3]) != ("migrlpar", "-o", "r"):
            return await real_run_long(argv, **kwargs)
        await answer.wait()
        text = "HSCL8012 The partition named web1 was not found.\n"
        return CommandResult(tuple(argv), 1, text, "")

    link.run_long = slow_recover
    # Another migration keeps the watcher polling while the recovery command is out.
    other = await manager.start(MigrationRequest("web2", "SYS-A", "SYS-B"), confirmed_name="web2")
    recovering = asyncio.create_task(manager.recover(job.job_id, confirmed=True))
    await settle()
    assert manager.job(job.job_id).state is S.RECOVERING
    # Meanwhile the HMC finished the move after all: web1 runs on SYS-B, not migrating.
    world.migrations["web1"].state = "Not Migrating"
    world.frames["SYS-A"].pop("web1")
    world.frames["SYS-B"]["web1"] = "Running"
    await advance(clock, 4)
    settled = manager.job(job.job_id).state
    assert settled in (S.SUCCEEDED, S.RECOVERED), settled
    answer.set()
    await recovering
    assert manager.job(job.job_id).state is settled
    assert other.job_id != job.job_id
