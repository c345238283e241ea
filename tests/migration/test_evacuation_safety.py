"""Evacuation invariants a one-line change would break: processor units are counted across
the plan (exactly the units for two partitions take two), and a record that cannot be written
starts nothing."""

from __future__ import annotations

import pytest
import yaml

from lpmtui.cli.check import collect
from lpmtui.evacuation.plan import plan_evacuation
from tests.migration.stacks import FLEET, Stack
from tests.migration.test_evacuation import _plan


def _processors(units: float) -> str:
    data = yaml.safe_load(FLEET)
    data["hmcs"][0]["frames"][1]["processors"] = units  # p9-b
    return yaml.safe_dump(data)


@pytest.mark.parametrize(("free_units", "placed"), [(1.0, 2), (0.99, 1), (1.5, 3)])
async def test_processor_units_are_counted_across_the_plan(stack: Stack, free_units, placed):
    vios_units = 2.0  # the two VIOSes of p9-b hold 1.0 each
    snapshot, plan = await _plan(stack.clock, _processors(vios_units + free_units))
    assert snapshot.frame("p9-b")[1].system.proc_units_available == pytest.approx(free_units)
    assert snapshot.frame("p9-b")[1].system.mem_available >= 3 * 8192  # memory is not the limit
    assert len(plan.moves) == placed, plan
    assert {m.target for m in plan.moves} <= {"p9-b"}
    for stay in plan.stays:
        assert stay.reason == (
            "no target has room left once the other partitions are placed (needs 8 GB, 0.5 "
            "processor units, 2 virtual slots)"
        )


async def test_an_evacuation_whose_record_cannot_be_written_starts_nothing(stack: Stack, tmp_path):
    from lpmtui.evacuation.run import EvacuationLog, run_plan
    from lpmtui.migration.manager import MigrationError

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the state directory should be\n")
    log = EvacuationLog(blocker / "evacuations.jsonl")
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    assert plan.moves
    manager = stack.manager()
    with pytest.raises(MigrationError, match=r"cannot write .*nothing was started"):
        await run_plan(manager, plan, confirmed_frame="p9-a", log=log)
    assert manager.jobs() == [] and stack.sent("m") == [] and stack.sent("v") == []
