"""MigrationManager against a scripted fake fleet on a ManualClock: the core flows."""

from __future__ import annotations

import pytest

from lpmtui.migration.manager import (
    ConfirmationError,
    MigrationError,
    MigrationRequest,
    MigrationState,
    ReadOnlyError,
)
from tests.migration.conftest import advance, migrlpar_sent, settle
from tests.migration.fakes import TRUST_TEXT

S = MigrationState


def request(name: str = "web1", target: str = "SYS-B", **kw) -> MigrationRequest:
    return MigrationRequest(partition=name, source="SYS-A", target=target, **kw)


async def test_migration_from_start_to_verified_placement(make_manager, world, clock):
    manager = make_manager()
    events = []
    manager.subscribe(events.append)
    assert manager.command_line(request()) == "migrlpar -o m -m SYS-A -t SYS-B -p web1"

    started = await manager.start(request(), confirmed_name="web1")
    assert started.state is S.WAITING  # handed to the link; sent when its task runs
    await settle()
    assert manager.job(started.job_id).state is S.STARTING
    assert started.command == "migrlpar -o m -m SYS-A -t SYS-B -p web1"
    await advance(clock, 14)

    final = manager.job(started.job_id)
    assert final.state is S.SUCCEEDED, final.message
    assert final.percent == 100.0 and "running on SYS-B" in final.message
    assert world.frames["SYS-B"]["web1"] == "Running" and "web1" not in world.frames["SYS-A"]
    moving = [e for e in events if e.state is S.IN_PROGRESS]
    percents = [e.percent for e in moving]
    assert len(moving) >= 3 and percents == sorted(percents) and 0 < percents[0] < 100
    with_rate = [e for e in moving if e.rate]
    assert with_rate and with_rate[-1].rate == pytest.approx(1024**3, rel=0.01)
    assert with_rate[-1].eta is not None and with_rate[-1].gb_total == pytest.approx(8.0)
    assert [e.elapsed for e in moving] == sorted(e.elapsed for e in moving)
    assert len(migrlpar_sent(world, "m")) == 1


async def test_one_status_command_per_frame_per_poll(make_manager, world, clock):
    manager = make_manager()
    await manager.start(request("web1"), confirmed_name="web1")
    await manager.start(request("web2"), confirmed_name="web2")
    world.received.clear()
    await advance(clock, 6)
    polls = [argv for _, argv in world.received if argv[0] == "lslparmigr"]
    assert polls and all(argv == ("lslparmigr", "-r", "lpar", "-m", "SYS-A") for argv in polls)
    assert len(polls) <= 3  # one per 2 s for the frame, not one per partition


async def test_limit_queues_the_extra_request_and_starts_it_when_a_slot_frees(
    make_manager, world, clock
):
    manager = make_manager()
    most_at_once = 0

    def watch(_progress):
        nonlocal most_at_once
        most_at_once = max(most_at_once, world.in_progress("SYS-A"))

    manager.subscribe(watch)
    first = await manager.start(request("web1"), confirmed_name="web1")
    second = await manager.start(request("web2"), confirmed_name="web2")
    third = await manager.start(request("web3"), confirmed_name="web3")
    assert (first.state, second.state) == (S.WAITING, S.WAITING)
    assert third.state is S.QUEUED and third.queue_position == 1
    assert "2 of 2 active migrations" in third.message
    await settle()
    assert len(migrlpar_sent(world, "m")) == 2

    await advance(clock, 30)
    assert [manager.job(p.job_id).state for p in (first, second, third)] == [S.SUCCEEDED] * 3
    assert most_at_once <= 2
    assert len(migrlpar_sent(world, "m")) == 3


async def test_queued_job_can_be_cancelled_and_is_never_sent(make_manager, world, clock):
    manager = make_manager()
    await manager.start(request("web1"), confirmed_name="web1")
    await manager.start(request("web2"), confirmed_name="web2")
    third = await manager.start(request("web3"), confirmed_name="web3")
    assert manager.cancel(third.job_id).state is S.CANCELLED
    await advance(clock, 30)
    assert all(argv[-1] != "web3" for argv in migrlpar_sent(world, "m"))


async def test_stop_is_confirmed_and_leaves_the_partition_on_the_source(make_manager, world, clock):
    manager = make_manager()
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    assert manager.job(job.job_id).state is S.IN_PROGRESS
    with pytest.raises(ConfirmationError):
        await manager.stop(job.job_id)
    assert migrlpar_sent(world, "s") == []

    await manager.stop(job.job_id, confirmed=True)
    await advance(clock, 4)
    final = manager.job(job.job_id)
    assert final.state is S.STOPPED, final.message
    assert migrlpar_sent(world, "s") == [("migrlpar", "-o", "s", "-m", "SYS-A", "-p", "web1")]
    assert world.frames["SYS-A"]["web1"] == "Running"


async def test_a_stop_refused_by_the_journal_does_not_count_as_requested(
    make_manager, world, clock
):
    manager = make_manager()
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    journal_append = manager.journal.append

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    manager.journal.append = disk_full
    with pytest.raises(MigrationError, match=r"cannot write the journal.*nothing was sent"):
        await manager.stop(job.job_id, confirmed=True)
    manager.journal.append = journal_append
    assert migrlpar_sent(world, "s") == []
    assert manager.job(job.job_id).state is S.IN_PROGRESS
    # the outcome rules read stop_requested: a partition later found back on its source
    # would be reported "stopped" for a stop that never went out
    assert not manager._jobs.get(job.job_id).stop_requested


