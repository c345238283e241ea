"""HmcConnection / Transport over real SSH against the simulator's servers on loopback."""

from __future__ import annotations

import asyncio
import logging
import os
import sys

import pytest

from lpmtui.config.loader import AuthConfig
from lpmtui.model import ConnectionState as S

from .simfleet import (
    PASSWORD,
    FakePrompter,
    fast_settings,
    hmc_config,
    insecure,
    sim_jump,
    start_tiny_fleet,
    started,
    trusted_settings,
    wait_for,
)


@pytest.fixture
async def own_fleet():
    """Start a tiny fleet with particular options; every one is closed after the test."""
    fleets = []

    async def start(*names: str, **kwargs):
        world, fleet = await start_tiny_fleet(*names, **kwargs)
        fleets.append(fleet)
        return world, fleet

    yield start
    for fleet in fleets:
        await fleet.close()


@pytest.fixture
async def tiny(own_fleet):
    return await own_fleet("hmc1", "hmc2")


async def test_connect_run_and_command_events(tiny, tmp_path):
    world, fleet = tiny
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1"),))
    events, states = [], []
    async with started(
        settings, on_command=events.append, on_state=lambda link: states.append(link.state)
    ) as transport:
        link = transport.link("hmc1")
        assert link.state == S.CONNECTED and link.last_error == ""
        assert link.host_key_fingerprint == fleet.endpoints["hmc1"].fingerprint
        result = await link.run(["echo", "my lpar", "a;b"])
        assert (result.rc, result.stdout, result.ok) == (0, "my lpar a;b\n", True)
        assert world.ran == [("hmc1", "echo 'my lpar' 'a;b'")]
        failed = await link.run(["nosuch"])
        assert failed.rc == 127 and "command not found" in failed.stdout
        assert [(e.hmc, e.argv, e.rc) for e in events] == [
            ("hmc1", ("echo", "my lpar", "a;b"), 0),
            ("hmc1", ("nosuch",), 127),
        ]
        assert all(e.duration >= 0 and e.started > 0 and e.error == "" for e in events)
        assert states[:2] == [S.CONNECTING, S.CONNECTED]


async def test_wrong_password_is_tried_exactly_once(tiny, tmp_path, monkeypatch):
    """One attempt, no keys offered first (each would count), no automatic retry."""
    _world, fleet = tiny
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    import asyncssh

    key = asyncssh.generate_private_key("ssh-ed25519")
    (home / ".ssh" / "id_ed25519").write_bytes(key.export_private_key())
    monkeypatch.setenv("HOME", str(home))  # a default key asyncssh would otherwise offer
    settings = trusted_settings(
        fleet, tmp_path, (hmc_config(fleet, "hmc1", auth=insecure("wrong-pw")),)
    )
    async with started(settings) as transport:
        link = transport.link("hmc1")
        assert link.state == S.AUTH_FAILED
        assert "login refused" in link.last_error and "locks the account after 3" in link.last_error
        await asyncio.sleep(5 * settings.reconnect_max_delay)  # several backoff periods
        guard = fleet.logins("hmc1")
        assert guard.failures("hscroot") == 1 and not guard.is_locked("hscroot")
        assert link.state == S.AUTH_FAILED


async def test_prompted_password_retry_after_failure(tiny, tmp_path):
    _world, fleet = tiny
    auth = AuthConfig(method="password", password_source="prompt")
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1", auth=auth),))
    prompter = FakePrompter(passwords=["typo", PASSWORD])
    async with started(settings, prompter=prompter) as transport:
        link = transport.link("hmc1")
        assert link.state == S.AUTH_FAILED and fleet.logins("hmc1").failures("hscroot") == 1
        assert await transport.retry("hmc1")
        assert link.state == S.CONNECTED and len(prompter.password_labels) == 2
        assert "hscroot@127.0.0.1" in prompter.password_labels[0]
        fleet.faults("hmc1").drop_connections()  # reconnect uses the password kept in memory
        await wait_for(lambda: link.state == S.RECONNECTING, what="loss noticed")
        await wait_for(lambda: link.state == S.CONNECTED, what="reconnected")
        assert len(prompter.password_labels) == 2


async def test_no_password_and_no_prompter_is_auth_failed(tiny, tmp_path):
    _, fleet = tiny
    auth = AuthConfig(method="password", password_source="prompt")
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1", auth=auth),))
    async with started(settings) as transport:
        link = transport.link("hmc1")
        assert link.state == S.AUTH_FAILED and "nobody can be asked" in link.last_error
        assert fleet.logins("hmc1").failures("hscroot") == 0


