"""An evacuation as one object (``evacuation.progress``): its moves by state, GB done / total,
rate, elapsed and the ETA of the whole, at its boundaries on a ManualClock, and on the
simulated HMCs: the ETA read once half the GB has moved lands within 20% of the real end."""

from __future__ import annotations

import pytest

from lpmtui.cli.check import collect
from lpmtui.common.clock import ManualClock
from lpmtui.evacuation.plan import (
    EVACUATE,
    RETURN,
    EvacuationPlan,
    PlannedMove,
    Stay,
    plan_evacuation,
)
from lpmtui.evacuation.progress import EvacuationWatch, duration, frame_slots
from lpmtui.evacuation.run import EvacuationLog, run_plan
from lpmtui.evacuation.schedule import estimate
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import MigrationManager
from lpmtui.migration.types import MigrationProgress, MigrationRequest, MigrationState
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal
from tests.migration.conftest import advance

S = MigrationState
GIB = 1024**3


def plan(*sizes_gb: int, action: str = EVACUATE, stays=()) -> EvacuationPlan:
    moves = tuple(
        PlannedMove(
            f"lp{i}",
            i,
            "SRC",
            "DST",
            "hmc",
            "active",
            gb * 1024,
            0.5,
            MigrationRequest(f"lp{i}", "SRC", "DST"),
        )
        for i, gb in enumerate(sizes_gb)
    )
    return EvacuationPlan(action, "SRC", "hmc", moves, tuple(stays))


def move(i: int, state: MigrationState, **kw) -> MigrationProgress:
    return MigrationProgress(f"j{i}", f"lp{i}", "SRC", "DST", "active", state, **kw)


def test_no_rate_no_eta_and_every_state_counted():
    clock = ManualClock(start=100.0)
    p = plan(8, 8, 8, 8, 8, 8, 8, 8)
    states = [
        S.QUEUED,
        S.WAITING,
        S.STARTING,
        S.IN_PROGRESS,
        S.SUCCEEDED,
        S.FAILED,
        S.STOPPED,
        S.OUTCOME_UNKNOWN,
    ]
    watch = EvacuationWatch(p, [move(i, s) for i, s in enumerate(states)], now=clock.now())
    clock.advance(65)
    got = watch.progress(clock.now())
    assert got.counts == (
        ("waiting for a slot", 1),
        ("waiting for a channel", 1),
        ("starting", 1),
        ("running", 1),
        ("outcome unknown", 1),
        ("done", 1),
        ("failed", 1),
        ("stopped", 1),
    )
    assert got.eta is None and got.rate is None and not got.ended
    assert got.elapsed == 65.0
    # failed and stopped moves left nothing: 6 moves of 8 GB count, one of them done
    assert (got.bytes_done, got.bytes_total) == (8 * GIB, 6 * 8 * GIB)
    assert got.line() == (
        "Evacuate SRC: 1/8 done · 1 waiting for a slot · 1 waiting for a channel · 1 starting · "
        "1 running · 1 outcome unknown · 1 failed · 1 stopped · 8.0/48.0 GB · ETA — · "
        "elapsed 1m05s"
    )


def test_eta_schedules_queued_moves_on_the_slots_that_free():
    planned = {"lp0": 10 * GIB, "lp1": 10 * GIB, "lp2": 4 * GIB, "lp3": 4 * GIB}
    running = [
        move(0, S.IN_PROGRESS, bytes_moved=5 * GIB, bytes_total=10 * GIB, rate=GIB / 10),
        move(1, S.IN_PROGRESS, bytes_moved=9 * GIB, bytes_total=10 * GIB, rate=GIB / 10),
    ]
    queued = [move(2, S.QUEUED), move(3, S.QUEUED)]
    # two slots: lp1 ends at 10s, lp2 takes its slot (ends 50s with lp0), then lp3 (90s)
    assert estimate(running + queued, planned, 2) == 90.0
    # three slots: no sooner than the 14 GiB left at the 0.2 GiB/s the moves make together
    assert estimate(running + queued, planned, 3) == 70.0
    # fewer slots than run now: the running ones still run
    assert estimate(running + queued, planned, 1) == 90.0
    # alone, a move goes no faster than it does now while nothing frees room for it, however
    # fast any move has gone (5 GiB at 0.1 GiB/s)
    assert estimate([running[0]], planned, 4) == 50.0
    assert estimate([running[0]], planned, 4, fastest=GIB / 5) == 50.0
    # ... but when the moves once moved more together, that room is free: up to the fastest
    # any has gone (0.2 GiB/s)
    assert estimate([running[0]], planned, 4, fastest=GIB / 5, busiest=GIB / 4) == 25.0
    # ... or its share of one of two MSP pairs, when that is more: 5 GiB at 0.125 GiB/s
    assert estimate([running[0]], planned, 4, busiest=GIB / 4) == 40.0
    # room freed to the byte: none (0.1 GiB/s is all the moves ever moved together)
    assert estimate([running[0]], planned, 4, fastest=GIB / 5, busiest=GIB / 10) == 50.0
    # between moves: the ended ones' bytes over their whole time (8 GiB in 320s: 40s/GiB)
    done = move(4, S.SUCCEEDED, bytes_total=8 * GIB, elapsed=320.0)
    assert estimate([done, *queued], planned, 2) == 160.0
    # lp1 (10 GiB, starting) runs beside lp2 (ends 160s), then lp3 (320s); lp1 ends last
    assert estimate([done, move(1, S.STARTING), *queued], planned, 2) == 400.0
    # nothing to go by: no ETA; nothing left: none needed
    assert estimate([move(1, S.STARTING), *queued], planned, 2) is None
    assert estimate([move(0, S.SUCCEEDED), move(1, S.FAILED)], planned, 2) == 0.0


