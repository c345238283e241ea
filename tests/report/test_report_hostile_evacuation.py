"""Issue 17's hostile names, end to end into the report: an evacuation of the hostile-named
partitions (tests.test_visible's set) runs through the in-process simulator, writing the real
audit log, journal and evacuation records; the window built from those files names every
partition exactly in JSON and shows none of them raw in Markdown or HTML."""

from __future__ import annotations

import json

from lpmtui.cli.check import collect
from lpmtui.common.clock import ManualClock
from lpmtui.evacuation.plan import plan_evacuation
from lpmtui.evacuation.run import EvacuationLog, run_plan
from lpmtui.fleet.fleet import Fleet
from lpmtui.migration.manager import MigrationManager
from lpmtui.report import data, markdown, model, page
from lpmtui.simlink import sim_links
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal
from lpmtui.store.jsonl import read_jsonl
from tests.migration.conftest import advance
from tests.test_visible import hostile_world, raw_control

ENDED = {"succeeded", "failed", "stopped", "recovered", "needs recovery"}


async def test_a_hostile_evacuation_reports_safely_in_every_format(tmp_path):
    clock = ManualClock(start=1000.0)
    world = hostile_world(clock)
    fleet = Fleet(sim_links(world), clock=clock.now)
    journal = Journal(tmp_path / Journal.FILENAME)
    manager = MigrationManager(
        fleet, clock=clock, journal=journal, audit=AuditLog(tmp_path / AuditLog.FILENAME)
    )
    try:
        snapshot = await collect(fleet)
        plan = plan_evacuation(snapshot, "p9-a")
        log = EvacuationLog.beside(journal.path)
        result = await run_plan(manager, plan, confirmed_frame="p9-a", log=log)
        moved = {m.partition for m in plan.moves}
        assert moved and len(result.started) == len(plan.moves)
        for _ in range(3600):
            if all(j.state.value in ENDED for j in manager.jobs()):
                break
            await advance(clock, 5, step=5)
        assert all(j.state.value in ENDED for j in manager.jobs()), manager.jobs()
    finally:
        await manager.close()
        await fleet.stop()

    files = (tmp_path / AuditLog.FILENAME, journal.path, log.path)
    records = [read_jsonl(path)[0] for path in files]
    window = model.build(*records)
    as_json = json.loads(data.render(window))
    reported = {m["partition"] for m in as_json["migrations"]}
    assert reported == moved  # every name exact, nothing invented
    assert {m["partition"] for e in as_json["evacuations"] for m in e["moves"]} >= moved
    for text in (markdown.render(window), page.render(window)):
        assert not raw_control(text)
        assert "\u202e" not in text and "\x1b" not in text
    html = page.render(window)
    assert "<script" not in html.lower()
