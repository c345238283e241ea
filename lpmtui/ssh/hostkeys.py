"""Host keys: trusted from lpmtui's own known_hosts plus the user's (read-only); TOFU on request.

asyncssh reports an unknown key and a changed key with the same exception, so lpmtui captures
the presented key itself and looks the host up line by line: any entry already on file for the
host means the key CHANGED, and the error names that file and line. Accepted keys are appended
to lpmtui's own file only, atomically and with mode 0600. Checking is never switched off.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import asyncssh

from lpmtui.config.model import private_dir

log = logging.getLogger("lpmtui.hostkeys")


@dataclass(frozen=True, slots=True)
class HostKeyInfo:
    """A host key the user must decide about (unknown) or be told about (changed)."""

    host: str
    port: int
    route: tuple[str, ...]  # jump hosts passed through to reach it, outermost first
    key_type: str
    fingerprint: str  # SHA256:...
    known_at: str = ""  # for a changed key: FILE:LINE of the key on file
    old_fingerprint: str = ""
    hop: str = ""  # the configured name of the host (an HMC's or a jump host's name)
    jump_host: bool = False  # True when the host is a jump host (bastion), not an HMC
    revoked_at: str = ""  # FILE:LINE of an @revoked entry for exactly this key

    @property
    def changed(self) -> bool:
        return bool(self.known_at)

    @property
    def revoked(self) -> bool:
        return bool(self.revoked_at)

    @property
    def who(self) -> str:
        """``jump host NAME`` or ``HMC NAME`` (empty when the hop has no name)."""
        if not self.hop:
            return ""
        return f"{'jump host' if self.jump_host else 'HMC'} {self.hop}"

    @property
    def where(self) -> str:
        target = self.host if self.port == 22 else f"{self.host}:{self.port}"
        return target + (" via " + " -> ".join(self.route) if self.route else "")

    def describe(self) -> str:
        subject = f"{self.who} ({self.where})" if self.who else self.where
        kind = "jump host" if self.jump_host else "HMC"
        if self.revoked:
            return (
                f"host key of {subject} is REVOKED: {self.key_type} {self.fingerprint} is marked "
                f"@revoked at {self.revoked_at}; it is refused"
            )
        if self.changed:
            return (
                f"host key of {subject} CHANGED: now {self.key_type} {self.fingerprint}, "
                f"on file {self.old_fingerprint} at {self.known_at} (remove that line only "
                f"if the {kind} was really re-keyed)"
            )
        return f"unknown host key for {subject}: {self.key_type} {self.fingerprint}"


def host_pattern(host: str, port: int) -> str:
    return host if port == 22 else f"[{host}]:{port}"


class HostKeyStore:
    """The app's known_hosts file (read-write) plus the user's (read-only)."""

    def __init__(
        self, app_file: Path, user_file: Path | None, read_only: tuple[Path | None, ...] = ()
    ) -> None:
        self.app_file = Path(app_file)
        self.user_file = Path(user_file) if user_file else None
        # Also trusted, never written: e.g. the file older versions kept in ~/.config/lpmtui.
        self.read_only = tuple(Path(p) for p in read_only if p)

    def _files(self) -> list[Path]:
        files = [self.app_file]
        if self.user_file is not None:
            files.append(self.user_file)
        files.extend(p for p in self.read_only if p not in files)
        return [f for f in files if f.is_file()]

    def _lines(self, path: Path) -> list[str]:
        try:
            return path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            log.warning("cannot read %s: %s", path, exc.strerror)
            return []

    def trusted(self) -> asyncssh.SSHKnownHosts:
        """Everything on file, re-read per connect so keys accepted meanwhile count."""
        good = [text for _, text, _ in self._readable_lines(warn=True)]
        return asyncssh.import_known_hosts("\n".join(good) + "\n" if good else "")

    def _readable_lines(self, *, warn: bool) -> Iterator[tuple[str, str, asyncssh.SSHKnownHosts]]:
        """("FILE:LINE", text, parsed) of every known_hosts line that reads; comments and
        blank lines are passed over, an unreadable line is skipped (logged when ``warn``)."""
        for path in self._files():
            for number, line in enumerate(self._lines(path), 1):
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                try:
                    known = asyncssh.import_known_hosts(text)
                except (ValueError, asyncssh.Error):
                    if warn:
                        log.warning("%s:%d: unreadable known_hosts line skipped", path, number)
                    continue
                yield f"{path}:{number}", text, known

    def entries_for(self, host: str, addr: str, port: int) -> list[tuple[str, asyncssh.SSHKey]]:
        """("FILE:LINE", key) of every trusted key on file for this host."""
        out = []
        for where, _, known in self._readable_lines(warn=False):
            try:
                keys = asyncssh.match_known_hosts(known, host, addr, port)[0]
            except (ValueError, asyncssh.Error):
                continue
            out.extend((where, key) for key in keys)
        return out

    def revoked_at(self, host: str, addr: str, port: int, key: asyncssh.SSHKey) -> str:
        """FILE:LINE of an ``@revoked`` entry for this host and key, or "".

        Each such line is matched as a plain entry: asyncssh 2.24 drops the revoked keys of a
        ``[host]:port`` entry when no trusted key matches that port, so it cannot be asked."""
        for where, text, _ in self._readable_lines(warn=False):
            marker, _, rest = text.partition(" ")
            if marker != "@revoked":
                continue
            try:
                keys = asyncssh.match_known_hosts(
                    asyncssh.import_known_hosts(rest.strip()), host, addr, port
                )[0]
            except (ValueError, asyncssh.Error):
                continue
            if any(k.public_data == key.public_data for k in keys):
                return where
        return ""

    def classify(
        self,
        host: str,
        addr: str,
        port: int,
        key: asyncssh.SSHKey,
        route: tuple[str, ...],
        *,
        hop: str = "",
        jump_host: bool = False,
    ) -> HostKeyInfo:
        info = HostKeyInfo(
            host=host,
            port=port,
            route=route,
            key_type=key.get_algorithm(),
            fingerprint=key.get_fingerprint("sha256"),
            hop=hop,
            jump_host=jump_host,
        )
        revoked = self.revoked_at(host, addr, port, key)
        if revoked:
            return replace(info, revoked_at=revoked)
        entries = self.entries_for(host, addr, port)
        if entries:
            where, old = entries[0]
            return replace(info, known_at=where, old_fingerprint=old.get_fingerprint("sha256"))
        return info

    def accept(self, host: str, port: int, key: asyncssh.SSHKey) -> None:
        """Append ``host key`` to the app's file: write a temp file, then rename (0600)."""
        line = f"{host_pattern(host, port)} {key.export_public_key('openssh').decode().strip()}"
        if self.revoked_at(host, "", port, key):
            raise ValueError(f"host key for {host_pattern(host, port)} is @revoked; not stored")
        private_dir(self.app_file.parent)
        old = self.app_file.read_text(encoding="utf-8") if self.app_file.is_file() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        fd, tmp = tempfile.mkstemp(prefix=".known_hosts.", dir=self.app_file.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(old + line + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.app_file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        log.info(
            "host key accepted for %s: %s", host_pattern(host, port), key.get_fingerprint("sha256")
        )
