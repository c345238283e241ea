"""Glue between the simulator and the client: a simulated HMC as an in-process Runner/HmcLink.

This is the one module outside ``lpmtui.sim`` that imports the simulator (tests/test_layers.py):
the CLI and the composition root reach the demo fleet through ``demo_world``, ``demo_links`` and
``start_demo_fleet`` here.

``SimRunner`` takes argv, joins it with ``commands.command_line`` exactly as the SSH transport
does, and runs the string through the simulated HMC's shell, so fast tests exercise the same
quoting as production without a network. ``SimLink`` adds the connection attributes collectors
and the migration manager read (always CONNECTED).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lpmtui.hmc.commands import command_line
from lpmtui.hmc.runner import CommandResult
from lpmtui.model import ConnectionState
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.load import FleetError as FleetError  # re-exported for lpmtui demo --fleet
from lpmtui.sim.world.state import World


class SimRunner:
    """The Runner protocol over a simulated HMC shell, in-process."""

    def __init__(self, shell: HmcShell) -> None:
        self.shell = shell

    async def run(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult:
        started = time.time()
        line = command_line(argv)
        try:
            result = await asyncio.wait_for(self.shell.run(line), timeout)
        except TimeoutError:
            return CommandResult(
                tuple(argv),
                None,
                "",
                f"no answer within {timeout:g} s",
                started,
                time.time() - started,
            )
        return CommandResult(
            tuple(argv), result.rc, result.stdout, "", started, time.time() - started
        )

    async def run_long(
        self, argv: Sequence[str], *, on_sent: Callable[[], None] | None = None
    ) -> CommandResult:
        """A command with no deadline (``migrlpar -o m`` blocks until the migration ends);
        ``on_sent`` is called as it goes (in-process there is no channel to wait for)."""
        if on_sent is not None:
            on_sent()
        return await self.run(argv)


class SimLink(SimRunner):
    """A simulated HMC as an HmcLink: the Runner plus the connection's attributes."""

    def __init__(self, world: World, hmc_name: str, user: str = "hscroot") -> None:
        super().__init__(HmcShell(world, hmc_name, user))
        hmc = world.hmcs[hmc_name]
        self.world = world
        self.name = hmc_name
        self.host = hmc.address
        self.kind = hmc.kind
        self.peer_address = hmc.address
        self.site = hmc.site  # the fleet file's, standing in for the console config's
        self.user = user
        self.state = ConnectionState.CONNECTED
        self.reconnect_attempt = 0
        self.last_error = ""
        self.host_key_fingerprint = ""

    async def connect(self) -> None:
        self.state = ConnectionState.CONNECTED

    async def close(self) -> None:
        """Nothing to close in-process; the state says so for anyone watching."""


def sim_links(world: World, user: str = "hscroot") -> list[SimLink]:
    """One SimLink per simulated HMC of ``world``, in fleet-file order."""
    return [SimLink(world, name, user) for name in world.hmcs]


def demo_world(fleet: str | None = None) -> World:
    """A fresh copy of the built-in demo fleet (``lpmtui demo``, ``check --demo``), or of the
    fleet file ``fleet`` (``lpmtui demo --fleet FILE``)."""
    return World.demo() if fleet is None else World.from_yaml(Path(fleet))


def demo_links(world: World | None = None, user: str = "hscroot") -> list[SimLink]:
    """In-process links to ``world`` (default: a fresh demo world), one per simulated HMC."""
    return sim_links(world if world is not None else demo_world(), user)


async def start_demo_fleet(world: World | None = None, *, jump_host: bool = True) -> Any:
    """The demo world served over real SSH on loopback (``lpmtui.sim.server.fleet.SimFleet``:
    ``endpoints``, ``jump``, ``world``, ``known_hosts_text()``, ``close()``). asyncssh is imported
    only here, when asked."""
    from lpmtui.sim.server.fleet import start_fleet

    return await start_fleet(world if world is not None else demo_world(), jump_host=jump_host)
