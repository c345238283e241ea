"""Issue 12 (trust) and issue 17 (hostile input): the hop that failed is named, @revoked keys
are refused, known_hosts lives in the state dir, refused passwords are never sent again, failed
logins are counted across runs (only when something was sent) and the HMC's lockout is obeyed."""

from __future__ import annotations

import asyncio
import json
import stat
from dataclasses import replace

import asyncssh

from lpmtui.config.loader import AuthConfig
from lpmtui.model import ConnectionState as S
from lpmtui.ssh.hostkeys import HostKeyStore

from .simfleet import (
    PASSWORD,
    FakePrompter,
    fast_settings,
    hmc_config,
    insecure,
    other_key_line,
    sim_jump,
    start_tiny_fleet,
    started,
    trust,
    trusted_settings,
)

LOCKED = "The account is locked due to 3 failed logins."


async def _fleet(*names):
    _, fleet = await start_tiny_fleet(*names)
    return fleet


def _key_part(line: str) -> str:
    return line.strip().split(" ", 1)[1]


# -- item 4: @revoked ----------------------------------------------------------------------------


async def test_revoked_key_is_refused_never_offered_nor_stored(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        ep = fleet.endpoints["hmc1"]
        settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),), accept_new_host_keys=True)
        trust(settings, f"@revoked [127.0.0.1]:{ep.port} {_key_part(ep.host_key_line)}")
        before = settings.known_hosts_file.read_text()
        prompter = FakePrompter(accept_keys=True)
        async with started(settings, prompter=prompter) as transport:
            link = transport.link("hmc1")
            assert link.state == S.HOST_KEY_CHANGED
            assert "REVOKED" in link.last_error and f"{settings.known_hosts_file}:1" in (
                link.last_error
            )
            assert link.host_key_info.revoked and not await transport.retry("hmc1")
        assert prompter.host_keys == []  # never offered for acceptance
        assert settings.known_hosts_file.read_text() == before
        assert fleet.logins("hmc1").failures("hscroot") == 0
    finally:
        await fleet.close()


