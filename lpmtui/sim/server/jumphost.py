"""A simulated SSH jump host (bastion): it forwards direct-tcpip channels and nothing else.

Like a hardened bastion it runs no shell and no commands, and it forwards only to loopback
targets, so the demo and the tests exercise the tunnel path (``asyncssh.connect(...,
tunnel=bastion)``, ``ssh -J``) without ever letting traffic leave the machine.
Logins: password, or any key from the fleet's authorized-keys file.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from functools import partial

import asyncssh

from lpmtui.sim.server.hmc import AuthorizedKeys
from lpmtui.sim.server.listener import SshListener

log = logging.getLogger(__name__)

DEFAULT_USER = "jump"
DEFAULT_PASSWORD = "jump123"


@dataclass(frozen=True)
class JumpHostSpec:
    """Credentials of the simulated jump host."""

    username: str = DEFAULT_USER
    password: str = DEFAULT_PASSWORD


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class JumpHost(SshListener):
    """Listener of the simulated bastion."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        host_key: asyncssh.SSHKey,
        spec: JumpHostSpec,
        authorized_keys: AuthorizedKeys,
    ) -> None:
        super().__init__(
            host=host, port=port, host_key=host_key, server_factory=partial(_JumpServer, self)
        )
        self.spec = spec
        self.authorized_keys = authorized_keys
        self.refused: list[tuple[str, int]] = []  # forwarding targets turned away, for tests

    def drop_connections(self) -> int:
        """Abort every bastion connection (and so every tunnel through it); returns how many."""
        return self.abort_connections()

    async def close(self) -> None:
        await self.stop_listening()
        self.abort_connections()


class _JumpServer(asyncssh.SSHServer):
    def __init__(self, jump: JumpHost) -> None:
        self._jump = jump
        self._conn: asyncssh.SSHServerConnection | None = None
        self._peer_addr = ""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        self._peer_addr = peer[0] if peer else ""
        self._jump.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._jump.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return username == self._jump.spec.username and password == self._jump.spec.password

    def public_key_auth_supported(self) -> bool:
        return bool(self._jump.authorized_keys)

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        return username == self._jump.spec.username and self._jump.authorized_keys.allows(
            key, self._peer_addr
        )

    def session_requested(self) -> bool:
        return False  # a bastion for tunnels only: no shell, no commands

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        if is_loopback(dest_host):
            return True
        self._jump.refused.append((dest_host, dest_port))
        log.info("jump host refused forwarding to %s:%s", dest_host, dest_port)
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "forwarding to non-loopback targets refused"
        )
