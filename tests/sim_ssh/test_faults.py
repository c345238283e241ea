"""Fault injection per simulated HMC behaves as faults.py documents."""

from __future__ import annotations

import asyncio

import asyncssh
import pytest

from lpmtui.hmc.records import RecordParseError, parse, parse_fields

from .helpers import connect, start_stub_fleet, stub_world, wait_until

LONG = "echo " + " ".join(f"name=lpar{i},state=Running" for i in range(20))


async def test_drop_connections_kills_open_connections(stub_fleet):
    async with connect(stub_fleet, "hmc1") as conn:
        assert (await conn.run("echo up")).stdout == "up\n"
        assert stub_fleet.faults("hmc1").drop_connections() == 1
        with pytest.raises((asyncssh.Error, OSError)):
            async with asyncio.timeout(5):
                await conn.run("echo again")
    # The other HMC is untouched, and hmc1 takes new connections again.
    async with connect(stub_fleet, "hmc2") as conn:
        assert (await conn.run("echo two")).exit_status == 0
    async with connect(stub_fleet, "hmc1") as conn:
        assert (await conn.run("echo back")).stdout == "back\n"


async def test_keep_dropping_refuses_until_cleared(stub_fleet):
    faults = stub_fleet.faults("hmc1")
    faults.drop_connections(keep_dropping=True)
    with pytest.raises((asyncssh.Error, OSError)):
        async with connect(stub_fleet, "hmc1") as conn:
            await conn.run("echo never")
    faults.clear()
    async with connect(stub_fleet, "hmc1") as conn:
        assert (await conn.run("echo fine")).stdout == "fine\n"


async def test_hang_next_never_answers_and_does_not_run(stub_fleet):
    stub_fleet.faults("hmc1").hang_next()
    world = stub_fleet.world
    async with connect(stub_fleet, "hmc1") as conn:
        async with conn.create_process("echo hung") as proc:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.3):
                    await proc.wait()
        # Abandoned by the client (the process context closed the channel): it never ran.
        assert ("hmc1", "hscroot", "echo hung") not in world.ran
        result = await conn.run("echo next")
        assert result.stdout == "next\n"


async def test_release_hangs_lets_the_command_answer(stub_fleet):
    faults = stub_fleet.faults("hmc1")
    faults.hang_next(2)
    async with connect(stub_fleet, "hmc1") as conn:
        first = asyncio.ensure_future(conn.run("echo a"))
        second = asyncio.ensure_future(conn.run("echo b"))
        await wait_until(lambda: faults.hung == 2)
        assert not first.done()
        faults.release_hangs()
        assert (await first).stdout == "a\n"
        assert (await second).stdout == "b\n"


async def test_garbage_next_is_unparseable_with_rc_0(stub_fleet):
    stub_fleet.faults("hmc1").garbage_next()
    async with connect(stub_fleet, "hmc1") as conn:
        bad = await conn.run(LONG)
        good = await conn.run(LONG)
    assert bad.exit_status == 0
    assert bad.stdout != good.stdout
    with pytest.raises(RecordParseError):
        parse(bad.stdout)
    with pytest.raises(RecordParseError):
        parse_fields(bad.stdout, ["name", "state"])
    assert len(parse(good.stdout)) == 1


async def test_garbage_keeps_a_failed_commands_exit_status(stub_fleet):
    # A failed command under noise is still a failure: a garbled migrlpar -o m that failed must
    # not reach the client as rc 0 (the fault soak's "ended without error but still on its
    # source", issue #17).
    stub_fleet.faults("hmc1").garbage_next()
    async with connect(stub_fleet, "hmc1") as conn:
        bad = await conn.run("fail")
        clean = await conn.run("fail")
    assert bad.exit_status == 1 and clean.exit_status == 1
    assert "unterminated" in bad.stdout and "HSCL0000" not in bad.stdout
    assert clean.stdout == "HSCL0000 simulated failure\n"


async def test_truncate_next_cuts_output_and_leaves_no_exit_status(stub_fleet):
    stub_fleet.faults("hmc1").truncate_next()
    async with connect(stub_fleet, "hmc1") as conn:
        cut = await conn.run(LONG)
        whole = await conn.run(LONG)
    assert cut.exit_status is None
    assert whole.exit_status == 0
    assert 0 < len(cut.stdout) < len(whole.stdout)
    assert whole.stdout.startswith(cut.stdout)


async def test_faults_are_taken_in_order_hang_truncate_garbage(stub_fleet):
    faults = stub_fleet.faults("hmc1")
    faults.garbage_next()
    faults.truncate_next()
    async with connect(stub_fleet, "hmc1") as conn:
        assert (await conn.run(LONG)).exit_status is None  # truncated first
        garbled = await conn.run(LONG)
        assert garbled.exit_status == 0 and "unterminated" in garbled.stdout
        assert (await conn.run("echo clean")).stdout == "clean\n"


async def test_restart_keeps_port_and_host_key_and_running_commands(stub_fleet):
    world = stub_fleet.world
    before = stub_fleet.endpoints["hmc1"]
    async with connect(stub_fleet, "hmc1") as conn:
        proc = await conn.create_process("wait")
        await wait_until(lambda: ("hmc1", "hscroot", "wait") in world.ran)
        await stub_fleet.faults("hmc1").restart()
        result = await proc.wait()
        assert result.exit_status is None  # the connection died under it
    assert stub_fleet.server("hmc1").port == before.port
    # Same port, same key: the fleet's known_hosts still verifies the HMC after its reboot.
    async with connect(stub_fleet, "hmc1") as conn:
        assert (await conn.run("echo rebooted")).stdout == "rebooted\n"
    world.gate.set()
    await wait_until(lambda: "wait" in world.finished)  # the HMC task outlived the reboot


async def test_restart_with_downtime_refuses_connections_meanwhile():
    world = stub_world("hmc1")
    async with await start_stub_fleet(world, jump_host=False) as fleet:
        rebooting = asyncio.ensure_future(fleet.faults("hmc1").restart(downtime=60))
        await wait_until(lambda: world.clock.sleepers == 1)
        with pytest.raises(OSError):
            async with connect(fleet, "hmc1"):
                pass
        world.clock.advance(60)
        await rebooting
        async with connect(fleet, "hmc1") as conn:
            assert (await conn.run("echo up")).stdout == "up\n"