def test_a_move_keeps_its_share_until_another_stops_copying():
    planned = {"lp0": 10 * GIB, "lp1": 10 * GIB, "lp2": 4 * GIB}
    # lp0 shares its mover pair (0.05 GiB/s), lp1 has one to itself (0.1 GiB/s)
    slow = move(0, S.IN_PROGRESS, bytes_moved=5 * GIB, bytes_total=10 * GIB, rate=GIB / 20)
    fast = move(1, S.IN_PROGRESS, bytes_moved=9 * GIB, bytes_total=10 * GIB, rate=GIB / 10)
    # lp1 ends at 10s (lp0 0.5 GiB on), then lp0 takes up what it freed, up to the fastest
    # (0.1 GiB/s): 4.5 GiB more in 45s (an equal split would say 40s + 13.3s: 53.3s)
    assert estimate([slow, fast], planned, 2) == 55.0
    # ... or up to the fastest any move has gone, when that is more (0.15 GiB/s): 10s + 30s
    assert estimate([slow, fast], planned, 2, fastest=0.15 * GIB) == 40.0
    # a queued move takes the slot and the share of the one that ended: lp2 (4 GiB) copies at
    # lp1's 0.1 GiB/s from 10s to 50s while lp0 stays at its 0.05 (2.5 GiB left at 50s), then
    # lp0 alone at 0.1: 75s
    assert estimate([slow, fast, move(2, S.QUEUED)], planned, 2) == pytest.approx(75.0)


def test_moves_start_and_finish_in_the_learned_times():
    planned = {"lp0": 1 * GIB, "lp1": 1 * GIB}
    one = move(0, S.IN_PROGRESS, bytes_moved=0, bytes_total=GIB, rate=GIB / 10)
    # 10s of copying, 2s to finish; the next starts 5s after its command, copies 10s, 2s more
    assert estimate([one, move(1, S.QUEUED)], planned, 1, start=5.0, tail=2.0) == 29.0
    # a move starting for 3s already starts copying in 2s, on the room the moves have had
    # (0.2 GiB/s together): 2 + 10 + 2; one starting for 4s: 13; for 5s or more: now
    ends = {}
    for elapsed in (3.0, 4.0, 5.0, 6.0):
        starting = move(1, S.STARTING, elapsed=elapsed)
        ends[elapsed] = estimate([one, starting], planned, 2, busiest=GIB / 5, start=5.0, tail=2.0)
    assert ends == {3.0: 14.0, 4.0: 13.0, 5.0: 12.0, 6.0: 12.0}


def test_the_watch_learns_start_and_finish_from_its_moves():
    clock = ManualClock(start=0.0)
    second = dict(bytes_moved=4 * GIB, bytes_total=8 * GIB, rate=GIB / 2)
    started = [move(0, S.STARTING), move(1, S.IN_PROGRESS, **second), move(2, S.QUEUED)]
    watch = EvacuationWatch(plan(8, 8, 8), started, now=0.0, slots=2)
    clock.advance(7)
    # 7s after its command it has moved 1 GiB at 0.5 GiB/s: it began copying 5s in
    first = move(0, S.IN_PROGRESS, bytes_moved=GIB, bytes_total=8 * GIB, rate=GIB / 2, elapsed=7)
    watch.update(first, clock.now())
    assert watch.starts == {"j0": 5.0, "j1": 0.0} and watch.tails == {}
    clock.advance(13)
    later = move(
        0, S.IN_PROGRESS, bytes_moved=7 * GIB, bytes_total=8 * GIB, rate=GIB / 2, elapsed=20
    )
    watch.update(later, clock.now())
    assert watch.starts == {"j0": 5.0, "j1": 0.0}  # the first sighting is what tells
    clock.advance(4)
    # the last GiB took 2s, it ended 4s after that sighting: 2s after its last byte
    watch.update(move(0, S.SUCCEEDED, bytes_total=8 * GIB, elapsed=24), clock.now())
    assert watch.tails == {"j0": 2.0}
    # j1 (4 GiB left at 0.5 GiB/s) ends in 8s + 2s; j2 takes j0's slot: 2.5s to start (the
    # median of 5 and 0), 16s of copying, 2s to finish
    assert watch.progress(clock.now()).eta == 20.5


