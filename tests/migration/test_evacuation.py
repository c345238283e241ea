"""Evacuating a frame and bringing its partitions home, on the simulated HMCs (in-process, the
same Fleet + MigrationManager the console runs): the plan, the one confirmation, read-only,
the evacuation written down before anything is sent, and the way back."""

from __future__ import annotations

import pytest
import yaml

from lpmtui.cli.check import collect
from lpmtui.eligibility import rank_targets
from lpmtui.evacuation.plan import EVACUATE, RETURN, plan_evacuation, plan_lines, plan_return
from lpmtui.evacuation.run import (
    EvacuationLog,
    drop_refused,
    run_plan,
    validate_plan,
    validation_line,
)
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import (
    ConfirmationError,
    MigrationError,
    MigrationState,
    ReadOnlyError,
)
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links
from tests.migration.stacks import FLEET, Stack

S = MigrationState
ENDED = {S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY}


def names_on(stack: Stack, frame: str) -> set[str]:
    return {p.name for p in stack.fleet.snapshot.frame(frame)[1].partitions if not p.is_vios}


async def all_ended(stack: Stack, manager, jobs, limit: float = 400.0) -> list:
    await stack.until(lambda: all(manager.job(j.job_id).state in ENDED for j in jobs), limit)
    await stack.fleet.refresh_now()
    return [manager.job(j.job_id) for j in jobs]


async def test_plan_places_every_partition_and_says_why_others_cannot(stack: Stack):
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    assert plan.action == EVACUATE and plan.hmc == "hmc-a"
    assert {(m.partition, m.target, m.kind) for m in plan.moves} == {
        ("web1", "p9-b", "active"),
        ("web2", "p9-b", "active"),
        ("web3", "p9-b", "active"),
    }
    assert plan.stays == ()
    # p10-c is on another HMC that hmc-a has no SSH trust to: never chosen
    assert all(not m.request.remote_hmc for m in plan.moves)
    text = "\n".join(plan_lines(plan, lambda r: " ".join(r.partition)))
    assert "Evacuate p9-a (hmc-a): 3 to move, 0 stay" in text


async def test_evacuate_then_bring_home(stack: Stack, tmp_path):
    manager = stack.manager()
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    result = await run_plan(manager, plan, confirmed_frame="p9-a", log=log)
    assert result.refused == () and len(result.started) == 3
    # p9-b takes 2 active migrations at a time: the third waits in the queue
    assert [p.state for p in result.started].count(S.QUEUED) == 1
    record = log.latest("p9-a")
    assert record == result.evacuation and len(record.moves) == 3
    assert oct((tmp_path / "evacuations.jsonl").stat().st_mode & 0o777) == "0o600"
    final = await all_ended(stack, manager, result.started)
    assert [p.state for p in final] == [S.SUCCEEDED] * 3, [p.message for p in final]
    assert names_on(stack, "p9-a") == set()
    assert {"web1", "web2", "web3"} <= names_on(stack, "p9-b")
    sent = [r for r in manager.audit.records() if r["op"] == "migrate" and r["phase"] == "sent"]
    assert len(sent) == 3
    assert all(r["confirmation"] == "frame name typed (evacuate p9-a, 3 partitions)" for r in sent)

    # The manager fetched both frames' cold data when the moves ended (no cold poll ran), so
    # the way back is judged on what the partitions look like on p9-b now.
    record = log.latest("p9-a")
    assert await stack.until(
        lambda: len(plan_return(stack.fleet.snapshot, record).moves) == 3, limit=10
    )
    back = plan_return(stack.fleet.snapshot, record)
    assert back.action == RETURN and back.frame == "p9-a"
    assert {(m.partition, m.source, m.target) for m in back.moves} == {
        ("web1", "p9-b", "p9-a"),
        ("web2", "p9-b", "p9-a"),
        ("web3", "p9-b", "p9-a"),
    }
    home = await run_plan(manager, back, confirmed_frame="p9-a", log=log)
    final = await all_ended(stack, manager, home.started)
    assert [p.state for p in final] == [S.SUCCEEDED] * 3, [p.message for p in final]
    assert names_on(stack, "p9-a") == {"web1", "web2", "web3"}
    # every move ended with its partition home: the evacuation is written down as closed
    assert await home.recorded == [
        {
            "id": record.id,
            "frame": "p9-a",
            "at": home.recorded.result()[0]["at"],
            "returned": [name for name, _ in record.moves],
            "closed": True,
        }
    ]
    (closed,) = log.evacuations()  # bringing home is not a new evacuation
    assert closed.id == record.id and closed.closed and closed.open_moves == ()
    assert log.latest("p9-a") is None and log.of_frame("p9-a") == []
    stale = plan_return(await collect(stack.fleet), record)  # the record as it was read before
    assert stale.moves == () and {s.reason for s in stale.stays} == {"already home"}


