"""Two safety properties of one HMC connection that a one-line change would break:
``migrlpar -o m`` (run_long) never takes the last SSH channel, so polls always get one; and a
password that comes back in what the HMC answers is scrubbed before anything shows it."""

from __future__ import annotations

import asyncio

import pytest

from lpmtui.hmc.redact import REDACTED

from .simfleet import hmc_config, start_tiny_fleet, started, trusted_settings, wait_for


@pytest.fixture
async def tiny():
    world, fleet = await start_tiny_fleet("hmc1")
    try:
        yield world, fleet
    finally:
        await fleet.close()


async def test_long_commands_leave_the_last_channel_to_polls(tiny, tmp_path):
    world, fleet = tiny
    settings = trusted_settings(
        fleet, tmp_path, (hmc_config(fleet, "hmc1"),), channels_per_connection=2
    )
    async with started(settings) as transport:
        link = transport.link("hmc1")
        first = asyncio.create_task(link.run_long(["sleep", "30"]))
        second = asyncio.create_task(link.run_long(["sleep", "30"]))
        await wait_for(lambda: world.running == 1, what="the first long command running")
        # The second long command waits for the first; a poll still gets the last channel.
        poll = await asyncio.wait_for(link.run(["echo", "poll"]), 10)
        assert poll.rc == 0 and poll.stdout.strip() == "poll"
        assert world.most_running == 2 and not second.done()
        first.cancel()
        second.cancel()
        await asyncio.gather(first, second, return_exceptions=True)


async def test_a_password_echoed_by_the_hmc_is_scrubbed_from_result_and_event(tiny, tmp_path):
    _, fleet = tiny
    events = []
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1"),))
    async with started(settings, on_command=events.append) as transport:
        link = transport.link("hmc1")
        result = await link.run(["echo", "HSCL0000 refused:", "--passwd", "s3cret-pw"])
    assert result.rc == 0
    assert "s3cret-pw" not in result.stdout and REDACTED in result.stdout
    assert all("s3cret-pw" not in repr(e) for e in events)
    assert all("s3cret-pw" not in a for a in result.argv)
