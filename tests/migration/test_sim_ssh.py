"""The flows that only exist with a network, over real SSH: the HMC or the bastion connection
dropped mid-migration -> re-attached with the true outcome; the console process killed (-9)
mid-migration -> a new one re-attaches from the journal. Everything else of issue 7 runs over
SSH too, in test_sim_scenarios.py (parametrised in-process / SSH; set-up in stacks.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from lpmtui.common.clock import RealClock
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import MigrationManager, MigrationRequest, MigrationState
from lpmtui.sim.server.fleet import start_fleet
from lpmtui.sim.world.state import World
from lpmtui.ssh.transport import Transport
from tests.migration.stacks import FLEET, SPEED, WALL_LIMIT, SshStack, wait_wall

pytestmark = pytest.mark.slow
S = MigrationState
ENDED = {S.SUCCEEDED, S.FAILED, S.NEEDS_RECOVERY}


@pytest.fixture
async def stack(tmp_path):
    opened = SshStack()
    try:
        yield await opened.open(tmp_path)
    finally:
        await opened.close()


@pytest.mark.parametrize("drop", ["hmc", "bastion"])
async def test_connection_dropped_mid_migration_is_reattached_over_ssh(stack, drop):
    manager = stack.manager()
    job = await manager.start(MigrationRequest("web2", "p9-a", "p9-b"), confirmed_name="web2")
    await stack.run_until(manager, job.job_id, {S.IN_PROGRESS})
    if drop == "hmc":
        assert stack.sim.faults("hmc-a").drop_connections() >= 1
    else:
        assert stack.sim.jump_host.drop_connections() >= 1
    final = await stack.run_until(manager, job.job_id, ENDED)
    assert final.state is S.SUCCEEDED, final.message
    assert final.reattached
    assert len(stack.sent("m")) == 1
    outcomes = [
        (r["outcome"], r.get("determined_by"))
        for r in manager.audit.records()
        if r["phase"] == "done"
    ]
    assert outcomes == [("outcome unknown", None), ("succeeded", "re-attach")]


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


async def test_console_killed_mid_migration_is_reattached_from_the_journal(tmp_path, monkeypatch):
    import os
    import signal
    import sys

    from lpmtui.config.loader import load

    clock = RealClock(speed=SPEED)
    world = World.from_yaml(FLEET, clock)
    sim = await start_fleet(world)
    for name, ep in sim.endpoints.items():
        monkeypatch.setenv(f"PW_{name.replace('-', '_').upper()}", ep.password)
    monkeypatch.setenv("PW_JUMP", sim.jump.password)
    config = config_yaml(sim, tmp_path)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).with_name("killed_console.py")),
        str(config),
        "web1",
        "p9-a",
        "p9-b",
        str(SPEED),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
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
        assert await wait_wall(lambda: manager.job(job_id).state in ENDED, WALL_LIMIT)
        final = manager.job(job_id)
        assert final.state is S.SUCCEEDED, final.message
        sent = [a for a in world.received["hmc-a"] if a[:3] == ("migrlpar", "-o", "m")]
        assert len(sent) == 1  # never started twice
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