async def test_agent_auth_without_agent_is_a_clear_error(tiny, tmp_path):
    _, fleet = tiny
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1", auth=AuthConfig()),))
    async with started(settings) as transport:
        assert transport.link("hmc1").state == S.AUTH_FAILED
        assert "SSH_AUTH_SOCK is not set" in transport.link("hmc1").last_error


async def test_bastion_shared_and_its_drop_reconnects_every_hmc_behind_it(tiny, tmp_path):
    _world, fleet = tiny
    hmcs = (
        hmc_config(fleet, "hmc1", jump=("simjump",)),
        hmc_config(fleet, "hmc2", jump=("simjump",)),
    )
    settings = trusted_settings(fleet, tmp_path, hmcs, jump_hosts={"simjump": sim_jump(fleet)})
    async with started(settings) as transport:
        links = transport.links()
        assert [link.state for link in links] == [S.CONNECTED, S.CONNECTED]
        jump = fleet.jump_host
        assert len(jump.connections) == 1 and transport.pool.refs(("simjump",)) == 2
        assert links[0].route_fingerprints() == (("simjump", fleet.jump.fingerprint),)
        seen: list = []
        for link in links:
            link.on_state = lambda lk: seen.append((lk.name, lk.state))
        for conn in list(jump.connections):
            conn.abort()  # the bastion drops
        await wait_for(
            lambda: (
                all(link.state == S.CONNECTED for link in links)
                and ("hmc1", S.RECONNECTING) in seen
                and ("hmc2", S.RECONNECTING) in seen
            ),
            what="both HMCs back",
        )
        assert len(jump.connections) == 1 and transport.pool.refs(("simjump",)) == 2
        for link in links:
            assert (await link.run(["echo", link.name])).stdout == f"{link.name}\n"
    assert transport.pool.refs(("simjump",)) == 0
    await wait_for(lambda: not fleet.jump_host.connections, what="bastion closed")


async def test_hmc_restart_reconnects(tiny, tmp_path):
    _, fleet = tiny
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1"),))
    async with started(settings) as transport:
        link = transport.link("hmc1")
        await fleet.faults("hmc1").restart(downtime=0.3)
        await wait_for(lambda: link.state != S.CONNECTED, what="loss noticed")
        await wait_for(lambda: link.state == S.CONNECTED, what="reconnected")
        assert (await link.run(["echo", "back"])).rc == 0


async def test_unreachable_keeps_retrying_with_backoff(tmp_path):
    import socket

    from lpmtui.config.loader import HmcConfig

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    hmc = HmcConfig(name="gone", host="127.0.0.1", port=port, auth=insecure("x"))
    settings = fast_settings(tmp_path, (hmc,))
    async with started(settings) as transport:
        link = transport.link("gone")
        assert link.state == S.UNREACHABLE and "refused" in link.last_error.lower()
        await wait_for(lambda: link.reconnect_attempt >= 3, what="backoff retries")
        delays = [link.backoff(n) for n in range(1, 12)]
        assert all(0 < d <= settings.reconnect_max_delay for d in delays)
        assert link.backoff(1) <= 1.5 * settings.reconnect_initial_delay


async def test_hung_command_times_out_and_its_channel_is_closed(own_fleet, tmp_path):
    # One server session slot: if the timed-out channel stayed open, the next command could
    # never get a channel.
    _world, fleet = await own_fleet("hmc1", max_sessions=1)
    settings = trusted_settings(
        fleet, tmp_path, (hmc_config(fleet, "hmc1"),), channels_per_connection=1
    )
    events = []
    async with started(settings, on_command=events.append) as transport:
        link = transport.link("hmc1")
        fleet.faults("hmc1").hang_next()
        hung = await link.run(["echo", "never"], timeout=0.3)
        assert hung.rc is None and "timed out after 0.3 s" in hung.stderr
        assert 0.3 <= events[-1].duration < 2 and "outcome unknown" in events[-1].error
        after = await asyncio.wait_for(link.run(["echo", "next"]), 2)
        assert (after.rc, after.stdout) == (0, "next\n")
        assert fleet.faults("hmc1").hung == 0


