"""A real OpenSSH sshd for tests: loopback, temp config, key login only (ssh.md §3).

``start_sshd(tmp_path)`` skips the test with the reason when /usr/sbin/sshd is missing. It runs
as the current user (root needs /run/sshd), logs to a file and is stopped by PID.
"""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh
import pytest

SSHD = Path("/usr/sbin/sshd")  # an absolute path: sshd refuses to re-exec otherwise


@dataclass
class Sshd:
    host: str
    port: int
    user: str
    client_key: Path
    host_key_line: str
    fingerprint: str
    log: Path
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sshd(tmp: Path) -> Sshd:
    if not SSHD.is_file():
        message = f"{SSHD} is missing (install openssh-server to run the OpenSSH jump test)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI the real-bastion proof must run, never skip
        pytest.skip(message)
    tmp.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    host_key_path = tmp / "host_ed25519"
    host_key_path.write_bytes(host_key.export_private_key("openssh"))
    host_key_path.chmod(0o600)
    client = asyncssh.generate_private_key("ssh-ed25519")
    client_path = tmp / "client_ed25519"
    client_path.write_bytes(client.export_private_key("openssh"))
    client_path.chmod(0o600)
    (tmp / "authorized_keys").write_bytes(client.export_public_key())
    for _ in range(5):
        port = _free_port()
        log = tmp / f"sshd-{port}.log"
        config = tmp / "sshd_config"
        config.write_text(
            f"ListenAddress 127.0.0.1:{port}\nHostKey {host_key_path}\nPidFile none\n"
            f"AuthorizedKeysFile {tmp / 'authorized_keys'}\nStrictModes no\nUsePAM no\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "AllowTcpForwarding yes\nLogLevel VERBOSE\n"
        )
        proc = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            if "Server listening on" in log.read_text(errors="replace"):
                return Sshd(
                    "127.0.0.1",
                    port,
                    getpass.getuser(),
                    client_path,
                    f"[127.0.0.1]:{port} {host_key.export_public_key().decode().strip()}",
                    host_key.get_fingerprint("sha256"),
                    log,
                    proc,
                )
            time.sleep(0.02)
        text = log.read_text(errors="replace")
        if proc.poll() is None:
            proc.terminate()
            proc.wait(5)
        if "Address already in use" not in text:
            pytest.fail(f"sshd did not start: {text.strip()[-500:]}")
    pytest.fail("sshd: no free port after 5 tries")
