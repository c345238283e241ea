"""Open one SSH hop (a bastion or an HMC): explicit known_hosts, credentials, timeouts, TOFU.

Every failure becomes a HopError carrying the ConnectionState to show and whether an automatic
retry is allowed (only for network trouble: never after an authentication or host-key problem).
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
from dataclasses import dataclass

import asyncssh

from lpmtui.config.model import AuthConfig, Settings
from lpmtui.model import ConnectionState
from lpmtui.ssh.credentials import CredentialError, CredentialStore, Prompter
from lpmtui.ssh.hostkeys import HostKeyInfo, HostKeyStore

log = logging.getLogger("lpmtui.transport")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One host to log in to, and the jump hosts (by name) in front of it."""

    name: str
    host: str
    port: int
    user: str
    auth: AuthConfig
    route: tuple[str, ...] = ()

    @property
    def login(self) -> str:
        return self.user or getpass.getuser()

    @property
    def label(self) -> str:
        via = f" via {' -> '.join(self.route)}" if self.route else ""
        return f"{self.login}@{self.host}:{self.port} ({self.name}{via})"


class HopError(Exception):
    def __init__(
        self,
        state: ConnectionState,
        message: str,
        *,
        retriable: bool = False,
        info: HostKeyInfo | None = None,
    ) -> None:
        super().__init__(message)
        self.state = state
        self.retriable = retriable
        self.info = info


class _NewKey(Exception):
    def __init__(self, info: HostKeyInfo, key: asyncssh.SSHKey) -> None:
        super().__init__(info.describe())
        self.info = info
        self.key = key


class _KeyCapture(asyncssh.SSHClient):
    """Records the key the server presented when it is not on file (asyncssh then refuses)."""

    def __init__(self) -> None:
        self.presented: tuple[str, asyncssh.SSHKey] | None = None

    def validate_host_public_key(
        self, host: str, addr: str, port: int, key: asyncssh.SSHKey
    ) -> bool:
        self.presented = (addr, key)
        return False


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, asyncssh.ChannelOpenError):
        return f"the jump host could not reach it ({exc.reason})"
    if isinstance(exc, asyncssh.Error):
        return exc.reason or type(exc).__name__
    if isinstance(exc, OSError):
        if exc.errno:
            return os.strerror(exc.errno)
        return exc.strerror or str(exc) or type(exc).__name__
    return type(exc).__name__


class HopOpener:
    def __init__(
        self,
        settings: Settings,
        credentials: CredentialStore,
        store: HostKeyStore,
        prompter: Prompter | None,
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self.store = store
        self.prompter = prompter

    async def open(
        self, ep: Endpoint, tunnel: asyncssh.SSHClientConnection | None
    ) -> asyncssh.SSHClientConnection:
        """Log in to ``ep`` (through ``tunnel``); raises HopError."""
        try:
            if self.credentials.will_prompt(ep.host, ep.port, ep.login, ep.auth):
                await self._check_key_first(ep, tunnel)
            return await self._connect(ep, tunnel)
        except _NewKey as new:
            if not await self._trust(new.info, new.key):
                raise HopError(
                    ConnectionState.HOST_KEY_UNKNOWN, new.info.describe(), info=new.info
                ) from None
        try:
            return await self._connect(ep, tunnel)
        except _NewKey as new:  # the accepted key is not what the server now shows
            raise HopError(
                ConnectionState.HOST_KEY_UNKNOWN, new.info.describe(), info=new.info
            ) from None

    def _options(self) -> dict:
        s = self.settings
        return {
            "config": None,
            "connect_timeout": s.connect_timeout,
            "login_timeout": s.login_timeout,
            "keepalive_interval": s.keepalive_interval,
            "keepalive_count_max": s.keepalive_count_max,
            "agent_forwarding": False,
            "x11_forwarding": False,
        }

    async def _check_key_first(self, ep: Endpoint, tunnel) -> None:
        """Before a prompt: verify the host key without logging in (no prompt for a MITM)."""
        try:
            async with asyncio.timeout(self.settings.connect_timeout):
                key = await asyncssh.get_server_host_key(
                    ep.host, ep.port, tunnel=tunnel if tunnel is not None else (), config=None
                )
        except (OSError, asyncssh.Error) as exc:
            raise HopError(
                ConnectionState.UNREACHABLE, f"{ep.label}: {describe_error(exc)}", retriable=True
            ) from None
        if key is None:
            raise HopError(
                ConnectionState.UNREACHABLE, f"{ep.label}: no host key offered", retriable=True
            )
        on_file = self.store.entries_for(ep.host, "", ep.port)
        if any(k.public_data == key.public_data for _, k in on_file):
            return
        self._raise_key_problem(ep, "", key)

    def _raise_key_problem(self, ep: Endpoint, addr: str, key: asyncssh.SSHKey):
        info = self.store.classify(ep.host, addr, ep.port, key, ep.route)
        if info.changed:
            log.error("%s", info.describe())
            raise HopError(ConnectionState.HOST_KEY_CHANGED, info.describe(), info=info)
        raise _NewKey(info, key)

    async def _connect(self, ep: Endpoint, tunnel) -> asyncssh.SSHClientConnection:
        capture = _KeyCapture()
        try:
            options, attempt = await self.credentials.login_options(
                ep.label, ep.host, ep.port, ep.login, ep.auth
            )
        except CredentialError as exc:
            raise HopError(ConnectionState.AUTH_FAILED, self.credentials.scrub(str(exc))) from None
        try:
            conn = await asyncssh.connect(
                ep.host,
                ep.port,
                tunnel=tunnel if tunnel is not None else (),
                username=ep.login,
                known_hosts=self.store.trusted(),
                client_factory=lambda: capture,
                **self._options(),
                **options,
            )
        except asyncssh.HostKeyNotVerifiable:
            if capture.presented is None:
                raise HopError(
                    ConnectionState.HOST_KEY_UNKNOWN, f"{ep.label}: host key not verifiable"
                ) from None
            addr, key = capture.presented
            self._raise_key_problem(ep, addr, key)
            raise  # unreachable: _raise_key_problem always raises
        except asyncssh.PermissionDenied:
            # Never retried automatically; a cached password that stopped working is dropped.
            self.credentials.forget(ep.login, ep.host, ep.port)
            raise HopError(
                ConnectionState.AUTH_FAILED, f"{ep.label}: login refused ({ep.auth.describe()})"
            ) from None
        except (OSError, asyncssh.Error) as exc:
            message = self.credentials.scrub(f"{ep.label}: {describe_error(exc)}")
            raise HopError(ConnectionState.UNREACHABLE, message, retriable=True) from None
        self.credentials.commit(attempt)
        return conn

    async def _trust(self, info: HostKeyInfo, key: asyncssh.SSHKey) -> bool:
        if self.settings.accept_new_host_keys:
            log.warning(
                "accepting new host key without asking (accept_new_host_keys): %s", info.describe()
            )
        elif self.prompter is None or not await self.prompter.confirm_host_key(info):
            log.warning("host key not accepted: %s", info.describe())
            return False
        self.store.accept(info.host, info.port, key)
        return True
