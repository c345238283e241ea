"""The frozen settings lpmtui runs with, and the one error type the config loader raises.

Settings can be built in code (the demo does) or loaded from YAML by ``lpmtui.config.load``.
Secrets never show in ``repr()``: a config object may end up in a log line or a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lpmtui.common.typed_yaml import YamlError

AUTH_METHODS = ("agent", "key", "password")
PASSWORD_SOURCES = ("prompt", "env", "keyring", "insecure")
HMC_KINDS = ("hmc", "fsm", "ivm")


class ConfigError(YamlError):
    """A configuration problem. ``str()`` is one line: ``FILE:LINE: KEY: found X; expected Y``."""


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "")
    return Path(value) if value else Path.home() / fallback


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "lpmtui"


def default_config_path() -> Path:
    """$XDG_CONFIG_HOME/lpmtui/config.yaml (``--config`` overrides it)."""
    return config_dir() / "config.yaml"


def default_state_dir() -> Path:
    return _xdg("XDG_STATE_HOME", ".local/state") / "lpmtui"


def private_dir(path: Path) -> Path:
    """Create ``path`` and every missing parent 0700 (``mkdir(parents=True, mode=...)`` gives
    the parents it creates the umask's mode, typically 0755). Existing directories are kept."""
    missing = []
    p = Path(path)
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            continue
        d.chmod(0o700)  # mkdir's mode is masked by the umask
    return Path(path)


STATE_FILES = {  # Settings field -> its name under state_dir
    "log_dir": "logs",
    "audit_file": "audit.jsonl",
    "journal_file": "journal.jsonl",
    "known_hosts_file": "known_hosts",
}


def fill_state_paths(values: dict) -> None:
    """``state_dir`` moves every file of state not given a place of its own (in ``values``)."""
    state = values.get("state_dir")
    if state is not None:
        for key, name in STATE_FILES.items():
            values.setdefault(key, Path(state) / name)


def demo_state_dir() -> Path:
    """Where `lpmtui demo` keeps its journal, audit log and evacuations (beside the console's)."""
    return default_state_dir() / "demo"


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """How to log in to one host.

    ``agent``: keys from ssh-agent only. ``key``: the listed key files only (a passphrase is
    prompted when needed). ``password``: one password login, no keys offered first (an HMC locks
    the account after 3 failures and every offered key counts); the password comes from a prompt,
    an environment variable, the system keyring or, insecurely, the config file itself.
    """

    method: str = "agent"
    key_files: tuple[str, ...] = ()
    password_source: str = "prompt"
    password_env: str = ""
    keyring_service: str = "lpmtui"
    insecure_password: str = field(default="", repr=False)

    def __repr__(self) -> str:
        secret = ", insecure_password=<hidden>" if self.insecure_password else ""
        return (
            f"AuthConfig(method={self.method!r}, key_files={self.key_files!r}, "
            f"password_source={self.password_source!r}, password_env={self.password_env!r}, "
            f"keyring_service={self.keyring_service!r}{secret})"
        )

    def describe(self) -> str:
        """For audit records and the UI: the method, never the secret."""
        if self.method == "key":
            return "key " + ", ".join(self.key_files)
        if self.method == "password":
            return f"password ({self.password_source})"
        return "agent"


@dataclass(frozen=True, slots=True)
class JumpHostConfig:
    """A bastion. ``jump`` is the chain that reaches it (names, outermost first)."""

    name: str
    host: str
    port: int = 22
    user: str = ""
    auth: AuthConfig = field(default_factory=AuthConfig)
    jump: tuple[str, ...] = ()
    ssh_config_host: str = ""
    source: str = field(default="", compare=False)  # FILE:LINE of its entry in the config


@dataclass(frozen=True, slots=True)
class HmcConfig:
    """One HMC. ``jump`` is the full chain of jump host names, outermost first."""

    name: str
    host: str
    port: int = 22
    user: str = "hscroot"
    auth: AuthConfig = field(default_factory=lambda: AuthConfig(method="password"))
    jump: tuple[str, ...] = ()
    kind: str = "hmc"
    peer_address: str = ""  # what other HMCs call this one (migrlpar --ip); "" = host
    hot_interval: float | None = None
    cold_interval: float | None = None
    ssh_config_host: str = ""
    source: str = field(default="", compare=False)  # FILE:LINE of its entry in the config
    site: str = ""  # where the HMC is (the console's grouping; no HMC command reports it)

    @property
    def address_for_peers(self) -> str:
        return self.peer_address or self.host


NOTIFY_MODES = ("off", "bell", "osc", "both")  # Settings.notifications; lpmtui.ui.notifier
DEFAULT_NOTIFY = "bell"


@dataclass(frozen=True, slots=True)
class Settings:
    hmcs: tuple[HmcConfig, ...] = ()
    jump_hosts: dict[str, JumpHostConfig] = field(default_factory=dict)
    hot_interval: float = 5.0
    cold_interval: float = 60.0
    migration_poll_interval: float = 2.0
    stall_after: float = 120.0
    channels_per_connection: int = 4
    connect_timeout: float = 20.0
    login_timeout: float = 30.0
    command_timeout: float = 60.0
    keepalive_interval: float = 15.0
    keepalive_count_max: int = 3
    reconnect_initial_delay: float = 1.0
    reconnect_max_delay: float = 60.0
    read_only: bool = False
    accept_new_host_keys: bool = False
    # off | bell | osc | both: how a migration's end, failure or stall is announced outside
    # the window (bell: one byte that every terminal, SSH link and tmux passes on)
    notifications: str = DEFAULT_NOTIFY
    # true: for links below 64 kbit/s (table every 5 s, no animation, ASCII borders)
    low_bandwidth: bool = False
    state_dir: Path = field(default_factory=default_state_dir)
    log_dir: Path = field(default_factory=lambda: default_state_dir() / "logs")
    audit_file: Path = field(default_factory=lambda: default_state_dir() / "audit.jsonl")
    journal_file: Path = field(default_factory=lambda: default_state_dir() / "journal.jsonl")
    known_hosts_file: Path = field(default_factory=lambda: default_state_dir() / "known_hosts")
    # Where lpmtui kept accepted keys before: still trusted (read-only) when a file is there.
    legacy_known_hosts_file: Path | None = field(
        default_factory=lambda: config_dir() / "known_hosts"
    )
    user_known_hosts_file: Path = field(
        default_factory=lambda: Path.home() / ".ssh" / "known_hosts"
    )
    ssh_config_file: Path = field(default_factory=lambda: Path.home() / ".ssh" / "config")
    source_path: Path | None = None
    warnings: tuple[str, ...] = ()

    def hmc(self, name: str) -> HmcConfig:
        for h in self.hmcs:
            if h.name == name:
                return h
        raise KeyError(name)

    def hot_interval_for(self, hmc: HmcConfig) -> float:
        return hmc.hot_interval if hmc.hot_interval is not None else self.hot_interval

    def cold_interval_for(self, hmc: HmcConfig) -> float:
        return hmc.cold_interval if hmc.cold_interval is not None else self.cold_interval
