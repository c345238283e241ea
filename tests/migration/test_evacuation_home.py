"""Bringing partitions home from the records: what a bring-home writes down when its moves have
ended (closed, or partly returned), that a closed evacuation or a partition already home is
never planned again, that only a partition where the record says it went is ever moved, that
``lpmtui check --evacuate FRAME --home`` plans what the console's ``H`` plans, and that the demo
starts without the evacuations of an earlier demo."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from types import SimpleNamespace

import pytest

from lpmtui.cli.check import collect
from lpmtui.cli.check import main as check_main
from lpmtui.config.model import demo_state_dir
from lpmtui.evacuation.plan import PastEvacuation, plan_dict, plan_evacuation, plan_return
from lpmtui.evacuation.records import EvacuationLog
from lpmtui.evacuation.run import run_plan
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import MigrationManager, MigrationState
from lpmtui.migration.types import MigrationRequest
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal, append_jsonl
from tests.migration.stacks import Stack
from tests.migration.test_evacuation import all_ended, names_on

S = MigrationState


async def evacuated(stack: Stack, manager, log: EvacuationLog) -> PastEvacuation:
    """p9-a emptied onto p9-b (web1, web2, web3), every move ended."""
    plan = plan_evacuation(await collect(stack.fleet), "p9-a")
    result = await run_plan(manager, plan, confirmed_frame="p9-a", log=log)
    final = await all_ended(stack, manager, result.started)
    assert [p.state for p in final] == [S.SUCCEEDED] * 3, [p.message for p in final]
    assert await stack.until(
        lambda: len(plan_return(stack.fleet.snapshot, result.evacuation).moves) == 3, limit=10
    )
    return result.evacuation


async def test_a_partial_return_keeps_the_rest_open(stack: Stack, tmp_path):
    manager = stack.manager()
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    record = await evacuated(stack, manager, log)
    back = plan_return(stack.fleet.snapshot, record)
    first, rest = back.moves[:2], back.moves[2:]
    home = await run_plan(manager, replace(back, moves=first), confirmed_frame="p9-a", log=log)
    await all_ended(stack, manager, home.started)
    written = await home.recorded
    assert [(w["id"], w["returned"], w["closed"]) for w in written] == [
        (record.id, [m.partition for m in first], False)
    ]
    (still,) = log.of_frame("p9-a")
    assert still.id == record.id and still.returned == tuple(m.partition for m in first)
    assert still.open_moves == tuple((m.partition, "p9-b") for m in rest)
    # the partitions home are history: not planned, not even listed as staying
    again = plan_return(await collect(stack.fleet), still)
    assert [(m.partition, m.source, m.target) for m in again.moves] == [
        (rest[0].partition, "p9-b", "p9-a")
    ]
    assert again.stays == () and again.found_home == ()
    last = await run_plan(manager, again, confirmed_frame="p9-a", log=log)
    await all_ended(stack, manager, last.started)
    assert [(w["returned"], w["closed"]) for w in await last.recorded] == [
        ([rest[0].partition], True)
    ]
    assert log.of_frame("p9-a") == [] and log.latest("p9-a") is None


async def test_a_failed_move_home_leaves_its_partition_open(stack: Stack, tmp_path):
    manager = stack.manager()
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    record = await evacuated(stack, manager, log)
    back = plan_return(stack.fleet.snapshot, record)
    stack.world.frames["p9-b"].by_name("web2").rmc_state = "inactive"  # since the plan
    home = await run_plan(manager, back, confirmed_frame="p9-a", log=log)
    final = await all_ended(stack, manager, home.started)
    assert {p.partition: p.state for p in final} == {
        "web1": S.SUCCEEDED,
        "web2": S.FAILED,
        "web3": S.SUCCEEDED,
    }, [p.message for p in final]
    written = await home.recorded
    assert [(w["returned"], w["closed"]) for w in written] == [
        ([n for n, _ in record.moves if n != "web2"], False)
    ]
    (still,) = log.of_frame("p9-a")
    assert still.open_moves == (("web2", "p9-b"),)


async def test_a_partition_found_home_counts_as_returned(stack: Stack, tmp_path):
    manager = stack.manager()
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    record = await evacuated(stack, manager, log)
    by_hand = await manager.start(
        MigrationRequest(partition="web2", source="p9-b", target="p9-a"), confirmed_name="web2"
    )
    await all_ended(stack, manager, [by_hand])
    assert "web2" in names_on(stack, "p9-a")
    back = plan_return(await collect(stack.fleet), record)
    assert {m.partition for m in back.moves} == {"web1", "web3"}
    assert [(s.partition, s.reason) for s in back.stays] == [("web2", "already home")]
    assert back.found_home == ("web2",)
    home = await run_plan(manager, back, confirmed_frame="p9-a", log=log)
    await all_ended(stack, manager, home.started)
    assert [(w["returned"], w["closed"]) for w in await home.recorded] == [
        ([n for n, _ in record.moves], True)
    ]
    assert log.of_frame("p9-a") == []


async def test_a_closed_evacuation_is_never_planned_again(stack: Stack, tmp_path):
    """Its partitions are back on the frame they were once sent to (another evacuation of
    p9-a's neighbour, say): the closed record moves none of them; the open one does."""
    log = EvacuationLog(tmp_path / "evacuations.jsonl")
    manager = stack.manager()
    await evacuated(stack, manager, log)  # web1..3 on p9-b now
    append_jsonl(log.path, {"id": "old", "frame": "p9-a", "hmc": "hmc-a", "at": "x",
                            "moves": [["web1", "p9-b"], ["web2", "p9-b"]]})  # fmt: skip
    append_jsonl(log.path, {"id": "old", "frame": "p9-a", "at": "y", "returned": ["web1"],
                            "closed": True})  # fmt: skip
    newest, closed = sorted(log.evacuations(), key=lambda r: r.id != "old", reverse=True)
    assert closed.id == "old" and closed.closed and closed.returned == ("web1", "web2")
    assert [r.id for r in log.of_frame("p9-a")] == [newest.id]
    snapshot = await collect(stack.fleet)
    assert plan_return(snapshot, closed).moves == ()
    only_old = replace(newest, moves=(("web3", "p9-b"),))
    back = plan_return(snapshot, only_old, older=[closed])
    assert [m.partition for m in back.moves] == ["web3"]
    assert back.reverses == ((newest.id, ("web3",)),)


def test_the_log_reads_what_came_home():
    path = demo_state_dir() / EvacuationLog.FILENAME
    log = EvacuationLog(path)
    for line in (
        {"id": "e1", "frame": "A", "hmc": "h", "at": "1", "moves": [["x", "B"], ["y", "B"]]},
        {"id": "e2", "frame": "A", "hmc": "h", "at": "2", "moves": [["z", "C"]]},
        {"id": "e1", "frame": "A", "at": "3", "returned": ["x"], "closed": False},
        {"id": "e9", "frame": "A", "at": "4", "returned": ["z"], "closed": True},  # not e2's
        {"id": "e2", "frame": "A", "at": "5", "returned": "z"},  # unreadable: skipped
    ):
        append_jsonl(path, line)
    e1, e2 = log.evacuations()
    assert (e1.returned, e1.open_moves, e1.closed) == (("x",), (("y", "B"),), False)
    assert (e2.returned, e2.closed) == ((), False)
    assert [r.id for r in log.of_frame("A")] == ["e2", "e1"]
    append_jsonl(path, {"id": "e1", "frame": "A", "at": "6", "returned": ["y"], "closed": True})
    assert [r.id for r in log.of_frame("A")] == ["e2"]
    append_jsonl(path, {"id": "e2", "frame": "A", "at": "7", "returned": [], "closed": True})
    assert log.latest("A") is None  # closed says so even when no name is listed


# -- the console's H and `lpmtui check --evacuate FRAME --home` plan the same -----------------

FRAME = "P10-S1022-B"


def write_demo_records() -> None:
    """Records a fresh demo world only partly matches: app-01 is on P10-E1080-A (where the
    record says it went), b-app-01 is home, c-app-01 is elsewhere, web-02 came home already
    (returned), and app-02 belongs to a closed evacuation."""
    path = demo_state_dir() / EvacuationLog.FILENAME
    to_a = "P10-E1080-A"
    append_jsonl(path, {"id": "old", "frame": FRAME, "hmc": "hmc-v10", "at": "1",
                        "moves": [["app-02", to_a]]})  # fmt: skip
    append_jsonl(path, {"id": "old", "frame": FRAME, "at": "2", "returned": ["app-02"],
                        "closed": True})  # fmt: skip
    moves = [["app-01", to_a], ["b-app-01", to_a], ["c-app-01", to_a], ["web-02", to_a]]
    append_jsonl(path, {"id": "new", "frame": FRAME, "hmc": "hmc-v10", "at": "3",
                        "moves": moves})  # fmt: skip
    append_jsonl(path, {"id": "new", "frame": FRAME, "at": "4", "returned": ["web-02"],
                        "closed": False})  # fmt: skip


async def console_plan() -> dict:
    """What the dashboard's H opens, on a fresh demo world."""
    from lpmtui.ui.screens.evacuation_actions import EvacuationActions
    from lpmtui.ui.screens.screen_hooks import ScreenHooks
    from lpmtui.ui.widgets.fleet_tree import Scope

    fleet = Fleet(sim_links(World.demo()))
    journal = Journal(demo_state_dir() / Journal.FILENAME)
    manager = MigrationManager(fleet, journal=journal, audit=AuditLog(), read_only=True)
    pushed, notes = [], []
    try:
        snapshot = await collect(fleet)
        actions = EvacuationActions(
            view=SimpleNamespace(
                scope=Scope("frame", FRAME), latest=snapshot, selected=lambda: None
            ),
            hooks=ScreenHooks(
                notify=lambda *a, **k: notes.append(a),
                run_worker=lambda *a, **k: None,
                set_interval=lambda *a, **k: None,
                push_screen=lambda screen, *a, **k: pushed.append(screen),
                refresh_bindings=lambda: None,
            ),
            manager=lambda: manager,
            settings=lambda: SimpleNamespace(hmcs=()),
            show_migration=lambda job: None,
            read_only=True,
        )
        actions.bring_home()
        assert notes == [] and len(pushed) == 1
        return plan_dict(pushed[0].plan, manager.command_line)
    finally:
        await manager.close()
        await fleet.stop()


def test_check_home_plans_what_the_console_plans(capsys):
    write_demo_records()
    console = asyncio.run(console_plan())
    rc = check_main(["--demo", "--evacuate", FRAME, "--home", "--json"])
    out, err = capsys.readouterr()
    assert rc == 1 and not err  # partitions stay: not everything can come home
    check = json.loads(out)
    assert check == console
    assert [(m["partition"], m["command"]) for m in check["moves"]] == [
        ("app-01", f"migrlpar -o m -m P10-E1080-A -t {FRAME} --id 33")
    ]
    assert [(s["partition"], s["reason"]) for s in check["stays"]] == [
        ("b-app-01", "already home"),
        ("c-app-01", "not on P10-E1080-A any more"),
    ]


def test_check_home_says_when_every_evacuation_is_closed(capsys):
    path = demo_state_dir() / EvacuationLog.FILENAME
    append_jsonl(path, {"id": "e", "frame": FRAME, "hmc": "hmc-v10", "at": "1",
                        "moves": [["app-02", "P10-E1080-A"]]})  # fmt: skip
    append_jsonl(path, {"id": "e", "frame": FRAME, "at": "2", "returned": ["app-02"],
                        "closed": True})  # fmt: skip
    rc = check_main(["--demo", "--evacuate", FRAME, "--home"])
    out, err = capsys.readouterr()
    assert rc == 2 and not out and "migrlpar" not in err
    assert f"no evacuation of {FRAME} is recorded in {path}" in err


# -- the demo --------------------------------------------------------------------------------


class Started(Exception):
    pass


@pytest.mark.parametrize("read_only", [True, False])
async def test_the_demo_starts_without_an_earlier_demos_evacuations(monkeypatch, read_only):
    from lpmtui.sim.server import fleet as sim_fleet
    from lpmtui.wiring.backend import DemoBackend

    state = demo_state_dir()
    for name in ("evacuations.jsonl", "journal.jsonl", "audit.jsonl"):
        append_jsonl(state / name, {"id": "from an earlier demo"})

    async def no_fleet(*args, **kwargs):
        raise Started  # the world would be built here: the state must be fresh by now

    monkeypatch.setattr(sim_fleet, "start_fleet", no_fleet)
    backend = DemoBackend(read_only=read_only)
    with pytest.raises(Started):
        await backend.start(prompter=None, hooks=None)
    assert not (state / "evacuations.jsonl").exists()
    assert not (state / "journal.jsonl").exists()
    assert (state / "audit.jsonl").exists()  # the audit trail is history, kept
    assert EvacuationLog.beside(backend.settings.journal_file).path == state / "evacuations.jsonl"
