"""An unreadable ``lslparmigr`` answer is "unknown this round", never "not migrating".

A re-attached migration (console restarted, or its connection dropped) that meets one garbled
answer must keep being watched and end with its true outcome; no final verdict (needs recovery,
failed, succeeded) is journaled or audited from an answer that could not be read.
"""

from __future__ import annotations

import pytest

from lpmtui.migration.manager import MigrationRequest, MigrationState
from tests.migration.conftest import advance, migrlpar_sent

S = MigrationState

GARBLED = {
    "garbage": "xyzzy \x00\x01 plugh\n",
    "empty": "",
    "hmc text": "HSCL1234 An internal error occurred.\n",
    # the job's own line cut short; the other lines read fine
    "truncated line": (
        "name=web1,lpar_id=1,migration_st\n"
        "name=web2,lpar_id=2,migration_state=Not Migrating\n"
        "name=web3,lpar_id=3,migration_state=Not Migrating\n"
    ),
    # the job's record has a value that cannot be read
    "bad value": "name=web1,lpar_id=one,migration_state=Not Migrating\n",
}


def request(name: str = "web1") -> MigrationRequest:
    return MigrationRequest(partition=name, source="SYS-A", target="SYS-B")


def finals(manager, job_id: str) -> tuple[list[str], list[str]]:
    """(states journaled, outcomes audited) for the job, in order."""
    journaled = [
        r["state"] for r in manager.journal.records() if r["job"] == job_id and "state" in r
    ]
    audited = [r.get("outcome", "") for r in manager.audit.records() if r.get("job") == job_id]
    return journaled, audited


async def assert_never_judged_on_garbage(manager, world, clock, job_id: str) -> None:
    assert world.garbled == []  # the garbled answer was served (and read)
    seen = manager.job(job_id)
    assert seen.state is S.OUTCOME_UNKNOWN, seen
    assert "unreadable lslparmigr" in seen.message
    await advance(clock, 12)
    done = manager.job(job_id)
    assert done.state is S.SUCCEEDED, done
    journaled, audited = finals(manager, job_id)
    assert "needs recovery" not in journaled and "failed" not in journaled
    assert "needs recovery" not in audited and "failed" not in audited
    assert journaled[-1] == "succeeded" and audited[-1] == "succeeded"
    assert len(migrlpar_sent(world, "m")) == 1


@pytest.mark.parametrize("answer", GARBLED.values(), ids=GARBLED.keys())
async def test_garbled_answer_after_a_restart_is_not_a_verdict(make_manager, world, clock, answer):
    first = make_manager()
    job = await first.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    assert world.frames["SYS-A"]["web1"] == "Migrating - Running"
    await first.close()  # kill -9: the HMC carries on

    second = make_manager()
    world.garbled = [answer]
    [progress] = await second.reattach()
    assert progress.job_id == job.job_id
    await assert_never_judged_on_garbage(second, world, clock, job.job_id)


@pytest.mark.parametrize("answer", GARBLED.values(), ids=GARBLED.keys())
async def test_garbled_answer_after_a_dropped_connection_is_not_a_verdict(
    make_manager, world, fleet, clock, answer
):
    manager = make_manager()
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    fleet.links["hmc1"].drop()
    await advance(clock, 2)
    assert manager.job(job.job_id).state is S.OUTCOME_UNKNOWN
    world.garbled = [answer]
    fleet.links["hmc1"].restore()
    await advance(clock, 2)
    await assert_never_judged_on_garbage(manager, world, clock, job.job_id)


async def test_a_garbled_line_of_another_partition_does_not_hold_up_the_verdict(
    make_manager, world, clock
):
    first = make_manager()
    job = await first.start(request(), confirmed_name="web1")
    await advance(clock, 3)
    await first.close()
    await advance(clock, 20)  # it landed while no console watched
    assert "web1" not in world.frames["SYS-A"]
    second = make_manager()
    world.garbled = ["name=web2,lpar_id=2,migration_state=Not Migrating\nname=web3,lpar_id=x\n"]
    [progress] = await second.reattach()
    assert world.garbled == []
    # web3's record is unreadable, but every record is named: web1 is really not listed
    assert (progress.job_id, progress.state) == (job.job_id, S.SUCCEEDED)


async def test_an_unreadable_line_leaves_an_unlisted_partition_unknown(make_manager, world, clock):
    first = make_manager()
    job = await first.start(request(), confirmed_name="web1")
    await advance(clock, 3)
    await first.close()
    await advance(clock, 20)
    second = make_manager()
    world.garbled = ['name=web2,lpar_id=2,migration_state=Not Migrating\n"name=we\n']
    [progress] = await second.reattach()
    assert world.garbled == []
    assert (progress.job_id, progress.state) == (job.job_id, S.OUTCOME_UNKNOWN)
    assert "unreadable lslparmigr" in progress.message  # web1 may be that line
    await advance(clock, 4)  # the next poll
    assert second.job(job.job_id).state is S.SUCCEEDED
