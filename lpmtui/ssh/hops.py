"""Open one SSH hop (a bastion or an HMC): explicit known_hosts, credentials, timeouts, TOFU.

Every failure becomes a HopError carrying the ConnectionState to show and whether an automatic
retry is allowed (only for network trouble: never after an authentication or host-key problem).
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import socket
from dataclasses import dataclass

import asyncssh
from asyncssh.encryption import get_default_encryption_algs

from lpmtui.config.model import AuthConfig, Settings
from lpmtui.model import ConnectionState
from lpmtui.ssh.credentials import CredentialError, CredentialStore, LoginAttempt, Prompter
from lpmtui.ssh.hostkeys import HostKeyInfo, HostKeyStore
from lpmtui.ssh.logins import LOCKOUT_AFTER, LoginLedger, until_text

log = logging.getLogger("lpmtui.transport")

# AES-GCM before asyncssh's first choice, chacha20-poly1305: asyncssh builds three cipher
# contexts per packet for chacha20 in Python, AES-GCM is one AEAD call (AES-NI). With 200
# commands in flight (50 HMCs x 4 channels) that was a quarter of the console's CPU and added
# to every command's wait (bench_scale_ssh.py). Only the order changes: the set is asyncssh's
# default, so a server without AES-GCM still gets chacha20-poly1305.
PREFERRED_CIPHERS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com")


def encryption_algs() -> tuple[str, ...]:
    """asyncssh's default ciphers, ``PREFERRED_CIPHERS`` first."""
    default = [alg.decode("ascii") for alg in get_default_encryption_algs()]
    first = [alg for alg in PREFERRED_CIPHERS if alg in default]
    return (*first, *(alg for alg in default if alg not in first))


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One host to log in to, and the jump hosts (by name) in front of it."""

    name: str
    host: str
    port: int
    user: str
    auth: AuthConfig
    route: tuple[str, ...] = ()
    jump_host: bool = False  # a bastion (its errors must not read as the HMC's)
    source: str = ""  # FILE:LINE of its entry in the config file, when it came from one

    @property
    def login(self) -> str:
        return self.user or getpass.getuser()

    @property
    def who(self) -> str:
        return f"{'jump host' if self.jump_host else 'HMC'} {self.name}"

    @property
    def label(self) -> str:
        via = f" via {' -> '.join(self.route)}" if self.route else ""
        return f"{self.login}@{self.host}:{self.port} ({self.who}{via})"


class HopError(Exception):
    def __init__(
        self,
        state: ConnectionState,
        message: str,
        *,
        retriable: bool = False,
        info: HostKeyInfo | None = None,
        hop: str = "",
        jump_host: bool = False,
        refused: bool = False,
        lockout: str = "",
    ) -> None:
        super().__init__(message)
        self.state = state
        self.retriable = retriable
        self.info = info
        self.hop = hop  # the configured name of the host that failed
        self.jump_host = jump_host  # ... and whether it is a jump host
        self.refused = refused  # credentials were sent and the server refused them
        self.lockout = lockout  # the server's own lockout text, when it sent one


class _NewKey(Exception):
    def __init__(self, info: HostKeyInfo, key: asyncssh.SSHKey) -> None:
        super().__init__(info.describe())
        self.info = info
        self.key = key


class _KeyCapture(asyncssh.SSHClient):
    """Records the key the server presented when it is not on file (asyncssh then refuses)."""

    def __init__(self) -> None:
        self.presented: tuple[str, asyncssh.SSHKey] | None = None
        self.banners: list[str] = []

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banners.append(msg)  # an HMC says "The account is locked ..." here

    def validate_host_public_key(
        self, host: str, addr: str, port: int, key: asyncssh.SSHKey
    ) -> bool:
        self.presented = (addr, key)
        return False


def describe_error(exc: BaseException, ep: Endpoint | None = None) -> str:
    if isinstance(exc, socket.gaierror) and ep is not None:
        where = f" (from config {ep.source})" if ep.source else ""
        return f"cannot resolve host {ep.host}{where}"
    if isinstance(exc, socket.gaierror):
        return "cannot resolve the host name"
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


def _error(ep: Endpoint, state: ConnectionState, message: str, **kw) -> HopError:
    return HopError(state, message, hop=ep.name, jump_host=ep.jump_host, **kw)


class HopOpener:
    def __init__(
        self,
        settings: Settings,
        credentials: CredentialStore,
        store: HostKeyStore,
        prompter: Prompter | None,
        ledger: LoginLedger | None = None,
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self.store = store
        self.prompter = prompter
        self.ledger = ledger if ledger is not None else LoginLedger(None)

    async def open(
        self, ep: Endpoint, tunnel: asyncssh.SSHClientConnection | None
    ) -> asyncssh.SSHClientConnection:
        """Log in to ``ep`` (through ``tunnel``); raises HopError."""
        self._refuse_while_locked(ep)
        try:
            if self.credentials.will_prompt(ep.host, ep.port, ep.login, ep.auth):
                await self._check_key_first(ep, tunnel)
            return await self._connect(ep, tunnel)
        except _NewKey as new:
            if not await self._trust(new.info, new.key):
                raise _error(
                    ep, ConnectionState.HOST_KEY_UNKNOWN, new.info.describe(), info=new.info
                ) from None
        try:
            return await self._connect(ep, tunnel)
        except _NewKey as new:  # the accepted key is not what the server now shows
            raise _error(
                ep, ConnectionState.HOST_KEY_UNKNOWN, new.info.describe(), info=new.info
            ) from None

    def _refuse_while_locked(self, ep: Endpoint) -> None:
        """No login (and no prompt) while the account is locked: each try re-arms the lock."""
        rec = self.ledger.locked(self.ledger.key(ep.login, ep.host, ep.port))
        if rec is None:
            return
        said = (
            f"the server said: {rec.message}"
            if rec.message
            else (f"{rec.failures} failed logins in a row; an HMC locks the account after 3")
        )
        raise _error(
            ep,
            ConnectionState.AUTH_FAILED,
            f"{ep.label}: account {ep.login} is locked ({said}); not trying again until "
            f"{until_text(rec.locked_until)}",
            lockout=rec.message,
        )

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
            "encryption_algs": encryption_algs(),
        }

    async def _probe_key(self, ep: Endpoint, tunnel) -> asyncssh.SSHKey:
        try:
            async with asyncio.timeout(self.settings.connect_timeout):
                key = await asyncssh.get_server_host_key(
                    ep.host, ep.port, tunnel=tunnel if tunnel is not None else (), config=None
                )
        except (OSError, asyncssh.Error) as exc:
            raise _error(
                ep,
                ConnectionState.UNREACHABLE,
                f"{ep.label}: {describe_error(exc, ep)}",
                retriable=True,
            ) from None
        if key is None:
            raise _error(
                ep, ConnectionState.UNREACHABLE, f"{ep.label}: no host key offered", retriable=True
            )
        return key

    async def _check_key_first(self, ep: Endpoint, tunnel) -> None:
        """Before a prompt: verify the host key without logging in (no prompt for a MITM)."""
        key = await self._probe_key(ep, tunnel)
        on_file = self.store.entries_for(ep.host, "", ep.port)
        if any(k.public_data == key.public_data for _, k in on_file) and not (
            self.store.revoked_at(ep.host, "", ep.port, key)
        ):
            return
        self._raise_key_problem(ep, "", key)

    def _raise_key_problem(self, ep: Endpoint, addr: str, key: asyncssh.SSHKey):
        info = self.store.classify(
            ep.host, addr, ep.port, key, ep.route, hop=ep.name, jump_host=ep.jump_host
        )
        if info.revoked or info.changed:
            log.error("%s", info.describe())
            raise _error(ep, ConnectionState.HOST_KEY_CHANGED, info.describe(), info=info)
        raise _NewKey(info, key)

    async def _connect(self, ep: Endpoint, tunnel) -> asyncssh.SSHClientConnection:
        capture = _KeyCapture()
        try:
            options, attempt = await self.credentials.login_options(
                ep.label, ep.host, ep.port, ep.login, ep.auth
            )
        except CredentialError as exc:  # nothing was sent: this is not a failed login
            message = f"{ep.label}: not tried: {self.credentials.scrub(str(exc))}"
            raise _error(ep, ConnectionState.AUTH_FAILED, message) from None
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
            if capture.presented is None:  # asyncssh refused it before asking (e.g. @revoked)
                self._raise_key_problem(ep, "", await self._probe_key(ep, tunnel))
            addr, key = capture.presented  # type: ignore[misc]
            self._raise_key_problem(ep, addr, key)
            raise  # unreachable: _raise_key_problem always raises
        except asyncssh.PermissionDenied:
            raise self._refused(ep, attempt, capture.banners) from None
        except (OSError, asyncssh.Error) as exc:
            message = self.credentials.scrub(f"{ep.label}: {describe_error(exc, ep)}")
            raise _error(ep, ConnectionState.UNREACHABLE, message, retriable=True) from None
        self.credentials.commit(attempt)
        self.ledger.succeeded(self.ledger.key(ep.login, ep.host, ep.port))
        return conn

    def _refused(self, ep: Endpoint, attempt: LoginAttempt, banners: list[str]) -> HopError:
        """Never retried automatically; a refused password is never sent again."""
        rec = self.ledger.refused(self.ledger.key(ep.login, ep.host, ep.port), banners)
        self.credentials.refused(attempt, wrong=not rec.message)
        if rec.message:
            message = (
                f"{ep.label}: login refused; the server said: {rec.message} "
                f"(not trying again until {until_text(rec.locked_until)})"
            )
        else:
            left = LOCKOUT_AFTER - rec.failures
            message = (
                f"{ep.label}: login refused ({ep.auth.describe()}) — {rec.failures} failed "
                f"login(s) in a row; an HMC locks the account after {LOCKOUT_AFTER}"
                + (" (one try left)" if left == 1 else "")
                + (f"; not trying again until {until_text(rec.locked_until)}" if left <= 0 else "")
            )
        return _error(ep, ConnectionState.AUTH_FAILED, message, refused=True, lockout=rec.message)

    async def _trust(self, info: HostKeyInfo, key: asyncssh.SSHKey) -> bool:
        if info.revoked:  # never offered, never stored
            return False
        if self.settings.accept_new_host_keys:
            log.warning(
                "accepting new host key without asking (accept_new_host_keys): %s", info.describe()
            )
        elif self.prompter is None or not await self.prompter.confirm_host_key(info):
            log.warning("host key not accepted: %s", info.describe())
            return False
        self.store.accept(info.host, info.port, key)
        return True
