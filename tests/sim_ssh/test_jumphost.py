"""The simulated jump host forwards to the HMCs on loopback and to nothing else."""

from __future__ import annotations

import asyncio
import shutil

import asyncssh
import pytest

from lpmtui.sim.server.jumphost import JumpHostSpec, is_loopback

from .helpers import client_options, connect, start_stub_fleet, stub_world


def _jump(fleet, **overrides):
    ep = fleet.jump
    options = client_options(fleet, username=ep.username, password=ep.password)
    options.update(overrides)
    return asyncssh.connect(ep.host, ep.port, **options)


def test_loopback_rule():
    for host in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("192.0.2.10", "hmc1.example.com", "0.0.0.0", "::"):
        assert not is_loopback(host), host


async def test_forwards_to_an_hmc(stub_fleet):
    async with _jump(stub_fleet) as bastion:
        async with connect(stub_fleet, "hmc2", tunnel=bastion) as conn:
            assert (await conn.run("echo via jump")).stdout == "via jump\n"
        # The bastion connection outlives the tunnelled one and serves another.
        async with connect(stub_fleet, "hmc1", tunnel=bastion) as conn:
            assert (await conn.run("echo again")).exit_status == 0


async def test_dropping_the_bastion_drops_its_tunnels(stub_fleet):
    async with _jump(stub_fleet) as bastion, connect(stub_fleet, "hmc1", tunnel=bastion) as conn:
        assert (await conn.run("echo up")).exit_status == 0
        assert stub_fleet.jump_host.drop_connections() == 1
        with pytest.raises((asyncssh.Error, OSError)):
            async with asyncio.timeout(5):
                await conn.run("echo again")


async def test_refuses_non_loopback_targets(stub_fleet):
    async with _jump(stub_fleet) as bastion:
        # Refused before any connection is attempted: no packet leaves the machine.
        with pytest.raises(asyncssh.ChannelOpenError) as info:
            await bastion.open_connection("192.0.2.10", 22)
        assert info.value.code == asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED
    assert stub_fleet.jump_host.refused == [("192.0.2.10", 22)]


async def test_runs_no_commands(stub_fleet):
    async with _jump(stub_fleet) as bastion:
        with pytest.raises(asyncssh.ChannelOpenError):
            await bastion.run("echo shell")


async def test_key_auth_and_wrong_password(authorized_keys, client_key):
    world = stub_world("hmc1")
    spec = JumpHostSpec(username="ops", password="s3cret")
    async with await start_stub_fleet(
        world, jump_host=spec, authorized_keys=authorized_keys
    ) as fleet:
        assert fleet.jump.username == "ops"
        async with (
            _jump(fleet, password=None, client_keys=[client_key.key]) as bastion,
            connect(fleet, "hmc1", tunnel=bastion) as conn,
        ):
            assert (await conn.run("echo key")).stdout == "key\n"
        with pytest.raises(asyncssh.PermissionDenied):
            async with _jump(fleet, password="wrong"):
                pass


async def test_no_jump_host_when_not_asked():
    async with await start_stub_fleet(stub_world("hmc1"), jump_host=False) as fleet:
        assert fleet.jump is None
        assert len(fleet.known_hosts_text().splitlines()) == 1


@pytest.mark.skipif(shutil.which("ssh") is None, reason="the OpenSSH client is not installed")
async def test_openssh_proxyjump(tmp_path, authorized_keys, client_key):
    world = stub_world("hmc1")
    async with await start_stub_fleet(world, authorized_keys=authorized_keys) as fleet:
        known = tmp_path / "known_hosts"
        known.write_text(fleet.known_hosts_text())
        hmc, jump = fleet.endpoints["hmc1"], fleet.jump
        # -o options do not reach the jump hop, so everything goes in one config file (ssh.md §3.2).
        config = tmp_path / "ssh_config"
        config.write_text(
            f"Host bastion\n  HostName {jump.host}\n  Port {jump.port}\n  User {jump.username}\n"
            f"Host hmc\n  HostName {hmc.host}\n  Port {hmc.port}\n  User hscroot\n"
            "  ProxyJump bastion\n"
            f"Host *\n  IdentityFile {client_key.private_path}\n  IdentitiesOnly yes\n"
            f"  UserKnownHostsFile {known}\n  GlobalKnownHostsFile /dev/null\n"
            "  StrictHostKeyChecking yes\n  BatchMode yes\n"
        )
        proc = await asyncio.create_subprocess_exec(
            "ssh", "-F", str(config), "hmc", "echo through the bastion",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        async with asyncio.timeout(20):
            out, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
        assert out.decode() == "through the bastion\n"
