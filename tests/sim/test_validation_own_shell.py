"""The simulated HMC does not call a migrating partition's own destination shell a name clash
(a different partition of the same name still is: the NAME_IN_USE scenario of
tests/sim/test_validation.py)."""

from __future__ import annotations

from lpmtui.common.clock import ManualClock
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.state import World


async def _validate(world: World, partition: str, target: str) -> str:
    shell = HmcShell(world, "hmc-v10", "hscroot")
    out = await shell.run(f"migrlpar -o v -m P10-E1080-A -t {target} -p {partition}")
    return out.stdout


async def test_a_migrating_partition_is_not_refused_for_its_own_shell():
    world = World.demo(ManualClock())
    assert world.frames["P9-S924-C"].by_name("archive-db") is not None  # the shell is there
    text = await _validate(world, "archive-db", "P9-S924-C")
    assert "already exists on the destination" not in text
