"""Fixtures for the simulator's SSH side: fleets on loopback, client keys on disk."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from .helpers import ClientKey, start_stub_fleet, stub_world


@pytest.fixture
def client_key(tmp_path: Path) -> ClientKey:
    """An ed25519 client key on disk (0600, OpenSSH format) and its authorized_keys line."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment="lpmtui-test")
    path = tmp_path / "id_ed25519"
    path.write_bytes(key.export_private_key())
    path.chmod(0o600)
    public = key.export_public_key().decode().strip()
    return ClientKey(path, public, key)


@pytest.fixture
def authorized_keys(tmp_path: Path, client_key: ClientKey) -> Path:
    path = tmp_path / "authorized_keys"
    path.write_text(client_key.public_line + "\n")
    return path


@pytest.fixture
async def stub_fleet():
    world = stub_world("hmc1", "hmc2")
    fleet = await start_stub_fleet(world)
    try:
        yield fleet
    finally:
        await fleet.close()