async def test_channel_limit_and_open_failed_retry(own_fleet, tmp_path):
    world, fleet = await own_fleet("hmc1", max_sessions=2)
    settings = trusted_settings(
        fleet, tmp_path, (hmc_config(fleet, "hmc1"),), channels_per_connection=2
    )
    async with started(settings) as transport:
        link = transport.link("hmc1")
        results = await asyncio.gather(*(link.run(["sleep", "0.05"]) for _ in range(10)))
        assert [r.rc for r in results] == [0] * 10
        assert world.most_running == 2


async def test_server_refusing_channels_is_retried(own_fleet, tmp_path):
    """More channels than the server allows: "open failed" is retried, nothing is lost."""
    world, fleet = await own_fleet("hmc1", max_sessions=1)
    settings = trusted_settings(
        fleet, tmp_path, (hmc_config(fleet, "hmc1"),), channels_per_connection=3
    )
    async with started(settings) as transport:
        link = transport.link("hmc1")
        results = await asyncio.gather(*(link.run(["sleep", "0.02"]) for _ in range(3)))
        assert [r.rc for r in results] == [0, 0, 0] and world.most_running == 1


async def test_connection_lost_mid_command_is_outcome_unknown(tiny, tmp_path):
    _, fleet = tiny
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1"),))
    async with started(settings) as transport:
        link = transport.link("hmc1")
        running = asyncio.create_task(link.run_long(["sleep", "30"]))
        await asyncio.sleep(0.2)
        fleet.faults("hmc1").drop_connections()
        result = await asyncio.wait_for(running, 5)
        assert result.rc is None and not result.ok
        assert "outcome unknown" in result.stderr
        await wait_for(lambda: link.state == S.CONNECTED, what="reconnected")


async def test_not_connected_command_is_not_sent(tiny, tmp_path):
    _, fleet = tiny
    settings = fast_settings(tmp_path, (hmc_config(fleet, "hmc1"),))  # key unknown: no connect
    async with started(settings) as transport:
        result = await transport.link("hmc1").run(["echo", "x"])
        assert result.rc is None and "not sent: not connected (host key unknown)" in result.stderr


async def test_run_long_has_no_deadline(tiny, tmp_path):
    _, fleet = tiny
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1"),), command_timeout=0.2)
    async with started(settings) as transport:
        link = transport.link("hmc1")
        assert (await link.run(["sleep", "0.5"])).rc is None
        assert (await link.run_long(["sleep", "0.5"])).rc == 0


