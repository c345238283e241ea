"""Helpers for the simulator's SSH tests: a stand-in world and shell, hermetic clients."""

from __future__ import annotations

import asyncio
import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from lpmtui.common.clock import ManualClock
from lpmtui.sim.server.fleet import SimFleet, start_fleet


@dataclass
class StubResult:
    stdout: str
    rc: int


@dataclass
class StubHmc:
    users: dict[str, str]
    address: str = ""


@dataclass
class StubWorld:
    """The two attributes the SSH side reads from a World: hmcs and clock."""

    hmcs: dict[str, StubHmc]
    clock: Any
    ran: list[tuple[str, str, str]] = field(default_factory=list)  # (hmc, user, command)
    finished: list[str] = field(default_factory=list)
    gate: asyncio.Event = field(default_factory=asyncio.Event)


class StubShell:
    """Stands in for HmcShell where the test is about SSH, not the HMC CLI.

    ``echo WORDS`` prints WORDS; ``fail`` answers rc 1; ``wait`` blocks until ``world.gate`` is
    set (a long-running command); ``tick N`` sleeps N sim seconds on the world's clock.
    """

    def __init__(self, world: StubWorld, hmc: str, user: str) -> None:
        self.world, self.hmc, self.user = world, hmc, user

    async def run(self, command_line: str) -> StubResult:
        self.world.ran.append((self.hmc, self.user, command_line))
        argv = shlex.split(command_line)
        result = StubResult(f"/bin/bash: {argv[0]}: command not found\n", 127)
        if argv[0] == "echo":
            result = StubResult(" ".join(argv[1:]) + "\n", 0)
        elif argv[0] == "fail":
            result = StubResult("HSCL0000 simulated failure\n", 1)
        elif argv[0] == "wait":
            await self.world.gate.wait()
            result = StubResult("done\n", 0)
        elif argv[0] == "crash":
            raise RuntimeError("simulator bug")
        elif argv[0] == "tick":
            await self.world.clock.sleep(float(argv[1]))
            result = StubResult("ticked\n", 0)
        self.world.finished.append(command_line)
        return result


def stub_world(*names: str, password: str = "abc123", clock: Any = None) -> StubWorld:
    hmcs = {name: StubHmc({"hscroot": password, "hmcviewer": "view1"}) for name in names}
    return StubWorld(hmcs, clock if clock is not None else ManualClock())


async def start_stub_fleet(world: StubWorld, **kwargs: Any) -> SimFleet:
    return await start_fleet(
        world, shell_factory=lambda w, hmc: lambda user: StubShell(w, hmc, user), **kwargs
    )


def client_options(fleet: SimFleet, **overrides: Any) -> dict[str, Any]:
    """Hermetic asyncssh client options: fleet host keys checked, nothing from ~/.ssh."""
    options: dict[str, Any] = {
        "known_hosts": asyncssh.import_known_hosts(fleet.known_hosts_text()),
        "client_keys": None,
        "agent_path": None,
        "config": None,
        "connect_timeout": 10,
    }
    options.update(overrides)
    return options


def connect(fleet: SimFleet, hmc: str, **overrides: Any) -> Any:
    """asyncssh.connect to ``hmc`` with its own credentials unless overridden."""
    ep = fleet.endpoints[hmc]
    options = client_options(fleet, username=ep.username, password=ep.password)
    options.update(overrides)
    return asyncssh.connect(ep.host, ep.port, **options)


@dataclass
class ClientKey:
    private_path: Path
    public_line: str
    key: asyncssh.SSHKey


# A small fleet for the SSH tests, in the fleet-file format of docs/simulator.md.
SMALL_FLEET = """
hmcs:
  - name: hmc-a
    address: 10.0.0.1
    version: V10R3 M1060
    frames:
      - name: p9 a
        type_model: 9009-42A
        serial: 7800AAA
        generation: POWER9
        vlans: [1, 100]
        memory: 262144
        processors: 16
        vios: [{name: vios-a1}, {name: vios-a2}]
        partitions:
          - {name: db prod 01, mem: 16384, storage: [vscsi], vlans: [100]}
          - {name: "web;01", mem: 8192, vlans: [100]}
      - name: p9-b
        type_model: 9009-42A
        serial: 7800BBB
        generation: POWER9
        vlans: [1, 100]
        memory: 262144
        processors: 16
        vios: [{name: vios-b1}, {name: vios-b2}]
  - name: hmc-b
    address: 10.0.0.2
    version: V9R2 M953
    frames:
      - name: p10-c
        type_model: 9105-42A
        serial: 7800CCC
        generation: POWER10
        vlans: [1, 100]
        memory: 262144
        processors: 16
        vios: [{name: vios-c1}, {name: vios-c2}]
"""


async def wait_until(predicate, timeout: float = 5.0) -> None:
    """Poll ``predicate`` every 10 ms until it holds; fail the test after ``timeout`` s."""
    for _ in range(int(timeout / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the simulator never got there")


def small_world(clock: Any = None) -> Any:
    from lpmtui.sim.world.state import World

    return World.from_yaml(SMALL_FLEET, clock if clock is not None else ManualClock())


ROOT = Path(__file__).resolve().parents[2]


async def start_sim_process(*args: str) -> asyncio.subprocess.Process:
    """``lpmtui sim ARGS`` of this tree, as a user starts it, with stdout and stderr piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "lpmtui", "sim", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


async def read_until(proc: asyncio.subprocess.Process, prefix: str) -> list[str]:
    """Its stdout lines up to the first that starts with ``prefix`` (30 s at most); stderr
    shown if it ends first."""
    lines: list[str] = []
    async with asyncio.timeout(30):
        while not lines or not lines[-1].startswith(prefix):
            line = (await proc.stdout.readline()).decode()
            assert line, (await proc.stderr.read()).decode()
            lines.append(line.rstrip("\n"))
    return lines
