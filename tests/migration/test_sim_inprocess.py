"""End to end in-process: MigrationManager + Fleet + SimLink over the simulated HMCs, ManualClock.

The simulator is the one the demo runs (its own physics, limits, trust and failures); only the
network is left out (see test_sim_ssh.py for the same flows over real SSH).
"""

from __future__ import annotations

import pytest

from lpmtui.audit import AuditLog
from lpmtui.fleet import Fleet
from lpmtui.journal import Journal
from lpmtui.migration import MigrationManager, MigrationRequest, MigrationState, ReadOnlyError
from lpmtui.sim.clock import ManualClock
from lpmtui.sim.world import World
from lpmtui.simlink import sim_links
from tests.migration.conftest import advance

S = MigrationState

FLEET = """
hmcs:
  - name: hmc-a
    address: 10.0.0.1
    version: V10R3 M1060
    frames:
      - name: p9-a
        type_model: 9009-42A
        serial: 7800AAA
        generation: POWER9
        vlans: [1, 200]
        memory: 262144
        processors: 16
        vios: [{name: vios-a1}, {name: vios-a2}]
        partitions:
          - {name: web1, mem: 8192, vlans: [200], dirty_rate: 5}
          - {name: web2, mem: 8192, vlans: [200], dirty_rate: 5}
          - {name: web3, mem: 8192, vlans: [200], dirty_rate: 5}
      - name: p9-b
        type_model: 9009-42A
        serial: 7800BBB
        generation: POWER9
        vlans: [1, 200]
        memory: 262144
        processors: 16
        max_migrations: {active: 2, inactive: 8}
        vios: [{name: vios-b1}, {name: vios-b2}]
  - name: hmc-b
    address: 10.0.0.2
    version: V10R3 M1060
    frames:
      - name: p10-c
        type_model: 9105-42A
        serial: 7800CCC
        generation: POWER10
        vlans: [1, 200]
        memory: 262144
        processors: 16
        vios: [{name: vios-c1}, {name: vios-c2}]
"""


@pytest.fixture
def world(clock: ManualClock) -> World:
    return World.from_yaml(FLEET, clock)


@pytest.fixture
async def fleet(world: World, clock: ManualClock) -> Fleet:
    fleet = Fleet(sim_links(world), clock=clock.now)
    await fleet.refresh_now()
    return fleet


@pytest.fixture
async def manager(fleet: Fleet, clock: ManualClock):
    manager = MigrationManager(
        fleet, journal=Journal(), audit=AuditLog(), clock=clock, poll_interval=2.0,
        stall_after=30.0,
    )
    yield manager
    await manager.close()


def sent(world: World, op: str) -> list[tuple[str, ...]]:
    return [a for a in world.received["hmc-a"] if a[:3] == ("migrlpar", "-o", op)]


def request(name: str = "web1", target: str = "p9-b", **kw) -> MigrationRequest:
    return MigrationRequest(name, "p9-a", target, **kw)


async def run_until(clock, manager, job_id, states, limit=120.0):
    waited = 0.0
    while manager.job(job_id).state not in states and waited < limit:
        await advance(clock, 1)
        waited += 1
    return manager.job(job_id)


async def test_migration_to_verified_placement_with_progress(manager, fleet, world, clock):
    events = []
    manager.subscribe(events.append)
    job = await manager.start(request(), confirmed_name="web1")
    final = await run_until(clock, manager, job.job_id, {S.SUCCEEDED, S.FAILED})
    assert final.state is S.SUCCEEDED, final.message
    names = {p.name for p in fleet.snapshot.frame("p9-b")[1].partitions}
    assert "web1" in names
    assert "web1" not in {p.name for p in fleet.snapshot.frame("p9-a")[1].partitions}
    moving = [e for e in events if e.state is S.IN_PROGRESS and e.percent is not None]
    assert len(moving) >= 3 and moving[-1].percent > moving[0].percent
    assert any(e.rate and e.eta is not None for e in moving)
    # the manager's own polls (the fleet's collectors address frames by type-model*serial)
    polls = [a for a in world.received["hmc-a"] if a[:3] == ("lslparmigr", "-r", "lpar")]
    mine = [a for a in polls if "p9-a" in a or "p9-b" in a]
    assert mine and all(a == ("lslparmigr", "-r", "lpar", "-m", "p9-a") for a in mine)
    assert len(sent(world, "m")) == 1


