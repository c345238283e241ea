"""Queued, waiting for a channel, running and ended are told apart, and a migration's duration
counts from the HMC getting its command to its outcome; the time before that is kept apart.

The link here keeps ONE channel for long commands (as the SSH transport keeps channels back
for polls): a migration the limits allow still waits for that channel before it is sent.
"""

from __future__ import annotations

import asyncio

from lpmtui.migration.manager import MigrationRequest, MigrationState
from tests.migration.conftest import advance, migrlpar_sent, settle
from tests.migration.fakes import FakeLink

S = MigrationState
MIGRATION_SECONDS = 9.0  # the fake HMC: 1 s starting, then 8 GiB at 1 GiB/s


class OneLongChannelLink(FakeLink):
    """``run_long`` waits for its single long channel and says when the command goes."""

    def __init__(self, world, name) -> None:
        super().__init__(world, name)
        self.long_channel = asyncio.Semaphore(1)

    async def run_long(self, argv, *, on_sent=None):
        async with self.long_channel:
            if on_sent is not None:
                on_sent()
            return await self.run(argv)


def request(name: str) -> MigrationRequest:
    return MigrationRequest(partition=name, source="SYS-A", target="SYS-B")


async def test_allowed_but_unsent_waits_for_a_channel_and_times_count_from_sending(
    make_manager, fleet, world, clock
):
    fleet.links["hmc1"] = OneLongChannelLink(world, "hmc1")
    manager = make_manager()
    seen: dict[str, list[MigrationState]] = {}
    manager.subscribe(lambda p: seen.setdefault(p.partition, []).append(p.state))
    queued_at = clock.now()
    web1 = await manager.start(request("web1"), confirmed_name="web1")
    web2 = await manager.start(request("web2"), confirmed_name="web2")
    web3 = await manager.start(request("web3"), confirmed_name="web3")  # limit 2 per frame
    await settle()

    states = [manager.job(j.job_id).state for j in (web1, web2, web3)]
    assert states == [S.STARTING, S.WAITING, S.QUEUED]
    assert len(migrlpar_sent(world, "m")) == 1
    waiting = manager.job(web2.job_id)
    assert waiting.message == "allowed; waiting for a free channel to hmc1"
    assert waiting.elapsed == 0.0 and waiting.percent is None

    await advance(clock, 5)
    waiting = manager.job(web2.job_id)
    assert waiting.state is S.WAITING and waiting.elapsed == 0.0 and waiting.waited == 5.0
    assert manager.job(web1.job_id).elapsed == 5.0
    assert manager.job(web1.job_id).waited == 0.0

    await advance(clock, 40)
    final = {p.partition: p for p in manager.jobs()}
    assert [final[n].state for n in ("web1", "web2", "web3")] == [S.SUCCEEDED] * 3
    # each took MIGRATION_SECONDS on the HMC; before that web2 waited for web1's channel and
    # web3 for a slot and then for web2's channel
    assert [final[n].elapsed for n in ("web1", "web2", "web3")] == [MIGRATION_SECONDS] * 3
    assert [final[n].waited for n in ("web1", "web2", "web3")] == [
        0.0,
        MIGRATION_SECONDS,
        2 * MIGRATION_SECONDS,
    ]
    assert seen["web2"][:2] == [S.QUEUED, S.WAITING] and S.STARTING in seen["web2"]
    assert seen["web3"][0] is S.QUEUED and S.WAITING in seen["web3"]

    done = [r for r in manager.audit.records() if r["op"] == "migrate" and r["phase"] == "done"]
    by_name = {r["partition"]: r for r in done}
    assert [by_name[n]["duration"] for n in ("web1", "web2", "web3")] == [MIGRATION_SECONDS] * 3
    assert [by_name[n]["queued"] for n in ("web1", "web2", "web3")] == [
        0.0,
        MIGRATION_SECONDS,
        2 * MIGRATION_SECONDS,
    ]
    assert queued_at == 1000.0


async def test_a_command_the_link_never_sent_is_cancelled_not_running(
    make_manager, fleet, world, clock
):
    class RefusingLink(FakeLink):
        async def run_long(self, argv, *, on_sent=None):
            from lpmtui.hmc.runner import CommandResult

            return CommandResult(
                tuple(argv), None, "", "lpmtui: not sent: not connected (reconnecting)"
            )

    fleet.links["hmc1"] = RefusingLink(world, "hmc1")
    manager = make_manager()
    job = await manager.start(request("web1"), confirmed_name="web1")
    await settle()
    final = manager.job(job.job_id)
    assert final.state is S.CANCELLED
    assert final.message == "not sent: not connected (reconnecting)"
    assert final.elapsed == 0.0
    assert migrlpar_sent(world, "m") == []
    done = [r for r in manager.audit.records() if r["phase"] == "done"]
    assert [(r["op"], r["outcome"]) for r in done] == [("migrate", "not sent")]
    assert manager.journal.jobs()[job.job_id].state == "cancelled"


async def test_closing_while_a_migration_waits_for_a_channel_journals_it_as_never_sent(
    make_manager, fleet, world, clock
):
    fleet.links["hmc1"] = OneLongChannelLink(world, "hmc1")
    manager = make_manager()
    await manager.start(request("web1"), confirmed_name="web1")
    web2 = await manager.start(request("web2"), confirmed_name="web2")
    await settle()
    assert manager.job(web2.job_id).state is S.WAITING
    await manager.close()
    assert manager.journal.jobs()[web2.job_id].state == "cancelled"
    assert manager.job(web2.job_id).message == (
        "not sent: the console closed before a channel was free"
    )
