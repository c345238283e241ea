"""An in-process backend for UI tests: the demo world behind SimLinks, polled by a real Fleet,
with a real MigrationManager (journal and audit in the test's XDG state dir)."""

from __future__ import annotations

from lpmtui.fleet import Fleet
from lpmtui.migration import MigrationManager
from lpmtui.sim.world import World
from lpmtui.simlink import sim_links

HOT = 5.0


class InProcessBackend:
    def __init__(self, world: World | None = None, *, read_only: bool = False, clock=None) -> None:
        self.world = world or World.demo()
        self.links = {link.name: link for link in sim_links(self.world)}
        kwargs = {"clock": clock} if clock is not None else {}
        self.fleet = Fleet(
            list(self.links.values()), hot_interval=HOT, cold_interval=600.0, **kwargs
        )
        self.migration_manager = MigrationManager(self.fleet, read_only=read_only)
        self.read_only = read_only
        self.hot_interval = HOT

    async def start(self, prompter, hooks) -> None:
        self.fleet.subscribe(hooks.on_snapshot)
        self.fleet.on_command(hooks.on_command)
        self.migration_manager.subscribe(hooks.on_migration)
        await self.fleet.start()

    async def close(self) -> None:
        await self.migration_manager.close()
        await self.fleet.stop()