async def test_refused_before_anything_is_written_or_sent(stack: Stack, tmp_path):
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    read_only = stack.manager(read_only=True)
    with pytest.raises(ReadOnlyError, match="read-only console: evacuate p9-a refused"):
        await run_plan(read_only, plan, confirmed_frame="p9-a", log=log)
    refused = [(r["op"], r["phase"], r["partition"]) for r in read_only.audit.records()]
    assert refused == [("migrate", "refused", m.partition) for m in plan.moves]
    manager = stack.manager()
    with pytest.raises(ConfirmationError, match="does not match frame 'p9-a'"):
        await run_plan(manager, plan, confirmed_frame="p9-b", log=log)
    empty = plan_evacuation(await collect(stack.fleet), "p10-c")
    with pytest.raises(MigrationError, match="nothing can move"):
        await run_plan(manager, empty, confirmed_frame="p10-c", log=log)
    assert not (tmp_path / "evacuations.jsonl").exists()
    assert stack.sent("m") == [] and manager.jobs() == []


async def test_a_partition_that_moved_on_is_left_alone(stack: Stack, tmp_path):
    manager = stack.manager()
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    result = await run_plan(manager, plan, confirmed_frame="p9-a", log=log)
    await all_ended(stack, manager, result.started)
    stack.world.frames["p9-b"].by_name("web2").name = "web2-renamed"  # gone from where it went
    await stack.fleet.refresh_now()
    back = plan_return(await collect(stack.fleet), log.latest("p9-a"))
    assert {m.partition for m in back.moves} == {"web1", "web3"}
    assert [(s.partition, s.reason) for s in back.stays] == [("web2", "not on p9-b any more")]


def _tight(**bend) -> str:
    """FLEET with p9-b bent (its memory, or its VIOSes' virtual slots)."""
    data = yaml.safe_load(FLEET)
    target = data["hmcs"][0]["frames"][1]
    if "memory" in bend:
        target["memory"] = bend["memory"]
    if "slots" in bend:
        target["vios"] = [{**v, "slots": bend["slots"]} for v in target["vios"]]
    return yaml.safe_dump(data)


async def _plan(clock, fleet_yaml: str):
    fleet = Fleet(sim_links(World.from_yaml(fleet_yaml, clock)), clock=clock.now)
    try:
        snapshot = await collect(fleet)
        return snapshot, plan_evacuation(snapshot, "p9-a")
    finally:
        await fleet.stop()


async def test_memory_is_counted_across_the_plan(stack: Stack):
    snapshot, plan = await _plan(stack.clock, _tight(memory=32768))  # VIOSes take most of it
    free = snapshot.frame("p9-b")[1].system.mem_available
    placed = len(plan.moves)
    assert 0 < placed == free // 8192 < 3, (free, plan)
    assert len(plan.stays) == 3 - placed
    assert all(
        s.reason.startswith(
            "no target has room left once the other partitions are placed (needs 8 GB, "
        )
        for s in plan.stays
    )


