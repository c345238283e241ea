"""Collectors over real SSH: the Transport to the simulated HMCs (through its jump host), polled
by a Fleet. Garbage output becomes a per-HMC error; a dropped connection leaves the data in
place, marked stale, until the link is back."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from lpmtui.config.loader import AuthConfig, HmcConfig, JumpHostConfig, Settings
from lpmtui.fleet.fleet import Fleet
from lpmtui.model import ConnectionState
from lpmtui.sim.server import fleet as server_mod
from lpmtui.sim.world import state as world_mod
from lpmtui.ssh import transport as transport_mod

pytestmark = pytest.mark.slow

FLEET = """
hmcs:
  - name: hmc1
    address: 10.0.0.1
    frames:
      - name: alpha
        vios: [{name: vios1}]
        partitions: [{name: app1}, {name: "app 2"}]
      - name: dark
        state: Power Off
  - name: hmc2
    address: 10.0.0.2
    frames:
      - name: beta
        vios: [{name: vios2}]
        partitions: [{name: db1}]
"""


def insecure(password: str) -> AuthConfig:
    return AuthConfig(method="password", password_source="insecure", insecure_password=password)


def settings_for(sim, tmp_path: Path) -> Settings:
    jump = sim.jump
    hmcs = tuple(
        HmcConfig(
            name=name,
            host=ep.host,
            port=ep.port,
            user=ep.username,
            auth=insecure(ep.password),
            jump=("simjump",),
        )
        for name, ep in sim.endpoints.items()
    )
    known = tmp_path / "known_hosts"
    known.write_text(sim.known_hosts_text())
    return Settings(
        hmcs=hmcs,
        jump_hosts={
            "simjump": JumpHostConfig(
                name="simjump",
                host=jump.host,
                port=jump.port,
                user=jump.username,
                auth=insecure(jump.password),
            )
        },
        known_hosts_file=known,
        user_known_hosts_file=tmp_path / "user_known_hosts",
        ssh_config_file=tmp_path / "no_ssh_config",
        connect_timeout=5.0,
        login_timeout=5.0,
        command_timeout=5.0,
        reconnect_initial_delay=0.05,
        reconnect_max_delay=0.2,
    )


async def wait_until(predicate, what: str, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def test_collectors_over_ssh_with_garbage_and_a_dropped_connection(tmp_path):
    world = world_mod.World.from_yaml(FLEET)
    sim = await server_mod.start_fleet(world)
    transport = transport_mod.Transport(settings_for(sim, tmp_path))
    fleet = Fleet(transport.links(), hot_interval=0.05, cold_interval=60.0)
    try:
        await transport.start()
        await wait_until(
            lambda: all(link.state is ConnectionState.CONNECTED for link in transport.links()),
            "both HMCs connected",
        )
        snap = await fleet.refresh_now()
        hmc1, hmc2 = snap.hmcs
        assert hmc1.errors == () and hmc2.errors == (), (hmc1.errors, hmc2.errors)
        assert {p.name for p in snap.frame("alpha")[1].partitions} == {"vios1", "app1", "app 2"}
        assert snap.frame("dark")[1].system.state == "Power Off"
        assert snap.frame("beta")[1].system.mem_region_size
        assert hmc1.version is not None and hmc1.taken_at > 0

        # garbage on hmc1's next command: a per-HMC error line, hmc2 untouched, data kept
        sim.faults("hmc1").garbage_next(1)
        snap = await fleet.refresh_now()
        hmc1, hmc2 = snap.hmcs
        assert hmc1.errors and "lssyscfg -r sys" in hmc1.errors[0]
        assert hmc2.errors == ()
        assert len(snap.frame("alpha")[1].partitions) == 3

        # a dropped connection: the snapshot says so and keeps the last data with its age
        snap = await fleet.refresh_now()
        assert snap.hmcs[0].errors == ()
        taken = snap.hmcs[0].taken_at
        seen = []
        fleet.subscribe(lambda s: seen.append(s.hmcs[0]))
        await fleet.start()
        sim.faults("hmc1").drop_connections()
        await wait_until(
            lambda: any(h.state is not ConnectionState.CONNECTED for h in seen),
            "hmc1 marked as not connected",
        )
        down = next(h for h in seen if h.state is not ConnectionState.CONNECTED)
        assert down.taken_at == taken  # the age of the data it still shows
        alpha = next(f for f in down.frames if f.system.name == "alpha")
        assert len(alpha.partitions) == 3  # never blanked
        assert fleet.snapshot.hmcs[1].errors == ()
        await wait_until(
            lambda: (
                fleet.snapshot.hmcs[0].state is ConnectionState.CONNECTED
                and fleet.snapshot.hmcs[0].errors == ()
                and fleet.snapshot.hmcs[0].taken_at > taken
            ),
            "hmc1 back with fresh data",
        )
    finally:
        await fleet.stop()
        await transport.close()
        await sim.close()
