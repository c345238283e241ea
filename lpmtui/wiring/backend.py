"""What the console connects to: configured HMCs, or the embedded demo fleet (no Textual here).

The app paints first and then awaits ``start``: the transport and fleet modules (and asyncssh)
are imported there, not at start-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lpmtui.hmc.runner import CommandEvent
from lpmtui.model import FleetSnapshot

if TYPE_CHECKING:
    from lpmtui.config.model import Settings
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.ssh.transport import Prompter, Transport

DEMO_JUMP_NAME = "bastion"


@dataclass(slots=True)
class Hooks:
    """Where the backend reports to: the app wraps each in a message."""

    on_snapshot: Callable[[FleetSnapshot], None]
    on_command: Callable[[CommandEvent], None]
    on_migration: Callable[[Any], None]


class ConsoleBackend:
    """SSH to the HMCs in ``settings`` through ``lpmtui.transport``, polled by a Fleet."""

    migrations_end_on_quit = False  # real HMCs go on migrating; the journal re-attaches

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.transport: Transport | None = None
        self.fleet: Fleet | None = None
        self.migration_manager: Any = None
        self._unsubscribe: Callable[[], None] | None = None
        self._tasks: set[asyncio.Task] = set()
        self._hooks: Hooks | None = None

    @property
    def read_only(self) -> bool:
        return self.settings.read_only

    @property
    def hot_interval(self) -> float:
        return self.settings.hot_interval

    def hot_intervals(self) -> dict[str, float]:
        return {h.name: self.settings.hot_interval_for(h) for h in self.settings.hmcs}

    async def start(self, prompter: Prompter, hooks: Hooks) -> None:
        from lpmtui.fleet.fleet import Fleet

        self._hooks = hooks
        from lpmtui.ssh.transport import Transport
        from lpmtui.store.logfile import log_command, open_log

        open_log(self.settings.log_dir)

        def command_ran(event: CommandEvent) -> None:
            log_command(event)
            hooks.on_command(event)

        self.transport = Transport(
            self.settings,
            prompter=prompter,
            on_command=command_ran,
            on_state=self._link_state_changed,
        )
        self.fleet = Fleet(
            self.transport.links(),
            hot_interval=self.settings.hot_interval,
            cold_interval=self.settings.cold_interval,
        )
        self._unsubscribe = self.fleet.subscribe(self._publish)
        self._publish(self.fleet.snapshot)
        self.migration_manager = self._migration_manager(self.fleet)
        self.migration_manager.subscribe(hooks.on_migration)
        await self.fleet.start()
        await self.transport.start()
        await self.migration_manager.reattach()

    def _migration_manager(self, fleet: Any) -> Any:
        from lpmtui.migration.manager import MigrationManager

        return MigrationManager.for_settings(fleet, self.settings)

    def _publish(self, snapshot: FleetSnapshot) -> None:
        """Every snapshot the UI sees carries the links' live connection states, so a poll
        that started before a (re)connect never shows an HMC going back to 'connecting'."""
        if self._hooks is not None and self.transport is not None:
            self._hooks.on_snapshot(with_live_states(snapshot, self.transport.links()))

    def needs_user(self) -> list[str]:
        """HMCs that will not reconnect on their own (login refused, host key to decide)."""
        from lpmtui.model import ConnectionState

        waiting = (
            ConnectionState.AUTH_FAILED,
            ConnectionState.HOST_KEY_UNKNOWN,
            ConnectionState.HOST_KEY_CHANGED,
        )
        links = self.transport.links() if self.transport is not None else []
        return [link.name for link in links if link.state in waiting]

    def _link_state_changed(self, link: Any) -> None:
        """Show a connection change at once (a first poll with cold data can take a while),
        poll that HMC now, and after a reconnect let the migration manager re-attach."""
        if self.fleet is not None:
            self._publish(self.fleet.snapshot)
            self.fleet.wake(link.name)
        connected = str(getattr(link, "state", "")) == "connected"
        if connected and self.migration_manager is not None:
            task = asyncio.get_running_loop().create_task(self.migration_manager.reattach())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def retry(self, hmc: str) -> None:
        if self.transport is not None:
            await self.transport.retry(hmc)

    async def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.migration_manager is not None:
            await self.migration_manager.close()
        if self.fleet is not None:
            await self.fleet.stop()
        if self.transport is not None:
            await self.transport.close()


def with_live_states(snapshot: FleetSnapshot, links: list[Any]) -> FleetSnapshot:
    """The snapshot with these links' current connection state instead of the last poll's."""
    live = {link.name: link for link in links}
    hmcs = tuple(
        replace(
            h,
            state=live[h.hmc].state,
            reconnect_attempt=getattr(live[h.hmc], "reconnect_attempt", h.reconnect_attempt),
            last_error=getattr(live[h.hmc], "last_error", h.last_error),
            host_key_fingerprint=getattr(live[h.hmc], "host_key_fingerprint", ""),
        )
        if h.hmc in live
        else h
        for h in snapshot.hmcs
    )
    return replace(snapshot, hmcs=hmcs, index={})


class DemoBackend(ConsoleBackend):
    """Starts the simulated fleet and its jump host in this process, then connects to it over
    real SSH through the jump host, trusting only the fleet's own host keys."""

    migrations_end_on_quit = True  # the simulated HMCs live in this process

    def __init__(self, *, read_only: bool = False, fleet: str | None = None) -> None:
        from lpmtui.config.model import Settings, demo_state_dir

        state = demo_state_dir()
        super().__init__(
            Settings(
                read_only=read_only,
                state_dir=state,
                log_dir=state / "logs",
                audit_file=state / "audit.jsonl",
                journal_file=state / "journal.jsonl",
                known_hosts_file=state / "known_hosts",
                user_known_hosts_file=state / "known_hosts",
                ssh_config_file=state / "ssh_config",
            )
        )
        self.sim_fleet: Any = None
        self.fleet = fleet  # a fleet file instead of the built-in demo fleet

    @staticmethod
    def fleet_error(fleet: str) -> str | None:
        """Why the fleet file ``fleet`` cannot be simulated (one line), or None."""
        from lpmtui.simlink import FleetError, demo_world

        try:
            demo_world(fleet)
        except FleetError as error:
            return str(error)
        return None

    async def start(self, prompter: Prompter, hooks: Hooks) -> None:
        from lpmtui.evacuation.records import EvacuationLog
        from lpmtui.simlink import demo_world, start_demo_fleet

        # A new simulated world has nothing in flight and nothing evacuated: a journal left by
        # an earlier demo would make the manager re-attach to migrations this world never saw,
        # and its evacuations would plan "bring home" moves for partitions that never left.
        self.settings.journal_file.unlink(missing_ok=True)
        EvacuationLog.beside(self.settings.journal_file).path.unlink(missing_ok=True)
        self.sim_fleet = await start_demo_fleet(demo_world(self.fleet), jump_host=True)
        self.settings = demo_settings(self.settings, self.sim_fleet)
        await super().start(prompter, hooks)

    async def close(self) -> None:
        await super().close()
        if self.sim_fleet is not None:
            await self.sim_fleet.close()


