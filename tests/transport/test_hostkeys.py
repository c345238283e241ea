"""Host keys: unknown -> the user decides (TOFU), changed -> hard error naming file:line."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import stat
from dataclasses import replace

import pytest

from lpmtui.config.loader import AuthConfig
from lpmtui.model import ConnectionState as S
from lpmtui.ssh.transport import Transport

from .simfleet import (
    FakePrompter,
    fast_settings,
    hmc_config,
    other_key_line,
    sim_jump,
    start_tiny_fleet,
    started,
    trust,
)


@pytest.fixture
async def fleet():
    _, fleet = await start_tiny_fleet("hmc1")
    try:
        yield fleet
    finally:
        await fleet.close()


def hashed(host_pattern: str, key_part: str) -> str:
    salt = os.urandom(20)
    digest = hmac.new(salt, host_pattern.encode(), hashlib.sha1).digest()
    return f"|1|{base64.b64encode(salt).decode()}|{base64.b64encode(digest).decode()} {key_part}"


async def test_unknown_key_without_prompter_is_refused(fleet, tmp_path):
    settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),))
    async with started(settings) as transport:
        link = transport.link("hmc1")
        assert link.state == S.HOST_KEY_UNKNOWN
        assert link.host_key_fingerprint == fleet.endpoints["hmc1"].fingerprint
        assert link.host_key_info.key_type == "ssh-ed25519" and not link.host_key_info.changed
        assert "unknown host key" in link.last_error
        assert not settings.known_hosts_file.exists()
        assert fleet.logins("hmc1").failures("hscroot") == 0


async def test_unknown_key_accepted_is_stored_0600_and_trusted_next_time(fleet, tmp_path):
    settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),))
    prompter = FakePrompter(accept_keys=True)
    async with started(settings, prompter=prompter) as transport:
        assert transport.link("hmc1").state == S.CONNECTED
        (info,) = prompter.host_keys
        ep = fleet.endpoints["hmc1"]
        assert (info.host, info.port, info.fingerprint, info.route) == (
            "127.0.0.1",
            ep.port,
            ep.fingerprint,
            (),
        )
    path = settings.known_hosts_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == ep.host_key_line.strip() + "\n"
    async with started(settings, prompter=FakePrompter()) as again:
        assert again.link("hmc1").state == S.CONNECTED


async def test_rejected_key_is_not_stored_and_not_retried(fleet, tmp_path):
    settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),))
    prompter = FakePrompter(accept_keys=False)
    async with started(settings, prompter=prompter) as transport:
        await asyncio.sleep(4 * settings.reconnect_max_delay)
        assert transport.link("hmc1").state == S.HOST_KEY_UNKNOWN
        assert len(prompter.host_keys) == 1 and not settings.known_hosts_file.exists()
        prompter.accept_keys = True
        assert await transport.retry("hmc1")  # the user changes their mind
        assert len(prompter.host_keys) == 2


async def test_accept_new_host_keys_for_headless_runs(fleet, tmp_path):
    settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),), accept_new_host_keys=True)
    async with started(settings) as transport:
        assert transport.link("hmc1").state == S.CONNECTED
        assert (
            settings.known_hosts_file.read_text().strip()
            == fleet.endpoints["hmc1"].host_key_line.strip()
        )


@pytest.mark.parametrize("where", ["app", "user", "user-hashed"])
async def test_changed_key_is_a_hard_error_naming_file_and_line(fleet, tmp_path, where):
    ep = fleet.endpoints["hmc1"]
    settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),), accept_new_host_keys=True)
    wrong = other_key_line("127.0.0.1", ep.port)
    if where == "app":
        trust(settings, wrong)
        path, line = settings.known_hosts_file, 1
    else:
        path, line = settings.user_known_hosts_file, 3
        if where == "user-hashed":
            wrong = hashed(f"[127.0.0.1]:{ep.port}", wrong.split(" ", 1)[1])
        path.write_text(f"# mine\nthis line is not a known_hosts entry\n{wrong}\n")
    before = path.read_text()
    prompter = FakePrompter(accept_keys=True)
    async with started(settings, prompter=prompter) as transport:
        await asyncio.sleep(3 * settings.reconnect_max_delay)
        link = transport.link("hmc1")
        assert link.state == S.HOST_KEY_CHANGED
        assert f"{path}:{line}" in link.last_error and "CHANGED" in link.last_error
        assert link.host_key_info.known_at == f"{path}:{line}"
        assert link.host_key_fingerprint == ep.fingerprint
        assert prompter.host_keys == []  # no accept offered for a changed key
        assert path.read_text() == before
        assert not await transport.retry("hmc1")  # still refused when the user insists


async def test_bastion_key_goes_through_the_same_flow(fleet, tmp_path):
    hmc = hmc_config(fleet, "hmc1", jump=("simjump",))
    settings = fast_settings(tmp_path, (hmc,), jump_hosts={"simjump": sim_jump(fleet)})
    prompter = FakePrompter(accept_keys=True)
    async with started(settings, prompter=prompter) as transport:
        assert transport.link("hmc1").state == S.CONNECTED
        bastion, target = prompter.host_keys
        assert (bastion.port, bastion.route) == (fleet.jump.port, ())
        assert (target.port, target.route) == (fleet.endpoints["hmc1"].port, ("simjump",))
        assert bastion.fingerprint == fleet.jump.fingerprint


async def test_changed_bastion_key_blocks_the_hmc_behind_it(fleet, tmp_path):
    hmc = hmc_config(fleet, "hmc1", jump=("simjump",))
    settings = fast_settings(tmp_path, (hmc,), jump_hosts={"simjump": sim_jump(fleet)})
    trust(
        settings,
        fleet.endpoints["hmc1"].host_key_line,
        other_key_line("127.0.0.1", fleet.jump.port),
    )
    async with started(settings) as transport:
        link = transport.link("hmc1")
        assert (
            link.state == S.HOST_KEY_CHANGED and f"{settings.known_hosts_file}:2" in link.last_error
        )
        assert link.host_key_info.port == fleet.jump.port


async def test_host_key_is_confirmed_before_a_password_is_asked(fleet, tmp_path):
    auth = AuthConfig(method="password", password_source="prompt")
    settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1", auth=auth),))
    order: list[str] = []

    class Ordered(FakePrompter):
        async def confirm_host_key(self, info):
            order.append("host key")
            return False

        async def ask_password(self, label):
            order.append("password")
            return "irrelevant"

    async with started(settings, prompter=Ordered()) as transport:
        assert order == ["host key"]  # a rejected key never reaches the password prompt
        assert transport.link("hmc1").state == S.HOST_KEY_UNKNOWN


async def test_shared_bastion_is_asked_about_once_for_all_hmcs_behind_it(tmp_path):
    _, fleet = await start_tiny_fleet("hmc1", "hmc2")
    hmcs = (
        hmc_config(fleet, "hmc1", jump=("simjump",)),
        hmc_config(fleet, "hmc2", jump=("simjump",)),
    )
    bastion = replace(sim_jump(fleet), auth=AuthConfig(method="password"))
    settings = fast_settings(tmp_path, hmcs, jump_hosts={"simjump": bastion})
    trust(settings, fleet.endpoints["hmc1"].host_key_line, fleet.endpoints["hmc2"].host_key_line)
    prompter = FakePrompter(accept_keys=False, passwords=["wrong", fleet.jump.password])
    transport = Transport(settings, prompter=prompter)
    try:
        await transport.start()
        assert [link.state for link in transport.links()] == [S.HOST_KEY_UNKNOWN] * 2
        assert len(prompter.host_keys) == 1  # one question for the shared bastion
        prompter.accept_keys = True
        assert not await transport.retry("hmc1")  # key accepted, then the wrong password
        assert len(prompter.host_keys) == 2 and len(prompter.password_labels) == 1
        assert transport.link("hmc1").state == S.AUTH_FAILED
        assert transport.link("hmc2").state == S.HOST_KEY_UNKNOWN  # nothing tried on its own
        await asyncio.sleep(3 * settings.reconnect_max_delay)
        assert len(prompter.password_labels) == 1
        assert await transport.retry("hmc2")  # the user tries again: asked, right this time
        assert await transport.retry("hmc1")  # bastion already up: no new question
        assert len(prompter.password_labels) == 2 and len(prompter.host_keys) == 2
    finally:
        await transport.close()
        await fleet.close()
