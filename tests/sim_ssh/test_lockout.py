"""The HMC's lockout: 3 failed logins lock the account for 5 minutes, on the world's clock."""

from __future__ import annotations

import asyncssh
import pytest

from lpmtui.sim.server.auth import LoginGuard, lock_message

from .helpers import connect, start_stub_fleet, stub_world

LOCKED = "The account is locked due to 3 failed logins. (5 minutes left to unlock)"


class BannerClient(asyncssh.SSHClient):
    """Keeps the authentication banners the server sends."""

    banners: list[str]

    def __init__(self) -> None:
        self.banners = []

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banners.append(msg)


class KbdintClient(BannerClient):
    """Answers keyboard-interactive prompts itself and keeps the instructions shown."""

    password = "abc123"
    instructions: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.instructions = []

    def kbdint_auth_requested(self) -> str | None:
        # One keyboard-interactive attempt per login, as a careful client makes.
        return None if self.instructions else ""

    def kbdint_challenge_received(self, name, instructions, lang, prompts):
        self.instructions.append(instructions)
        return [self.password for _ in prompts]


async def _login(fleet, password: str, client=BannerClient, **kw):
    """Try one login; returns (ok, client object)."""
    holder: list[asyncssh.SSHClient] = []

    def factory():
        holder.append(client())
        return holder[-1]

    try:
        async with connect(fleet, "hmc1", password=password, client_factory=factory, **kw):
            return True, holder[-1]
    except asyncssh.PermissionDenied:
        return False, holder[-1]


@pytest.fixture
async def locked_fleet():
    world = stub_world("hmc1")
    fleet = await start_stub_fleet(world, jump_host=False)
    try:
        for _ in range(3):
            ok, _client = await _login(fleet, "wrong", preferred_auth="password")
            assert not ok
        yield fleet, world.clock
    finally:
        await fleet.close()


def test_lock_message_counts_minutes_up():
    assert lock_message(300) == LOCKED
    assert lock_message(61) == LOCKED.replace("5 minutes", "2 minutes")
    assert lock_message(59) == LOCKED.replace("5 minutes", "1 minute")


async def test_right_password_refused_while_locked_with_the_hmc_text(locked_fleet):
    fleet, _clock = locked_fleet
    ok, client = await _login(fleet, "abc123", preferred_auth="password")
    assert not ok
    assert any(LOCKED in banner for banner in client.banners)
    assert fleet.logins("hmc1").is_locked("hscroot")
    # Another user of the same HMC is not affected.
    async with connect(fleet, "hmc1", username="hmcviewer", password="view1") as conn:
        assert (await conn.run("echo hi")).stdout == "hi\n"


async def test_unlocks_after_five_minutes(locked_fleet):
    fleet, clock = locked_fleet
    clock.advance(299)
    assert not (await _login(fleet, "abc123", preferred_auth="password"))[0]
    # That refused attempt re-armed the timer: 5 more minutes from now.
    clock.advance(299)
    assert not (await _login(fleet, "abc123", preferred_auth="password"))[0]
    clock.advance(301)
    ok, _client = await _login(fleet, "abc123", preferred_auth="password")
    assert ok
    assert fleet.logins("hmc1").failures("hscroot") == 0


async def test_keyboard_interactive_shows_the_lock_as_instruction(locked_fleet):
    fleet, _clock = locked_fleet
    ok, client = await _login(
        fleet, "abc123", client=KbdintClient, preferred_auth="keyboard-interactive"
    )
    assert not ok
    assert LOCKED in client.instructions


async def test_keyboard_interactive_is_offered_and_works():
    world = stub_world("hmc1")
    async with await start_stub_fleet(world, jump_host=False) as fleet:
        ok, client = await _login(
            fleet, "abc123", client=KbdintClient, preferred_auth="keyboard-interactive"
        )
        assert ok
        assert client.instructions == [""]


async def test_success_resets_the_tally():
    world = stub_world("hmc1")
    async with await start_stub_fleet(world, jump_host=False) as fleet:
        for _ in range(2):
            assert not (await _login(fleet, "bad", preferred_auth="password"))[0]
        assert (await _login(fleet, "abc123", preferred_auth="password"))[0]
        for _ in range(2):
            assert not (await _login(fleet, "bad", preferred_auth="password"))[0]
        assert not fleet.logins("hmc1").is_locked("hscroot")


async def test_each_refused_public_key_counts(tmp_path, authorized_keys):
    world = stub_world("hmc1")
    stranger = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(3)]
    async with await start_stub_fleet(
        world, jump_host=False, authorized_keys=authorized_keys
    ) as fleet:
        # One login offering three unknown keys, then the right password: locked out.
        ok, _client = await _login(
            fleet, "abc123", client_keys=stranger, preferred_auth="publickey,password"
        )
        assert not ok
        assert fleet.logins("hmc1").is_locked("hscroot")


def test_guard_unit_rules():
    from lpmtui.common.clock import ManualClock

    clock = ManualClock()
    guard = LoginGuard(clock)
    guard.failed("u")
    guard.failed("u")
    assert not guard.is_locked("u")
    guard.failed("u")
    assert guard.message("u") == LOCKED
    clock.advance(300)
    assert not guard.is_locked("u")
    assert guard.failures("u") == 0
