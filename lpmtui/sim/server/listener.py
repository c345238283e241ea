"""What every simulated SSH endpoint shares: a hardened listener (no SFTP, SCP or forwarding
of agents/X11) on a fixed key, the connections it holds, and how it stops."""

from __future__ import annotations

from collections.abc import Callable

import asyncssh


class SshListener:
    """Owns an ``asyncssh.listen`` acceptor and the open connections of one endpoint.

    ``port`` 0 picks a free port at the first ``start()``; later starts reuse it (a restart
    keeps its address). ``server_factory`` makes the SSHServer of each connection, which adds
    the connection to ``connections`` when it is made.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int,
        host_key: asyncssh.SSHKey,
        server_factory: Callable[[], asyncssh.SSHServer],
    ) -> None:
        self.host = host
        self.port = port
        self.host_key = host_key
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self._server_factory = server_factory
        self._acceptor: asyncssh.SSHAcceptor | None = None

    @property
    def listening(self) -> bool:
        return self._acceptor is not None

    async def start(self) -> None:
        self._acceptor = await asyncssh.listen(
            self.host,
            self.port,
            server_host_keys=[self.host_key],
            server_factory=self._server_factory,
            sftp_factory=None,
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
            reuse_address=True,
        )
        self.port = self._acceptor.get_port()

    def abort_connections(self) -> int:
        """Abort every open connection (and so every channel on it); returns how many."""
        conns = list(self.connections)
        for conn in conns:
            conn.abort()
        self.connections.clear()
        return len(conns)

    async def stop_listening(self) -> None:
        acceptor, self._acceptor = self._acceptor, None
        if acceptor is not None:
            acceptor.close()
            await acceptor.wait_closed()