def test_pages_dirtied_again_are_sent_again():
    clock = ManualClock(start=0.0)
    seen = dict(bytes_total=8 * GIB, rate=GIB / 2)
    watch = EvacuationWatch(plan(8), [move(0, S.IN_PROGRESS, bytes_moved=GIB, **seen)], now=0.0)
    assert watch.dirty == {}  # one sighting: no growth seen yet
    assert watch.progress(0.0).eta == 14.0  # 7 GiB at 0.5 GiB/s
    clock.advance(4)
    # in 4s its total grew by 0.4 GiB: 0.1 GiB/s dirtied again; 5.4 GiB left shrink by 0.4/s
    grown = dict(bytes_total=int(8.4 * GIB), rate=GIB / 2)
    watch.update(move(0, S.IN_PROGRESS, bytes_moved=3 * GIB, **grown), clock.now())
    assert watch.dirty == {"j0": pytest.approx(0.1 * GIB)}
    assert watch.progress(clock.now()).eta == pytest.approx(13.5)
    # a move that dirties (nearly) as fast as it copies still ends: what is left shrinks by at
    # least a tenth of its rate (the HMC suspends it for the rest)
    one = move(0, S.IN_PROGRESS, bytes_moved=0, bytes_total=GIB, rate=GIB / 2)
    ends = [estimate([one], {}, 1, dirty={"j0": d * GIB}) for d in (0.4, 0.45, 0.5)]
    assert ends == [pytest.approx(10.0), pytest.approx(20.0), pytest.approx(20.0)]


def test_the_last_move_ends_no_sooner_than_it_says_and_an_ended_one_says_when():
    clock = ManualClock(start=0.0)
    ran = move(0, S.SUCCEEDED, bytes_total=4 * GIB, elapsed=40.0)
    last = dict(bytes_moved=2 * GIB, bytes_total=4 * GIB, rate=GIB / 10)
    watch = EvacuationWatch(plan(4, 4), [ran, move(1, S.IN_PROGRESS, eta=20.0, **last)], now=0.0)
    assert watch.progress(0.0).eta == 20.0  # 2 GiB at 0.1 GiB/s: what it says
    watch.update(move(1, S.IN_PROGRESS, eta=20.5, **last), 0.0)
    assert watch.progress(0.0).eta == 20.5  # it says later (its rate is an average): later
    watch.update(move(1, S.IN_PROGRESS, eta=19.5, **last), 0.0)
    assert watch.progress(0.0).eta == 20.0
    clock.advance(133)
    watch.update(move(1, S.SUCCEEDED, bytes_total=4 * GIB), clock.now())
    clock.advance(60)
    got = watch.progress(clock.now())
    assert got.totals() == "8.0/8.0 GB · ended after 2m13s"
    assert got.short() == "Evacuate SRC 2/2 · 100% · ended after 2m13s"


def test_the_end_summary_and_its_frozen_elapsed():
    clock = ManualClock(start=0.0)
    stays = (Stay("vios-ish", None, "a VIOS does not migrate"),)
    p = plan(4, 4, 4, stays=stays)
    watch = EvacuationWatch(p, [move(i, S.QUEUED) for i in range(3)], now=clock.now(), slots=2)
    clock.advance(842)
    assert watch.update(move(0, S.SUCCEEDED, bytes_total=4 * GIB), clock.now())
    assert watch.update(move(1, S.SUCCEEDED, bytes_total=4 * GIB), clock.now())
    assert not watch.ended
    assert not watch.update(MigrationProgress("other", "x", "a", "b", "active", S.QUEUED), 0)
    assert watch.update(move(2, S.FAILED, message="HSCLA27C no room"), clock.now())
    assert watch.ended
    clock.advance(100)
    got = watch.progress(clock.now())
    assert got.ended and got.eta is None and got.elapsed == 842.0
    assert got.summary() == (
        "SRC evacuated: 2 moved in 14m02s, 2 stayed: lp2: failed: HSCLA27C no room; "
        "vios-ish: a VIOS does not migrate"
    )
    home = EvacuationWatch(plan(4, action=RETURN), [move(0, S.SUCCEEDED)], now=0.0)
    assert home.progress(5.0).summary() == "SRC brought home: 1 moved in 5s"


