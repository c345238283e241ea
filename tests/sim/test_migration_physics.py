"""Migration physics on a ManualClock: states, bytes, placement, stop, failure, limits, trust."""

from __future__ import annotations

import asyncio
import time

import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.hmc import records
from lpmtui.hmc.commands import command_line
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.state import World
from tests.sim.conftest import SMALL_FLEET

DB = "'db prod 01'"
MIGRATE_DB = f"migrlpar -o m -m p9-a -t p9-b -p {DB}"


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def _status(shell: HmcShell, frame: str, name: str) -> dict[str, str]:
    argv = ["lslparmigr", "-r", "lpar", "-m", frame, "--filter", f"lpar_names={name}"]
    out = (await shell.run(command_line(argv))).stdout
    rows = records.parse(out)
    return rows[0] if rows else {}


async def _state(shell: HmcShell, frame: str, name: str) -> str:
    argv = ["lssyscfg", "-r", "lpar", "-m", frame, "--filter", f"lpar_names={name}", "-F", "state"]
    out = await shell.run(command_line(argv))
    text = out.stdout.strip()
    if out.rc == 1 and text.startswith("HSCL8012 "):  # a name filter naming no partition
        return ""
    assert out.rc == 0
    return text


async def _avail(shell: HmcShell, frame: str) -> tuple[int, float]:
    mem = (await shell.run(f"lshwres -r mem -m {frame} --level sys -F curr_avail_sys_mem")).stdout
    proc = (
        await shell.run(f"lshwres -r proc -m {frame} --level sys -F curr_avail_sys_proc_units")
    ).stdout
    return int(mem), float(proc)


async def test_active_migration_end_to_end(world: World, clock: ManualClock, shell: HmcShell):
    before_a, before_b = await _avail(shell, "p9-a"), await _avail(shell, "p9-b")
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    status = await _status(shell, "p9-a", "db prod 01")
    assert status["migration_state"] == "Migration Starting"
    assert status["migration_type"] == "active"
    assert (status["dest_sys_name"], status["source_msp_name"]) == ("p9-b", "vios-a1")
    assert await _state(shell, "p9-a", "db prod 01") == "Migrating - Running"
    assert await _state(shell, "p9-b", "db prod 01") == "Migrating - Running"  # the shell
    # the target reserves the partition's memory from the start
    assert (await _avail(shell, "p9-b"))[0] == before_b[0] - 65536

    seen, states = [], {status["migration_state"]}
    while not task.done():
        clock.advance(5)
        await _settle()
        status = await _status(shell, "p9-a", "db prod 01")
        if status.get("migration_state") == "Migration In Progress":
            seen.append(int(status["bytes_transmitted"]))
        states.add(status.get("migration_state"))
    assert (await task).rc == 0
    assert (await task).stdout == ""
    assert states >= {"Migration Starting", "Migration In Progress"}
    assert seen == sorted(seen) and len(set(seen)) > 5  # monotonically growing
    assert seen[-1] > 65536 * 1024 * 1024  # dirty pages were sent again
    # gone from the source, running on the target; both frames' capacities changed
    assert await _state(shell, "p9-a", "db prod 01") == ""
    assert await _state(shell, "p9-b", "db prod 01") == "Running"
    assert await _status(shell, "p9-b", "db prod 01") == {
        "name": "db prod 01",
        "lpar_id": "3",
        "migration_state": "Not Migrating",
    }
    after_a, after_b = await _avail(shell, "p9-a"), await _avail(shell, "p9-b")
    assert after_a == (before_a[0] + 65536, before_a[1] + 0.5)
    assert after_b == (before_b[0] - 65536, before_b[1] - 0.5)
    scsi = (
        await shell.run(
            "lshwres -r virtualio --rsubtype scsi --level lpar -m p9-b "
            "-F lpar_name,adapter_type,remote_lpar_name"
        )
    ).stdout.splitlines()
    assert "db prod 01,client,vios-b1" in scsi and "vios-b2,server,db prod 01" in scsi
    left = (
        await shell.run(
            "lshwres -r virtualio --rsubtype scsi --level lpar -m p9-a -F remote_lpar_name"
        )
    ).stdout
    assert "db prod 01" not in left


async def test_thirty_minute_migration_takes_milliseconds(
    world: World, clock: ManualClock, shell: HmcShell
):
    p = world.frames["p9-a"].by_name("db prod 01")
    p.mem = 200 * 1024  # 200 GB at 1000 MB/s with 50 MB/s dirty: well over 3 minutes
    world.frames["p9-b"].mem_configurable *= 4
    for v in world.frames["p9-a"].vioses():
        v.lpm_rate = 160.0  # a slow link: ~30 minutes
    started = time.monotonic()
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    clock.advance(3 * 3600)
    result = await task
    assert result.rc == 0
    job = world.history[-1]
    assert 25 * 60 < job.ended_at - job.started_at < 40 * 60
    assert time.monotonic() - started < 1.0


