"""The fleet: one Collector per HMC, merged into FleetSnapshots for subscribers.

Each collector runs its own loop: poll, publish, then sleep the hot interval (the next poll is
scheduled only after the last one finished, so polls never overlap); every cold interval the
poll also fetches the cold data. An HMC that is down or answers garbage shows up as such in its
own HmcSnapshot; the other HMCs' data is never blanked by it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence

from lpmtui.common.listeners import Listeners
from lpmtui.fleet.collector import Collector, HmcLink, link_user
from lpmtui.hmc import commands, parse
from lpmtui.hmc.runner import CommandEvent
from lpmtui.model import (
    ColdData,
    ConnectionState,
    FleetSnapshot,
    FrameSnapshot,
    HmcMessage,
    HmcSnapshot,
    ValidationResult,
)

__all__ = ["Collector", "Fleet", "FleetError", "HmcLink"]

log = logging.getLogger("lpmtui.fleet")

VALIDATE_TIMEOUT = 600.0  # migrlpar -o v asks every VIOS on both sides; it can take minutes
Intervals = tuple[float | None, float | None]  # (hot, cold) overrides for one HMC


class FleetError(LookupError):
    """A request the fleet cannot place (unknown system); the message is one line."""


def _configured_intervals(link: HmcLink) -> Intervals:
    config = getattr(link, "config", None)
    return (getattr(config, "hot_interval", None), getattr(config, "cold_interval", None))


class Fleet:
    """Keeps a FleetSnapshot of every HMC up to date and tells subscribers about each change."""

    def __init__(
        self,
        links: Sequence[HmcLink],
        *,
        hot_interval: float = 5.0,
        cold_interval: float = 60.0,
        clock: Callable[[], float] = time.time,
        intervals: Mapping[str, Intervals] | None = None,
    ) -> None:
        self.links = tuple(links)
        self.clock = clock
        self.hot_interval = hot_interval
        self.cold_interval = cold_interval
        self._intervals = dict(intervals or {})
        self._command_listeners: Listeners[CommandEvent] = Listeners("command listener", log)
        self.collectors = {
            link.name: Collector(
                link,
                peers=[p for p in self.links if p is not link],
                clock=clock,
                on_command=self._emit_command,
            )
            for link in self.links
        }
        self._subscribers: Listeners[FleetSnapshot] = Listeners("fleet subscriber", log)
        self._tasks: list[asyncio.Task] = []
        self._wake: dict[str, asyncio.Event] = {}
        self.snapshot = self._merge()

    # -- subscriptions --------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[FleetSnapshot], None]) -> Callable[[], None]:
        """Call ``callback`` with every new FleetSnapshot; returns the unsubscribe function."""
        return self._subscribers.add(callback)

    def on_command(self, callback: Callable[[CommandEvent], None]) -> Callable[[], None]:
        """Report every command the collectors run (for links that do not report their own)."""
        return self._command_listeners.add(callback)

    def _emit_command(self, event: CommandEvent) -> None:
        self._command_listeners.emit(event)

    def _publish(self) -> None:
        self.snapshot = self._merge()
        self._subscribers.emit(self.snapshot)

    def _merge(self) -> FleetSnapshot:
        return FleetSnapshot(
            hmcs=tuple(c.snapshot for c in self.collectors.values()), taken_at=self.clock()
        )

    # -- running --------------------------------------------------------------------------------

    def intervals_for(self, name: str) -> tuple[float, float]:
        link = self.collectors[name].link
        hot, cold = self._intervals.get(name) or _configured_intervals(link)
        return (hot or self.hot_interval, cold or self.cold_interval)

    async def start(self) -> None:
        """Start one polling loop per HMC (idempotent)."""
        if self._tasks:
            return
        for name in self.collectors:
            self._wake[name] = asyncio.Event()
            self._tasks.append(asyncio.create_task(self._loop(name), name=f"collector {name}"))

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self, name: str) -> None:
        collector = self.collectors[name]
        wake = self._wake[name]
        hot, cold = self.intervals_for(name)
        while True:
            cold_due = collector.connected and (
                collector.cold_at == 0.0 or self.clock() - collector.cold_at >= cold
            )
            wake.clear()  # before the poll: a wake() while it runs asks for one more
            try:
                await collector.poll(cold_due=cold_due)
            except asyncio.CancelledError:
                raise
            except Exception:  # a collector bug must not stop the other HMCs or this loop
                log.exception("poll of %s failed", name)
            self._publish()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), hot)

    async def refresh_now(self) -> FleetSnapshot:
        """Poll every HMC once now (waiting for any poll in progress) and publish."""
        await asyncio.gather(*(c.poll() for c in self.collectors.values()))
        self._publish()
        return self.snapshot

    def wake(self, name: str | None = None) -> None:
        """Make the running loop of one HMC (or all) poll now, e.g. after a reconnect."""
        for key, event in self._wake.items():
            if name is None or key == name:
                event.set()

    # -- lookups --------------------------------------------------------------------------------

    def _locate(self, system_name: str) -> tuple[Collector, FrameSnapshot]:
        """The collector that manages ``system_name``, preferring a connected one (a frame
        managed by two HMCs is listed by both)."""
        found: list[tuple[Collector, FrameSnapshot]] = []
        for collector in self.collectors.values():
            for frame in collector.snapshot.frames:
                if frame.system.name == system_name:
                    found.append((collector, frame))
        if not found:
            raise FleetError(f"managed system {system_name!r} is not known to any HMC")
        found.sort(key=lambda cf: not cf[0].connected)
        return found[0]

    def link_for_system(self, system_name: str) -> HmcLink:
        return self._locate(system_name)[0].link

    async def cold(self, system_name: str) -> ColdData:
        """The cold data of one frame, fetched now; published with the next snapshot."""
        collector, _ = self._locate(system_name)
        data = await collector.cold(system_name)
        self._publish()
        return data

    # -- validation -----------------------------------------------------------------------------

    async def validate(
        self, source_system: str, lpar_id: int, target_system: str
    ) -> ValidationResult:
        """``migrlpar -o v`` on the source's HMC; ``--ip``/``-u`` when the target is managed
        by another HMC only. The HMC's messages come back verbatim in the result."""
        source, source_frame = self._locate(source_system)
        partition = next(
            (p.name for p in source_frame.partitions if p.lpar_id == lpar_id), f"id {lpar_id}"
        )
        target_frame = next(
            (f for f in source.snapshot.frames if f.system.name == target_system), None
        )
        remote_ip = remote_user = None
        if target_frame is None:
            target, target_frame = self._locate(target_system)
            remote_ip = target.link.peer_address or target.link.host
            remote_user = link_user(target.link)
        cmd = commands.migrlpar(
            "v",
            source_frame.system.mtms,
            lpar_id,
            target=target_frame.system.mtms,
            remote_ip=remote_ip,
            remote_user=remote_user,
        )
        link = source.link
        if link.state != ConnectionState.CONNECTED:
            reason = f"not sent: {link.name} is {link.state.value}"
            if link.last_error:
                reason += f" ({link.last_error})"
            return ValidationResult(
                partition=partition,
                source=source_system,
                target=target_system,
                rc=None,
                errors=(HmcMessage("", reason),),
                taken_at=self.clock(),
            )
        result = await source.run(cmd, timeout=VALIDATE_TIMEOUT)
        return parse.validation(
            result.stdout or result.stderr,
            result.rc,
            partition=partition,
            source=source_system,
            target=target_system,
            taken_at=self.clock(),
        )

    def hmc(self, name: str) -> HmcSnapshot:
        return self.collectors[name].snapshot
