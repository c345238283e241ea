"""Migrations started elsewhere (the demo's archive-db, started by another console): seen in
``lslparmigr``, shown with their progress and marked as not started here; stopped like any
other (exact argv, confirmed, audited, refused read-only); their end told from the inventory."""

from __future__ import annotations

import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import (
    ConfirmationError,
    MigrationManager,
    MigrationState,
    ReadOnlyError,
)
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal

KEY = "elsewhere:P10-E1080-A/archive-db"
STOP = ("migrlpar", "-o", "s", "-m", "P10-E1080-A", "--id", "36")


async def demo(tmp_path, *, read_only: bool = False):
    clock = ManualClock(start=1000.0)
    world = World.demo(clock=clock)
    fleet = Fleet(sim_links(world), clock=clock.now)
    manager = MigrationManager(
        fleet,
        journal=Journal(tmp_path / "journal.jsonl"),
        audit=AuditLog(tmp_path / "audit.jsonl"),
        clock=clock,
        read_only=read_only,
    )
    seen = []
    manager.subscribe(seen.append)
    await fleet.refresh_now()
    clock.advance(10)
    await fleet.refresh_now()
    return clock, world, fleet, manager, seen


async def test_a_migration_started_elsewhere_is_shown_with_its_progress(tmp_path):
    _clock, _world, fleet, manager, seen = await demo(tmp_path)
    try:
        (first, now) = [p for p in seen if p.job_id == KEY]
        assert not now.started_here and now.state is MigrationState.IN_PROGRESS
        assert (now.partition, now.source, now.target) == ("archive-db", "P10-E1080-A", "P9-S924-C")
        assert now.message == "started elsewhere (not by this console)"
        frame = fleet.snapshot.frame("P10-E1080-A")[1]
        (status,) = [m for m in frame.migrations if m.name == "archive-db"]
        assert now.bytes_moved == status.bytes_transmitted
        assert now.bytes_total == status.bytes_transmitted + status.bytes_remaining
        assert first.rate is None and now.rate == pytest.approx(150 * 1024**2)  # 10 s apart
        assert now.elapsed == 10.0  # since this console first saw it
        assert manager.stop_command(KEY) == STOP
        assert now.command == " ".join(STOP)
        assert manager.jobs() == []  # not one of this console's jobs
    finally:
        await manager.close()
        await fleet.stop()


async def test_stopping_it_is_confirmed_audited_and_its_end_told(tmp_path):
    clock, world, fleet, manager, seen = await demo(tmp_path)
    try:
        with pytest.raises(ConfirmationError):
            await manager.stop(KEY)
        assert not [a for a in world.received["hmc-v10"] if a[:3] == ("migrlpar", "-o", "s")]
        stopping = await manager.stop(KEY, confirmed=True)
        assert stopping.state is MigrationState.STOPPING
        assert [a for a in world.received["hmc-v10"] if a[:3] == ("migrlpar", "-o", "s")] == [STOP]
        sent, done = manager.audit.records()
        assert (sent["op"], sent["phase"], sent["argv"]) == ("stop", "sent", list(STOP))
        assert (done["phase"], done["outcome"], done["rc"]) == ("done", "ok", 0)
        assert sent["started_here"] is False and sent["partition"] == "archive-db"
        for _ in range(30):
            if seen[-1].state.terminal:
                break
            clock.advance(5)
            await fleet.refresh_now()
        assert seen[-1].job_id == KEY and seen[-1].state is MigrationState.STOPPED
        assert seen[-1].message == "stopped from this console: back on the source"
    finally:
        await manager.close()
        await fleet.stop()


async def test_read_only_refuses_the_stop_and_audits_the_refusal(tmp_path):
    _clock, world, fleet, manager, _seen = await demo(tmp_path, read_only=True)
    try:
        with pytest.raises(ReadOnlyError, match="read-only console: stop of archive-db refused"):
            await manager.stop(KEY, confirmed=True)
        assert not [a for a in world.received["hmc-v10"] if a[:3] == ("migrlpar", "-o", "s")]
        (refused,) = manager.audit.records()
        assert (refused["outcome"], refused["argv"]) == ("refused", list(STOP))
    finally:
        await manager.close()
        await fleet.stop()


async def test_the_same_poll_seen_again_is_no_new_reading(tmp_path):
    """Every merged snapshot repeats each HMC's last answer: reading it again as new would make
    the rate fall to zero and invent a stall."""
    clock, _world, fleet, manager, seen = await demo(tmp_path)
    try:
        before = [p for p in seen if p.job_id == KEY]
        clock.advance(300)
        manager.elsewhere.observe(fleet.snapshot)  # the same answers, 300 s later
        after = [p for p in seen if p.job_id == KEY]
        assert after == before  # nothing new to tell
        assert manager.elsewhere.progress(KEY).rate == pytest.approx(150 * 1024**2)
        clock.advance(2)
        await fleet.refresh_now()  # a new poll: a new reading
        assert len([p for p in seen if p.job_id == KEY]) == len(before) + 1
    finally:
        await manager.close()
        await fleet.stop()
