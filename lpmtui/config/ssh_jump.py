"""ProxyJump chains from ~/.ssh/config turned into jump hosts that lpmtui opens hop by hop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from lpmtui.config.model import AuthConfig, ConfigError, JumpHostConfig
from lpmtui.config.ssh_config import SshConfig, SshHost, parse_hop

NamedJump = Callable[[str, tuple[str, ...]], JumpHostConfig | None]


class SshJumpResolver:
    """Resolves ProxyJump hops (OpenSSH semantics: only the first hop's own ProxyJump counts)."""

    def __init__(
        self, ssh_config: SshConfig, jump_hosts: dict[str, JumpHostConfig], named_jump: NamedJump
    ) -> None:
        self.ssh_config = ssh_config
        self.jump_hosts = jump_hosts
        self.named_jump = named_jump

    @staticmethod
    def auth_from(ssh: SshHost | None, fallback: AuthConfig | None = None) -> AuthConfig:
        """IdentityFile entries that exist -> key auth (as OpenSSH, missing ones are skipped)."""
        files = tuple(f for f in (ssh.identity_files if ssh else ()) if Path(f).is_file())
        if files:
            return AuthConfig(method="key", key_files=files)
        return fallback or AuthConfig(method="agent")

    def chain(self, ssh: SshHost, stack: tuple[str, ...]) -> tuple[str, ...]:
        file, line = ssh.proxy_jump_at or (str(self.ssh_config.path), None)
        chain: list[str] = []
        for i, spec in enumerate(ssh.proxy_jump):
            if spec in stack:
                loop = " -> ".join((*stack[stack.index(spec) :], spec))
                raise ConfigError(file, line, "ProxyJump", f"a loop {loop}", "a chain that ends")
            named = self.named_jump(spec, (*stack, spec))
            if named is not None:
                if i > 0 and named.jump and named.jump != tuple(chain):
                    raise ConfigError(
                        file,
                        line,
                        "ProxyJump",
                        f"{spec} reached via {' -> '.join(named.jump)}",
                        f"{spec} reached via {' -> '.join(chain)}",
                    )
                if i == 0:
                    chain = list(named.jump)
                chain.append(named.name)
                continue
            hop = parse_hop(spec)
            if hop is None:
                raise ConfigError(file, line, "ProxyJump", repr(spec), "[user@]host[:port]")
            entry = self.ssh_config.lookup(hop.host)
            if i == 0:
                chain = list(self.chain(entry, (*stack, spec))) if entry.proxy_jump else []
            jh = JumpHostConfig(
                name=spec,
                host=entry.hostname,
                port=hop.port or entry.port or 22,
                user=hop.user or entry.user or "",
                auth=self.auth_from(entry),
                jump=tuple(chain),
                ssh_config_host=hop.host,
            )
            chain.append(self._register(jh))
        return tuple(chain)

    def _register(self, jh: JumpHostConfig) -> str:
        """Same spec reached along another chain -> a distinct name (connections are per route)."""
        name, n = jh.name, 1
        while name in self.jump_hosts and self.jump_hosts[name] != replace(jh, name=name):
            n += 1
            name = f"{jh.name}#{n}"
        self.jump_hosts[name] = replace(jh, name=name)
        return name