def test_durations_and_slots():
    assert [duration(s) for s in (None, 0, 42.4, 842, 3900)] == [
        "—",
        "0s",
        "42s",
        "14m02s",
        "1h05m",
    ]
    assert frame_slots(None, "SRC", "active", fallback=3) == 3


TEN = (
    """
hmcs:
  - name: hmc-a
    address: 10.0.0.1
    version: V10R3 M1060
    frames:
      - name: src
        type_model: 9105-42A
        serial: 78000S1
        generation: POWER10
        vlans: [1, 200]
        memory: 1048576
        processors: 64
        max_migrations: {active: 3, inactive: 8}
        vios: [{name: vios-s1}, {name: vios-s2}]
        partitions:
"""
    + "".join(
        f"          - {{name: lp{i}, mem: {mem}, vlans: [200], dirty_rate: 10}}\n"
        for i, mem in enumerate(
            (262144, 131072, 131072, 65536, 65536, 65536, 32768, 32768, 32768, 32768)
        )
    )
    + """
      - name: dst
        type_model: 9105-42A
        serial: 78000D1
        generation: POWER10
        vlans: [1, 200]
        memory: 1048576
        processors: 64
        max_migrations: {active: 4, inactive: 8}
        vios: [{name: vios-d1}, {name: vios-d2}]
"""
)


async def eta_at_half(tmp_path, world, clock, frame: str, moves: int, slots: int):
    """Evacuate ``frame``; (the ETA read once half the GB had moved, the time it really took
    from there), with every state seen on the way."""
    fleet = Fleet(sim_links(world), clock=clock.now)
    await fleet.refresh_now()
    manager = MigrationManager(
        fleet,
        journal=Journal(tmp_path / "j.jsonl"),
        audit=AuditLog(tmp_path / "a.jsonl"),
        clock=clock,
        poll_interval=2.0,
    )
    try:
        p = plan_evacuation(await collect(fleet), frame)
        assert len(p.moves) == moves
        log = EvacuationLog(tmp_path / "e")
        result = await run_plan(manager, p, confirmed_frame=frame, log=log)
        assert frame_slots(fleet.snapshot, frame, "active") == slots
        watch = EvacuationWatch(p, result.started, now=clock.now(), slots=slots)
        manager.subscribe(lambda m: watch.update(m, clock.now()))
        half, seen_states, t = None, set(), 0
        while not watch.ended and t < 7200:
            await advance(clock, 1)
            t += 1
            if t % 5 == 0:  # the console's hot poll
                await fleet.refresh_now()
            got = watch.progress(clock.now())
            seen_states.update(name for name, _ in got.counts)
            if half is None and got.bytes_done * 2 >= got.bytes_total and got.eta is not None:
                half = (clock.now(), got.eta)
        assert watch.ended, watch.progress(clock.now()).line()
        end = watch.progress(clock.now())
        assert end.moved == moves and end.bytes_done == end.bytes_total
        at, eta = half
        return eta, watch.ended_at - at, seen_states
    finally:
        await manager.close()
        await fleet.stop()


async def test_eta_at_half_the_gb_lands_within_20_percent_of_the_end(tmp_path):
    clock = ManualClock(start=1000.0)
    world = World.from_yaml(TEN, clock)
    eta, actual, seen = await eta_at_half(tmp_path, world, clock, "src", 10, 3)
    assert {"waiting for a slot", "running", "done"} <= seen
    assert abs(eta - actual) <= 0.2 * actual, (eta, actual)
    print(f"ten moves: ETA at half {eta:.0f}s, actual {actual:.0f}s: {(eta / actual - 1):+.1%}")


async def test_the_demos_evacuation_eta_at_half_lands_within_20_percent(tmp_path):
    """P10-S1022-B: 9 moves, one of them (b-db-02, 64 GB) long after the others; its dirty
    pages are sent again, so its total grows."""
    clock = ManualClock(start=1000.0)
    world = World.demo(clock=clock)
    eta, actual, seen = await eta_at_half(tmp_path, world, clock, "P10-S1022-B", 9, 16)
    assert {"starting", "running", "done"} <= seen
    assert abs(eta - actual) <= 0.2 * actual, (eta, actual)
    print(f"demo: ETA at half {eta:.0f}s, actual {actual:.0f}s: {(eta / actual - 1):+.1%}")
