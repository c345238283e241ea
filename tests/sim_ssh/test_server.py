"""The simulated HMCs over SSH with asyncssh: the demo world's CLI, sessions, keys, latency."""

from __future__ import annotations

import asyncio

import asyncssh
import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.records import NO_RESULTS, parse, parse_fields
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.server.fleet import start_fleet
from lpmtui.sim.server.latency import Latency
from lpmtui.sim.world.state import World

from .helpers import connect, start_stub_fleet, stub_world, wait_until


@pytest.fixture
async def demo():
    world = World.demo(ManualClock())
    fleet = await start_fleet(world, jump_host=False)
    try:
        yield world, fleet
    finally:
        await fleet.close()


async def test_list_commands_match_the_shell_and_parse(demo):
    world, fleet = demo
    for hmc in world.hmcs:
        frames = world.frames_of(hmc)
        frame = next(f for f in frames if f.partitions)
        commands = [
            ["lssyscfg", "-r", "sys", "-F", "name,state"],
            ["lssyscfg", "-r", "sys"],
            ["lssyscfg", "-r", "lpar", "-m", frame.name],
            ["lshmc", "-V"],
        ]
        async with connect(fleet, hmc) as conn:
            for argv in commands:
                line = command_line(argv)
                over_ssh = await conn.run(line)
                in_process = await HmcShell(world, hmc).run(line)
                assert (over_ssh.stdout, over_ssh.exit_status) == (in_process.stdout, 0), argv
                assert world.received[hmc][-1] == tuple(argv)
            names_states = parse_fields(
                (await conn.run("lssyscfg -r sys -F name,state")).stdout, ["name", "state"]
            )
            assert [r["name"] for r in names_states] == [f.name for f in frames]
            lpars = parse((await conn.run(command_line(commands[2]))).stdout)
            assert {r["name"] for r in lpars} == {p.name for p in frame.partitions.values()}
            assert parse((await conn.run("lshmc -V")).stdout)[0]["version"]


async def test_errors_no_results_and_unknown_commands(demo):
    world, fleet = demo
    hmc = next(iter(world.hmcs))
    frames = world.frames_of(hmc)
    async with connect(fleet, hmc) as conn:
        bad_option = await conn.run("lssyscfg -r lpar -m no-such-frame")
        assert bad_option.exit_status == 1 and bad_option.stderr == ""
        assert bad_option.stdout.startswith(
            "The command entered is either missing a required parameter"
        )
        argv = ["migrlpar", "-o", "v", "-m", frames[0].name, "-t", frames[1].name, "-p", "nope"]
        hscl = await conn.run(command_line(argv))
        assert hscl.exit_status == 1 and hscl.stderr == ""
        assert hscl.stdout.startswith("HSCL") and "nope" in hscl.stdout
        argv = ["lssyscfg", "-r", "prof", "-m", frames[0].name, "--filter", "lpar_names=nope"]
        empty = await conn.run(command_line(argv))
        assert (empty.stdout, empty.exit_status) == (NO_RESULTS + "\n", 0)
        assert parse(empty.stdout) == []
        unknown = await conn.run("last")
        assert unknown.stdout == "/bin/bash: last: command not found\n"
        assert unknown.exit_status != 0


async def test_migration_keeps_running_after_its_channel_closes(demo):
    world, fleet = demo
    hmc, source, target, lpar = await _a_clean_migration(world)
    async with connect(fleet, hmc) as conn:
        proc = await conn.create_process(
            command_line(["migrlpar", "-o", "m", "-m", source, "-t", target, "-p", lpar])
        )
        await wait_until(lambda: any(j.partition.name == lpar for j in world.jobs))
        proc.close()
        await proc.wait_closed()
    await world.clock.run_for(4 * 3600, step=30)
    await wait_until(lambda: all(j.partition.name != lpar for j in world.jobs))
    names = {p.name for p in world.frames[target].partitions.values()}
    assert lpar in names
    assert lpar not in {p.name for p in world.frames[source].partitions.values()}


async def _a_clean_migration(world: World) -> tuple[str, str, str, str]:
    """A (hmc, source, target, partition) the demo validates without errors, found in-process."""
    for hmc in world.hmcs:
        shell = HmcShell(world, hmc)
        frames = world.frames_of(hmc)
        for source in frames:
            for part in source.sorted_partitions():
                if part.is_vios or part.state != "Running":
                    continue
                for target in frames:
                    if target is source:
                        continue
                    argv = ["migrlpar", "-o", "v", "-m", source.name, "-t", target.name]
                    result = await shell.run(command_line([*argv, "-p", part.name]))
                    if result.rc == 0:
                        return hmc, source.name, target.name, part.name
    raise AssertionError("the demo fleet has no cleanly migratable partition")


async def test_interactive_shell_prompt(demo):
    world, fleet = demo
    hmc = next(iter(world.hmcs))
    async with (
        connect(fleet, hmc) as conn,
        conn.create_process(term_type="xterm") as proc,
    ):
        prompt = f"hscroot@{hmc}:~> "
        assert await proc.stdout.readuntil(prompt)
        proc.stdin.write("last\n")
        assert "bash: last: command not found" in await proc.stdout.readuntil(prompt)
        proc.stdin.write("lssyscfg -r sys -F name\n")
        listing = await proc.stdout.readuntil(prompt)
        assert world.frames_of(hmc)[0].name in listing
        proc.stdin.write("exit\n")
        result = await proc.wait()
    assert result.exit_status == 0


