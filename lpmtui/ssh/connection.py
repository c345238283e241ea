"""One HMC's SSH connection: kept up on its own (backoff and jitter after a loss), waiting for
the user after an authentication failure or a host-key problem, and honest about every command
(rc None = outcome unknown)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Sequence

import asyncssh

from lpmtui.config.model import HmcConfig, Settings
from lpmtui.hmc.commands import UnsafeArgumentError, command_line
from lpmtui.hmc.redact import redact_argv
from lpmtui.hmc.runner import CommandEvent, CommandResult
from lpmtui.model import ConnectionState
from lpmtui.ssh.bastion import BastionPool
from lpmtui.ssh.channels import Exchange, exchange
from lpmtui.ssh.hops import Endpoint, HopError, HopOpener, describe_error
from lpmtui.ssh.hostkeys import HostKeyInfo

log = logging.getLogger("lpmtui.transport")

OnCommand = Callable[[CommandEvent], None]
OnState = Callable[["HmcConnection"], None]
NEEDS_USER = (
    ConnectionState.AUTH_FAILED,
    ConnectionState.HOST_KEY_UNKNOWN,
    ConnectionState.HOST_KEY_CHANGED,
)


class HmcConnection:
    """One HMC: implements Runner (``run``) and the HmcLink attributes the collectors read."""

    def __init__(
        self,
        config: HmcConfig,
        settings: Settings,
        *,
        pool: BastionPool,
        opener: HopOpener,
        on_command: OnCommand | None = None,
        on_state: OnState | None = None,
    ) -> None:
        self.config = config
        self.settings = settings
        self.name = config.name
        self.host = config.host
        self.user = config.user
        self.kind = config.kind
        self.peer_address = config.address_for_peers
        self.site = config.site
        self.state = ConnectionState.CONNECTING
        self.reconnect_attempt = 0
        self.last_error = ""
        self.host_key_fingerprint = ""
        self.host_key_info: HostKeyInfo | None = None
        self.auth_failures = 0  # failed logins in a row, as recorded across runs
        self.lockout = ""  # the HMC's own lockout text, while it says the account is locked
        self.failed_hop = ""  # "jump host NAME" when the last failure was a jump host's
        self.on_command = on_command
        self.on_state = on_state
        self._pool = pool
        self._opener = opener
        self._endpoint = Endpoint(
            config.name,
            config.host,
            config.port,
            config.user,
            config.auth,
            route=config.jump,
            source=config.source,
        )
        self._conn: asyncssh.SSHClientConnection | None = None
        self._leased = False
        self._ever_connected = False
        limit = settings.channels_per_connection
        self._slots = asyncio.Semaphore(limit)
        self._long_slots = asyncio.Semaphore(max(1, limit - 1))  # polls always keep one channel
        self._connect_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._first_attempt = asyncio.Event()
        self._supervisor: asyncio.Task | None = None
        self._closing = False

    def __repr__(self) -> str:
        return f"HmcConnection({self.name!r}, {self.host!r}, state={self.state.value!r})"

    @property
    def route(self) -> tuple[str, ...]:
        return self.config.jump

    def route_fingerprints(self) -> tuple[tuple[str, str], ...]:
        """(jump host name, SHA256 fingerprint) of each open hop, outermost first (for audit)."""
        out = []
        for i in range(len(self.route)):
            conn = self._pool.connection(self.route[: i + 1])
            key = conn.get_server_host_key() if conn is not None else None
            out.append((self.route[i], key.get_fingerprint("sha256") if key else ""))
        return tuple(out)

    # -- connecting ----------------------------------------------------------------------------

    async def connect(self) -> bool:
        """One login attempt along the jump chain; never raises for expected failures."""
        async with self._connect_lock:
            if self._conn is not None and not self._conn.is_closed():
                return True
            self._drop()
            self._set_state(
                ConnectionState.RECONNECTING if self._ever_connected else ConnectionState.CONNECTING
            )
            try:
                conn = await self._open()
            except HopError as exc:
                self._failed(exc)
                return False
            except Exception as exc:  # a bug must not take the console down
                log.exception("unexpected error connecting to %s", self.name)
                self._failed(
                    HopError(
                        ConnectionState.UNREACHABLE,
                        f"{self._endpoint.label}: {describe_error(exc, self._endpoint)}",
                        retriable=True,
                        hop=self.name,
                    )
                )
                return False
            finally:
                self._first_attempt.set()
            self._conn = conn
            self._ever_connected = True
            self.auth_failures = 0
            self.lockout = ""
            self.failed_hop = ""
            self.reconnect_attempt = 0
            self.last_error = ""
            self.host_key_info = None
            key = conn.get_server_host_key()
            self.host_key_fingerprint = key.get_fingerprint("sha256") if key else ""
            log.info("%s connected (%s)", self.name, self._endpoint.label)
            self._set_state(ConnectionState.CONNECTED)
            return True

    async def _open(self) -> asyncssh.SSHClientConnection:
        tunnel = await self._pool.acquire(self.route)
        self._leased = True
        try:
            return await self._opener.open(self._endpoint, tunnel)
        except BaseException:
            self._drop()
            raise

    def _failed(self, exc: HopError) -> None:
        self.last_error = str(exc)
        self.host_key_info = exc.info
        self.host_key_fingerprint = exc.info.fingerprint if exc.info else ""
        self.failed_hop = f"jump host {exc.hop}" if exc.jump_host else ""
        self.lockout = exc.lockout
        state = exc.state
        if exc.refused and not exc.jump_host:
            key = self._opener.ledger.key(self._endpoint.login, self.host, self.config.port)
            self.auth_failures = self._opener.ledger.record(key).failures
        elif exc.retriable and self._ever_connected:
            state = ConnectionState.RECONNECTING
        log.warning("%s: %s", self.name, self.last_error)
        self._set_state(state)

    def _drop(self) -> None:
        """Forget the current connection and give back the lease on the jump hosts."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        if self._leased:
            self._leased = False
            self._pool.release(self.route)

    def _set_state(self, state: ConnectionState) -> None:
        self.state = state
        if self.on_state is not None:
            try:
                self.on_state(self)
            except Exception:
                log.exception("on_state callback failed")

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: initial x 2^(n-1), x 0.5..1.5, capped."""
        s = self.settings
        base = min(s.reconnect_max_delay, s.reconnect_initial_delay * 2 ** max(0, attempt - 1))
        return min(s.reconnect_max_delay, base * (0.5 + random.random()))

    def start(self) -> None:
        """Keep this HMC connected in the background (reconnecting after losses)."""
        if self._supervisor is None or self._supervisor.done():
            self._closing = False
            self._supervisor = asyncio.create_task(self._supervise(), name=f"ssh:{self.name}")

    async def wait_first_attempt(self) -> None:
        await self._first_attempt.wait()

    async def _supervise(self) -> None:
        while not self._closing:
            if self.state in NEEDS_USER and self._conn is None:
                await self._wait_wake(None)  # only the user (retry) may try again
                continue
            if await self.connect():
                conn = self._conn
                if conn is not None:
                    await conn.wait_closed()
                if self._closing:
                    return
                self._drop()
                self.reconnect_attempt = 0
                self.last_error = "connection lost"
                log.warning("%s: connection lost", self.name)
                self._set_state(ConnectionState.RECONNECTING)
            elif self.state in NEEDS_USER:
                continue
            self.reconnect_attempt += 1
            self._set_state(self.state)
            await self._wait_wake(self.backoff(self.reconnect_attempt))

    async def _wait_wake(self, timeout: float | None) -> None:
        try:
            async with asyncio.timeout(timeout):
                await self._wake.wait()
        except TimeoutError:
            pass
        finally:
            self._wake.clear()

    async def retry(self) -> bool:
        """User-initiated: try now (asks again for a password or a host key if needed)."""
        self.reconnect_attempt = 0
        self._pool.unblock(self.route)
        ok = await self.connect()
        if self.state not in NEEDS_USER:
            self._wake.set()  # the supervisor watches the new connection or resumes backoff
        return ok

    async def close(self) -> None:
        self._closing = True
        self._wake.set()
        task, self._supervisor = self._supervisor, None
        conn = self._conn
        self._drop()
        if conn is not None:
            await conn.wait_closed()
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    # -- commands ------------------------------------------------------------------------------

    async def run(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult:
        """Run one HMC command; rc None means the outcome is unknown (see ``stderr``)."""
        deadline = self.settings.command_timeout if timeout is None else timeout
        return await self._execute(tuple(argv), deadline)

    async def run_long(
        self, argv: Sequence[str], *, on_sent: Callable[[], None] | None = None
    ) -> CommandResult:
        """For ``migrlpar -o m``: its own channel, no deadline (keepalives catch a dead path).
        It may wait for a free channel first; ``on_sent`` is called when the command goes."""
        async with self._long_slots:
            return await self._execute(tuple(argv), None, on_sent)

    async def _execute(
        self,
        argv: tuple[str, ...],
        deadline: float | None,
        on_sent: Callable[[], None] | None = None,
    ) -> CommandResult:
        shown = redact_argv(argv)
        started, t0 = time.time(), time.monotonic()
        result = Exchange(None, error="cancelled; outcome unknown")
        try:
            result = await self._exchange(argv, deadline, on_sent)
        finally:
            duration = time.monotonic() - t0
            error = self._opener.credentials.scrub(result.error)
            self._emit(CommandEvent(self.name, shown, result.rc, started, duration, error))
        # What the HMC answers may echo a password we sent (an error quoting its input): scrub
        # it here, before the result is logged, audited or shown anywhere.
        scrub = self._opener.credentials.scrub
        stdout, stderr = scrub(result.stdout), scrub(result.stderr)
        if error:  # the reason goes where a reader of the result looks for one
            separator = "\n" if stderr and not stderr.endswith("\n") else ""
            stderr = f"{stderr}{separator}lpmtui: {error}"
        return CommandResult(shown, result.rc, stdout, stderr, started, duration)

    async def _exchange(
        self,
        argv: tuple[str, ...],
        deadline: float | None,
        on_sent: Callable[[], None] | None = None,
    ) -> Exchange:
        self._opener.credentials.remember_argv_secrets(argv)
        try:
            line = command_line(argv)
        except UnsafeArgumentError as exc:
            return Exchange(None, error=f"not sent: {exc}")
        async with self._slots:
            conn = self._conn
            if conn is None or conn.is_closed():
                return Exchange(None, error=f"not sent: not connected ({self.state.value})")
            if on_sent is not None:
                on_sent()  # the channel opens with the command: it leaves now
            try:
                return await exchange(conn, line, deadline)
            except asyncssh.ChannelOpenError as exc:
                return Exchange(None, error=f"not sent: no channel ({exc.reason})")
            except (OSError, asyncssh.Error) as exc:
                return Exchange(None, error=f"{describe_error(exc)}; outcome unknown")

    def _emit(self, event: CommandEvent) -> None:
        if self.on_command is None:
            return
        try:
            self.on_command(event)
        except Exception:
            log.exception("on_command callback failed")
