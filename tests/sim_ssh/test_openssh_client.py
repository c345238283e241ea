"""The stock OpenSSH client against the simulated demo HMCs: key auth, strict host keys."""

from __future__ import annotations

import asyncio
import shutil

import asyncssh
import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.records import parse, parse_fields
from lpmtui.sim.server.fleet import start_fleet
from lpmtui.sim.world.state import World

pytestmark = pytest.mark.skipif(shutil.which("ssh") is None, reason="no OpenSSH client")

LOCKED = "The account is locked due to 3 failed logins. (5 minutes left to unlock)"


@pytest.fixture
async def demo(tmp_path, authorized_keys):
    world = World.demo(ManualClock())
    fleet = await start_fleet(world, authorized_keys=authorized_keys, jump_host=False)
    known = tmp_path / "known_hosts"
    known.write_text(fleet.known_hosts_text())
    try:
        yield world, fleet, known
    finally:
        await fleet.close()


async def _ssh(port: int, known, key_path, command: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        "ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
        "-o", f"UserKnownHostsFile={known}", "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes", "-i", str(key_path), "-p", str(port),
        "hscroot@127.0.0.1", command,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    async with asyncio.timeout(20):
        out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_list_commands_over_openssh(demo, client_key):
    world, fleet, known = demo
    hmc = next(iter(world.hmcs))
    port = fleet.endpoints[hmc].port
    frames = world.frames_of(hmc)

    rc, out, err = await _ssh(port, known, client_key.private_path, "lssyscfg -r sys -F name,state")
    assert rc == 0, err
    rows = parse_fields(out, ["name", "state"])
    assert [(r["name"], r["state"]) for r in rows] == [(f.name, f.state) for f in frames]

    frame = next(f for f in frames if f.partitions)
    argv = ["lssyscfg", "-r", "lpar", "-m", frame.name, "-F", "name,lpar_id,state"]
    rc, out, err = await _ssh(port, known, client_key.private_path, command_line(argv))
    assert rc == 0, err
    lpars = parse_fields(out, ["name", "lpar_id", "state"])
    assert {(r["name"], int(r["lpar_id"])) for r in lpars} == {
        (p.name, i) for i, p in frame.partitions.items()
    }
    assert world.received[hmc][-1] == tuple(argv)

    argv = ["lshwres", "-r", "mem", "-m", frame.name, "--level", "sys"]
    rc, out, err = await _ssh(port, known, client_key.private_path, command_line(argv))
    assert rc == 0, err
    assert len(parse(out)) == 1

    rc, out, _err = await _ssh(port, known, client_key.private_path, "last")
    assert out == "/bin/bash: last: command not found\n"
    assert rc != 0


async def test_unknown_keys_lock_the_account_and_ssh_shows_why(demo, client_key):
    world, fleet, known = demo
    hmc = next(iter(world.hmcs))
    port = fleet.endpoints[hmc].port
    stranger = client_key.private_path.with_name("stranger")
    stranger.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_private_key())
    stranger.chmod(0o600)
    for _ in range(3):
        rc, _out, err = await _ssh(port, known, stranger, "lshmc -V")
        assert rc == 255 and "Permission denied" in err
    rc, _out, err = await _ssh(port, known, client_key.private_path, "lshmc -V")
    assert rc == 255
    assert LOCKED in err  # the authentication banner, which ssh prints on stderr
    world.clock.advance(300)
    rc, out, err = await _ssh(port, known, client_key.private_path, "lshmc -V")
    assert rc == 0, err
    assert parse(out)[0]["base_version"]


async def test_changed_host_key_is_refused_by_ssh(demo, client_key, tmp_path):
    world, fleet, _known = demo
    hmc = next(iter(world.hmcs))
    port = fleet.endpoints[hmc].port
    impostor = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    wrong = tmp_path / "wrong_known_hosts"
    wrong.write_text(f"[127.0.0.1]:{port} {impostor}")
    rc, out, err = await _ssh(port, wrong, client_key.private_path, "lshmc -V")
    assert rc == 255 and out == ""
    assert "REMOTE HOST IDENTIFICATION HAS CHANGED" in err
