"""Through two jump hosts, the first a real OpenSSH sshd, to a simulated HMC (ssh.md §3.3)."""

from __future__ import annotations

import textwrap

import pytest

from lpmtui.config import loader as config
from lpmtui.config.loader import AuthConfig, JumpHostConfig
from lpmtui.model import ConnectionState as S

from .simfleet import (
    PASSWORD,
    fast_settings,
    hmc_config,
    sim_jump,
    start_tiny_fleet,
    started,
    trust,
)
from .sshd import start_sshd

pytestmark = pytest.mark.sshd


@pytest.fixture
def sshd(tmp_path):
    server = start_sshd(tmp_path / "sshd")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def fleet():
    world, fleet = await start_tiny_fleet("hmc1", "hmc2")
    try:
        yield world, fleet
    finally:
        await fleet.close()


def openssh_jump(sshd) -> JumpHostConfig:
    return JumpHostConfig(
        name="openssh",
        host=sshd.host,
        port=sshd.port,
        user=sshd.user,
        auth=AuthConfig(method="key", key_files=(str(sshd.client_key),)),
    )


async def test_chain_of_two_jump_hosts_one_of_them_openssh(sshd, fleet, tmp_path):
    world, fleet = fleet
    chain = ("openssh", "simjump")
    hmcs = (hmc_config(fleet, "hmc1", jump=chain), hmc_config(fleet, "hmc2", jump=chain))
    jumps = {"openssh": openssh_jump(sshd), "simjump": sim_jump(fleet, jump=("openssh",))}
    settings = fast_settings(tmp_path, hmcs, jump_hosts=jumps)
    trust(settings, sshd.host_key_line, fleet.known_hosts_text())
    async with started(settings) as transport:
        for link in transport.links():
            assert link.state == S.CONNECTED, link.last_error
            assert (await link.run(["echo", "via", "two hops"])).stdout == "via two hops\n"
        assert transport.pool.refs(("openssh",)) == 2
        assert transport.pool.refs(("openssh", "simjump")) == 2
        assert len(fleet.jump_host.connections) == 1  # one shared bastion connection
        assert sorted(h for h, _ in world.ran) == ["hmc1", "hmc2"]
    assert "Accepted publickey" in sshd.log.read_text()


async def test_ssh_config_proxyjump_alias_opened_hop_by_hop(sshd, fleet, tmp_path):
    _, fleet = fleet
    hmc_port, jump = fleet.endpoints["hmc1"].port, fleet.jump
    (tmp_path / "ssh_config").write_text(
        textwrap.dedent(f"""\
        Host lab-hmc
          HostName 127.0.0.1
          Port {hmc_port}
          User hscroot
          ProxyJump ossh,simj
          UserKnownHostsFile none
        Host ossh
          HostName 127.0.0.1
          Port {sshd.port}
          User {sshd.user}
          IdentityFile {sshd.client_key}
        Host simj
          HostName 127.0.0.1
          Port {jump.port}
          User {jump.username}
    """)
    )
    (tmp_path / "known_hosts").write_text(sshd.host_key_line + "\n" + fleet.known_hosts_text())
    (tmp_path / "config.yaml").write_text(
        textwrap.dedent(f"""\
        jump_hosts:
          simj: {{ssh_config_host: simj, auth: {{insecure_password: {jump.password}}}}}
        hmcs:
          - name: lab
            ssh_config_host: lab-hmc
            auth: {{insecure_password: {PASSWORD}}}
        ssh:
          ssh_config_file: ssh_config
          known_hosts_file: known_hosts
          user_known_hosts_file: nothing_here
          reconnect_initial_delay: 0.05
          reconnect_max_delay: 0.2
    """)
    )
    settings = config.load(tmp_path / "config.yaml")
    assert settings.hmcs[0].jump == ("ossh", "simj")
    assert any("UserKnownHostsFile none is ignored" in w for w in settings.warnings)
    async with started(settings) as transport:
        link = transport.link("lab")
        assert link.state == S.CONNECTED, link.last_error
        assert (await link.run(["echo", "alias"])).stdout == "alias\n"


async def test_openssh_bastion_unknown_key_and_refused_target(sshd, fleet, tmp_path):
    _, fleet = fleet
    hmc = hmc_config(fleet, "hmc1", jump=("openssh",))
    settings = fast_settings(tmp_path, (hmc,), jump_hosts={"openssh": openssh_jump(sshd)})
    trust(settings, fleet.known_hosts_text())  # the bastion's key is not on file
    async with started(settings) as transport:
        link = transport.link("hmc1")
        assert link.state == S.HOST_KEY_UNKNOWN and link.host_key_fingerprint == sshd.fingerprint
    trust(settings, sshd.host_key_line, fleet.known_hosts_text())
    await fleet.server("hmc1").close()  # nothing listens behind the bastion any more
    async with started(settings) as transport:
        link = transport.link("hmc1")
        assert link.state == S.UNREACHABLE and "could not reach it" in link.last_error