async def test_session_limit_refuses_like_openssh():
    world = stub_world("hmc1")
    async with (
        await start_stub_fleet(world, jump_host=False, max_sessions=3) as fleet,
        connect(fleet, "hmc1") as conn,
    ):
        procs = [await conn.create_process("wait") for _ in range(3)]
        with pytest.raises(asyncssh.ChannelOpenError) as info:
            await conn.create_process("echo one too many")
        assert (info.value.code, info.value.reason) == (
            asyncssh.OPEN_CONNECT_FAILED,
            "open failed",
        )
        procs[0].close()
        await procs[0].wait_closed()
        for _ in range(50):  # the slot frees once the server has seen the close
            try:
                assert (await conn.run("echo room")).stdout == "room\n"
                break
            except asyncssh.ChannelOpenError:
                await asyncio.sleep(0.01)
        else:
            raise AssertionError("the closed session's slot was never freed")
        world.gate.set()
        for proc in procs[1:]:
            assert (await proc.wait()).stdout == "done\n"


async def test_a_simulator_crash_is_logged_and_looks_like_a_lost_answer(stub_fleet, caplog):
    async with connect(stub_fleet, "hmc1") as conn:
        crashed = await conn.run("crash now")
        assert (crashed.exit_status, crashed.stdout) == (None, "")
        assert (await conn.run("echo still here")).stdout == "still here\n"
    assert "simulated HMC hmc1 failed on 'crash now'" in caplog.text


async def test_latency_runs_on_the_world_clock():
    clock = ManualClock()
    world = stub_world("hmc1", clock=clock)
    latency = Latency(list_range=(2.0, 2.0), validate_range=(30.0, 30.0), other_range=(1.0, 1.0))
    async with (
        await start_stub_fleet(world, jump_host=False, latency=latency) as fleet,
        connect(fleet, "hmc1") as conn,
    ):
        answer = asyncio.ensure_future(conn.run("echo slow"))
        await wait_until(lambda: clock.sleepers == 1)
        clock.advance(0.5)
        await asyncio.sleep(0.05)
        assert not answer.done()
        clock.advance(0.5)
        assert (await answer).stdout == "slow\n"


def test_latency_kinds():
    latency = Latency.realistic(seed=1)
    assert 0.3 <= latency.delay_for("lssyscfg -r lpar -m 'f 1'") <= 1.5
    assert 15 <= latency.delay_for("migrlpar -o v -m a -t b -p c") <= 40
    assert 1 <= latency.delay_for("migrlpar -o m -m a -t b -p c") <= 3
    assert Latency.fixed(0.25).delay_for("anything 'unbalanced") == 0.25
    assert Latency(scale=0).delay_for("lshmc -V") == 0


async def test_host_keys_persist_in_key_dir(tmp_path):
    world = stub_world("hmc1", "odd/name")
    async with await start_stub_fleet(world, key_dir=tmp_path / "keys") as first:
        prints = {n: ep.fingerprint for n, ep in first.endpoints.items()}
        jump = first.jump.fingerprint
    async with await start_stub_fleet(world, key_dir=tmp_path / "keys") as second:
        assert {n: ep.fingerprint for n, ep in second.endpoints.items()} == prints
        assert second.jump.fingerprint == jump
    assert len(set(prints.values()) | {jump}) == 3
    for path in (tmp_path / "keys").iterdir():
        assert path.stat().st_mode & 0o777 == 0o600


async def test_port_base_and_known_hosts(tmp_path):
    import socket

    world = stub_world("hmc1", "hmc2")
    for attempt in range(5):  # another process may take a probed port meanwhile: probe again
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        try:
            fleet = await start_stub_fleet(world, port_base=base)
            break
        except OSError:
            if attempt == 4:
                raise  # five taken in a row is no race: the server does not listen
    async with fleet:
        assert [ep.port for ep in fleet.endpoints.values()] == [base, base + 1]
        assert fleet.jump.port == base + 2
        lines = fleet.known_hosts_text().splitlines()
        assert lines[0].startswith(f"[127.0.0.1]:{base} ssh-ed25519 ")
        # A second fleet on the same ports fails cleanly and leaves the first one working.
        with pytest.raises(OSError):
            await start_stub_fleet(stub_world("x"), port_base=base)
        async with connect(fleet, "hmc2") as conn:
            assert (await conn.run("echo ok")).stdout == "ok\n"


async def test_wrong_host_key_is_refused(stub_fleet):
    other = await start_stub_fleet(stub_world("hmc1"), jump_host=False)
    async with other:
        ep = stub_fleet.endpoints["hmc1"]
        with pytest.raises(asyncssh.HostKeyNotVerifiable):
            async with asyncssh.connect(
                ep.host, ep.port, username="hscroot", password="abc123", config=None,
                known_hosts=asyncssh.import_known_hosts(
                    other.known_hosts_text().replace(str(other.endpoints["hmc1"].port),
                                                     str(ep.port))
                ),
                client_keys=None, agent_path=None,
            ):  # fmt: skip
                pass
