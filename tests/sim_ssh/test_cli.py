"""``lpmtui sim``: bad input is one line and exit 2; a real run serves ssh and stops on SIGINT."""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
from pathlib import Path

import pytest

from lpmtui.hmc.records import parse_fields
from lpmtui.sim.main import main

from .helpers import SMALL_FLEET, read_until, start_sim_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--speed", "0"], "--speed: found 0; expected a number above 0"),
        (["--speed", "fast"], "argument --speed: invalid float value: 'fast'"),
        (["--port-base", "70000"], "--port-base: found 70000; expected 1-65000"),
        (["--fleet", "/nonexistent/fleet.yaml"], "--fleet: /nonexistent/fleet.yaml: no such file"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(argv, expected, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"lpmtui sim: {expected}\n"


def test_bad_authorized_keys_file(tmp_path, capsys):
    path = tmp_path / "keys"
    path.write_text("this is not a key\n")
    assert main(["--authorized-keys", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lpmtui sim: --authorized-keys: {path}: not an authorized_keys file")
    assert err.count("\n") == 1


def test_bad_fleet_file_gives_one_line(tmp_path, capsys):
    fleet = tmp_path / "fleet.yaml"
    fleet.write_text("hmcs: [unclosed\n")
    assert main(["--fleet", str(fleet), "--port-base", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lpmtui sim: --fleet: {fleet}")
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.skipif(shutil.which("ssh") is None, reason="the OpenSSH client is not installed")
async def test_runs_prints_its_table_serves_ssh_and_stops_on_sigint(
    tmp_path, authorized_keys, client_key
):
    fleet = tmp_path / "small.yaml"
    fleet.write_text(SMALL_FLEET)
    proc = await start_sim_process(
        "--fleet", str(fleet), "--authorized-keys", str(authorized_keys),
        "--speed", "100", "--key-dir", str(tmp_path / "keys"),
    )  # fmt: skip
    try:
        lines = await read_until(proc, "Try: ssh")
        table = "\n".join(lines)
        header = r"^NAME\s+KIND\s+HMC ADDRESS\s+LISTENS ON\s+USER\s+PASSWORD\s+HOST KEY"
        assert re.search(header, table, re.M)
        rows = [ln for ln in lines if re.search(r"127\.0\.0\.1:\d+", ln)]
        assert len(rows) == 3  # the two HMCs of the fleet file and the jump host
        assert rows[-1].startswith("(jump host)")
        assert rows[0].split()[1] == "hmc"  # the kind a config for it needs
        first = re.search(r"127\.0\.0\.1:(\d+)\s+(\S+)\s+(\S+)\s+SHA256:", rows[0])
        assert first and first.group(2) == "hscroot" and first.group(3) == "abc123"
        port = first.group(1)

        ssh = await asyncio.create_subprocess_exec(
            "ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
            "-o", f"UserKnownHostsFile={tmp_path / 'keys' / 'known_hosts'}",
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
            "-i", str(client_key.private_path), "-p", port, "hscroot@127.0.0.1",
            "lssyscfg -r sys -F name,state",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        async with asyncio.timeout(30):
            out, err = await ssh.communicate()
        assert ssh.returncode == 0, err.decode()
        frames = parse_fields(out.decode(), ["name", "state"])
        assert [f["name"] for f in frames] == ["p9 a", "p9-b"]  # hmc-a's frames, in fleet order

        proc.send_signal(signal.SIGINT)
        async with asyncio.timeout(15):
            rest, errors = await proc.communicate()
        assert proc.returncode == 0
        assert rest.decode().strip().endswith("lpmtui sim: stopped")
        assert errors.decode() == ""
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
