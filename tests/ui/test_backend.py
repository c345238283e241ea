"""The demo backend end to end (simulated fleet + jump host over real SSH on loopback, trusted
host keys, no prompt), and the live connection states merged into what the UI sees."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from types import SimpleNamespace

import pytest

from lpmtui.model import ConnectionState, FleetSnapshot, HmcSnapshot
from lpmtui.wiring.backend import DemoBackend, Hooks, with_live_states


class NoPrompts:
    """The demo must need no answer from the user: any question fails the test."""

    async def confirm_host_key(self, info):
        raise AssertionError(f"unexpected host key prompt for {info.host}:{info.port}")

    async def ask_password(self, label):
        raise AssertionError(f"unexpected password prompt: {label}")

    async def ask_passphrase(self, path):
        raise AssertionError(f"unexpected passphrase prompt: {path}")


@pytest.mark.slow
async def test_demo_backend_reaches_the_fleet_through_the_jump_host():
    snapshots: list[FleetSnapshot] = []
    commands = []
    backend = DemoBackend(read_only=True)
    hooks = Hooks(snapshots.append, commands.append, lambda progress: None)
    try:
        await asyncio.wait_for(backend.start(NoPrompts(), hooks), 30)
        for _ in range(200):
            last = snapshots[-1] if snapshots else None
            if last and all(h.frames for h in last.hmcs):
                break
            await asyncio.sleep(0.05)
        last = snapshots[-1]
        assert [(h.hmc, h.kind) for h in last.hmcs] == [
            ("hmc-v10", "hmc"),
            ("hmc-v9", "hmc"),
            ("hmc-v7", "hmc"),
            ("fsm-flex", "fsm"),
            ("ivm-blade", "ivm"),
            ("hmc-v11", "hmc"),
        ]
        assert all(h.state is ConnectionState.CONNECTED for h in last.hmcs)
        assert sum(len(f.partitions) for h in last.hmcs for f in h.frames) > 50
        assert all(h.jump == ("bastion",) for h in backend.settings.hmcs)
        assert backend.settings.known_hosts_file.stat().st_mode & 0o777 == 0o600
        assert backend.settings.read_only and backend.migration_manager.read_only
        assert commands and {c.hmc for c in commands} <= {h.hmc for h in last.hmcs}
    finally:
        await backend.close()


def test_live_states_replace_the_polled_ones():
    snap = FleetSnapshot(
        (
            HmcSnapshot("a", state=ConnectionState.CONNECTING),
            HmcSnapshot("b", state=ConnectionState.CONNECTED),
        )
    )
    link = SimpleNamespace(
        name="a",
        state=ConnectionState.AUTH_FAILED,
        reconnect_attempt=0,
        last_error="permission denied",
        host_key_fingerprint="",
    )
    merged = with_live_states(snap, [link])
    assert merged.hmcs[0] == replace(
        snap.hmcs[0], state=ConnectionState.AUTH_FAILED, last_error="permission denied"
    )
    assert merged.hmcs[1] is snap.hmcs[1]
