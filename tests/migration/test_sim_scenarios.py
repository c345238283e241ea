"""Issue 7's end-to-end scenarios on the simulated HMCs, each run twice: in-process (SimLink,
ManualClock) and over real SSH (Transport through the simulated jump host, password auth,
accelerated RealClock). See stacks.py for the two set-ups; test_sim_ssh.py adds the flows that
only exist with a network (connection and bastion drops, a killed console process).

After every scenario no file under the test's tmp dir (journal, audit, known_hosts, XDG dirs)
may hold any password the console knows.
"""

from __future__ import annotations

import pytest

from lpmtui.migration.manager import MigrationRequest, MigrationState, ReadOnlyError
from tests.migration.stacks import Stack, open_stack

S = MigrationState
ENDED = {S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY}


@pytest.fixture(params=["inprocess", pytest.param("ssh", marks=pytest.mark.slow)])
async def stack(request, tmp_path):
    opened = await open_stack(request.param, tmp_path)
    try:
        yield opened
    finally:
        await opened.close()
    assert_every_change_audited(opened)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    for path in written:
        text = path.read_text(errors="replace")
        leaked = [pw for pw in opened.passwords if pw in text]
        assert not leaked, f"a password leaked into {path}"


def assert_every_change_audited(stack: Stack) -> None:
    """Each migrlpar -o m/s/r any simulated HMC received has its audit entry, sent beforehand."""
    changes = sorted(
        argv
        for received in stack.world.received.values()
        for _, argv in received.changes
        if argv[:2] == ("migrlpar", "-o") and argv[2] in ("m", "s", "r")
    )
    records = stack.managers[0].audit.records() if stack.managers else []
    audited_argv = sorted(tuple(r["argv"]) for r in records if r["phase"] == "sent")
    assert audited_argv == changes


def request(name: str = "web1", target: str = "p9-b", **kw) -> MigrationRequest:
    return MigrationRequest(name, "p9-a", target, **kw)


def audited(manager, op: str | None = None) -> list[tuple[str, str, str | None]]:
    """(op, phase, outcome) of every audit record, optionally of one op only."""
    return [
        (r["op"], r["phase"], r.get("outcome"))
        for r in manager.audit.records()
        if op is None or r["op"] == op
    ]


async def test_migration_to_verified_placement_with_progress(stack: Stack):
    manager = stack.manager()
    events = []
    manager.subscribe(events.append)
    job = await manager.start(request(), confirmed_name="web1")
    final = await stack.run_until(manager, job.job_id, ENDED)
    assert final.state is S.SUCCEEDED, final.message
    snapshot = stack.fleet.snapshot
    assert "web1" in {p.name for p in snapshot.frame("p9-b")[1].partitions}
    assert "web1" not in {p.name for p in snapshot.frame("p9-a")[1].partitions}
    moving = [e for e in events if e.state is S.IN_PROGRESS and e.percent is not None]
    assert len(moving) >= 3 and moving[-1].percent > moving[0].percent
    assert any(e.rate and e.eta is not None for e in moving)
    # the manager's own polls (the fleet's collectors address frames by type-model*serial)
    polls = [a for a in stack.world.received["hmc-a"] if a[:3] == ("lslparmigr", "-r", "lpar")]
    mine = [a for a in polls if "p9-a" in a or "p9-b" in a]
    assert mine and all(a == ("lslparmigr", "-r", "lpar", "-m", "p9-a") for a in mine)
    assert len(stack.sent("m")) == 1
    assert audited(manager) == [("migrate", "sent", None), ("migrate", "done", "ok")]
    sent = manager.audit.records()[0]
    assert sent["changes_state"] and sent["hmc"] == "hmc-a" and sent["partition"] == "web1"
    assert sent["argv"][:3] == ["migrlpar", "-o", "m"]
    if stack.kind == "ssh":
        assert (sent["hmc_host"], sent["route"]) == ("127.0.0.1", ["simjump"])
        assert sent["hmc_user"] and sent["auth"] == "password (insecure)" and sent["host_key"]
        written = {p for p in stack.settings.audit_file.parent.rglob("*") if p.is_file()}
        assert {stack.settings.audit_file, stack.settings.journal_file} <= written


async def test_concurrent_up_to_the_target_limit_then_queued(stack: Stack):
    manager = stack.manager()
    jobs = [await manager.start(request(n), confirmed_name=n) for n in ("web1", "web2", "web3")]
    assert [j.state for j in jobs] == [S.WAITING, S.WAITING, S.QUEUED]
    assert "p9-b: 2 of 2 active migrations" in jobs[2].message
    assert await stack.until(lambda: len(stack.sent("m")) == 2, limit=3)
    assert manager.job(jobs[2].job_id).state is S.QUEUED
    final = await stack.run_until(manager, jobs[2].job_id, ENDED)
    assert final.state is S.SUCCEEDED, final.message
    assert [manager.job(j.job_id).state for j in jobs] == [S.SUCCEEDED] * 3
    assert [a[-1] for a in stack.sent("m")][2:] == ["web3"]  # the queued one went out last
    assert audited(manager, "migrate").count(("migrate", "done", "ok")) == 3


