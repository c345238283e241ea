"""The migration core on the simulated HMCs, two ways, behind one interface for the scenarios.

``InProcessStack``: Fleet + MigrationManager over ``simlink.SimLink`` (no network) on a
ManualClock that the stack advances. ``SshStack``: the real Transport (password auth, the
fleet's host keys in a temp known_hosts, every HMC through the simulated jump host) + Fleet +
``MigrationManager.for_settings`` against ``sim.server.start_fleet``, on a RealClock running
``SPEED`` times wall time and shared by the world and the manager. A scenario only says what to
wait for (``until``/``run_until``, in sim seconds); each stack makes the time pass its own way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from lpmtui.common.clock import ManualClock, RealClock
from lpmtui.config.loader import AuthConfig, HmcConfig, JumpHostConfig, Settings
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import MigrationManager, MigrationProgress, MigrationState
from lpmtui.model import ConnectionState
from lpmtui.sim.server.fleet import SimFleet, start_fleet
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links
from lpmtui.ssh.transport import Transport
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal
from tests.migration.conftest import advance

SPEED = 20.0  # sim seconds per wall second over SSH: a ~15 s migration takes under a second
# The most an SSH scenario waits for one condition, in wall seconds. Every wait ends as soon as
# its condition holds, so a generous cap costs nothing when things work and keeps a loaded
# machine (sim time is wall time x SPEED there) from failing a scenario that was only slow.
WALL_LIMIT = 90.0
POLL_INTERVAL = 2.0
STALL_AFTER = 30.0

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


class Stack:
    """What every scenario gets: the world, the fleet, managers, and a way to let time pass."""

    kind = ""
    world: World
    fleet: Fleet
    clock: ManualClock | RealClock
    passwords: set[str]  # every password the console could know; none may reach its files

    def __init__(self) -> None:
        self.managers: list[MigrationManager] = []

    def manager(self, *, read_only: bool = False) -> MigrationManager:
        made = self._make_manager(read_only)
        self.managers.append(made)
        return made

    def _make_manager(self, read_only: bool) -> MigrationManager:
        raise TypeError(f"{type(self).__name__} does not make managers")

    async def until(self, done: Callable[[], bool], limit: float = 120.0) -> bool:
        """Let up to ``limit`` sim seconds pass, stopping as soon as ``done()`` holds."""
        raise TypeError(f"{type(self).__name__} does not keep time")

    async def run_until(
        self,
        manager: MigrationManager,
        job_id: str,
        states: set[MigrationState],
        limit: float = 120.0,
    ) -> MigrationProgress:
        reached = await self.until(lambda: manager.job(job_id).state in states, limit)
        job = manager.job(job_id)
        assert reached, f"{job.partition} never reached {sorted(s.value for s in states)}: {job}"
        return job

    def sent(self, op: str, hmc: str = "hmc-a") -> list[tuple[str, ...]]:
        """The ``migrlpar -o OP`` commands ``hmc`` received, as argv."""
        changes = self.world.received[hmc].changes
        return [a for _, a in changes if a[:3] == ("migrlpar", "-o", op)]

    async def close(self) -> None:
        for made in self.managers:
            await made.close()
        fleet = getattr(self, "fleet", None)
        if fleet is not None:
            await fleet.stop()


class InProcessStack(Stack):
    kind = "inprocess"

    async def open(self) -> InProcessStack:
        self.clock = ManualClock(start=1000.0)
        self.world = World.from_yaml(FLEET, self.clock)
        self.passwords = {pw for hmc in self.world.hmcs.values() for pw in hmc.users.values()}
        self.fleet = Fleet(sim_links(self.world), clock=self.clock.now)
        await self.fleet.refresh_now()
        return self

    def _make_manager(self, read_only: bool) -> MigrationManager:
        return MigrationManager(
            self.fleet,
            journal=Journal(),
            audit=AuditLog(),
            clock=self.clock,
            poll_interval=POLL_INTERVAL,
            stall_after=STALL_AFTER,
            read_only=read_only,
        )

    async def until(self, done: Callable[[], bool], limit: float = 120.0) -> bool:
        waited = 0.0
        while not done() and waited < limit:
            await advance(self.clock, 1)
            waited += 1
        return done()


async def wait_wall(done: Callable[[], bool], seconds: float) -> bool:
    """Poll ``done()`` for up to ``seconds`` of wall time; its last answer."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while True:
        if done() or loop.time() >= end:
            return done()
        await asyncio.sleep(0.02)


def insecure(password: str) -> AuthConfig:
    return AuthConfig(method="password", password_source="insecure", insecure_password=password)


def ssh_settings(sim: SimFleet, world: World, tmp_path: Path) -> Settings:
    """Settings as a user would write them for the simulated fleet, built in code."""
    known = tmp_path / "known_hosts"
    known.write_text(sim.known_hosts_text())
    hmcs = tuple(
        HmcConfig(
            name=name,
            host=ep.host,
            port=ep.port,
            user=ep.username,
            auth=insecure(ep.password),
            jump=("simjump",),
            peer_address=world.hmcs[name].address,
        )
        for name, ep in sim.endpoints.items()
    )
    jump = sim.jump
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
        migration_poll_interval=POLL_INTERVAL,
        stall_after=STALL_AFTER,
    )


class SshStack(Stack):
    kind = "ssh"
    sim: SimFleet | None = None
    transport: Transport | None = None

    async def open(self, tmp_path: Path) -> SshStack:
        self.clock = RealClock(speed=SPEED)
        self.world = World.from_yaml(FLEET, self.clock)
        self.sim = await start_fleet(self.world)
        self.passwords = {ep.password for ep in self.sim.endpoints.values()}
        self.passwords.add(self.sim.jump.password)
        self.settings = ssh_settings(self.sim, self.world, tmp_path)
        self.transport = Transport(self.settings)
        self.fleet = Fleet(self.transport.links())
        await self.transport.start()
        links = self.transport.links()
        connected = await wait_wall(
            lambda: all(link.state is ConnectionState.CONNECTED for link in links), 10.0
        )
        assert connected, [(link.name, link.state, link.last_error) for link in links]
        await self.fleet.refresh_now()
        return self

    def _make_manager(self, read_only: bool) -> MigrationManager:
        return MigrationManager.for_settings(
            self.fleet, self.settings, clock=self.clock, read_only=read_only
        )

    async def until(self, done: Callable[[], bool], limit: float = 120.0) -> bool:
        # Sim time runs by itself with the wall clock, so on a busy machine a condition due
        # after ``limit`` sim seconds can take longer in wall time: wait up to the cap.
        return await wait_wall(done, WALL_LIMIT)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self.transport is not None:
                await self.transport.close()
            if self.sim is not None:
                await self.sim.close()


async def open_stack(kind: str, tmp_path: Path) -> Stack:
    if kind == "ssh":
        stack = SshStack()
        try:
            return await stack.open(tmp_path)
        except BaseException:
            await stack.close()
            raise
    return await InProcessStack().open()
