"""A recorded maintenance window, made by running the in-process simulator (tests.migration's
stack): a validation the HMC refuses, a migration the HMC fails, an evacuation of p9-a onto
p9-b and its bring-home. The records land in the XDG state dir the tests point at."""

from __future__ import annotations

from lpmtui.cli.check import collect
from lpmtui.evacuation.plan import plan_evacuation, plan_return
from lpmtui.evacuation.records import EvacuationLog
from lpmtui.evacuation.run import run_plan
from lpmtui.migration.manager import MigrationState
from lpmtui.migration.types import MigrationRequest
from lpmtui.store.journal import Journal
from tests.migration.stacks import Stack
from tests.migration.test_evacuation import all_ended

S = MigrationState


async def record_window(stack: Stack) -> dict:
    manager = stack.manager()
    log = EvacuationLog.beside(Journal().path)
    snapshot = await collect(stack.fleet)
    _hmc, frame = snapshot.frame("p9-a")
    web1 = next(p for p in frame.partitions if p.name == "web1")
    wrong = MigrationRequest(partition="web1", lpar_id=web1.lpar_id, source="p9-a", target="p10-c")
    refused = await manager.validate(wrong)
    assert not refused.ok
    failing = await manager.start(wrong, confirmed_name="web1")
    (failed,) = await all_ended(stack, manager, [failing])
    assert failed.state is S.FAILED, failed
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    out = await run_plan(manager, plan, confirmed_frame="p9-a", log=log)
    assert [p.state for p in await all_ended(stack, manager, out.started)] == [S.SUCCEEDED] * 3
    assert await stack.until(
        lambda: len(plan_return(stack.fleet.snapshot, out.evacuation).moves) == 3, limit=10
    )
    back = plan_return(stack.fleet.snapshot, out.evacuation)
    home = await run_plan(manager, back, confirmed_frame="p9-a", log=log)
    assert [p.state for p in await all_ended(stack, manager, home.started)] == [S.SUCCEEDED] * 3
    await home.recorded
    return {"evacuation": out.evacuation, "failed": failed, "lpar_id": web1.lpar_id}
