"""Jump host connections shared by every HMC behind them (ref-counted, one per route).

A route is the chain of jump host names, outermost first; each prefix of it is one connection,
opened explicitly through the previous one (``tunnel=``) so every hop gets lpmtui's own
known_hosts and credential handling. Direct-tcpip channels do not count against a bastion's
MaxSessions, so one connection per bastion serves any number of HMCs.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

import asyncssh

from lpmtui.config.model import Settings
from lpmtui.ssh.hops import Endpoint, HopError, HopOpener

log = logging.getLogger("lpmtui.transport")

Route = tuple[str, ...]


class BastionPool:
    def __init__(self, settings: Settings, opener: HopOpener) -> None:
        self.settings = settings
        self.opener = opener
        self._conns: dict[Route, asyncssh.SSHClientConnection] = {}
        self._refs: dict[Route, int] = defaultdict(int)
        self._locks: dict[Route, asyncio.Lock] = defaultdict(asyncio.Lock)
        # Hops that failed in a way only the user can fix (login refused, host key): the other
        # HMCs behind them get the same answer instead of trying the login again.
        self._blocked: dict[Route, HopError] = {}

    def endpoint(self, route: Route) -> Endpoint:
        jh = self.settings.jump_hosts[route[-1]]
        return Endpoint(
            jh.name,
            jh.host,
            jh.port,
            jh.user,
            jh.auth,
            route=route[:-1],
            jump_host=True,
            source=jh.source,
        )

    def connection(self, route: Route) -> asyncssh.SSHClientConnection | None:
        """The open connection of this route's last hop, if any (for tests and status)."""
        conn = self._conns.get(route)
        return conn if conn is not None and not conn.is_closed() else None

    def refs(self, route: Route) -> int:
        return self._refs.get(route, 0)

    async def acquire(self, route: Route) -> asyncssh.SSHClientConnection | None:
        """A lease on every hop of ``route``; returns the connection to tunnel through."""
        tunnel: asyncssh.SSHClientConnection | None = None
        taken: list[Route] = []
        try:
            for i in range(len(route)):
                prefix = route[: i + 1]
                async with self._locks[prefix]:
                    conn = self._conns.get(prefix)
                    if conn is None or conn.is_closed():
                        if prefix in self._blocked:
                            raise self._blocked[prefix]
                        try:
                            conn = await self.opener.open(self.endpoint(prefix), tunnel)
                        except HopError as exc:
                            if not exc.retriable:
                                self._blocked[prefix] = exc
                            raise
                        log.info("jump host %s connected", " -> ".join(prefix))
                        self._conns[prefix] = conn
                    self._refs[prefix] += 1
                    taken.append(prefix)
                tunnel = conn
        except BaseException:
            self._release(taken)
            raise
        return tunnel

    def unblock(self, route: Route) -> None:
        """The user asked to try again: hops of this route may log in once more."""
        for i in range(len(route)):
            self._blocked.pop(route[: i + 1], None)

    def release(self, route: Route) -> None:
        self._release([route[: i + 1] for i in range(len(route))])

    def _release(self, prefixes: list[Route]) -> None:
        for prefix in reversed(prefixes):
            self._refs[prefix] -= 1
            if self._refs[prefix] <= 0:
                self._refs.pop(prefix, None)
                conn = self._conns.pop(prefix, None)
                if conn is not None:
                    conn.close()

    async def close(self) -> None:
        conns = list(self._conns.values())
        self._conns.clear()
        self._refs.clear()
        for conn in reversed(conns):
            conn.close()
        for conn in conns:
            await conn.wait_closed()