async def test_busy_partition_takes_longer():
    durations = []
    for dirty in (0.0, 600.0):
        c = ManualClock()
        w = World.from_yaml(SMALL_FLEET, c)
        w.frames["p9-a"].by_name("db prod 01").dirty_rate = dirty
        s = HmcShell(w, "hmc-a")
        task = asyncio.create_task(s.run(MIGRATE_DB))
        await _settle()
        c.advance(3600)
        assert (await task).rc == 0
        job = w.history[-1]
        durations.append(job.ended_at - job.started_at)
    assert durations[1] > durations[0] * 2


async def test_bandwidth_is_shared_on_the_msp_pair(
    world: World, clock: ManualClock, shell: HmcShell
):
    world.frames["p9-a"].by_name("vios-a2").msp = False  # one MSP pair for both
    world.frames["p9-b"].by_name("vios-b2").msp = False
    one = asyncio.create_task(shell.run(MIGRATE_DB))
    two = asyncio.create_task(shell.run('migrlpar -o m -m p9-a -t p9-b -p "o\'brien"'))
    await _settle()
    clock.advance(10)  # both past Migration Starting
    await _settle()
    a0 = int((await _status(shell, "p9-a", "db prod 01"))["bytes_transmitted"])
    b0 = int((await _status(shell, "p9-a", "o'brien"))["bytes_transmitted"])
    clock.advance(1)
    a1 = int((await _status(shell, "p9-a", "db prod 01"))["bytes_transmitted"])
    b1 = int((await _status(shell, "p9-a", "o'brien"))["bytes_transmitted"])
    assert a1 - a0 == b1 - b0 == 500 * 1024 * 1024  # 1000 MB/s split in two
    clock.advance(3600)
    assert (await one).rc == 0 and (await two).rc == 0


async def test_inactive_migration_takes_seconds(world: World, clock: ManualClock, shell: HmcShell):
    task = asyncio.create_task(shell.run("migrlpar -o m -m p9-a -t p9-b -p 'web;01'"))
    await _settle()
    assert await _state(shell, "p9-a", "web;01") == "Migrating - Not Activated"
    status = await _status(shell, "p9-a", "web;01")
    assert status["migration_type"] == "inactive"
    clock.advance(20)
    assert (await task).rc == 0
    job = world.history[-1]
    assert job.ended_at - job.started_at < 20
    assert await _state(shell, "p9-b", "web;01") == "Not Activated"


async def test_suspended_partition_migrates_and_stays_suspended(
    world: World, clock: ManualClock, shell: HmcShell
):
    task = asyncio.create_task(shell.run("migrlpar -o m -m p9-a -t p9-b -p sleepy"))
    await _settle()
    assert await _state(shell, "p9-a", "sleepy") == "Migrating - Suspended"
    clock.advance(600)
    assert (await task).rc == 0
    assert await _state(shell, "p9-b", "sleepy") == "Suspended"


async def test_stop_puts_the_partition_back(world: World, clock: ManualClock, shell: HmcShell):
    before = await _avail(shell, "p9-b")
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    clock.advance(20)
    stop = await shell.run(f"migrlpar -o s -m p9-a -p {DB}")
    assert (stop.rc, stop.stdout) == (0, "")
    result = await task
    assert result.rc == 1
    assert result.stdout.startswith("HSCLSIM41 ")
    assert await _state(shell, "p9-a", "db prod 01") == "Running"
    assert await _state(shell, "p9-b", "db prod 01") == ""
    assert await _avail(shell, "p9-b") == before
    again = await shell.run(f"migrlpar -o s -m p9-a -p {DB}")
    assert again.rc == 1 and again.stdout.startswith("HSCLSIM42 ")


async def test_failure_then_recover(world: World, clock: ManualClock, shell: HmcShell):
    world.inject_failure("db prod 01", after_fraction=0.4, needs_force=True)
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    clock.advance(3600)
    result = await task
    assert result.rc == 1 and result.stdout.startswith("HSCLSIM40 ")
    status = await _status(shell, "p9-a", "db prod 01")
    assert status["migration_state"] == "Migration Failed"
    transmitted = int(status["bytes_transmitted"])
    assert transmitted == pytest.approx(0.4 * 65536 * 1024 * 1024, rel=1e-6)
    assert await _state(shell, "p9-a", "db prod 01") == "Migrating - Running"
    # a failed migration blocks a new one until recovered
    assert (await shell.run(f"migrlpar -o v -m p9-a -t p9-b -p {DB}")).rc == 1
    assert (await shell.run(f"migrlpar -o s -m p9-a -p {DB}")).rc == 0
    no_force = await shell.run(f"migrlpar -o r -m p9-a -p {DB}")
    assert no_force.rc == 1 and no_force.stdout.startswith("HSCLSIM44 ")
    assert (await shell.run(f"migrlpar -o r -m p9-a -p {DB} --force")).rc == 0
    assert await _state(shell, "p9-a", "db prod 01") == "Running"
    assert await _state(shell, "p9-b", "db prod 01") == ""
    assert (await shell.run(f"migrlpar -o v -m p9-a -t p9-b -p {DB}")).rc == 0


