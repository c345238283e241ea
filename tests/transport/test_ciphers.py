"""The client's cipher order: AES-GCM first (one AEAD call per packet), asyncssh's set kept."""

from __future__ import annotations

from asyncssh.encryption import get_default_encryption_algs

from lpmtui.ssh import hops

from .simfleet import hmc_config, start_tiny_fleet, started, trusted_settings


def test_aes_gcm_first_and_the_default_set_kept():
    algs = hops.encryption_algs()
    assert algs[:2] == ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com")
    assert sorted(algs) == sorted(a.decode() for a in get_default_encryption_algs())


async def test_a_connection_to_the_simulator_uses_aes_gcm(tmp_path):
    _world, fleet = await start_tiny_fleet("hmc1")
    try:
        settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1"),))
        async with started(settings) as transport:
            link = transport.link("hmc1")
            assert (await link.run(["echo", "x"])).rc == 0
            conn = link._conn
            assert conn.get_extra_info("send_cipher") == "aes128-gcm@openssh.com"
            assert conn.get_extra_info("recv_cipher") == "aes128-gcm@openssh.com"
    finally:
        await fleet.close()
