"""Config loading: the example file, defaults, ssh_config, and one clear line per broken file."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from lpmtui.config import loader as config
from lpmtui.config.loader import ConfigError, Settings

ROOT = Path(__file__).resolve().parents[2]
ONE_LINE = re.compile(
    r"^(?P<file>[^\n]+?):(?P<line>\d+): (?P<key>[^\n]+?): found [^\n]+; "
    r"expected [^\n]+$"
)


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A HOME with ~/.ssh/config and a key, so ssh_config_host entries resolve."""
    home = tmp_path / "home"
    ssh = home / ".ssh"
    ssh.mkdir(parents=True)
    (ssh / "id_ed25519").write_text("not really a key; existence is enough for the config\n")
    (ssh / "id_ed25519").chmod(0o600)
    (ssh / "config").write_text(
        textwrap.dedent("""
        Host hmc-west
          HostName 10.2.2.2
          User hscpe
          Port 2022
          ProxyJump outer,admin@inner:2222
          UserKnownHostsFile none
        Host outer
          HostName 192.0.2.1
          IdentityFile ~/.ssh/id_ed25519
          IdentityFile ~/.ssh/missing_key
        Host loop-a
          ProxyJump loop-b
        Host loop-b
          ProxyJump loop-a
        Host *
          User fallback
    """).lstrip()
    )
    monkeypatch.setenv("HOME", str(home))
    return home


def test_example_config_loads_cleanly(home, monkeypatch):
    monkeypatch.setenv("LPMTUI_HMC_EAST_PASSWORD", "s3cret-from-env")
    (home / ".ssh" / "config").write_text("Host hmc-west\n  HostName 10.2.2.2\n")
    settings = config.load(ROOT / "config.example.yaml")
    assert [h.name for h in settings.hmcs] == ["hmc-east", "hmc-west"]
    east, west = settings.hmcs
    assert (east.site, west.site) == ("dc-east", "")  # optional: west says none
    assert east.jump == ("bastion",) and east.auth.password_source == "env"
    assert east.hot_interval == 5 and settings.hot_interval_for(west) == 5
    assert west.host == "10.2.2.2" and west.user == "hscroot"
    assert settings.jump_hosts["inner"].jump == ("bastion",)
    assert settings.channels_per_connection == 4 and settings.accept_new_host_keys is False
    assert settings.warnings == ()
    assert settings.source_path == ROOT / "config.example.yaml"


def test_example_documents_every_key():
    """Every key the parser accepts appears, with a comment, in config.example.yaml."""
    from lpmtui.config import auth as config_auth
    from lpmtui.config import parse as config_parse

    text = (ROOT / "config.example.yaml").read_text()
    keys = (
        config_parse.TOP_KEYS
        + config_parse.HMC_KEYS
        + config_parse.JUMP_KEYS
        + config_parse.DEFAULT_KEYS
        + config_parse.POLLING_KEYS
        + config_parse.SSH_KEYS
        + config_parse.PATH_KEYS
        + config_auth.AUTH_KEYS
    )
    missing = [k for k in keys if not re.search(rf"\b{k}\b", text)]
    assert missing == []


def test_minimal_config_and_defaults(tmp_path):
    path = write(
        tmp_path,
        """
        hmcs:
          - {name: hmc1, host: 10.0.0.1}
    """,
    )
    s = config.load(path)
    (hmc,) = s.hmcs
    assert (hmc.port, hmc.user, hmc.auth.method, hmc.auth.password_source) == (
        22,
        "hscroot",
        "password",
        "prompt",
    )
    # item 13: the state dir, as README says; the old place is still read when a file is there
    assert s.known_hosts_file == Path(tmp_path / "xdg" / "state" / "lpmtui" / "known_hosts")
    assert s.legacy_known_hosts_file == tmp_path / "xdg" / "config" / "lpmtui" / "known_hosts"
    assert s.audit_file.parent == tmp_path / "xdg" / "state" / "lpmtui"
    assert s.command_timeout == 60 and s.keepalive_interval == 15


def test_default_location_is_xdg_config(tmp_path):
    path = tmp_path / "xdg" / "config" / "lpmtui" / "config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("hmcs: [{name: a, host: h}]\n")
    assert config.load().hmcs[0].name == "a"
    assert config.default_config_path() == path


