"""The part of ~/.ssh/config that lpmtui honours, read by lpmtui itself.

asyncssh could resolve aliases and ProxyJump on its own, but it opens each ProxyJump hop with the
config alone: per-call known_hosts, passwords and passphrase prompts reach only the last host.
So lpmtui resolves Host aliases (HostName, User, Port, IdentityFile, ProxyJump) here and opens
every hop itself. ``UserKnownHostsFile none`` would switch host-key checking off; it is ignored
with a warning. ``Match`` blocks other than ``Match all`` are not evaluated (warned once).
"""

from __future__ import annotations

import fnmatch
import getpass
import glob
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from lpmtui.config.model import ConfigError

HONOURED = ("hostname", "user", "port", "identityfile", "proxyjump", "userknownhostsfile")
_LINE = re.compile(r"\s*(\S+?)(?:\s*=\s*|\s+)(.*)$")


@dataclass(frozen=True, slots=True)
class SshOption:
    value: tuple[str, ...]
    file: str
    line: int


@dataclass(slots=True)
class _Block:
    patterns: tuple[str, ...]  # empty tuple = never matches (an unevaluated Match)
    options: list[tuple[str, SshOption]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SshHost:
    """What ~/.ssh/config says about one name."""

    alias: str
    hostname: str
    user: str | None = None
    port: int | None = None
    identity_files: tuple[str, ...] = ()
    proxy_jump: tuple[str, ...] = ()
    proxy_jump_at: tuple[str, int] | None = None  # (file, line) of the ProxyJump used
    matched: bool = False  # True when a Host block other than a bare "*" named it


@dataclass(frozen=True, slots=True)
class HopSpec:
    user: str | None
    host: str
    port: int | None


def parse_hop(spec: str) -> HopSpec | None:
    """``[user@]host[:port]`` or ``ssh://[user@]host[:port]``; None when malformed."""
    text = spec.removeprefix("ssh://")
    user = None
    if "@" in text:
        user, text = text.rsplit("@", 1)
        if not user:
            return None
    port: int | None = None
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":") or not rest[1:].isdigit():
                return None
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        if not port_text.isdigit():
            return None
        port = int(port_text)
    else:
        host = text
    if not host or any(c.isspace() for c in host) or (port is not None and not 0 < port < 65536):
        return None
    return HopSpec(user, host, port)


class SshConfig:
    """Parsed Host blocks of one ssh_config file (and its Includes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.blocks: list[_Block] = [_Block(("*",))]
        self.warnings: list[str] = []
        if path.is_file():
            self._read(path, depth=0)

    def _read(self, path: Path, depth: int) -> None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            raise ConfigError(
                str(path),
                None,
                "ssh config",
                f"an unreadable file ({exc.strerror})",
                "a readable ssh_config file",
            ) from None
        for number, raw in enumerate(lines, 1):
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            m = _LINE.match(stripped)
            if not m:
                continue
            keyword, rest = m.group(1).lower(), m.group(2)
            try:
                args = tuple(shlex.split(rest, comments=True))
            except ValueError:
                raise ConfigError(
                    str(path), number, m.group(1), "unbalanced quotes", "a valid ssh_config line"
                ) from None
            if keyword == "host":
                self.blocks.append(_Block(args))
            elif keyword == "match":
                all_hosts = [a.lower() for a in args] == ["all"]
                if not all_hosts:
                    self.warnings.append(
                        f"{path}:{number}: Match is not evaluated by lpmtui; "
                        "the options of this block are not used"
                    )
                self.blocks.append(_Block(("*",) if all_hosts else ()))
            elif keyword == "include":
                self._include(args, depth)
            elif keyword in HONOURED and args:
                self.blocks[-1].options.append((keyword, SshOption(args, str(path), number)))

    def _include(self, args: tuple[str, ...], depth: int) -> None:
        if depth > 8:
            return
        for pattern in args:
            expanded = os.path.expanduser(pattern)
            if not os.path.isabs(expanded):
                expanded = str(self.path.parent / expanded)
            for name in sorted(glob.glob(expanded)):
                self._read(Path(name), depth + 1)

    @staticmethod
    def _matches(patterns: tuple[str, ...], host: str) -> bool:
        positive = False
        for pattern in patterns:
            negated = pattern.startswith("!")
            if fnmatch.fnmatchcase(host.lower(), pattern.lstrip("!").lower()):
                if negated:
                    return False
                positive = True
        return positive

    def lookup(self, alias: str) -> SshHost:
        first: dict[str, SshOption] = {}
        identity: list[SshOption] = []
        matched = False
        for block in self.blocks:
            if not self._matches(block.patterns, alias):
                continue
            if block.patterns != ("*",) and block is not self.blocks[0]:
                matched = True
            for keyword, option in block.options:
                if keyword == "identityfile":
                    identity.append(option)
                else:
                    first.setdefault(keyword, option)
        hostname = alias
        if "hostname" in first:
            hostname = first["hostname"].value[0].replace("%h", alias).replace("%%", "%")
        user = first["user"].value[0] if "user" in first else None
        port = None
        if "port" in first:
            opt = first["port"]
            text = opt.value[0]
            if not text.isdigit() or not 0 < int(text) < 65536:
                raise ConfigError(
                    opt.file, opt.line, "Port", repr(text), "a port number from 1 to 65535"
                )
            port = int(text)
        if "userknownhostsfile" in first:
            opt = first["userknownhostsfile"]
            if opt.value[0].lower() == "none":
                self.warnings.append(
                    f"{opt.file}:{opt.line}: UserKnownHostsFile none is ignored: lpmtui always "
                    "checks host keys (its own known_hosts plus ~/.ssh/known_hosts)"
                )
        jumps: tuple[str, ...] = ()
        jump_at = None
        if "proxyjump" in first:
            opt = first["proxyjump"]
            jump_at = (opt.file, opt.line)
            if opt.value[0].lower() != "none":
                jumps = tuple(h for h in ",".join(opt.value).split(",") if h)
        files = tuple(
            _expand_identity(f, hostname, user)
            for opt in identity
            for f in opt.value
            if f.lower() != "none"
        )
        return SshHost(alias, hostname, user, port, files, jumps, jump_at, matched)


def _expand_identity(text: str, host: str, user: str | None) -> str:
    home = str(Path.home())
    local = getpass.getuser()
    out = (
        text.replace("%%", "\0")
        .replace("%d", home)
        .replace("%u", local)
        .replace("%h", host)
        .replace("%r", user or local)
        .replace("\0", "%")
    )
    return os.path.expanduser(out)
