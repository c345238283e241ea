"""Transport test helpers: the simulator's SSH servers with a tiny shell, settings, a prompter."""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from lpmtui.common.clock import RealClock
from lpmtui.config.loader import AuthConfig, HmcConfig, JumpHostConfig, Settings
from lpmtui.sim.server.fleet import SimFleet, start_fleet
from lpmtui.ssh.hostkeys import HostKeyInfo
from lpmtui.ssh.transport import Transport

PASSWORD = "Corr3ct-Horse"  # every simulated HMC user's password in these tests


@dataclass
class ShellResult:
    stdout: str
    rc: int


@dataclass
class TinyHmc:
    users: dict[str, str]
    address: str = ""


@dataclass
class TinyWorld:
    """What the simulator's SSH side reads from a World (hmcs, clock), plus test counters."""

    hmcs: dict[str, TinyHmc]
    clock: Any = field(default_factory=RealClock)
    ran: list[tuple[str, str]] = field(default_factory=list)  # (hmc, command line)
    running: int = 0
    most_running: int = 0


class TinyShell:
    """``echo WORDS``; ``sleep S`` (wall seconds); ``exit N``; anything else: not found (127)."""

    def __init__(self, world: TinyWorld, hmc: str) -> None:
        self.world, self.hmc = world, hmc

    async def run(self, command_line: str) -> ShellResult:
        w = self.world
        w.ran.append((self.hmc, command_line))
        w.running += 1
        w.most_running = max(w.most_running, w.running)
        try:
            argv = shlex.split(command_line)
            if argv[0] == "echo":
                return ShellResult(" ".join(argv[1:]) + "\n", 0)
            if argv[0] == "sleep":
                await asyncio.sleep(float(argv[1]))
                return ShellResult("", 0)
            if argv[0] == "exit":
                return ShellResult("", int(argv[1]))
            return ShellResult(f"/bin/bash: {argv[0]}: command not found\n", 127)
        finally:
            w.running -= 1


async def start_tiny_fleet(*names: str, **kwargs: Any) -> tuple[TinyWorld, SimFleet]:
    world = TinyWorld({n: TinyHmc({"hscroot": PASSWORD}) for n in names})
    fleet = await start_fleet(
        world, shell_factory=lambda w, hmc: lambda user: TinyShell(w, hmc), **kwargs
    )
    return world, fleet


def insecure(password: str) -> AuthConfig:
    return AuthConfig(method="password", password_source="insecure", insecure_password=password)


def hmc_config(
    fleet: SimFleet,
    name: str,
    *,
    auth: AuthConfig | None = None,
    jump: tuple[str, ...] = (),
    host: str | None = None,
) -> HmcConfig:
    ep = fleet.endpoints[name]
    return HmcConfig(
        name=name,
        host=host or ep.host,
        port=ep.port,
        user=ep.username,
        auth=auth or insecure(PASSWORD),
        jump=jump,
    )


def sim_jump(fleet: SimFleet, name: str = "simjump", jump: tuple[str, ...] = ()) -> JumpHostConfig:
    ep = fleet.jump
    assert ep is not None
    return JumpHostConfig(
        name=name,
        host=ep.host,
        port=ep.port,
        user=ep.username,
        auth=insecure(ep.password),
        jump=jump,
    )


def fast_settings(tmp_path: Path, hmcs: tuple[HmcConfig, ...], **overrides: Any) -> Settings:
    """Small timeouts and backoff; known_hosts files in tmp (the app's one starts empty)."""
    values: dict[str, Any] = {
        "hmcs": hmcs,
        "known_hosts_file": tmp_path / "app_known_hosts",
        "legacy_known_hosts_file": tmp_path / "legacy_known_hosts",
        "state_dir": tmp_path / "state",  # failed-login counts (logins.json) go here
        "user_known_hosts_file": tmp_path / "user_known_hosts",
        "ssh_config_file": tmp_path / "no_ssh_config",
        "connect_timeout": 5.0,
        "login_timeout": 5.0,
        "command_timeout": 5.0,
        "keepalive_interval": 2.0,
        "keepalive_count_max": 2,
        "reconnect_initial_delay": 0.05,
        "reconnect_max_delay": 0.2,
    }
    values.update(overrides)
    return Settings(**values)


def trust(settings: Settings, *lines: str) -> None:
    path = Path(settings.known_hosts_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line.rstrip("\n") + "\n" for line in lines))


def trusted_settings(
    fleet: SimFleet, tmp_path: Path, hmcs: tuple[HmcConfig, ...], **overrides: Any
) -> Settings:
    """``fast_settings`` whose app known_hosts already trusts every endpoint of ``fleet``."""
    settings = fast_settings(tmp_path, hmcs, **overrides)
    trust(settings, fleet.known_hosts_text())
    return settings


@contextlib.asynccontextmanager
async def started(settings: Settings, **kwargs: Any) -> AsyncIterator[Transport]:
    """A Transport over ``settings``, started, and closed however the block ends."""
    transport = Transport(settings, **kwargs)
    try:
        await transport.start()
        yield transport
    finally:
        await transport.close()


class FakePrompter:
    """Answers from lists; records every question."""

    def __init__(
        self,
        *,
        accept_keys: bool = False,
        passwords: list[str | None] | None = None,
        passphrases: list[str | None] | None = None,
    ) -> None:
        self.accept_keys = accept_keys
        self.passwords = list(passwords or [])
        self.passphrases = list(passphrases or [])
        self.host_keys: list[HostKeyInfo] = []
        self.password_labels: list[str] = []
        self.passphrase_paths: list[str] = []

    async def confirm_host_key(self, info: HostKeyInfo) -> bool:
        self.host_keys.append(info)
        return self.accept_keys

    async def ask_password(self, label: str) -> str | None:
        self.password_labels.append(label)
        return self.passwords.pop(0) if self.passwords else None

    async def ask_passphrase(self, path: str) -> str | None:
        self.passphrase_paths.append(path)
        return self.passphrases.pop(0) if self.passphrases else None


async def wait_for(predicate, timeout: float = 5.0, what: str = "condition") -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def other_key_line(host: str, port: int) -> str:
    key = asyncssh.generate_private_key("ssh-ed25519")
    return f"[{host}]:{port} " + key.export_public_key().decode().strip()