async def test_stop(stack: Stack):
    manager = stack.manager()
    job = await manager.start(request(), confirmed_name="web1")
    await stack.run_until(manager, job.job_id, {S.IN_PROGRESS})
    await manager.stop(job.job_id, confirmed=True)
    final = await stack.run_until(manager, job.job_id, ENDED)
    assert final.state is S.STOPPED, final.message
    assert stack.world.frames["p9-a"].by_name("web1") is not None
    assert stack.sent("s") == [("migrlpar", "-o", "s", "-m", "p9-a", "-p", "web1")]
    stops = audited(manager, "stop")
    assert stops[0] == ("stop", "sent", None) and stops[-1][:2] == ("stop", "done"), stops


async def test_injected_failure_then_recover(stack: Stack):
    manager = stack.manager()
    stack.world.inject_failure("web1", after_fraction=0.3)
    job = await manager.start(request(), confirmed_name="web1")
    failed = await stack.run_until(manager, job.job_id, {S.NEEDS_RECOVERY, S.FAILED})
    assert failed.state is S.NEEDS_RECOVERY
    assert stack.world.history == [] and stack.world.jobs[0].message in failed.message  # verbatim
    await manager.recover(job.job_id, confirmed=True)
    final = await stack.run_until(manager, job.job_id, {S.RECOVERED, S.SUCCEEDED})
    assert final.state is S.RECOVERED, final.message
    assert stack.sent("r") == [("migrlpar", "-o", "r", "-m", "p9-a", "-p", "web1")]
    assert [(op, phase) for op, phase, _ in audited(manager)] == [
        ("migrate", "sent"),
        ("migrate", "done"),
        ("recover", "sent"),
        ("recover", "done"),
    ]


async def test_recovery_that_needs_force_keeps_the_hmc_message_until_forced(stack: Stack):
    manager = stack.manager()
    stack.world.inject_failure("web1", after_fraction=0.5, needs_force=True)
    job = await manager.start(request(), confirmed_name="web1")
    await stack.run_until(manager, job.job_id, {S.NEEDS_RECOVERY, S.FAILED})
    refused = await manager.recover(job.job_id, confirmed=True)
    assert refused.state is S.NEEDS_RECOVERY and "--force" in refused.message
    await manager.recover(job.job_id, confirmed=True, force=True)
    final = await stack.run_until(manager, job.job_id, {S.RECOVERED, S.SUCCEEDED})
    assert final.state is S.RECOVERED, final.message
    assert [a[-1] for a in stack.sent("r")] == ["web1", "--force"]
    assert audited(manager, "recover").count(("recover", "sent", None)) == 2


async def test_cross_hmc_without_then_with_trust(stack: Stack):
    manager = stack.manager()
    remote = {"remote_hmc": "10.0.0.2", "remote_user": "hscroot"}
    refused = await manager.start(request(target="p10-c", **remote), confirmed_name="web1")
    failed = await stack.run_until(manager, refused.job_id, ENDED)
    assert failed.state is S.FAILED and "HSCL3653" in failed.message
    assert stack.world.frames["p9-a"].by_name("web1") is not None
    stack.world.trust("hmc-a", "hmc-b")
    job = await manager.start(request(target="p10-c", **remote), confirmed_name="web1")
    assert "--ip 10.0.0.2 -u hscroot" in job.command
    final = await stack.run_until(manager, job.job_id, ENDED)
    assert final.state is S.SUCCEEDED, final.message
    assert stack.world.frames["p10-c"].by_name("web1") is not None
    assert [o for _, phase, o in audited(manager, "migrate") if phase == "done"][-1] == "ok"


async def test_console_restarted_mid_migration(stack: Stack):
    first = stack.manager()
    job = await first.start(request(), confirmed_name="web1")
    await stack.run_until(first, job.job_id, {S.IN_PROGRESS})
    await first.close()  # like kill -9: nothing is written on the way out
    second = stack.manager()
    [again] = await second.reattach()
    assert again.job_id == job.job_id and again.reattached
    assert again.state in (S.IN_PROGRESS, S.SUCCEEDED)
    final = await stack.run_until(second, job.job_id, ENDED)
    assert final.state is S.SUCCEEDED, final.message
    assert len(stack.sent("m")) == 1


async def test_read_only_refusal_in_the_core(stack: Stack):
    manager = stack.manager(read_only=True)
    with pytest.raises(ReadOnlyError, match="read-only"):
        await manager.start(request(), confirmed_name="web1")
    assert stack.sent("m") == [] and manager.jobs() == []
    assert audited(manager) == [("migrate", "refused", "refused")]
