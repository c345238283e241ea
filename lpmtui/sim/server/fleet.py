"""The simulated HMC fleet over real SSH: one asyncssh server per HMC, plus a jump host.

``fleet = await start_fleet(world)`` listens on 127.0.0.1 for every HMC of the world (free ports,
or ``port_base + i`` for the i-th HMC and ``port_base + len(hmcs)`` for the jump host) and
returns a ``SimFleet`` with each endpoint's address, credentials and host key;
``fleet.faults(name)`` injects faults (faults.py); ``await fleet.close()`` stops it all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lpmtui.common.clock import Clock as SimClock
from lpmtui.sim.server.auth import LoginGuard
from lpmtui.sim.server.faults import HmcFaults
from lpmtui.sim.server.hmc import (
    DEFAULT_MAX_SESSIONS,
    AuthorizedKeys,
    HmcServer,
    Shell,
)
from lpmtui.sim.server.jumphost import JumpHost, JumpHostSpec
from lpmtui.sim.server.keys import HostKeyStore, fingerprint, known_hosts_line
from lpmtui.sim.server.latency import Latency

DEFAULT_USER = "hscroot"
JUMP_KEY_NAME = "jump-host"

__all__ = ["Endpoint", "JumpHostSpec", "Latency", "SimFleet", "start_fleet"]


@dataclass(frozen=True)
class Endpoint:
    """Where and how to log in to one simulated host."""

    name: str
    host: str
    port: int
    username: str
    password: str
    host_key_line: str  # a known_hosts line for host:port
    fingerprint: str  # SHA256:...


class SimFleet:
    """The running fleet: endpoints, fault switches and lockout state per HMC."""

    def __init__(self, world: Any, servers: dict[str, HmcServer], jump: JumpHost | None) -> None:
        self.world = world
        self._servers = servers
        self._jump = jump
        self.endpoints = {name: _endpoint(world, srv) for name, srv in servers.items()}
        self.jump: Endpoint | None = None
        if jump is not None:
            self.jump = Endpoint(
                name=JUMP_KEY_NAME,
                host=jump.host,
                port=jump.port,
                username=jump.spec.username,
                password=jump.spec.password,
                host_key_line=known_hosts_line(jump.host, jump.port, jump.host_key),
                fingerprint=fingerprint(jump.host_key),
            )

    def known_hosts_text(self) -> str:
        """known_hosts lines for every HMC and the jump host."""
        lines = [ep.host_key_line for ep in self.endpoints.values()]
        if self.jump is not None:
            lines.append(self.jump.host_key_line)
        return "".join(line + "\n" for line in lines)

    def server(self, hmc_name: str) -> HmcServer:
        try:
            return self._servers[hmc_name]
        except KeyError:
            raise KeyError(f"no simulated HMC named {hmc_name!r}") from None

    def faults(self, hmc_name: str) -> HmcFaults:
        """The HmcFaults of ``hmc_name``: drop_connections, hang_next, garbage_next, ..."""
        return self.server(hmc_name).faults

    def logins(self, hmc_name: str) -> LoginGuard:
        """The failed-login tally and lock of ``hmc_name``."""
        return self.server(hmc_name).guard

    @property
    def jump_host(self) -> JumpHost | None:
        return self._jump

    async def close(self) -> None:
        for srv in self._servers.values():
            await srv.close()
        if self._jump is not None:
            await self._jump.close()

    async def __aenter__(self) -> SimFleet:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _endpoint(world: Any, srv: HmcServer) -> Endpoint:
    passwords = srv.passwords()
    user = DEFAULT_USER if DEFAULT_USER in passwords else next(iter(passwords), DEFAULT_USER)
    return Endpoint(
        name=srv.name,
        host=srv.host,
        port=srv.port,
        username=user,
        password=passwords.get(user, ""),
        host_key_line=known_hosts_line(srv.host, srv.port, srv.host_key),
        fingerprint=fingerprint(srv.host_key),
    )


def hmc_passwords(world: Any, hmc_name: str) -> dict[str, str]:
    """user -> password of one HMC, read live from the world (a changed password applies)."""
    hmc = world.hmcs[hmc_name]
    return dict(hmc.users)


def _default_shell_factory(world: Any, hmc_name: str) -> Callable[[str], Shell]:
    from lpmtui.sim.commands.shell import HmcShell

    return lambda user: HmcShell(world, hmc_name, user)


async def start_fleet(
    world: Any,
    *,
    host: str = "127.0.0.1",
    port_base: int | None = None,
    authorized_keys: str | os.PathLike[str] | None = None,
    key_dir: str | os.PathLike[str] | None = None,
    latency: Latency | None = None,
    jump_host: bool | JumpHostSpec = True,
    clock: SimClock | None = None,
    shell_factory: Callable[[Any, str], Callable[[str], Shell]] | None = None,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
) -> SimFleet:
    """Start one SSH server per HMC of ``world`` (and a jump host) and return the running fleet.

    ``authorized_keys``: a path to an authorized_keys file (re-read when it changes) or its text;
    the keys log in as any HMC user and as the jump host's user. ``key_dir``: where host keys are
    kept across runs (None: in memory). ``latency``: None for instant answers. ``clock``: defaults
    to the world's; latency, lockout timers and restart downtime run on it. ``shell_factory(world,
    hmc_name)`` returns ``user -> shell``; the default is lpmtui.sim.shell.HmcShell.
    Raises OSError (e.g. a port in use) after closing whatever had started.
    """
    sim_clock = clock if clock is not None else world.clock
    keys = HostKeyStore(key_dir)
    auth_keys = AuthorizedKeys(authorized_keys)
    make_shells = shell_factory or _default_shell_factory
    names = list(world.hmcs)
    servers: dict[str, HmcServer] = {}
    jump: JumpHost | None = None
    try:
        for i, name in enumerate(names):
            srv = HmcServer(
                name=name,
                host=host,
                port=0 if port_base is None else port_base + i,
                host_key=keys.key_for(name),
                passwords=lambda n=name: hmc_passwords(world, n),
                shell_factory=make_shells(world, name),
                clock=sim_clock,
                authorized_keys=auth_keys,
                latency=latency,
                max_sessions=max_sessions,
            )
            servers[name] = srv
            await srv.start()
        if jump_host:
            spec = jump_host if isinstance(jump_host, JumpHostSpec) else JumpHostSpec()
            jump = JumpHost(
                host=host,
                port=0 if port_base is None else port_base + len(names),
                host_key=keys.key_for(JUMP_KEY_NAME),
                spec=spec,
                authorized_keys=auth_keys,
            )
            await jump.start()
    except BaseException:
        for srv in servers.values():
            await srv.close()
        if jump is not None:
            await jump.close()
        raise
    return SimFleet(world, servers, jump)
