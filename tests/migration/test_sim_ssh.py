"""The migration core over real SSH: Transport (through the simulated jump host) + Fleet +
MigrationManager against the simulated HMCs, with an accelerated clock shared by the world and
the manager. Happy path; the HMC or the bastion connection dropped mid-migration -> re-attached;
the console restarted mid-migration -> re-attached from the journal."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from lpmtui.config import AuthConfig, HmcConfig, JumpHostConfig, Settings
from lpmtui.fleet import Fleet
from lpmtui.migration import MigrationManager, MigrationRequest, MigrationState
from lpmtui.model import ConnectionState
from lpmtui.sim.clock import RealClock
from lpmtui.sim.server import start_fleet
from lpmtui.sim.world import World
from lpmtui.transport import Transport
from tests.migration.test_sim_inprocess import FLEET

pytestmark = pytest.mark.slow
S = MigrationState
SPEED = 20.0  # sim seconds per wall second: a ~15 s migration takes under a second


def insecure(password: str) -> AuthConfig:
    return AuthConfig(method="password", password_source="insecure", insecure_password=password)


def settings_for(sim, tmp_path: Path) -> Settings:
    known = tmp_path / "known_hosts"
    known.write_text(sim.known_hosts_text())
    hmcs = tuple(
        HmcConfig(name=name, host=ep.host, port=ep.port, user=ep.username,
                  auth=insecure(ep.password), jump=("simjump",))
        for name, ep in sim.endpoints.items()
    )
    jump = sim.jump
    return Settings(
        hmcs=hmcs,
        jump_hosts={"simjump": JumpHostConfig(name="simjump", host=jump.host, port=jump.port,
                                              user=jump.username, auth=insecure(jump.password))},
        known_hosts_file=known,
        user_known_hosts_file=tmp_path / "user_known_hosts",
        ssh_config_file=tmp_path / "no_ssh_config",
        connect_timeout=5.0, login_timeout=5.0, command_timeout=5.0,
        reconnect_initial_delay=0.05, reconnect_max_delay=0.2,
        migration_poll_interval=2.0, stall_after=60.0,
    )


async def wait_for_state(manager, job_id, states, timeout=20.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while manager.job(job_id).state not in states:
        if loop.time() > end:
            raise AssertionError(f"still {manager.job(job_id)} after {timeout} s")
        await asyncio.sleep(0.02)
    return manager.job(job_id)


@pytest.fixture
async def stack(tmp_path):
    clock = RealClock(speed=SPEED)
    world = World.from_yaml(FLEET, clock)
    sim = await start_fleet(world)
    settings = settings_for(sim, tmp_path)
    transport = Transport(settings)
    fleet = Fleet(transport.links())
    managers = []

    def manager() -> MigrationManager:
        made = MigrationManager.for_settings(fleet, settings, clock=clock)
        managers.append(made)
        return made

    try:
        await transport.start()
        loop = asyncio.get_running_loop()
        end = loop.time() + 10
        while not all(link.state is ConnectionState.CONNECTED for link in transport.links()):
            assert loop.time() < end, "HMCs did not connect"
            await asyncio.sleep(0.02)
        await fleet.refresh_now()
        yield world, sim, fleet, manager, settings
    finally:
        for made in managers:
            await made.close()
        await fleet.stop()
        await transport.close()
        await sim.close()


def migrations_sent(world) -> list[tuple[str, ...]]:
    return [a for a in world.received["hmc-a"] if a[:3] == ("migrlpar", "-o", "m")]


async def test_migration_over_ssh_to_verified_placement_and_no_password_written(stack, tmp_path):
    world, sim, fleet, make, settings = stack
    manager = make()
    events = []
    manager.subscribe(events.append)
    job = await manager.start(MigrationRequest("web1", "p9-a", "p9-b"), confirmed_name="web1")
    final = await wait_for_state(manager, job.job_id, {S.SUCCEEDED, S.FAILED, S.NEEDS_RECOVERY})
    assert final.state is S.SUCCEEDED, final.message
    assert "web1" in {p.name for p in fleet.snapshot.frame("p9-b")[1].partitions}
    assert any(e.state is S.IN_PROGRESS and e.percent is not None for e in events)
    assert len(migrations_sent(world)) == 1

    records = manager.audit.records()
    assert [(r["op"], r["phase"], r.get("outcome")) for r in records] == [
        ("migrate", "sent", None),
        ("migrate", "done", "ok"),
    ]
    sent = records[0]
    assert (sent["hmc"], sent["hmc_host"], sent["route"]) == ("hmc-a", "127.0.0.1", ["simjump"])
    assert sent["hmc_user"] and sent["auth"] == "password (insecure)" and sent["host_key"]
    passwords = {ep.password for ep in sim.endpoints.values()} | {sim.jump.password}
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert settings.audit_file in written and settings.journal_file in written
    for path in written:
        text = path.read_text(errors="replace")
        for password in passwords:
            assert password not in text, f"a password leaked into {path}"


@pytest.mark.parametrize("drop", ["hmc", "bastion"])
async def test_connection_dropped_mid_migration_is_reattached_over_ssh(stack, drop):
    world, sim, _, make, _ = stack
    manager = make()
    job = await manager.start(MigrationRequest("web2", "p9-a", "p9-b"), confirmed_name="web2")
    await wait_for_state(manager, job.job_id, {S.IN_PROGRESS})
    if drop == "hmc":
        assert sim.faults("hmc-a").drop_connections() >= 1
    else:
        assert sim.jump_host.drop_connections() >= 1
    final = await wait_for_state(manager, job.job_id, {S.SUCCEEDED, S.FAILED, S.NEEDS_RECOVERY})
    assert final.state is S.SUCCEEDED, final.message
    assert final.reattached
    assert len(migrations_sent(world)) == 1
    outcomes = [
        (r["outcome"], r.get("determined_by"))
        for r in manager.audit.records() if r["phase"] == "done"
    ]
    assert outcomes == [("outcome unknown", None), ("succeeded", "re-attach")]


async def test_console_restarted_mid_migration_over_ssh(stack):
    world, _, _, make, _ = stack
    first = make()
    job = await first.start(MigrationRequest("web3", "p9-a", "p9-b"), confirmed_name="web3")
    await wait_for_state(first, job.job_id, {S.IN_PROGRESS})
    await first.close()  # like kill -9: nothing is written on the way out
    second = make()
    [again] = await second.reattach()
    assert again.job_id == job.job_id and again.state in (S.IN_PROGRESS, S.SUCCEEDED)
    final = await wait_for_state(second, job.job_id, {S.SUCCEEDED, S.FAILED, S.NEEDS_RECOVERY})
    assert final.state is S.SUCCEEDED, final.message
    assert len(migrations_sent(world)) == 1


def config_yaml(sim, tmp_path: Path) -> Path:
    """The same fleet as a config file; passwords come from the environment, not the file."""
    known = tmp_path / "known_hosts"
    known.write_text(sim.known_hosts_text())
    lines = ["hmcs:"]
    for name, ep in sim.endpoints.items():
        lines.append(
            f"  - {{name: {name}, host: {ep.host}, port: {ep.port}, user: {ep.username}, "
            f"auth: {{password_env: PW_{name.replace('-', '_').upper()}}}, jump: [simjump]}}"
        )
    jump = sim.jump
    lines += [
        "jump_hosts:",
        f"  simjump: {{host: {jump.host}, port: {jump.port}, user: {jump.username}, "
        "auth: {password_env: PW_JUMP}}",
        "polling: {migration_poll_interval: 2}",
        f"ssh: {{known_hosts_file: {known}, user_known_hosts_file: {tmp_path / 'none'}, "
        f"ssh_config_file: {tmp_path / 'none'}, reconnect_initial_delay: 0.05, "
        "reconnect_max_delay: 0.2, command_timeout: 5}",
    ]
    path = tmp_path / "config.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


async def test_console_killed_mid_migration_is_reattached_from_the_journal(
    tmp_path, monkeypatch
):
    import os
    import signal
    import sys

    from lpmtui.config import load

    clock = RealClock(speed=SPEED)
    world = World.from_yaml(FLEET, clock)
    sim = await start_fleet(world)
    for name, ep in sim.endpoints.items():
        monkeypatch.setenv(f"PW_{name.replace('-', '_').upper()}", ep.password)
    monkeypatch.setenv("PW_JUMP", sim.jump.password)
    config = config_yaml(sim, tmp_path)
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).with_name("killed_console.py")), str(config),
        "web1", "p9-a", "p9-b", str(SPEED),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    transport = None
    try:
        line = await asyncio.wait_for(child.stdout.readline(), 20)
        assert line.startswith(b"STARTED "), (line, await child.stderr.read())
        job_id = line.split()[1].decode()
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()

        settings = load(config)
        transport = Transport(settings)
        fleet = Fleet(transport.links())
        await transport.start()
        manager = MigrationManager.for_settings(fleet, settings, clock=clock)
        [again] = await manager.reattach()  # the HMCs may not be connected yet: that is fine
        assert again.job_id == job_id and again.reattached
        final = await wait_for_state(manager, job_id, {S.SUCCEEDED, S.FAILED, S.NEEDS_RECOVERY})
        assert final.state is S.SUCCEEDED, final.message
        assert len(migrations_sent(world)) == 1
        await manager.close()
        passwords = {ep.password for ep in sim.endpoints.values()} | {sim.jump.password}
        for path in (p for p in tmp_path.rglob("*") if p.is_file()):
            assert not any(pw in path.read_text(errors="replace") for pw in passwords), path
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
        if transport is not None:
            await transport.close()
        await sim.close()
