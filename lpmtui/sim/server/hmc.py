"""The SSH server of one simulated HMC: listener, logins, session limit, restart.

Logins: password and keyboard-interactive (what a real HMC offers) against the world's users, and
public keys from an authorized-keys file (re-read when it changes). Failed logins go through the
HMC's lockout (server_auth.py); while an account is locked the HMC's text is sent as an SSH
authentication banner on every attempt, and as the keyboard-interactive instruction.

Sessions: like OpenSSH's ``MaxSessions`` (default 10), one more session channel than the limit is
refused with ``ChannelOpenError(OPEN_CONNECT_FAILED, "open failed")`` (ssh.md §2.1); a slot is
free again once its channel has closed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any

import asyncssh

from lpmtui.common.clock import Clock as SimClock
from lpmtui.sim.server.auth import LoginGuard
from lpmtui.sim.server.faults import HmcFaults
from lpmtui.sim.server.latency import Latency
from lpmtui.sim.server.listener import SshListener
from lpmtui.sim.server.session import Shell, serve_session

log = logging.getLogger(__name__)

DEFAULT_MAX_SESSIONS = 10


class AuthorizedKeys:
    """Client public keys from a file (re-read when its mtime changes) or from text."""

    def __init__(self, source: str | os.PathLike[str] | None = None) -> None:
        self.path: Path | None = None
        self._mtime: float | None = None
        self._keys: asyncssh.SSHAuthorizedKeys | None = None
        if source is None:
            return
        if isinstance(source, os.PathLike) or Path(source).is_file():
            self.path = Path(source)
            self._reload()
        else:
            self._keys = asyncssh.import_authorized_keys(str(source))

    def _reload(self) -> None:
        assert self.path is not None
        try:
            mtime = self.path.stat().st_mtime
        except OSError:
            self._keys, self._mtime = None, None
            return
        if mtime == self._mtime:
            return
        try:
            self._keys = asyncssh.read_authorized_keys(str(self.path))
        except (OSError, ValueError, asyncssh.KeyImportError) as exc:
            log.warning("%s: cannot read authorized keys: %s", self.path, exc)
            self._keys = None
        self._mtime = mtime

    def _current(self) -> asyncssh.SSHAuthorizedKeys | None:
        if self.path is not None:
            self._reload()
        return self._keys

    def __bool__(self) -> bool:
        return self._current() is not None

    def allows(self, key: asyncssh.SSHKey, peer_addr: str) -> bool:
        keys = self._current()
        if keys is None:
            return False
        return keys.validate(key, "", peer_addr) is not None


class HmcServer(SshListener):
    """Listens for one simulated HMC and owns its connections and running commands."""

    def __init__(
        self,
        *,
        name: str,
        host: str,
        port: int,
        host_key: asyncssh.SSHKey,
        passwords: Callable[[], dict[str, str]],
        shell_factory: Callable[[str], Shell],
        clock: SimClock,
        authorized_keys: AuthorizedKeys,
        latency: Latency | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        super().__init__(
            host=host, port=port, host_key=host_key, server_factory=partial(HmcSSHServer, self)
        )
        self.name = name
        self.passwords = passwords
        self.clock = clock
        self.authorized_keys = authorized_keys
        self.latency = latency
        self.max_sessions = max_sessions
        self.guard = LoginGuard(clock)
        self.faults = HmcFaults(self)
        self._shell_factory = shell_factory
        self._shells: dict[str, Shell] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def shell_for(self, user: str) -> Shell:
        shell = self._shells.get(user)
        if shell is None:
            shell = self._shells[user] = self._shell_factory(user)
        return shell

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` as an HMC task: it survives its channel and its connection."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def restart(self, downtime: float = 0.0) -> None:
        """Reboot: stop listening, drop everyone, wait, listen again on the same port and key."""
        await self.stop_listening()
        self.abort_connections()
        if downtime > 0:
            await self.clock.sleep(downtime)
        await self.start()

    async def close(self) -> None:
        await self.stop_listening()
        self.abort_connections()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class HmcSSHServer(asyncssh.SSHServer):
    """One client connection to a simulated HMC."""

    def __init__(self, hmc: HmcServer) -> None:
        self._hmc = hmc
        self._conn: asyncssh.SSHServerConnection | None = None
        self._user = ""
        self._peer_addr = ""
        self._open_sessions = 0

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        self._peer_addr = peer[0] if peer else ""
        self._hmc.connections.add(conn)
        if self._hmc.faults.keep_dropping:
            asyncio.get_running_loop().call_soon(conn.abort)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._hmc.connections.discard(self._conn)

    # --- authentication -------------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        self._user = username
        self._banner_if_locked(username)
        return True

    def auth_completed(self) -> None:
        self._hmc.guard.succeeded(self._user)

    def _banner_if_locked(self, username: str) -> None:
        message = self._hmc.guard.message(username)
        if message and self._conn is not None:
            try:
                self._conn.send_auth_banner(message + "\n")
            except OSError:
                pass  # authentication already finished

    def _refuse(self, username: str) -> bool:
        self._hmc.guard.failed(username)
        self._banner_if_locked(username)
        return False

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        expected = self._hmc.passwords().get(username)
        if expected is None:
            return False  # no such user: nothing to tally, as with pam_faillock
        if self._hmc.guard.is_locked(username) or password != expected:
            return self._refuse(username)
        return True

    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        instruction = self._hmc.guard.message(username) or ""
        return "", instruction, "", [("Password: ", False)]

    def validate_kbdint_response(self, username: str, responses: list[str]) -> bool:
        if len(responses) != 1:
            return False
        return self.validate_password(username, responses[0])

    def public_key_auth_supported(self) -> bool:
        return bool(self._hmc.authorized_keys)

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        if username not in self._hmc.passwords():
            return False
        if self._hmc.guard.is_locked(username):
            return self._refuse(username)
        if self._hmc.authorized_keys.allows(key, self._peer_addr):
            return True
        # Every key offered and refused counts, as on the HMC (ssh.md §4.4).
        return self._refuse(username)

    # --- sessions -------------------------------------------------------------------------

    def session_requested(self) -> Any:
        if self._conn is None or self._open_sessions >= self._hmc.max_sessions:
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_CONNECT_FAILED, "open failed")
        chan = self._conn.create_server_channel()
        self._open_sessions += 1
        self._hmc.spawn(self._free_slot_when_closed(chan))
        return chan, partial(serve_session, self._hmc, self._user)

    async def _free_slot_when_closed(self, chan: asyncssh.SSHServerChannel[Any]) -> None:
        try:
            await chan.wait_closed()
        finally:
            self._open_sessions -= 1