async def test_password_never_leaks(tiny, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    _, fleet = tiny
    secret = "Zq9-wrong-Secret"
    hmcs = (
        hmc_config(fleet, "hmc1", auth=insecure(secret)),
        hmc_config(fleet, "hmc2", auth=insecure(PASSWORD)),
    )
    settings = trusted_settings(fleet, tmp_path, hmcs)
    events = []
    async with started(settings, on_command=events.append) as transport:
        good = transport.link("hmc2")
        results = [
            await good.run(
                ["mkauthkeys", "--ip", "10.0.0.1", "-u", "hscroot", "--passwd", PASSWORD]
            ),
            await transport.link("hmc1").run(["echo", "x"]),
        ]
        texts = [
            caplog.text,
            repr(settings),
            str(settings),
            repr(transport),
            repr(transport.credentials),
            *(repr(link) for link in transport.links()),
            *(link.last_error for link in transport.links()),
            *(repr(e) for e in events),
            *(repr(r) for r in results),
        ]
        for text in texts:
            assert secret not in text and PASSWORD not in text
        assert events[0].argv[-1] == "******"


@pytest.mark.parametrize("key_format", ["openssh", "pkcs8-pem"])  # openssh: ssh-keygen's default
async def test_key_auth_asks_passphrase_once(own_fleet, tmp_path, key_format):
    import asyncssh

    key = asyncssh.generate_private_key("ssh-ed25519")
    path = tmp_path / "id_test"
    path.write_bytes(key.export_private_key(key_format, passphrase="pp-123"))
    (tmp_path / "authorized_keys").write_text(key.export_public_key().decode())
    _world, fleet = await own_fleet("hmc1", authorized_keys=tmp_path / "authorized_keys")
    auth = AuthConfig(method="key", key_files=(str(path),))
    settings = trusted_settings(fleet, tmp_path, (hmc_config(fleet, "hmc1", auth=auth),))
    prompter = FakePrompter(passphrases=["pp-123"])
    async with started(settings, prompter=prompter) as transport:
        link = transport.link("hmc1")
        assert link.state == S.CONNECTED and prompter.passphrase_paths == [str(path)]
        fleet.faults("hmc1").drop_connections()
        await wait_for(lambda: link.state == S.RECONNECTING, what="loss noticed")
        await wait_for(lambda: link.state == S.CONNECTED, what="reconnected")
        assert prompter.passphrase_paths == [str(path)]


def test_env_var_password_source(monkeypatch):
    from lpmtui.ssh.credentials import CredentialError, CredentialStore

    store = CredentialStore()
    auth = AuthConfig(method="password", password_source="env", password_env="LPMTUI_T_PW")
    monkeypatch.setenv("LPMTUI_T_PW", "from-env-1")
    options, attempt = asyncio.run(store.login_options("x", "h", 22, "u", auth))
    assert options["password"] == "from-env-1" and options["client_keys"] is None
    assert options["agent_path"] is None
    assert options["preferred_auth"] == "keyboard-interactive,password"
    assert "from-env-1" not in repr(attempt) and store.scrub("a from-env-1 b") == "a ****** b"
    monkeypatch.delenv("LPMTUI_T_PW")
    with pytest.raises(CredentialError, match=r"\$LPMTUI_T_PW is unset"):
        asyncio.run(store.login_options("x", "h", 22, "u", auth))
    assert os.environ.get("LPMTUI_T_PW") is None


def _fake_keyring(monkeypatch, passwords: dict, error: Exception | None = None):
    """A `keyring` module as the real one looks to lpmtui (get_password(service, user))."""
    import importlib.machinery
    import types

    module = types.ModuleType("keyring")
    module.__spec__ = importlib.machinery.ModuleSpec("keyring", None)
    asked: list[tuple[str, str]] = []

    def get_password(service: str, username: str):
        asked.append((service, username))
        if error is not None:
            raise error
        return passwords.get((service, username))

    module.get_password = get_password
    monkeypatch.setitem(sys.modules, "keyring", module)
    return asked


def test_keyring_password_source(monkeypatch, tmp_path):
    from lpmtui.config import loader as config
    from lpmtui.ssh.credentials import CredentialError, CredentialStore

    asked = _fake_keyring(monkeypatch, {("hmc-pw", "hscroot@hmc1.example"): "from-keyring-1"})
    path = tmp_path / "config.yaml"
    path.write_text(
        "hmcs:\n  - name: hmc1\n    host: hmc1.example\n"
        "    auth: {method: password, keyring: hmc-pw}\n"
    )
    auth = config.load(path).hmcs[0].auth  # accepted: the module is importable
    assert (auth.password_source, auth.keyring_service) == ("keyring", "hmc-pw")
    store = CredentialStore()
    options, attempt = asyncio.run(store.login_options("hmc1", "hmc1.example", 22, "hscroot", auth))
    assert options["password"] == "from-keyring-1" and options["client_keys"] is None
    assert asked == [("hmc-pw", "hscroot@hmc1.example")]
    assert "from-keyring-1" not in repr(attempt)
    assert store.scrub("x from-keyring-1") == "x ******"
    with pytest.raises(
        CredentialError,
        match=r"no password for other@hmc1\.example in "
        r"keyring service 'hmc-pw'",
    ):
        asyncio.run(store.login_options("hmc1", "hmc1.example", 22, "other", auth))


def test_a_keyring_backend_error_is_one_line_and_names_no_secret(monkeypatch):
    from lpmtui.ssh.credentials import CredentialError, CredentialStore

    _fake_keyring(monkeypatch, {}, error=RuntimeError("backend locked: secret-ish detail"))
    auth = AuthConfig(method="password", password_source="keyring", keyring_service="lpmtui")
    with pytest.raises(CredentialError) as err:
        asyncio.run(CredentialStore().login_options("hmc1", "h", 22, "u", auth))
    assert str(err.value) == "keyring lookup failed: RuntimeError"


def test_a_wrong_passphrase_for_an_openssh_key_is_said_once(tmp_path):
    import asyncssh

    from lpmtui.ssh.credentials import CredentialError, CredentialStore

    path = tmp_path / "id_ed25519"
    path.write_bytes(
        asyncssh.generate_private_key("ssh-ed25519").export_private_key(
            "openssh", passphrase="right-one"
        )
    )
    prompter = FakePrompter(passphrases=["wrong-one"])
    auth = AuthConfig(method="key", key_files=(str(path),))
    with pytest.raises(CredentialError, match=r"wrong passphrase for .*id_ed25519"):
        asyncio.run(CredentialStore(prompter).login_options("hmc1", "h", 22, "u", auth))
    assert prompter.passphrase_paths == [str(path)]