async def test_failure_keeps_the_hmc_message_and_recover_clears_it(make_manager, world, clock):
    manager = make_manager()
    world.fail_next = 3
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 8)
    failed = manager.job(job.job_id)
    assert failed.state is S.NEEDS_RECOVERY and failed.can_recover
    assert "HSCLSIM01 The migration of partition web1 failed" in failed.message

    with pytest.raises(ConfirmationError):
        await manager.recover(job.job_id)
    await manager.recover(job.job_id, confirmed=True)
    await advance(clock, 3)
    assert manager.job(job.job_id).state is S.RECOVERED
    assert migrlpar_sent(world, "r") == [("migrlpar", "-o", "r", "-m", "SYS-A", "-p", "web1")]


async def test_recover_force_only_on_request(make_manager, world, clock):
    manager = make_manager()
    world.fail_next = 2
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 6)
    await manager.recover(job.job_id, confirmed=True, force=True)
    assert migrlpar_sent(world, "r")[-1][-1] == "--force"


async def test_cross_hmc_with_and_without_trust(make_manager, world, fleet, clock):
    manager = make_manager()
    peer = fleet.links["hmc2"].peer_address
    untrusted = await manager.start(
        request(target="SYS-C", remote_hmc=peer, remote_user="hscroot"), confirmed_name="web1"
    )
    await advance(clock, 4)
    refused = manager.job(untrusted.job_id)
    assert refused.state is S.FAILED and refused.message == TRUST_TEXT
    assert world.frames["SYS-A"]["web1"] == "Running"

    world.trusted.add(peer)
    job = await manager.start(
        request(target="SYS-C", remote_hmc=peer, remote_user="hscroot"), confirmed_name="web1"
    )
    assert f"--ip {peer} -u hscroot" in job.command
    await advance(clock, 14)
    assert manager.job(job.job_id).state is S.SUCCEEDED
    assert world.frames["SYS-C"]["web1"] == "Running"


async def test_confirmation_must_match_the_partition_name(make_manager, world):
    manager = make_manager()
    with pytest.raises(ConfirmationError, match="does not match"):
        await manager.start(request(), confirmed_name="web")
    assert migrlpar_sent(world, "m") == [] and manager.jobs() == []
    assert manager.journal.records() == []


async def test_a_partition_is_never_started_twice(make_manager, world, clock):
    manager = make_manager()
    await manager.start(request(), confirmed_name="web1")
    with pytest.raises(MigrationError, match="already has a migration"):
        await manager.start(request(), confirmed_name="web1")
    await advance(clock, 2)
    assert len(migrlpar_sent(world, "m")) == 1


async def test_read_only_refuses_migrate_stop_and_recover_in_the_core(make_manager, world, clock):
    writer = make_manager()
    job = await writer.start(request(), confirmed_name="web1")
    await advance(clock, 4)
    reader = make_manager(read_only=True)
    await reader.reattach()
    with pytest.raises(ReadOnlyError, match="read-only console: migrate of web2 refused"):
        await reader.start(request("web2"), confirmed_name="web2")
    with pytest.raises(ReadOnlyError, match="stop"):
        await reader.stop(job.job_id, confirmed=True)
    with pytest.raises(ReadOnlyError, match="recover"):
        await reader.recover(job.job_id, confirmed=True)
    assert len(migrlpar_sent(world, "m")) == 1
    assert migrlpar_sent(world, "s") == migrlpar_sent(world, "r") == []
    refused = [r for r in reader.audit.records() if r.get("phase") == "refused"]
    assert [r["op"] for r in refused] == ["migrate", "stop", "recover"]


async def test_validate_is_audited_as_non_changing_and_summarised_at_start(
    make_manager, world, clock
):
    manager = make_manager()
    world.validate_errors = "HSCLA246 The management console cannot communicate with partition."
    bad = await manager.validate(request())
    assert not bad.ok and bad.errors[0].id == "HSCLA246"
    world.validate_errors = ""
    good = await manager.validate(request())
    assert good.ok
    await manager.start(request(), confirmed_name="web1")
    records = manager.audit.records()
    validations = [r for r in records if r["op"] == "validate"]
    assert [v["outcome"] for v in validations] == ["failed", "ok"]
    assert all(v["changes_state"] is False for v in validations)
    sent = next(r for r in records if r["op"] == "migrate" and r["phase"] == "sent")
    assert sent["validation"] == "ok"


async def test_stall_is_flagged_when_no_bytes_move(make_manager, world, clock):
    manager = make_manager()
    world.stall_next = True
    job = await manager.start(request(), confirmed_name="web1")
    await advance(clock, 6)
    assert not manager.job(job.job_id).stalled
    await advance(clock, 8)
    assert manager.job(job.job_id).stalled


async def test_nothing_is_sent_over_a_link_that_is_down(make_manager, world, fleet, clock):
    manager = make_manager()
    fleet.links["hmc1"].drop()
    with pytest.raises(MigrationError, match="hmc1 is not connected"):
        await manager.start(request(), confirmed_name="web1")
    assert migrlpar_sent(world, "m") == []


async def test_a_queued_job_waits_for_its_link(make_manager, world, fleet, clock):
    manager = make_manager()
    await manager.start(request("web1"), confirmed_name="web1")
    await manager.start(request("web2"), confirmed_name="web2")
    third = await manager.start(request("web3"), confirmed_name="web3")
    await advance(clock, 9.5)
    fleet.links["hmc1"].drop()  # the first two finish while the link is down
    await advance(clock, 4)
    waiting = manager.job(third.job_id)
    assert waiting.state is S.QUEUED, waiting.message
    fleet.links["hmc1"].restore()
    await advance(clock, 16)
    assert manager.job(third.job_id).state is S.SUCCEEDED
