"""A recorded maintenance window, made by running the in-process simulator (tests.migration's
stack): a validation the HMC refuses, a migration the HMC fails, an evacuation of p9-a onto
p9-b and its bring-home. The records land in the XDG state dir the tests point at."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from unittest import mock

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
WINDOW_START = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)  # sim time 1000.0 of the stack


@contextlib.contextmanager
def on_sim_time(stack: Stack) -> Iterator[None]:
    """Records stamped with the stack's ManualClock (from WINDOW_START), so a 15-minute window
    reads as one, as it would on a real console, instead of a few wall milliseconds."""

    def now() -> str:
        at = WINDOW_START + timedelta(seconds=stack.clock.now() - 1000.0)
        return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    with (
        mock.patch("lpmtui.store.journal.utc_now", now),
        mock.patch("lpmtui.store.audit.utc_now", now),
        mock.patch("lpmtui.evacuation.records.utc_now", now),
    ):
        yield


async def record_window(stack: Stack) -> dict:
    with on_sim_time(stack):
        return await _record(stack)


async def _record(stack: Stack) -> dict:
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
