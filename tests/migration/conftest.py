"""Fixtures for the migration core: a fake two-HMC fleet on a ManualClock."""

from __future__ import annotations

import asyncio

import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.migration.manager import MigrationManager
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal
from tests.migration.fakes import FakeFleet, FakeWorld


async def advance(clock: ManualClock, seconds: float, step: float = 1.0) -> None:
    """Move sim time in steps, letting every woken coroutine chain run to its next wait."""
    remaining = seconds
    while remaining > 0:
        clock.advance(min(step, remaining))
        remaining -= step
        for _ in range(30):
            await asyncio.sleep(0)


async def settle() -> None:
    """Let started tasks reach their first wait (no sim time passes)."""
    for _ in range(30):
        await asyncio.sleep(0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1000.0)


@pytest.fixture
def world(clock) -> FakeWorld:
    w = FakeWorld(clock, supported=2)
    w.add_frame(
        "SYS-A",
        "hmc1",
        {"web1": "Running", "web2": "Running", "web3": "Running", "batch": "Not Activated"},
    )
    w.add_frame("SYS-B", "hmc1", {"other": "Running"})
    w.add_frame("SYS-C", "hmc2", {})
    return w


@pytest.fixture
def fleet(world) -> FakeFleet:
    return FakeFleet(world, ["hmc1", "hmc2"])


@pytest.fixture
async def make_manager(fleet, clock):
    managers: list[MigrationManager] = []

    def make(**kwargs) -> MigrationManager:
        kwargs.setdefault("journal", Journal())
        kwargs.setdefault("audit", AuditLog(user="tester", session="s1"))
        manager = MigrationManager(
            fleet,
            clock=clock,
            poll_interval=2.0,
            stall_after=10.0,
            confirm_timeout=10.0,
            **kwargs,
        )
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        await manager.close()


def migrlpar_sent(world, op: str) -> list[tuple[str, ...]]:
    return [argv for _, argv in world.received if argv[:3] == ("migrlpar", "-o", op)]


@pytest.fixture
async def stack(tmp_path):
    """The simulated fleet of stacks.FLEET in-process, on a ManualClock (the evacuation tests;
    modules that run over SSH too define their own)."""
    from tests.migration.stacks import open_stack  # stacks imports this module's advance()

    opened = await open_stack("inprocess", tmp_path)
    try:
        yield opened
    finally:
        await opened.close()