async def test_virtual_slots_are_counted_across_the_plan(stack: Stack):
    _, plan = await _plan(stack.clock, _tight())
    assert len(plan.moves) == 3  # the fleet unbent: all three fit
    # 5 slots per VIOS leave 4 free on p9-b's pair: two partitions of 2 adapters each
    snapshot, plan = await _plan(stack.clock, _tight(slots=5))
    web1 = next(p for p in snapshot.frame("p9-a")[1].partitions if p.name == "web1")
    to_b = next(v for v in rank_targets(snapshot, web1) if v.target_system == "p9-b")
    assert to_b.migratable and to_b.need[2] == 2 and to_b.slots_left == 2
    assert len(plan.moves) == 2
    assert [s.reason for s in plan.stays] == [
        "no target has room left once the other partitions are placed (needs 8 GB, 0.5 "
        "processor units, 2 virtual slots)"
    ]


async def test_the_hmc_validates_every_move_of_a_plan(stack: Stack):
    manager = stack.manager(read_only=True)  # validating changes nothing: allowed read-only
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    stack.world.frames["p9-a"].by_name("web2").rmc_state = "inactive"  # since the plan
    found = await validate_plan(manager, plan)
    assert set(found) == {"web1", "web2", "web3"}
    assert found["web1"].ok and found["web3"].ok and not found["web2"].ok
    assert validation_line(found["web1"]) == "HMC validation: ok"
    assert validation_line(found["web2"]).startswith("HMC validation failed: HSCLA246 ")
    assert len(stack.sent("v")) == 3 and stack.sent("m") == []
    assert [r["op"] for r in manager.audit.records()] == ["validate"] * 3
    kept = drop_refused(plan, found)
    assert [m.partition for m in kept.moves] == [
        m.partition for m in plan.moves if m.partition != "web2"
    ]
    assert [(s.partition, s.reason) for s in kept.stays] == [
        ("web2", validation_line(found["web2"]))
    ]
    assert drop_refused(kept, {}) is kept


async def test_bringing_home_covers_an_evacuation_done_in_two_runs(stack: Stack, tmp_path):
    from dataclasses import replace

    manager = stack.manager()
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    first = replace(plan, moves=plan.moves[:1])  # cut short: one move went, the rest did not
    result = await run_plan(manager, first, confirmed_frame="p9-a", log=log)
    await all_ended(stack, manager, result.started)
    rest = plan_evacuation(await collect(stack.fleet), "p9-a")  # the second run, for the rest
    assert len(rest.moves) == 2
    result = await run_plan(manager, rest, confirmed_frame="p9-a", log=log)
    await all_ended(stack, manager, result.started)
    newest, *older = log.of_frame("p9-a")
    assert [len(r.moves) for r in (newest, *older)] == [2, 1]
    back = plan_return(await collect(stack.fleet), newest, older=older)
    assert {m.partition for m in back.moves} == {"web1", "web2", "web3"} and back.stays == ()
    assert back.reverses == (
        (newest.id, tuple(n for n, _ in newest.moves)),
        (older[0].id, tuple(n for n, _ in older[0].moves)),
    )
    home = await run_plan(manager, back, confirmed_frame="p9-a", log=log)
    await all_ended(stack, manager, home.started)
    written = await home.recorded  # both runs closed by the one bring-home
    assert [(w["id"], w["returned"], w["closed"]) for w in written] == [
        (newest.id, [n for n, _ in newest.moves], True),
        (older[0].id, [n for n, _ in older[0].moves], True),
    ]
    assert log.of_frame("p9-a") == []
    # history: the older run's partition, home now, is not listed again; the newest run's are
    again = plan_return(await collect(stack.fleet), newest, older=older)
    assert again.moves == ()
    assert sorted(s.partition for s in again.stays) == sorted(m.partition for m in rest.moves)


async def test_moves_spread_over_equally_good_targets(stack: Stack):
    data = yaml.safe_load(FLEET)
    frames = data["hmcs"][0]["frames"]
    twin = {
        **frames[1],
        "name": "p9-d",
        "serial": "7800DDD",
        "vios": [{"name": "vios-d1"}, {"name": "vios-d2"}],
    }
    frames.append(twin)
    frames[0]["partitions"].append({"name": "web4", "mem": 8192, "vlans": [200]})
    _, plan = await _plan(stack.clock, yaml.safe_dump(data))
    targets = [m.target for m in plan.moves]
    assert len(targets) == 4 and targets.count("p9-b") == targets.count("p9-d") == 2, targets
