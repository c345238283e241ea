"""Evacuating a frame whose partitions carry hostile names: every move is planned, each argv
reaches the HMC byte-exact (frames by name, partitions by id). (How the plan's lines are shown
with control characters spelled out is tested in tests/test_visible.py.)"""

from __future__ import annotations

from lpmtui.cli.check import collect
from lpmtui.common.clock import ManualClock
from lpmtui.evacuation.plan import plan_evacuation
from lpmtui.evacuation.run import EvacuationLog, run_plan
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import MigrationManager
from lpmtui.simlink import sim_links
from tests.migration.conftest import settle
from tests.test_visible import TARGET, hostile_world


async def test_an_evacuation_of_hostile_names_sends_exact_argv(tmp_path):
    clock = ManualClock(start=1000.0)
    world = hostile_world(clock)
    fleet = Fleet(sim_links(world), clock=clock.now)
    manager = MigrationManager(fleet, clock=clock)
    try:
        snapshot = await collect(fleet)
        plan = plan_evacuation(snapshot, "p9-a")
        by_name = {p.name: p.lpar_id for p in snapshot.frame("p9-a")[1].partitions}
        assert plan.moves and {m.partition for m in plan.moves} <= set(by_name)
        for m in plan.moves:
            argv = manager.build_command(m.request)
            assert argv == (
                "migrlpar", "-o", "m", "-m", "p9-a", "-t", TARGET, "--id", str(by_name[m.partition])
            )  # fmt: skip
        log = EvacuationLog(tmp_path / "evacuations.jsonl")
        result = await run_plan(manager, plan, confirmed_frame="p9-a", log=log)
        assert len(result.started) == len(plan.moves)
        await settle()  # the queue sends what the limits allow
        sent = [a for a in world.received["hmc-a"] if a[:3] == ("migrlpar", "-o", "m")]
        expected = {manager.build_command(m.request) for m in plan.moves}
        assert sent and set(sent) <= expected
    finally:
        await manager.close()
        await fleet.stop()