async def test_recover_refuses_a_running_migration(
    world: World, clock: ManualClock, shell: HmcShell
):
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    result = await shell.run(f"migrlpar -o r -m p9-a -p {DB}")
    assert result.rc == 1 and result.stdout.startswith("HSCLSIM45 ")
    clock.advance(3600)
    assert (await task).rc == 0


async def test_concurrency_limit_refuses_the_extra_migration(
    world: World, clock: ManualClock, shell: HmcShell
):
    world.frames["p9-b"].active_supported = 1
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    sys = records.parse((await shell.run("lslparmigr -r sys -m p9-b")).stdout)[0]
    assert (sys["num_active_migrations_supported"], sys["num_active_migrations_in_progress"]) == (
        "1",
        "1",
    )
    extra = await shell.run('migrlpar -o m -m p9-a -t p9-b -p "o\'brien"')
    assert extra.rc == 1
    assert "HSCLSIM11 The managed system p9-b already has 1 active migrations" in extra.stdout
    clock.advance(3600)
    assert (await task).rc == 0
    assert (await shell.run('migrlpar -o v -m p9-a -t p9-b -p "o\'brien"')).rc == 0


async def test_msp_concurrency_limit(world: World, clock: ManualClock, shell: HmcShell):
    for v in world.frames["p9-a"].vioses():
        v.msp_max_migrations = 1
    one = asyncio.create_task(shell.run(MIGRATE_DB))
    two = asyncio.create_task(shell.run('migrlpar -o m -m p9-a -t p9-b -p "o\'brien"'))
    await _settle()
    extra = await shell.run("migrlpar -o v -m p9-a -t p9-b -p sleepy")
    assert "HSCLSIM12 " in extra.stdout
    sys = records.parse((await shell.run("lslparmigr -r sys -m p9-a")).stdout)[0]
    assert records.split_list(sys["msp_concurrency"]) == ["vios-a1/1/1/1", "vios-a2/2/1/1"]
    clock.advance(3600)
    assert (await one).rc == 0 and (await two).rc == 0


async def test_migration_continues_when_the_caller_goes_away(
    world: World, clock: ManualClock, shell: HmcShell
):
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    clock.advance(3600)
    assert await _state(shell, "p9-b", "db prod 01") == "Running"


async def test_cross_hmc_needs_trust(world: World, clock: ManualClock):
    a, b = HmcShell(world, "hmc-a"), HmcShell(world, "hmc-b")
    world.frames["p9-a"].by_name("db prod 01").compat_curr = "POWER9"
    cmd = f"migrlpar -o v -m p9-a -t p10-c --ip 10.0.0.2 -u hscroot -p {DB}"
    untrusted = await a.run(cmd)
    assert untrusted.rc == 1
    assert untrusted.stdout.startswith("HSCL3653 The Secure Shell (SSH) communication")
    test = await a.run("mkauthkeys --ip 10.0.0.2 -u hscroot --test")
    assert test.rc == 1 and test.stdout.startswith("HSCL3653 ")
    assert (await a.run("mkauthkeys --ip 10.0.0.2 -u hscroot --passwd wrong")).rc == 1
    assert (await a.run("mkauthkeys --ip 10.0.0.2 -u hscroot")).rc == 0
    assert (await a.run("mkauthkeys --ip 10.0.0.2 -u hscroot --test")) == (type(test)("", 0))
    assert (await a.run(cmd)).rc == 0
    task = asyncio.create_task(a.run(cmd.replace("-o v", "-o m")))
    await _settle()
    status = await _status(a, "p9-a", "db prod 01")
    assert (status["remote_manager"], status["remote_user"]) == ("10.0.0.2", "hscroot")
    assert await _state(b, "p10-c", "db prod 01") == "Migrating - Running"
    clock.advance(3600)
    assert (await task).rc == 0
    assert await _state(b, "p10-c", "db prod 01") == "Running"
    # trust is one-way: hmc-b has no keys on hmc-a
    back = await b.run(f"migrlpar -o v -m p10-c -t p9-a --ip 10.0.0.1 -p {DB}")
    assert back.stdout.startswith("HSCL3653 ")


@pytest.mark.parametrize("fraction", [0.0, 0.999, 1.0])
async def test_failure_can_fire_at_any_point_of_the_copy(
    world: World, clock: ManualClock, shell: HmcShell, fraction
):
    world.frames["p9-a"].by_name("db prod 01").dirty_rate = 0.0
    world.inject_failure("db prod 01", after_fraction=fraction, message="HSCLSIM40 injected")
    task = asyncio.create_task(shell.run(MIGRATE_DB))
    await _settle()
    clock.advance(3600)
    assert await task == type(await task)("HSCLSIM40 injected\n", 1)
    status = await _status(shell, "p9-a", "db prod 01")
    assert int(status["bytes_transmitted"]) == int(fraction * 65536 * 1024 * 1024)