async def test_revoked_key_is_refused_before_a_password_prompt(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        ep = fleet.endpoints["hmc1"]
        auth = AuthConfig(method="password", password_source="prompt")
        settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1", auth=auth),))
        trust(settings, f"@revoked [127.0.0.1]:{ep.port} {_key_part(ep.host_key_line)}")
        prompter = FakePrompter(accept_keys=True, passwords=[PASSWORD])
        async with started(settings, prompter=prompter) as transport:
            assert transport.link("hmc1").state == S.HOST_KEY_CHANGED
        assert prompter.host_keys == [] and prompter.password_labels == []
    finally:
        await fleet.close()


# -- item 12: the hop that failed is named, once --------------------------------------------------


async def test_changed_jump_host_key_names_the_jump_host_once(tmp_path):
    fleet = await _fleet("hmc1", "hmc2")
    try:
        hmcs = (
            hmc_config(fleet, "hmc1", jump=("simjump",)),
            hmc_config(fleet, "hmc2", jump=("simjump",)),
        )
        settings = fast_settings(tmp_path, hmcs, jump_hosts={"simjump": sim_jump(fleet)})
        trust(
            settings,
            fleet.endpoints["hmc1"].host_key_line,
            fleet.endpoints["hmc2"].host_key_line,
            other_key_line("127.0.0.1", fleet.jump.port),
        )
        async with started(settings) as transport:
            for link in transport.links():
                assert link.state == S.HOST_KEY_CHANGED
                assert link.last_error.count("CHANGED") == 1
                assert "jump host simjump" in link.last_error
                assert f"HMC {link.name}" not in link.last_error
                assert link.failed_hop == "jump host simjump"
                info = link.host_key_info
                assert (info.hop, info.jump_host, info.port) == ("simjump", True, fleet.jump.port)
    finally:
        await fleet.close()


async def test_hmc_with_nothing_listening_is_unreachable_not_a_key_problem(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        dead = replace(hmc_config(fleet, "hmc1", jump=("simjump",)), name="dead", port=1)
        hmcs = (hmc_config(fleet, "hmc1", jump=("simjump",)), dead)
        settings = trusted_settings(fleet, tmp_path, hmcs, jump_hosts={"simjump": sim_jump(fleet)})
        async with started(settings) as transport:
            assert transport.link("hmc1").state == S.CONNECTED
            link = transport.link("dead")
            assert link.state == S.UNREACHABLE and link.failed_hop == ""
            assert "HMC dead" in link.last_error and "jump host could not reach it" in (
                link.last_error
            )
    finally:
        await fleet.close()


async def test_host_key_question_says_jump_host_and_its_name(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        hmc = hmc_config(fleet, "hmc1", jump=("simjump",))
        settings = fast_settings(tmp_path, (hmc,), jump_hosts={"simjump": sim_jump(fleet)})
        prompter = FakePrompter(accept_keys=True)
        async with started(settings, prompter=prompter) as transport:
            assert transport.link("hmc1").state == S.CONNECTED
        bastion, target = prompter.host_keys
        assert (bastion.hop, bastion.jump_host, bastion.who) == (
            "simjump",
            True,
            "jump host simjump",
        )
        assert (target.hop, target.jump_host, target.who) == ("hmc1", False, "HMC hmc1")
        assert bastion.describe().startswith("unknown host key for jump host simjump (")
    finally:
        await fleet.close()


# -- item 13: known_hosts in the state dir, the old file still read --------------------------------


async def test_keys_accepted_in_the_old_config_location_are_still_trusted(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),))
        settings.legacy_known_hosts_file.write_text(fleet.endpoints["hmc1"].host_key_line)
        async with started(settings, prompter=FakePrompter()) as transport:
            assert transport.link("hmc1").state == S.CONNECTED
        assert not settings.known_hosts_file.exists()  # nothing new to write
    finally:
        await fleet.close()


def test_accepted_key_goes_to_a_0700_directory(tmp_path):
    tmp_path.chmod(0o755)
    app = tmp_path / "state" / "lpmtui" / "known_hosts"
    store = HostKeyStore(app, None, read_only=(tmp_path / "old",))
    key = asyncssh.generate_private_key("ssh-ed25519")
    store.accept("10.0.0.1", 22, key)
    for made in (app.parent, app.parent.parent):  # every directory created, not only the last
        assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755  # an existing one is left alone
    assert stat.S_IMODE(app.stat().st_mode) == 0o600


# -- item 16: a refused password is never sent again -----------------------------------------------


async def test_retry_does_not_resend_a_refused_config_password(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        settings = trusted_settings(
            fleet, tmp_path, (hmc_config(fleet, "hmc1", auth=insecure("wrong-pw")),)
        )
        async with started(settings) as transport:
            link = transport.link("hmc1")
            assert link.state == S.AUTH_FAILED
            assert not await transport.retry("hmc1")  # `r` in the console
            assert fleet.logins("hmc1").failures("hscroot") == 1
            assert "already refused" in link.last_error and "not sent again" in link.last_error
    finally:
        await fleet.close()


async def test_retry_asks_for_a_new_password_and_never_sends_the_refused_one(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        auth = AuthConfig(method="password", password_source="prompt")
        settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1", auth=auth),))
        prompter = FakePrompter(passwords=["typo", "typo", PASSWORD])
        async with started(settings, prompter=prompter) as transport:
            assert transport.link("hmc1").state == S.AUTH_FAILED
            assert not await transport.retry("hmc1")  # the same typo again: not sent
            assert fleet.logins("hmc1").failures("hscroot") == 1
            assert await transport.retry("hmc1")
            assert len(prompter.password_labels) == 3
    finally:
        await fleet.close()


# -- item 5: the lockout across runs, its own text, nothing counted that was not sent --------------


async def test_failed_logins_are_counted_across_runs(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        hmcs = (hmc_config(fleet, "hmc1", auth=insecure("wrong-pw")),)
        settings = trusted_settings(fleet, tmp_path, hmcs)
        async with started(settings) as transport:
            assert "1 failed login(s) in a row" in transport.link("hmc1").last_error
        async with started(settings) as transport:  # a second `lpmtui check` run
            link = transport.link("hmc1")
            assert "2 failed login(s) in a row" in link.last_error and "one try left" in (
                link.last_error
            )
            assert link.auth_failures == 2
        ledger = settings.state_dir / "logins.json"
        assert stat.S_IMODE(ledger.stat().st_mode) == 0o600
        assert stat.S_IMODE(ledger.parent.stat().st_mode) == 0o700  # tmp_path/state, created
        port = fleet.endpoints["hmc1"].port
        assert json.loads(ledger.read_text())[f"hscroot@127.0.0.1:{port}"]["failures"] == 2
    finally:
        await fleet.close()


async def test_locked_account_shows_the_hmc_text_and_is_not_tried_again(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        guard = fleet.logins("hmc1")
        for _ in range(3):
            guard.failed("hscroot")
        assert guard.is_locked("hscroot")
        settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1"),))
        async with started(settings) as transport:  # the right password, while locked
            link = transport.link("hmc1")
            assert link.state == S.AUTH_FAILED
            assert LOCKED in link.last_error and LOCKED in link.lockout
            assert "one try left" not in link.last_error
            assert "not trying again until" in link.last_error
            tally = guard.failures("hscroot")
            assert not await transport.retry("hmc1")
            await asyncio.sleep(3 * settings.reconnect_max_delay)
            assert guard.failures("hscroot") == tally  # nothing sent: the lock is not re-armed
        async with started(settings) as again:  # another run: still not tried
            assert again.link("hmc1").state == S.AUTH_FAILED
            assert LOCKED in again.link("hmc1").last_error
        assert guard.failures("hscroot") == tally
    finally:
        await fleet.close()


async def test_what_was_not_sent_is_not_a_failed_login(tmp_path):
    fleet = await _fleet("hmc1")
    try:
        bad_key = tmp_path / "id_bad"
        bad_key.write_text("not a key\n")
        hmcs = (
            hmc_config(fleet, "hmc1", auth=AuthConfig(method="password")),  # nobody to ask
            replace(
                hmc_config(fleet, "hmc1", auth=AuthConfig(method="key", key_files=(str(bad_key),))),
                name="keyed",
            ),
        )
        settings = trusted_settings(fleet, tmp_path, hmcs)
        for _ in range(2):
            async with started(settings) as transport:
                for link in transport.links():
                    assert link.state == S.AUTH_FAILED and "not tried" in link.last_error
                    assert "failed login" not in link.last_error and link.auth_failures == 0
        assert not (settings.state_dir / "logins.json").exists()
        assert fleet.logins("hmc1").failures("hscroot") == 0
    finally:
        await fleet.close()


# -- item 9: DNS failure --------------------------------------------------------------------------


async def test_dns_failure_names_the_host_and_the_config_line(tmp_path):
    from lpmtui.config import loader as config

    path = tmp_path / "config.yaml"
    path.write_text("hmcs:\n  - name: east\n    host: no-such-hmc.invalid\n")
    loaded = config.load(path)
    settings = fast_settings(tmp_path, loaded.hmcs)
    async with started(settings) as transport:
        link = transport.link("east")
        assert link.state == S.UNREACHABLE
        assert f"cannot resolve host no-such-hmc.invalid (from config {path}:3)" in (
            link.last_error
        )
        assert "Unknown error" not in link.last_error