def demo_settings(base: Settings, sim_fleet: Any) -> Settings:
    """Settings in code for the simulated fleet: every HMC behind the jump host, passwords
    kept in memory only, and the fleet's host keys written to the demo's own known_hosts."""
    from lpmtui.config.model import AuthConfig, HmcConfig, JumpHostConfig

    def auth(password: str) -> AuthConfig:
        return AuthConfig(method="password", password_source="insecure", insecure_password=password)

    base.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    base.known_hosts_file.write_text(sim_fleet.known_hosts_text())
    base.known_hosts_file.chmod(0o600)
    jump = sim_fleet.jump
    jump_hosts = {
        DEMO_JUMP_NAME: JumpHostConfig(
            name=DEMO_JUMP_NAME,
            host=jump.host,
            port=jump.port,
            user=jump.username,
            auth=auth(jump.password),
        )
    }
    hmcs = tuple(
        HmcConfig(
            name=name,
            host=ep.host,
            port=ep.port,
            user=ep.username,
            auth=auth(ep.password),
            jump=(DEMO_JUMP_NAME,),
            peer_address=_peer_address(sim_fleet, name),
            kind=_console_kind(sim_fleet, name),
            site=_sim_hmc(sim_fleet, name, "site"),
        )
        for name, ep in sim_fleet.endpoints.items()
    )
    return replace(base, hmcs=hmcs, jump_hosts=jump_hosts)


def _console_kind(sim_fleet: Any, name: str) -> str:
    """What manages the frames behind this endpoint (hmc, fsm or ivm), as a config would say."""
    world = getattr(sim_fleet, "world", None)
    hmc = world.hmcs.get(name) if world is not None else None
    return getattr(hmc, "kind", "hmc") or "hmc"


def _peer_address(sim_fleet: Any, name: str) -> str:
    """The address the simulated HMCs know each other by (for cross-HMC ``migrlpar --ip``)."""
    return _sim_hmc(sim_fleet, name, "address")


def _sim_hmc(sim_fleet: Any, name: str, field: str) -> str:
    """A fact of the fleet file's HMC ``name`` ("" when the fleet has no world or no such)."""
    world = getattr(sim_fleet, "world", None)
    hmc = world.hmcs.get(name) if world is not None else None
    return getattr(hmc, field, "") or ""


class InProcessBackend:
    """The demo world behind in-process links (no SSH, no ports): the app sees what the SSH demo
    shows. Used to draw the screenshots and by the UI tests; the migration manager is real and
    writes its journal and audit log to ``state_dir`` (default: the XDG state dir)."""

    migrations_end_on_quit = True  # the simulated HMCs live in this process

    def __init__(
        self,
        world: Any = None,
        *,
        read_only: bool = False,
        clock: Any = None,
        hot_interval: float = 5.0,
        poll_interval: float = 2.0,
        state_dir: Path | None = None,
    ) -> None:
        from lpmtui.fleet.fleet import Fleet
        from lpmtui.migration.manager import MigrationManager
        from lpmtui.simlink import demo_world, sim_links

        self.world = world or demo_world()
        self.links = {link.name: link for link in sim_links(self.world)}
        kwargs = {"clock": clock} if clock is not None else {}
        self.fleet = Fleet(
            list(self.links.values()), hot_interval=hot_interval, cold_interval=600.0, **kwargs
        )
        files: dict[str, Any] = {}
        if state_dir is not None:
            from lpmtui.store.audit import AuditLog
            from lpmtui.store.journal import Journal

            files = {
                "journal": Journal(state_dir / "journal.jsonl"),
                "audit": AuditLog(state_dir / "audit.jsonl"),
            }
        self.migration_manager = MigrationManager(
            self.fleet, read_only=read_only, poll_interval=poll_interval, **files
        )
        self.read_only = read_only
        self.hot_interval = hot_interval

    async def start(self, prompter: Prompter, hooks: Hooks) -> None:
        self.fleet.subscribe(hooks.on_snapshot)
        self.fleet.on_command(hooks.on_command)
        self.migration_manager.subscribe(hooks.on_migration)
        await self.fleet.start()

    async def close(self) -> None:
        await self.migration_manager.close()
        await self.fleet.stop()
