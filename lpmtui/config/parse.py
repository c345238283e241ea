"""YAML text -> frozen Settings. Every problem is a ConfigError naming FILE:LINE and the key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lpmtui.common.typed_yaml import YamlDoc, did_you_mean
from lpmtui.config.auth import parse_auth
from lpmtui.config.document import top_mapping
from lpmtui.config.model import (
    HMC_KINDS,
    NOTIFY_MODES,
    AuthConfig,
    ConfigError,
    HmcConfig,
    JumpHostConfig,
    Settings,
    fill_state_paths,
)
from lpmtui.config.ssh_config import SshConfig
from lpmtui.config.ssh_jump import SshJumpResolver

TOP_KEYS = ("hmcs", "jump_hosts", "defaults", "polling", "ssh", "paths", "read_only")
TOP_KEYS += ("notifications", "low_bandwidth")
HMC_KEYS = (
    "name",
    "host",
    "port",
    "user",
    "auth",
    "jump",
    "kind",
    "peer_address",
    "hot_interval",
    "cold_interval",
    "ssh_config_host",
    "site",
)
JUMP_KEYS = ("host", "port", "user", "auth", "jump", "ssh_config_host")
DEFAULT_KEYS = ("user", "port", "auth", "jump", "kind")
POLLING_KEYS = ("hot_interval", "cold_interval", "migration_poll_interval", "stall_after")
SSH_KEYS = (
    "channels_per_connection",
    "connect_timeout",
    "login_timeout",
    "command_timeout",
    "keepalive_interval",
    "keepalive_count_max",
    "reconnect_initial_delay",
    "reconnect_max_delay",
    "known_hosts_file",
    "user_known_hosts_file",
    "ssh_config_file",
    "accept_new_host_keys",
)
PATH_KEYS = ("state_dir", "log_dir", "audit_file", "journal_file")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@:\-]*$")
_SECONDS = {  # key -> (low, high)
    "hot_interval": (0.1, 3600),
    "cold_interval": (1, 86400),
    "migration_poll_interval": (0.1, 600),
    "stall_after": (1, 86400),
    "connect_timeout": (0.1, 600),
    "login_timeout": (0.1, 600),
    "command_timeout": (0.1, 86400),
    "keepalive_interval": (0, 3600),
    "reconnect_initial_delay": (0.01, 600),
    "reconnect_max_delay": (0.01, 86400),
}
_INTS = {"channels_per_connection": (1, 10), "keepalive_count_max": (1, 100)}


@dataclass
class _Defaults:
    user: str = "hscroot"
    port: int = 22
    auth: AuthConfig = field(default_factory=lambda: AuthConfig(method="password"))
    jump: list[tuple[str, yaml.Node]] = field(default_factory=list)
    kind: str = "hmc"


class SettingsParser:
    def __init__(self, text: str, file: str) -> None:
        self.doc = YamlDoc(file, error=ConfigError)
        self.text = text
        self.base = Path(file).resolve().parent
        self.warnings: list[str] = []
        self.values: dict[str, object] = {}
        self.jump_nodes: dict[str, tuple[yaml.Node, dict]] = {}
        self.jump_hosts: dict[str, JumpHostConfig] = {}
        self._ssh_config: SshConfig | None = None
        self._resolver: SshJumpResolver | None = None

    # -- entry point ---------------------------------------------------------------------------

    def parse_paths(self) -> Settings:
        """Only the ``paths`` section, for reading local files: no HMC, no credential checked."""
        _root, top = self._top()
        if "paths" in top:
            self._section(top["paths"][1], "paths", PATH_KEYS)
        fill_state_paths(self.values)  # paths.state_dir moves every state file, as in parse()
        return Settings(**self.values)

    def _top(self) -> tuple[yaml.Node, dict]:
        return top_mapping(self.doc, self.text, TOP_KEYS)

    def parse(self) -> Settings:
        doc = self.doc
        root, top = self._top()
        if "ssh" in top:
            self._section(top["ssh"][1], "ssh", SSH_KEYS)
        if "polling" in top:
            self._section(top["polling"][1], "polling", POLLING_KEYS)
        if "paths" in top:
            self._section(top["paths"][1], "paths", PATH_KEYS)
        if "read_only" in top:
            self.values["read_only"] = doc.boolean(top["read_only"][1], "read_only")
        if "low_bandwidth" in top:
            self.values["low_bandwidth"] = doc.boolean(top["low_bandwidth"][1], "low_bandwidth")
        if "notifications" in top:  # a bare off is YAML's false: read the text as written
            node = top["notifications"][1]
            raw = node.value if isinstance(node, yaml.ScalarNode) else None
            self.values["notifications"] = (
                raw if raw in NOTIFY_MODES else doc.choice(node, "notifications", NOTIFY_MODES)
            )
        self._check_backoff(top)
        if "jump_hosts" in top:
            self._read_jump_nodes(top["jump_hosts"][1])
        defaults = self._defaults(top["defaults"][1]) if "defaults" in top else _Defaults()
        for name, (name_node, fields) in self.jump_nodes.items():
            self._jump_host(name, name_node, fields, ())
        if "hmcs" not in top:
            raise doc.error(root, "hmcs", "no 'hmcs' key", "a list of HMCs")
        hmcs = self._hmcs(top["hmcs"][1], defaults)
        fill_state_paths(self.values)
        if self._ssh_config is not None:
            self.warnings.extend(self._ssh_config.warnings)
        return Settings(
            hmcs=hmcs,
            jump_hosts=dict(self.jump_hosts),
            warnings=tuple(dict.fromkeys(self.warnings)),
            **self.values,
        )

    # -- simple sections -----------------------------------------------------------------------

    def _section(self, node: yaml.Node, name: str, keys: tuple[str, ...]) -> None:
        doc = self.doc
        for key, (_, v_node) in doc.mapping(node, name, keys, "a mapping").items():
            path = f"{name}.{key}"
            if key in _SECONDS:
                self.values[key] = doc.seconds(v_node, path, *_SECONDS[key])
            elif key in _INTS:
                self.values[key] = doc.integer(v_node, path, *_INTS[key])
            elif key == "accept_new_host_keys":
                self.values[key] = doc.boolean(v_node, path)
            else:
                self.values[key] = doc.path(v_node, path, self.base)

    def _check_backoff(self, top) -> None:
        first = self.values.get("reconnect_initial_delay", 1.0)
        cap = self.values.get("reconnect_max_delay", 60.0)
        if first > cap:  # type: ignore[operator]
            node = top["ssh"][1]
            raise self.doc.error(
                node,
                "ssh.reconnect_max_delay",
                f"{cap} below the first delay {first}",
                "reconnect_max_delay >= reconnect_initial_delay",
            )

    def _defaults(self, node: yaml.Node) -> _Defaults:
        doc = self.doc
        fields = doc.mapping(node, "defaults", DEFAULT_KEYS, "a mapping")
        d = _Defaults()
        if "user" in fields:
            d.user = doc.string(fields["user"][1], "defaults.user")
        if "port" in fields:
            d.port = doc.integer(fields["port"][1], "defaults.port", 1, 65535)
        if "auth" in fields:
            d.auth = parse_auth(doc, fields["auth"][1], "defaults.auth", self.base, self.warnings)
        if "jump" in fields:
            d.jump = doc.names(fields["jump"][1], "defaults.jump")
            self._chain(d.jump, "defaults.jump", ())
        if "kind" in fields:
            d.kind = doc.choice(fields["kind"][1], "defaults.kind", HMC_KINDS)
        return d

    def _name(self, node: yaml.Node, key: str) -> str:
        name = self.doc.string(node, key, expected="a name of letters, digits, '.', '_', '-'")
        if not _NAME.match(name):
            raise self.doc.error(node, key, repr(name), "a name of letters, digits, '.', '_', '-'")
        return name

    # -- jump hosts ----------------------------------------------------------------------------

    def _read_jump_nodes(self, node: yaml.Node) -> None:
        doc = self.doc
        if not isinstance(node, yaml.MappingNode):
            raise doc.error(node, "jump_hosts", doc.describe(node), "a mapping of name -> host")
        for k_node, v_node in node.value:
            name = self._name(k_node, "jump_hosts")
            if name in self.jump_nodes:
                raise doc.error(
                    k_node,
                    f"jump_hosts.{name}",
                    "a second jump host of this name",
                    "unique jump host names",
                )
            fields = doc.mapping(v_node, f"jump_hosts.{name}", JUMP_KEYS, "a mapping")
            self.jump_nodes[name] = (k_node, fields)

    def _jump_host(
        self, name: str, name_node: yaml.Node, fields: dict, stack: tuple[str, ...]
    ) -> JumpHostConfig:
        if name in self.jump_hosts:
            return self.jump_hosts[name]
        doc, key = self.doc, f"jump_hosts.{name}"
        if name in stack:
            loop = " -> ".join((*stack[stack.index(name) :], name))
            raise doc.error(name_node, f"{key}.jump", f"a loop {loop}", "a chain that ends")
        alias, ssh, host, port, user = self._address(fields, name_node, key, 22, "")
        if "auth" in fields:
            auth = parse_auth(doc, fields["auth"][1], f"{key}.auth", self.base, self.warnings)
        else:
            auth = self.resolver().auth_from(ssh)
        if "jump" in fields:
            names = doc.names(fields["jump"][1], f"{key}.jump")
            chain = self._chain(names, f"{key}.jump", (*stack, name))
        elif ssh and ssh.proxy_jump:
            chain = self.resolver().chain(ssh, (*stack, name))
        else:
            chain = ()
        jh = JumpHostConfig(
            name=name,
            host=host,
            port=port,
            user=user,
            auth=auth,
            jump=chain,
            ssh_config_host=alias,
            source=self._source(fields, name_node),
        )
        self.jump_hosts[name] = jh
        return jh

    def _chain(
        self, names: list[tuple[str, yaml.Node]], key: str, stack: tuple[str, ...]
    ) -> tuple[str, ...]:
        """Names outermost first -> the full chain (the first hop's own chain comes first)."""
        doc = self.doc
        chain: list[str] = []
        for i, (name, node) in enumerate(names):
            if name not in self.jump_nodes:
                raise doc.error(
                    node,
                    key,
                    repr(name) + did_you_mean(name, self.jump_nodes),
                    "the name of a host under jump_hosts",
                )
            name_node, fields = self.jump_nodes[name]
            if name in stack:
                loop = " -> ".join((*stack[stack.index(name) :], name))
                raise doc.error(node, key, f"a loop {loop}", "a chain that ends")
            own = self._jump_host(name, name_node, fields, stack).jump
            if i == 0:
                chain = list(own)
            elif own and own != tuple(chain):
                raise doc.error(
                    node,
                    key,
                    f"{name} reached via {' -> '.join(own)} in its own jump",
                    f"{name} reached via {' -> '.join(chain) or 'nothing'}",
                )
            if name in chain:
                raise doc.error(node, key, f"{name} twice in the chain", "each jump host once")
            chain.append(name)
        return tuple(chain)

    # -- HMCs ----------------------------------------------------------------------------------

    def _hmcs(self, node: yaml.Node, d: _Defaults) -> tuple[HmcConfig, ...]:
        items = self.doc.sequence(node, "hmcs", "a list of HMCs")
        if not items:
            raise self.doc.error(node, "hmcs", "an empty list", "at least one HMC")
        out: list[HmcConfig] = []
        seen: dict[str, int | None] = {}
        for i, item in enumerate(items):
            hmc = self._hmc(item, f"hmcs[{i}]", d)
            if hmc.name in seen:
                raise self.doc.error(
                    item,
                    f"hmcs[{i}].name",
                    f"{hmc.name!r} again",
                    f"unique names ({hmc.name!r} is on line {seen[hmc.name]})",
                )
            seen[hmc.name] = self.doc.line(item)
            out.append(hmc)
        return tuple(out)

    def _hmc(self, node: yaml.Node, key: str, d: _Defaults) -> HmcConfig:
        doc = self.doc
        fields = doc.mapping(node, key, HMC_KEYS, "a mapping with name and host")
        if "name" not in fields:
            raise doc.error(node, f"{key}.name", "no name", "name: a short unique HMC name")
        name = self._name(fields["name"][1], f"{key}.name")
        alias, ssh, host, port, user = self._address(fields, node, key, d.port, d.user)
        if "auth" in fields:
            auth = parse_auth(doc, fields["auth"][1], f"{key}.auth", self.base, self.warnings)
        elif ssh and ssh.identity_files:
            auth = self.resolver().auth_from(ssh, fallback=d.auth)
        else:
            auth = d.auth
        if "jump" in fields:
            jump = self._chain(doc.names(fields["jump"][1], f"{key}.jump"), f"{key}.jump", ())
        elif ssh and ssh.proxy_jump:
            jump = self.resolver().chain(ssh, ())
        else:
            jump = self._chain(d.jump, "defaults.jump", ())
        kind = (
            doc.choice(fields["kind"][1], f"{key}.kind", HMC_KINDS) if "kind" in fields else d.kind
        )
        intervals = {
            k: doc.seconds(fields[k][1], f"{key}.{k}", *_SECONDS[k]) if k in fields else None
            for k in ("hot_interval", "cold_interval")
        }
        return HmcConfig(
            name=name,
            host=host,
            port=port,
            user=user,
            auth=auth,
            jump=jump,
            kind=kind,
            peer_address=self._opt_str(fields, "peer_address", key),
            site=self._opt_str(fields, "site", key),
            ssh_config_host=alias,
            source=self._source(fields, node),
            **intervals,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _address(self, fields: dict, node: yaml.Node, key: str, port: int, user: str):
        """``(ssh_config_host, its ssh_config entry or None, host, port, user)`` of a jump host
        or an HMC: the keys given win, then the ssh_config entry, then ``port``/``user``."""
        doc = self.doc
        alias = self._opt_str(fields, "ssh_config_host", key)
        ssh = self.ssh_config().lookup(alias) if alias else None
        if alias and not ssh.matched:  # type: ignore[union-attr]
            self._no_ssh_host(fields["ssh_config_host"][1], f"{key}.ssh_config_host", alias)
        host = self._opt_str(fields, "host", key) or (ssh.hostname if ssh else "")
        if not host:
            raise doc.error(node, f"{key}.host", "no host", "host: or ssh_config_host:")
        if "port" in fields:
            port = doc.integer(fields["port"][1], f"{key}.port", 1, 65535)
        elif ssh and ssh.port:
            port = ssh.port
        user = self._opt_str(fields, "user", key) or (ssh.user if ssh and ssh.user else user)
        return alias, ssh, host, port, user

    def _source(self, fields: dict, node: yaml.Node) -> str:
        """FILE:LINE of the host name (or of the entry when the host came from ssh_config)."""
        at = fields["host"][1] if "host" in fields else node
        return f"{self.doc.file}:{self.doc.line(at)}"

    def _opt_str(self, fields: dict, name: str, key: str) -> str:
        return self.doc.string(fields[name][1], f"{key}.{name}") if name in fields else ""

    def ssh_config(self) -> SshConfig:
        if self._ssh_config is None:
            path = self.values.get("ssh_config_file") or Settings().ssh_config_file
            self._ssh_config = SshConfig(Path(path))  # type: ignore[arg-type]
        return self._ssh_config

    def resolver(self) -> SshJumpResolver:
        if self._resolver is None:
            self._resolver = SshJumpResolver(self.ssh_config(), self.jump_hosts, self._named_jump)
        return self._resolver

    def _named_jump(self, name: str, stack: tuple[str, ...]) -> JumpHostConfig | None:
        """A ProxyJump hop that is also a jump host in the YAML uses the YAML definition."""
        if name not in self.jump_nodes:
            return None
        name_node, fields = self.jump_nodes[name]
        return self._jump_host(name, name_node, fields, stack)

    def _no_ssh_host(self, node: yaml.Node, key: str, alias: str) -> None:
        path = self.ssh_config().path
        found = f"no Host block for {alias!r} in {path}"
        raise self.doc.error(node, key, found, "a Host alias defined in the ssh config file")
