"""The injectable clocks: manual time wakes sleepers in order; real time runs at a speed."""

from __future__ import annotations

import asyncio
import time

import pytest

from lpmtui.common.clock import ManualClock, RealClock
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.state import World
from tests.sim.conftest import SMALL_FLEET


async def test_manual_clock_wakes_sleepers_in_deadline_order():
    clock = ManualClock(start=100.0)
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append((name, clock.now()))

    tasks = [asyncio.create_task(sleeper(n, s)) for n, s in (("late", 30), ("early", 10))]
    await asyncio.sleep(0)
    assert clock.sleepers == 2
    clock.advance(5)
    await asyncio.sleep(0)
    assert woke == []
    await clock.run_for(30, step=10)
    await asyncio.gather(*tasks)
    assert [n for n, _ in woke] == ["early", "late"]
    assert clock.now() == 135.0
    with pytest.raises(ValueError):
        clock.advance(-1)


async def test_real_clock_runs_at_its_speed():
    clock = RealClock(speed=100.0, start=0.0)
    started = time.monotonic()
    await clock.sleep(5.0)  # 50 ms of wall time
    assert 0.04 <= time.monotonic() - started < 1.0
    assert clock.now() >= 5.0
    with pytest.raises(ValueError):
        RealClock(speed=0)


async def test_a_migration_on_a_fast_real_clock_blocks_until_done():
    world = World.from_yaml(SMALL_FLEET, RealClock(speed=400.0))
    shell = HmcShell(world, "hmc-a")
    started = time.monotonic()
    result = await shell.run('migrlpar -o m -m p9-a -t p9-b -p "o\'brien"')  # ~16 sim seconds
    assert (result.rc, result.stdout) == (0, "")
    assert time.monotonic() - started < 2.0
    assert world.frames["p9-b"].by_name("o'brien").state == "Running"