def test_defaults_jump_chain_and_overrides(tmp_path):
    path = write(
        tmp_path,
        """
        jump_hosts:
          outer: {host: 192.0.2.1, user: me}
          inner: {host: 10.0.0.9, jump: outer, auth: {password_env: HOME}}
        defaults: {user: viewer, jump: inner, auth: agent}
        polling: {hot_interval: 3}
        ssh: {channels_per_connection: 2, accept_new_host_keys: true}
        paths: {audit_file: logs/audit.jsonl}
        read_only: true
        hmcs:
          - {name: a, host: h1}
          - {name: b, host: h2, user: hscroot, jump: [], hot_interval: 1, kind: ivm}
    """,
    )
    s = config.load(path)
    a, b = s.hmcs
    assert a.jump == ("outer", "inner") and a.user == "viewer" and a.auth.method == "agent"
    assert b.jump == () and b.user == "hscroot" and s.hot_interval_for(b) == 1
    assert s.hot_interval == 3 and s.channels_per_connection == 2 and s.read_only
    assert s.audit_file == tmp_path / "logs" / "audit.jsonl"
    assert s.jump_hosts["inner"].auth.password_env == "HOME"


def test_ssh_config_host_resolves_every_hop(home, tmp_path):
    path = write(
        tmp_path,
        """
        hmcs:
          - {name: west, ssh_config_host: hmc-west}
    """,
    )
    s = config.load(path)
    (west,) = s.hmcs
    assert (west.host, west.user, west.port) == ("10.2.2.2", "hscpe", 2022)
    assert west.jump == ("outer", "admin@inner:2222")
    outer = s.jump_hosts["outer"]
    assert outer.host == "192.0.2.1" and outer.user == "fallback"
    assert outer.auth.key_files == (str(home / ".ssh" / "id_ed25519"),)  # missing key skipped
    inner = s.jump_hosts["admin@inner:2222"]
    assert (inner.host, inner.port, inner.user, inner.jump) == ("inner", 2222, "admin", ("outer",))
    assert inner.auth.method == "agent"
    assert len(s.warnings) == 1 and "UserKnownHostsFile none is ignored" in s.warnings[0]
    assert s.warnings[0].startswith(f"{home / '.ssh' / 'config'}:6:")


def test_yaml_jump_host_overrides_proxyjump_hop(home, tmp_path):
    path = write(
        tmp_path,
        """
        jump_hosts:
          outer: {host: 198.51.100.7, user: ops, auth: password}
        hmcs:
          - {name: west, ssh_config_host: hmc-west, user: hscroot}
    """,
    )
    s = config.load(path)
    assert s.hmcs[0].jump == ("outer", "admin@inner:2222") and s.hmcs[0].user == "hscroot"
    assert s.jump_hosts["outer"].host == "198.51.100.7"


def test_insecure_password_warns_and_never_shows(tmp_path, caplog):
    path = write(
        tmp_path,
        """
        hmcs:
          - name: a
            host: h
            auth: {insecure_password: "hunter2-secret"}
    """,
    )
    s = config.load(path)
    assert s.hmcs[0].auth.insecure_password == "hunter2-secret"
    assert any("insecure_password" in w and ":4:" in w for w in s.warnings)
    for text in (repr(s), str(s), repr(s.hmcs[0]), repr(s.hmcs[0].auth), caplog.text):
        assert "hunter2-secret" not in text


def test_secret_value_is_not_echoed_in_errors(tmp_path):
    path = write(
        tmp_path,
        """
        hmcs:
          - name: a
            host: h
            auth: {insecure_password: [hunter2]}
    """,
    )
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert "hunter2" not in str(err.value) and ":4: hmcs[0].auth.insecure_password" in str(
        err.value
    )


def test_settings_built_in_code():
    s = Settings(hmcs=(config.HmcConfig(name="x", host="127.0.0.1", port=2222),))
    assert s.hmc("x").port == 2222 and s.channels_per_connection == 4


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(ConfigError) as err:
        config.load(tmp_path / "nope.yaml")
    assert str(err.value) == (
        f"{tmp_path / 'nope.yaml'}: config file: found no file at this "
        "path; expected a YAML file (start from config.example.yaml)"
    )