async def test_concurrent_up_to_the_target_limit_then_queued(manager, world, clock):
    jobs = [await manager.start(request(n), confirmed_name=n) for n in ("web1", "web2", "web3")]
    assert [j.state for j in jobs] == [S.STARTING, S.STARTING, S.QUEUED]
    assert "p9-b: 2 of 2 active migrations" in jobs[2].message
    await advance(clock, 3)
    assert len(sent(world, "m")) == 2
    final = await run_until(clock, manager, jobs[2].job_id, {S.SUCCEEDED, S.FAILED})
    assert final.state is S.SUCCEEDED, final.message
    assert [manager.job(j.job_id).state for j in jobs] == [S.SUCCEEDED] * 3


async def test_stop(manager, world, clock):
    job = await manager.start(request(), confirmed_name="web1")
    await run_until(clock, manager, job.job_id, {S.IN_PROGRESS})
    await manager.stop(job.job_id, confirmed=True)
    final = await run_until(clock, manager, job.job_id, {S.STOPPED, S.FAILED, S.NEEDS_RECOVERY})
    assert final.state is S.STOPPED, final.message
    assert world.frames["p9-a"].by_name("web1") is not None


async def test_injected_failure_then_recover(manager, world, clock):
    world.inject_failure("web1", after_fraction=0.3)
    job = await manager.start(request(), confirmed_name="web1")
    failed = await run_until(clock, manager, job.job_id, {S.NEEDS_RECOVERY, S.FAILED})
    assert failed.state is S.NEEDS_RECOVERY
    assert world.history == [] and world.jobs[0].message in failed.message  # verbatim
    await manager.recover(job.job_id, confirmed=True)
    final = await run_until(clock, manager, job.job_id, {S.RECOVERED, S.SUCCEEDED})
    assert final.state is S.RECOVERED, final.message
    assert sent(world, "r") == [("migrlpar", "-o", "r", "-m", "p9-a", "-p", "web1")]


async def test_cross_hmc_without_then_with_trust(manager, world, clock):
    remote = {"remote_hmc": "10.0.0.2", "remote_user": "hscroot"}
    refused = await manager.start(request(target="p10-c", **remote), confirmed_name="web1")
    failed = await run_until(clock, manager, refused.job_id, {S.FAILED, S.SUCCEEDED})
    assert failed.state is S.FAILED and "HSCL3653" in failed.message
    world.trust("hmc-a", "hmc-b")
    job = await manager.start(request(target="p10-c", **remote), confirmed_name="web1")
    assert "--ip 10.0.0.2 -u hscroot" in job.command
    final = await run_until(clock, manager, job.job_id, {S.SUCCEEDED, S.FAILED})
    assert final.state is S.SUCCEEDED, final.message
    assert world.frames["p10-c"].by_name("web1") is not None


async def test_console_restarted_mid_migration(fleet, world, clock):
    first = MigrationManager(fleet, clock=clock, poll_interval=2.0)
    job = await first.start(request(), confirmed_name="web1")
    await run_until(clock, first, job.job_id, {S.IN_PROGRESS})
    await first.close()
    second = MigrationManager(fleet, clock=clock, poll_interval=2.0)
    try:
        [again] = await second.reattach()
        assert again.job_id == job.job_id and again.state is S.IN_PROGRESS
        final = await run_until(clock, second, job.job_id, {S.SUCCEEDED, S.FAILED})
        assert final.state is S.SUCCEEDED
        assert len(sent(world, "m")) == 1
    finally:
        await second.close()


async def test_read_only_refusal(fleet, world):
    manager = MigrationManager(fleet, read_only=True)
    with pytest.raises(ReadOnlyError):
        await manager.start(request(), confirmed_name="web1")
    assert sent(world, "m") == []


async def test_recovery_that_needs_force_keeps_the_hmc_message_until_forced(manager, world, clock):
    world.inject_failure("web1", after_fraction=0.5, needs_force=True)
    job = await manager.start(request(), confirmed_name="web1")
    await run_until(clock, manager, job.job_id, {S.NEEDS_RECOVERY, S.FAILED})
    refused = await manager.recover(job.job_id, confirmed=True)
    assert refused.state is S.NEEDS_RECOVERY and "--force" in refused.message
    await manager.recover(job.job_id, confirmed=True, force=True)
    final = await run_until(clock, manager, job.job_id, {S.RECOVERED, S.SUCCEEDED})
    assert final.state is S.RECOVERED, final.message
    assert [a[-1] for a in sent(world, "r")] == ["web1", "--force"]
