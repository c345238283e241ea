"""Run-time fault switches: the control commands (control.py) and ``lpmtui sim --control``."""

from __future__ import annotations

import asyncio
import signal
import stat
from pathlib import Path

import pytest

from lpmtui.sim.server.control import ControlError, apply_line, apply_spec
from lpmtui.sim.server.faults import CommandFault

from .helpers import SMALL_FLEET, connect, read_until, start_sim_process

ROOT = Path(__file__).resolve().parents[2]


async def test_each_command_arms_its_fault(stub_fleet):
    faults = stub_fleet.faults("hmc1")
    assert await apply_line(stub_fleet, "hang hmc1 2") == "ok the next 2 command(s) of hmc1: hang"
    assert await apply_line(stub_fleet, "garbage hmc1") == (
        "ok the next 1 command(s) of hmc1: garbage"
    )
    assert await apply_line(stub_fleet, "truncate hmc1 3") == (
        "ok the next 3 command(s) of hmc1: truncate"
    )
    pending = {f: faults.pending(f) for f in CommandFault}
    assert pending == {CommandFault.HANG: 2, CommandFault.GARBAGE: 1, CommandFault.TRUNCATE: 3}
    assert stub_fleet.faults("hmc2").pending(CommandFault.HANG) == 0
    assert await apply_line(stub_fleet, "clear hmc1") == "ok cleared the faults of hmc1"
    assert all(faults.pending(f) == 0 for f in CommandFault)


async def test_lock_locks_the_login_user_until_the_lock_runs_out(stub_fleet):
    assert await apply_line(stub_fleet, "lock hmc1") == "ok hscroot@hmc1 locked (300 s)"
    assert stub_fleet.logins("hmc1").is_locked("hscroot")
    assert not stub_fleet.logins("hmc1").is_locked("hmcviewer")
    assert not stub_fleet.logins("hmc2").is_locked("hscroot")
    await apply_line(stub_fleet, "lock hmc2 hmcviewer")
    assert stub_fleet.logins("hmc2").is_locked("hmcviewer")
    stub_fleet.world.clock.advance(300)
    assert not stub_fleet.logins("hmc1").is_locked("hscroot")


async def test_drop_and_drop_jump_abort_open_connections(stub_fleet):
    async with connect(stub_fleet, "hmc1") as conn:
        assert (await conn.run("echo up")).exit_status == 0
        assert await apply_line(stub_fleet, "drop hmc1") == "ok dropped 1 connection(s) of hmc1"
    assert not stub_fleet.faults("hmc1").keep_dropping
    await apply_line(stub_fleet, "drop hmc1 keep")
    assert stub_fleet.faults("hmc1").keep_dropping
    assert await apply_line(stub_fleet, "drop-jump") == "ok dropped 0 jump host connection(s)"


async def test_restart_takes_the_downtime_in_simulated_seconds(stub_fleet):
    answer = await asyncio.wait_for(apply_line(stub_fleet, "restart hmc2"), 10)
    assert answer == "ok hmc2 restarted (0 s down)"
    async with connect(stub_fleet, "hmc2") as conn:
        assert (await conn.run("echo back")).stdout == "back\n"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("", "empty command"),
        ("explode hmc1", "unknown command 'explode'"),
        ("hang", "hang: which HMC?"),
        ("hang hmc9", "hang: no simulated HMC named 'hmc9'"),
        ("hang hmc1 many", "hang: found 'many'; expected a count 0-10000"),
        ("restart hmc1 -4", "restart: found '-4'; expected seconds 0-86400"),
        ("drop hmc1 forever", "drop: found 'forever'; expected nothing or 'keep'"),
        ("clear hmc1 now", "clear: found 'now'; expected only the HMC"),
        ("garbage hmc1 1 2", "garbage: too many words"),
    ],
)
async def test_bad_commands_say_why_and_change_nothing(stub_fleet, line, error):
    with pytest.raises(ControlError) as caught:
        await apply_line(stub_fleet, line)
    assert str(caught.value).startswith(error)
    assert all(stub_fleet.faults("hmc1").pending(f) == 0 for f in CommandFault)


async def test_a_spec_is_several_commands(stub_fleet):
    answers = await apply_spec(stub_fleet, "hang hmc1; ; garbage hmc2 4")
    assert len(answers) == 2
    assert stub_fleet.faults("hmc2").pending(CommandFault.GARBAGE) == 4


@pytest.mark.slow
async def test_lpmtui_sim_takes_fault_commands_on_its_control_socket(tmp_path):
    fleet = tmp_path / "small.yaml"
    fleet.write_text(SMALL_FLEET)
    sock = tmp_path / "faults.sock"
    proc = await start_sim_process(
        "--fleet", str(fleet), "--no-latency", "--key-dir", str(tmp_path / "keys"),
        "--control", str(sock), "--faults", "garbage hmc-b 2",
    )  # fmt: skip
    try:
        lines = await read_until(proc, "Fault commands:")
        assert "lpmtui sim: --faults: ok the next 2 command(s) of hmc-b: garbage" in lines
        assert stat.S_IMODE(sock.stat().st_mode) == 0o600
        reader, writer = await asyncio.open_unix_connection(str(sock))
        answers = []
        for command in ("hang hmc-a 2", "bogus", "lock hmc-b"):
            writer.write(command.encode() + b"\n")
            async with asyncio.timeout(10):
                answers.append((await reader.readline()).decode())
        writer.close()
        assert answers[0] == "ok the next 2 command(s) of hmc-a: hang\n"
        assert answers[1].startswith("error: unknown command 'bogus'")
        assert answers[2] == "ok hscroot@hmc-b locked (300 s)\n"
        proc.send_signal(signal.SIGINT)
        async with asyncio.timeout(15):
            rest, errors = await proc.communicate()
        assert proc.returncode == 0, errors.decode()
        assert rest.decode().strip().endswith("lpmtui sim: stopped")
        assert "Traceback" not in errors.decode()
        assert not sock.exists()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def test_a_bad_fault_spec_is_one_line_and_exit_2(tmp_path, capsys):
    from lpmtui.sim.main import main

    fleet = tmp_path / "small.yaml"
    fleet.write_text(SMALL_FLEET)
    argv = ["--fleet", str(fleet), "--no-latency", "--key-dir", str(tmp_path / "k")]
    assert main([*argv, "--faults", "hang nowhere"]) == 2
    err = capsys.readouterr().err
    assert err == "lpmtui sim: --faults: hang: no simulated HMC named 'nowhere'\n"