OK_HMC = "hmcs:\n  - {name: a, host: h}\n"
BROKEN = [
    # (id, yaml, line, key)
    ("yaml-syntax", "hmcs:\n  - {name: a, host: h\n", 3, "YAML"),
    ("yaml-tab", "hmcs:\n\t- name: a\n", 2, "YAML"),
    ("empty-file", "# nothing\n", None, "(top level)"),
    ("top-not-mapping", "- a\n- b\n", 1, "(top level)"),
    ("unknown-top-key", OK_HMC + "hcms: []\n", 3, "hcms"),
    ("no-hmcs", "read_only: false\n", 1, "hmcs"),
    ("hmcs-not-list", "hmcs: {name: a}\n", 1, "hmcs"),
    ("hmcs-empty", "hmcs: []\n", 1, "hmcs"),
    ("hmc-no-name", "hmcs:\n  - host: h\n", 2, "hmcs[0].name"),
    ("hmc-no-host", "hmcs:\n  - name: a\n", 2, "hmcs[0].host"),
    ("hmc-bad-name", "hmcs:\n  - {name: 'a b', host: h}\n", 2, "hmcs[0].name"),
    ("duplicate-name", OK_HMC + "  - {name: a, host: h2}\n", 3, "hmcs[1].name"),
    ("duplicate-key", "hmcs:\n  - name: a\n    host: h\n    host: h2\n", 4, "hmcs[0].host"),
    ("unknown-hmc-key", "hmcs:\n  - name: a\n    hots: h\n", 3, "hmcs[0].hots"),
    ("port-range", "hmcs:\n  - {name: a, host: h, port: 70000}\n", 2, "hmcs[0].port"),
    ("port-string", "hmcs:\n  - {name: a, host: h, port: ssh}\n", 2, "hmcs[0].port"),
    ("port-bool", "hmcs:\n  - {name: a, host: h, port: true}\n", 2, "hmcs[0].port"),
    ("kind", "hmcs:\n  - {name: a, host: h, kind: hcm}\n", 2, "hmcs[0].kind"),
    ("site-list", "hmcs:\n  - name: a\n    host: h\n    site: [x]\n", 4, "hmcs[0].site"),
    ("site-empty", "hmcs:\n  - {name: a, host: h, site: ''}\n", 2, "hmcs[0].site"),
    (
        "auth-method",
        "hmcs:\n  - {name: a, host: h, auth: {method: kerberos}}\n",
        2,
        "hmcs[0].auth.method",
    ),
    ("auth-shorthand", "hmcs:\n  - {name: a, host: h, auth: key}\n", 2, "hmcs[0].auth"),
    ("auth-empty", "hmcs:\n  - name: a\n    host: h\n    auth: {}\n", 4, "hmcs[0].auth.method"),
    (
        "key-no-file",
        "hmcs:\n  - name: a\n    host: h\n    auth:\n      method: key\n",
        5,
        "hmcs[0].auth.key_file",
    ),
    (
        "key-file-missing",
        "hmcs:\n  - name: a\n    host: h\n    auth:\n      key_file: /nonexistent/id_rsa\n",
        5,
        "hmcs[0].auth.key_file",
    ),
    (
        "cleartext-password",
        "hmcs:\n  - name: a\n    host: h\n    auth:\n      password: x\n",
        5,
        "hmcs[0].auth.password",
    ),
    (
        "two-sources",
        "hmcs:\n  - name: a\n    host: h\n    auth:\n      password_env: HOME\n"
        "      insecure_password: x\n",
        6,
        "hmcs[0].auth.insecure_password",
    ),
    (
        "env-unset",
        "hmcs:\n  - name: a\n    host: h\n    auth: {password_env: LPMTUI_NOPE}\n",
        4,
        "hmcs[0].auth.password_env",
    ),
    (
        "keyring-missing",
        "hmcs:\n  - name: a\n    host: h\n    auth:\n      keyring: true\n",
        5,
        "hmcs[0].auth.keyring",
    ),
    (
        "agent-with-source",
        "hmcs:\n  - name: a\n    host: h\n    auth:\n      method: agent\n"
        "      password_env: HOME\n",
        6,
        "hmcs[0].auth.password_env",
    ),
    (
        "jump-unknown",
        "jump_hosts:\n  bastion: {host: b}\nhmcs:\n  - {name: a, host: h, jump: bastoin}\n",
        4,
        "hmcs[0].jump",
    ),
    (
        "jump-loop",
        "jump_hosts:\n  x: {host: b, jump: y}\n  y: {host: c, jump: x}\n" + OK_HMC,
        3,
        "jump_hosts.y.jump",
    ),
    ("jump-no-host", "jump_hosts:\n  x: {user: me}\n" + OK_HMC, 2, "jump_hosts.x.host"),
    (
        "jump-unknown-key",
        "jump_hosts:\n  x: {host: b, prot: 22}\n" + OK_HMC,
        2,
        "jump_hosts.x.prot",
    ),
    (
        "jump-chain-conflict",
        "jump_hosts:\n  x: {host: b}\n  y: {host: c}\n  z: {host: d, jump: y}"
        "\nhmcs:\n  - {name: a, host: h, jump: [x, z]}\n",
        6,
        "hmcs[0].jump",
    ),
    ("interval-negative", "polling:\n  hot_interval: -1\n" + OK_HMC, 2, "polling.hot_interval"),
    ("interval-unit", "polling:\n  cold_interval: 60s\n" + OK_HMC, 2, "polling.cold_interval"),
    (
        "channels-zero",
        "ssh:\n  channels_per_connection: 0\n" + OK_HMC,
        2,
        "ssh.channels_per_connection",
    ),
    ("timeout-list", "ssh:\n  connect_timeout: [1]\n" + OK_HMC, 2, "ssh.connect_timeout"),
    ("bool-word", "read_only: maybe\n" + OK_HMC, 1, "read_only"),
    (
        "accept-keys-string",
        "ssh:\n  accept_new_host_keys: 'yes'\n" + OK_HMC,
        2,
        "ssh.accept_new_host_keys",
    ),
    ("unknown-ssh-key", "ssh:\n  keepalive: 5\n" + OK_HMC, 2, "ssh.keepalive"),
    (
        "backoff-order",
        "ssh:\n  reconnect_initial_delay: 10\n  reconnect_max_delay: 1\n" + OK_HMC,
        2,
        "ssh.reconnect_max_delay",
    ),
    ("paths-not-mapping", "paths: /var/tmp\n" + OK_HMC, 1, "paths"),
    ("path-empty", "paths:\n  audit_file: ''\n" + OK_HMC, 2, "paths.audit_file"),
    ("defaults-unknown", "defaults:\n  usr: x\n" + OK_HMC, 2, "defaults.usr"),
    (
        "ssh-alias-unknown",
        "hmcs:\n  - {name: a, ssh_config_host: nowhere}\n",
        2,
        "hmcs[0].ssh_config_host",
    ),
    ("multi-document", OK_HMC + "---\n" + OK_HMC, 3, "YAML"),
]


