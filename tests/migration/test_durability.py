"""Connection drops and console restarts: re-attach from the journal, true outcome, never twice."""

from __future__ import annotations

import stat

import pytest

from lpmtui.migration.manager import MigrationError, MigrationRequest, MigrationState
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal, state_dir
from tests.migration.conftest import advance, migrlpar_sent, settle

S = MigrationState


def request(name: str = "web1") -> MigrationRequest:
    return MigrationRequest(partition=name, source="SYS-A", target="SYS-B")


async def test_journal_records_the_migration_before_the_command_is_sent(make_manager, world):
    manager = make_manager()
    job = await manager.start(request(), confirmed_name="web1")
    # The command task has not run yet, but the journal already says it is going out.
    assert migrlpar_sent(world, "m") == []
    entry = manager.journal.jobs()[job.job_id]
    assert entry.sent and entry.argv[:3] == ("migrlpar", "-o", "m")
    assert entry.request["partition"] == "web1"
    path = state_dir() / "journal.jsonl"
    assert manager.journal.path == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_connection_dropped_mid_migration_is_reattached_with_the_true_outcome(
    make_manager, world, fleet, clock
):
    world.size = 16 * 1024**3
    manager = make_manager()
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    assert manager.job(job.job_id).state is S.IN_PROGRESS

    fleet.links["hmc1"].drop()
    await advance(clock, 2)
    lost = manager.job(job.job_id)
    assert lost.state is S.OUTCOME_UNKNOWN, lost.message
    done = [r for r in manager.audit.records() if r["op"] == "migrate" and r["phase"] == "done"]
    assert [r["outcome"] for r in done] == ["outcome unknown"]

    await advance(clock, 3)  # still down: nothing is known, nothing is re-sent
    assert manager.job(job.job_id).state is S.OUTCOME_UNKNOWN
    fleet.links["hmc1"].restore()
    await advance(clock, 2)
    back = manager.job(job.job_id)
    assert back.state is S.IN_PROGRESS and back.reattached
    await advance(clock, 10)
    assert manager.job(job.job_id).state is S.SUCCEEDED
    assert len(migrlpar_sent(world, "m")) == 1
    done = [r for r in manager.audit.records() if r["op"] == "migrate" and r["phase"] == "done"]
    assert [(r["outcome"], r.get("determined_by")) for r in done] == [
        ("outcome unknown", None),
        ("succeeded", "re-attach"),
    ]


async def test_migration_that_ends_while_disconnected_is_reported_as_succeeded(
    make_manager, world, fleet, clock
):
    manager = make_manager()
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 3)
    fleet.links["hmc1"].drop()
    await advance(clock, 15)
    assert manager.job(job.job_id).state is S.OUTCOME_UNKNOWN
    fleet.links["hmc1"].restore()
    await advance(clock, 2)
    assert manager.job(job.job_id).state is S.SUCCEEDED


async def test_console_restarted_mid_migration_reattaches_from_the_journal(
    make_manager, world, clock
):
    first = make_manager()
    job = await first.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    await first.close()  # the process is gone; the HMC carries on
    # kill -9 can tear the last line of the journal: it must not stop the re-attach
    journal_path = state_dir() / "journal.jsonl"
    journal_path.write_text(journal_path.read_text() + '{"at": "2026-11-27T05:00:00Z", "ev')

    second = make_manager()
    jobs = await second.reattach()
    assert [(p.job_id, p.state) for p in jobs] == [(job.job_id, S.IN_PROGRESS)]
    assert jobs[0].reattached and jobs[0].elapsed >= 0
    await advance(clock, 10)
    assert second.job(job.job_id).state is S.SUCCEEDED
    assert len(migrlpar_sent(world, "m")) == 1
    assert second.journal.problems and "unreadable record" in second.journal.problems[0]


async def test_restart_after_the_migration_finished_reports_success_at_once(
    make_manager, world, clock
):
    first = make_manager()
    job = await first.start(request(), confirmed_name="web1")
    await advance(clock, 3)
    await first.close()
    await advance(clock, 20)
    second = make_manager()
    jobs = await second.reattach()
    assert [(p.job_id, p.state) for p in jobs] == [(job.job_id, S.SUCCEEDED)]


async def test_restart_after_a_failure_offers_recovery(make_manager, world, clock):
    world.fail_next = 3
    first = make_manager()
    job = await first.start(request(), confirmed_name="web1")
    await advance(clock, 2)
    await first.close()
    await advance(clock, 5)
    second = make_manager()
    [progress] = await second.reattach()
    assert progress.job_id == job.job_id and progress.state is S.NEEDS_RECOVERY
    await second.recover(job.job_id, confirmed=True)
    await advance(clock, 2)
    assert second.job(job.job_id).state is S.RECOVERED


async def test_a_queued_job_is_not_started_after_a_restart(make_manager, world, clock):
    first = make_manager()
    for name in ("web1", "web2", "web3"):
        await first.start(request(name), confirmed_name=name)
    await settle()
    await first.close()
    second = make_manager()
    jobs = {p.partition: p for p in await second.reattach()}
    assert jobs["web3"].state is S.CANCELLED and "nothing had been sent" in jobs["web3"].message
    await advance(clock, 30)
    assert sorted(argv[-1] for argv in migrlpar_sent(world, "m")) == ["web1", "web2"]
    assert Journal().jobs()[jobs["web3"].job_id].state == "cancelled"


async def test_reattach_twice_does_not_duplicate_jobs(make_manager, world, clock):
    first = make_manager()
    await first.start(request(), confirmed_name="web1")
    await advance(clock, 3)
    await first.close()
    second = make_manager()
    await second.reattach()
    again = await second.reattach()
    assert len(again) == 1


async def test_nothing_is_sent_when_the_journal_cannot_be_written(make_manager, world, tmp_path):
    blocked = tmp_path / "journal-is-a-directory"
    blocked.mkdir()
    manager = make_manager(journal=Journal(blocked))
    with pytest.raises(MigrationError, match=r"cannot write the journal .*nothing was sent"):
        await manager.start(request(), confirmed_name="web1")
    await settle()
    assert migrlpar_sent(world, "m") == [] and manager.jobs() == []


async def test_a_launch_that_cannot_be_audited_is_cancelled_in_the_journal_too(
    make_manager, world, clock, tmp_path
):
    blocked = tmp_path / "audit-is-a-directory"
    blocked.mkdir()
    first = make_manager(audit=AuditLog(blocked, user="tester", session="s1"))
    job = await first.start(request(), confirmed_name="web1")
    await settle()
    assert first.job(job.job_id).state is S.CANCELLED
    assert first.job(job.job_id).message.startswith("not sent:")
    assert Journal().jobs()[job.job_id].state == "cancelled"  # "sent" was journaled first
    await first.close()
    second = make_manager()
    assert await second.reattach() == []  # nothing to watch: it never went out
    await advance(clock, 10)
    assert migrlpar_sent(world, "m") == []
