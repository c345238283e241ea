"""Host keys for the simulated HMCs and jump host, persisted per fleet so a restart keeps them.

A real HMC keeps its host key across reboots; so must the simulator, or every restart of
``lpmtui sim`` would look like a man-in-the-middle to the client. With a key directory each host's
private key lives in ``<key_dir>/<name>.ed25519`` (mode 0600); without one, keys live in memory for
the life of the fleet (enough for a fault-injected restart inside one process).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import asyncssh

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _file_name(name: str) -> str:
    """A file name for a host; odd characters become '_' and a leading dot is defused."""
    safe = _UNSAFE.sub("_", name).lstrip(".") or "host"
    return f"{safe}.ed25519"


class HostKeyStore:
    """Hands out one stable ed25519 host key per simulated host name."""

    def __init__(self, key_dir: str | os.PathLike[str] | None = None) -> None:
        self.key_dir = Path(key_dir) if key_dir is not None else None
        self._keys: dict[str, asyncssh.SSHKey] = {}

    def key_for(self, name: str) -> asyncssh.SSHKey:
        """The host key for ``name``: cached, else read from the key dir, else made (and saved)."""
        key = self._keys.get(name)
        if key is None:
            key = self._load_or_create(name)
            self._keys[name] = key
        return key

    def _load_or_create(self, name: str) -> asyncssh.SSHKey:
        if self.key_dir is None:
            return asyncssh.generate_private_key("ssh-ed25519")
        path = self.key_dir / _file_name(name)
        if path.exists():
            try:
                return asyncssh.read_private_key(path)
            except (OSError, asyncssh.KeyImportError) as exc:
                raise HostKeyError(f"{path}: cannot read the host key: {exc}") from exc
        key = asyncssh.generate_private_key("ssh-ed25519", comment=f"lpmtui-sim {name}")
        try:
            self.key_dir.mkdir(parents=True, exist_ok=True)
            # Write via a private temp file and rename, so a crash never leaves half a key.
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.export_private_key())
            os.replace(tmp, path)
        except OSError as exc:
            raise HostKeyError(f"{path}: cannot save the host key: {exc}") from exc
        return key


class HostKeyError(OSError):
    """A host key that cannot be read or written; the message names the file."""


def public_line(key: asyncssh.SSHKey) -> str:
    """``<type> <base64>`` of the key's public half, without a comment."""
    text = key.export_public_key("openssh").decode().strip()
    return " ".join(text.split()[:2])


def known_hosts_line(host: str, port: int, key: asyncssh.SSHKey) -> str:
    """The known_hosts entry OpenSSH and asyncssh look up for ``host:port``."""
    where = host if port == 22 else f"[{host}]:{port}"
    return f"{where} {public_line(key)}"


def fingerprint(key: asyncssh.SSHKey) -> str:
    """``SHA256:...``, as ssh and ssh-keygen -l print it."""
    return key.get_fingerprint("sha256")