@pytest.mark.parametrize(
    ("text", "line", "key"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_broken_config_is_one_clear_line(tmp_path, home, text, line, key):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        config.load(path)
    message = str(err.value)
    assert "\n" not in message
    if line is None:
        assert message.startswith(f"{path}: {key}: found ")
        return
    m = ONE_LINE.match(message)
    assert m, message
    assert (m["file"], int(m["line"]), m["key"]) == (str(path), line, key), message


def test_did_you_mean(tmp_path):
    path = write(tmp_path, OK_HMC + "jump_host: {}\n")
    with pytest.raises(ConfigError, match=r"did you mean 'jump_hosts'\?"):
        config.load(path)


@pytest.mark.parametrize(
    ("ssh_config", "key"),
    [
        (
            "Host hmc\n  ProxyJump loop-a\nHost loop-a\n  ProxyJump loop-b\n"
            "Host loop-b\n  ProxyJump loop-a\n",
            "ProxyJump",
        ),
        ("Host hmc\n  Port twenty\n", "Port"),
        ("Host hmc\n  ProxyJump user@:22\n", "ProxyJump"),
    ],
)
def test_broken_ssh_config_names_its_file_and_line(tmp_path, ssh_config, key):
    (tmp_path / "ssh_config").write_text(ssh_config)
    path = write(
        tmp_path, "ssh: {ssh_config_file: ssh_config}\nhmcs:\n  - {name: a, ssh_config_host: hmc}\n"
    )
    with pytest.raises(ConfigError) as err:
        config.load(path)
    m = ONE_LINE.match(str(err.value))
    assert m and m["file"] == str(tmp_path / "ssh_config") and m["key"] == key, str(err.value)


# -- issue 17 item 6: one setting moves all state; unsafe modes are warned about -------------------


def test_state_dir_moves_log_audit_journal_and_known_hosts(tmp_path):
    path = write(
        tmp_path,
        """
        hmcs:
          - {name: hmc1, host: 10.0.0.1}
        paths:
          state_dir: st
          audit_file: elsewhere/audit.jsonl
        """,
    )
    s = config.load(path)
    assert s.state_dir == tmp_path / "st"
    assert s.log_dir == tmp_path / "st" / "logs"
    assert s.journal_file == tmp_path / "st" / "journal.jsonl"
    assert s.known_hosts_file == tmp_path / "st" / "known_hosts"
    assert s.audit_file == tmp_path / "elsewhere" / "audit.jsonl"  # a key given wins


def test_a_private_key_readable_by_others_is_warned_about(tmp_path):
    key = tmp_path / "id_hmc"
    key.write_text("a key\n")
    key.chmod(0o644)
    text = """
        hmcs:
          - {name: hmc1, host: 10.0.0.1, auth: {method: key, key_file: id_hmc}}
        """
    s = config.load(write(tmp_path, text))
    (warning,) = s.warnings
    assert f"config.yaml:2: hmcs[0].auth.key_file: {key} is readable by others" in warning
    key.chmod(0o600)
    assert config.load(write(tmp_path, text)).warnings == ()


def test_a_config_holding_a_password_readable_by_others_is_warned_about(tmp_path):
    text = """
        hmcs:
          - {name: hmc1, host: 10.0.0.1, auth: {insecure_password: pw}}
        """
    path = write(tmp_path, text)
    path.chmod(0o640)
    assert any("readable by others (mode 0640)" in w for w in config.load(path).warnings)
    path.chmod(0o600)
    assert not any("readable by others" in w for w in config.load(path).warnings)
