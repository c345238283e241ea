"""Notifications outside the window: the policy (what is announced, once), the bytes written
(BEL, OSC 9, OSC 777, the title) and the app writing them through its driver."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lpmtui.common.clock import RealClock
from lpmtui.config.loader import ConfigError
from lpmtui.config.parse import SettingsParser
from lpmtui.migration.types import MigrationProgress, MigrationRequest, MigrationState
from lpmtui.sim.world.state import World
from lpmtui.ui.app import LpmApp
from lpmtui.ui.attention import Attention, Event, attention
from lpmtui.ui.launch import _console_parser
from lpmtui.ui.messages import MigrationUpdated
from lpmtui.ui.notifier import Notifier, clean
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.ui.test_with_simulator import SIZE, wait_for

S = MigrationState
ENDS = (S.SUCCEEDED, S.FAILED, S.STOPPED, S.RECOVERED, S.NEEDS_RECOVERY)
PUSH, POP = "\x1b[22;2t", "\x1b[23;2t"


def job(state: MigrationState, n: int = 1, **kw) -> MigrationProgress:
    return MigrationProgress(f"j{n}", f"db{n}", "P9-A", "P9-B", "active", state, **kw)


# -- the policy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ENDS)
def test_an_end_is_announced_once_when_it_happens(state):
    running = job(S.IN_PROGRESS)
    event = attention(running, job(state))
    good = state in (S.SUCCEEDED, S.RECOVERED)
    title = "migration ended" if good else f"migration {state.value}"
    assert event == Event(f"lpmtui: {title}", f"db1 P9-A → P9-B: {state.value}", good)
    assert attention(job(state), job(state, message="again")) is None  # no repeat
    assert attention(None, job(state)) is None  # already ended when first seen: history


@pytest.mark.parametrize(
    "state", (S.CANCELLED, S.OUTCOME_UNKNOWN, S.QUEUED, S.STARTING, S.STOPPING, S.RECOVERING)
)
def test_no_announcement_for_what_is_not_an_end(state):
    assert attention(job(S.IN_PROGRESS), job(state)) is None
    assert attention(None, job(state)) is None


def test_the_message_follows_the_state():
    event = attention(job(S.IN_PROGRESS), job(S.FAILED, message="HSCLA319 no MSP"))
    assert event.body == "db1 P9-A → P9-B: failed — HSCLA319 no MSP" and not event.good


def test_a_stall_is_announced_once_per_stall():
    moving, stalled = job(S.IN_PROGRESS), job(S.IN_PROGRESS, stalled=True)
    event = Event("lpmtui: migration stalled", "db1 P9-A → P9-B: no progress", False)
    assert attention(moving, stalled) == event
    assert attention(None, stalled) == event  # a live stall is news, even first seen
    assert attention(stalled, replace(stalled, percent=40.0)) is None
    assert attention(stalled, moving) is None  # moving again: nothing to say
    assert attention(moving, stalled) == event  # stalled again: a new stall
    assert attention(stalled, job(S.FAILED, stalled=True)).title == "lpmtui: migration failed"


def test_the_tracker_feeds_the_policy_per_job():
    seen = Attention()
    assert seen.feed(job(S.SUCCEEDED, 1)) == []  # found ended at start
    assert seen.feed(job(S.IN_PROGRESS, 2)) == []
    assert [e.body for e in seen.feed(job(S.FAILED, 2))] == ["db2 P9-A → P9-B: failed"]
    assert seen.feed(job(S.FAILED, 2)) == []


def test_an_evacuation_is_announced_when_its_last_move_has_ended():
    seen = Attention()
    for n in (1, 2, 3):
        seen.feed(job(S.QUEUED, n))
    assert seen.watch_group("Evacuate P9-A", ["j1", "j2", "j3"]) == []
    assert seen.watch_group("nothing started", []) == []
    seen.feed(job(S.IN_PROGRESS, 1))
    assert len(seen.feed(job(S.SUCCEEDED, 1))) == 1  # the move's own event only
    seen.feed(job(S.NEEDS_RECOVERY, 2))
    events = seen.feed(job(S.CANCELLED, 3))
    assert events == [
        Event(
            "lpmtui: evacuation ended",
            "Evacuate P9-A: 1 cancelled, 1 needs recovery, 1 succeeded",
            False,
        )
    ]
    assert seen.feed(job(S.CANCELLED, 3)) == []  # once
    # moves already ended when the group is watched: announced at once, good when all are
    assert seen.watch_group("Bring home to P9-A", ["j1"]) == [
        Event("lpmtui: evacuation ended", "Bring home to P9-A: 1 succeeded", True)
    ]


def test_the_status_line_counts_what_runs_waits_and_needs_the_admin():
    seen = Attention()
    assert seen.status() == "lpmtui — idle"
    states = [S.IN_PROGRESS, S.STARTING, S.OUTCOME_UNKNOWN, S.QUEUED, S.WAITING, S.FAILED]
    states += [S.NEEDS_RECOVERY, S.SUCCEEDED, S.CANCELLED]
    for n, state in enumerate(states):
        seen.feed(job(state, n))
    seen.feed(job(S.IN_PROGRESS, 99, stalled=True))
    assert seen.status("lpmtui demo") == (
        "lpmtui demo — 3 running · 2 queued · 1 stalled · 1 failed · 1 need recovery"
    )


# -- the bytes ----------------------------------------------------------------------------------

EVENT = Event("lpmtui: migration ended", "db1 P9-A → P9-B: succeeded", True)
OSC = (
    "\x1b]9;lpmtui: migration ended: db1 P9-A → P9-B: succeeded\a"
    "\x1b]777;notify;lpmtui: migration ended;db1 P9-A → P9-B: succeeded\a"
)


def written(mode: str) -> tuple[list[str], Notifier]:
    out: list[str] = []
    return out, Notifier(mode, out.append)


@pytest.mark.parametrize(
    ("mode", "expected"), [("off", []), ("bell", ["\a"]), ("osc", [OSC]), ("both", ["\a" + OSC])]
)
def test_each_mode_writes_its_bytes(mode, expected):
    out, notifier = written(mode)
    notifier.announce([EVENT])
    notifier.announce([])
    assert out == expected


def test_the_title_is_kept_then_set_when_it_changes_and_given_back():
    out, notifier = written("bell")
    notifier.title("lpmtui — 1 running")
    notifier.title("lpmtui — 1 running")
    notifier.title("lpmtui — 1 failed")
    notifier.restore_title()
    notifier.restore_title()
    assert out == [
        PUSH + "\x1b]2;lpmtui — 1 running\a",
        "\x1b]2;lpmtui — 1 failed\a",
        POP,
    ]
    out, notifier = written("off")
    notifier.title("lpmtui — 1 running")
    notifier.restore_title()
    assert out == []


def test_control_characters_cannot_end_a_sequence():
    assert clean("a\x07b\x1b]2;x\x9c\x9bc\x7f\r\nd\x00") == "a b ]2;x c d"
    assert clean("x" * 500) == "x" * 200
    out, notifier = written("osc")
    notifier.announce([Event("t;itle\x1b", "evil\x07\x1b]2;pwned\x1b\\", False)])
    assert out == ["\x1b]9;t,itle: evil ]2;pwned \\\a\x1b]777;notify;t,itle;evil ]2;pwned \\\a"]
    with pytest.raises(ValueError, match="notifications: found 'loud'"):
        Notifier("loud", out.append)


# -- config and options -------------------------------------------------------------------------

HMCS = "hmcs:\n  - name: h1\n    host: h1.example\n    auth: {method: agent}\n"


@pytest.mark.parametrize("mode", ["off", "bell", "osc", "both", '"off"'])
def test_the_config_key(tmp_path, mode):
    text = f"notifications: {mode}\n" + HMCS
    settings = SettingsParser(text, str(tmp_path / "config.yaml")).parse()
    assert settings.notifications == mode.strip('"')
    assert SettingsParser(HMCS, str(tmp_path / "c.yaml")).parse().notifications == "bell"


@pytest.mark.parametrize(("value", "found"), [("loud", "'loud'"), ("false", "false")])
def test_a_wrong_config_value_is_one_line(tmp_path, value, found):
    with pytest.raises(ConfigError) as caught:
        SettingsParser(f"notifications: {value}\n" + HMCS, str(tmp_path / "c.yaml")).parse()
    assert str(caught.value).startswith(f"{tmp_path / 'c.yaml'}:1: notifications: found {found}")
    assert str(caught.value).endswith("expected one of off, bell, osc, both")


def test_the_option():
    assert _console_parser().parse_args(["--notify", "osc"]).notify == "osc"
    assert _console_parser().parse_args([]).notify is None  # the config decides
    with pytest.raises(SystemExit):
        _console_parser().parse_args(["--notify", "loud"])


# -- the app writes them through its driver ------------------------------------------------------


def capture(app) -> list[str]:
    out: list[str] = []
    app._driver.write = out.append  # the headless driver writes nothing; keep what it is given
    return out


async def test_the_app_writes_bell_title_and_strips_control_characters():
    app = LpmApp(notify="bell", title="lpmtui demo")
    async with app.run_test(size=SIZE) as pilot:
        out = capture(app)
        evil = "db\x07\x1b]2;pwned\x07"
        app.post_message(MigrationUpdated(replace(job(S.IN_PROGRESS), partition=evil)))
        app.post_message(MigrationUpdated(replace(job(S.FAILED), partition=evil)))
        await pilot.pause()
        assert out == [
            PUSH + "\x1b]2;lpmtui demo — 1 running\a",
            "\a",
            "\x1b]2;lpmtui demo — 1 failed\a",
        ]
        await app.action_quit()
        assert out[3:] == [POP]


async def test_osc_text_from_the_app_has_no_control_characters():
    app = LpmApp(notify="osc")
    async with app.run_test(size=SIZE) as pilot:
        out = capture(app)
        evil = "db\x07\x1b]2;pwned\x9c"
        app.post_message(MigrationUpdated(replace(job(S.IN_PROGRESS), partition=evil)))
        app.post_message(MigrationUpdated(replace(job(S.SUCCEEDED), partition=evil)))
        await pilot.pause()
        body = "db ]2;pwned P9-A → P9-B: succeeded"
        assert out[1] == (
            f"\x1b]9;lpmtui: migration ended: {body}\a"
            f"\x1b]777;notify;lpmtui: migration ended;{body}\a"
        )


async def test_an_evacuation_started_from_the_dashboard_is_announced_when_it_ends():
    app = LpmApp(notify="bell")
    async with app.run_test(size=SIZE) as pilot:
        out = capture(app)
        for n in (1, 2):
            app.post_message(MigrationUpdated(job(S.QUEUED, n)))
        await pilot.pause()
        app.dashboard.evacuation_actions.watch("Evacuate P9-A", ("j1", "j2"))
        app.post_message(MigrationUpdated(job(S.IN_PROGRESS, 1)))
        app.post_message(MigrationUpdated(job(S.SUCCEEDED, 1)))
        app.post_message(MigrationUpdated(job(S.CANCELLED, 2)))
        await pilot.pause()
        assert [e for e in out if "\x1b]2;" not in e] == ["\a", "\a"]
        assert out[-1] == "\x1b]2;lpmtui — idle\a"
        assert app.attention.watch_group("Evacuate P9-A", ("j1", "j2"))[0].good is False


async def test_the_app_writes_nothing_when_off():
    app = LpmApp(notify="off")
    async with app.run_test(size=SIZE) as pilot:
        out = capture(app)
        app.post_message(MigrationUpdated(job(S.IN_PROGRESS)))
        app.post_message(MigrationUpdated(job(S.FAILED)))
        await pilot.pause()
        await app.action_quit()
        assert out == []


async def test_migrations_on_the_simulator_ring_and_notify_with_the_partition_name():
    backend = InProcessBackend(World.demo(clock=RealClock(speed=400)))
    backend.migration_manager.poll_interval = 0.2
    app = LpmApp(backend, notify="both")
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await wait_for(pilot, lambda: len(table.keys) > 20)
        out = capture(app)  # archive-db, started by another console, is neither rung nor titled
        manager = backend.migration_manager
        good = await manager.start(
            MigrationRequest("app-02", "P10-E1080-A", "P10-S1022-B", lpar_id=34),
            confirmed_name="app-02",
        )
        bad = await manager.start(
            MigrationRequest("app-01", "P10-E1080-A", "P8-S824-OLD"), confirmed_name="app-01"
        )
        ended = (S.SUCCEEDED, S.FAILED, S.NEEDS_RECOVERY)
        await wait_for(pilot, lambda: manager.job(good.job_id).state in ended, 30)
        await wait_for(pilot, lambda: manager.job(bad.job_id).state in ended, 30)
        await pilot.pause()
        assert manager.job(good.job_id).state is S.SUCCEEDED
        failed = manager.job(bad.job_id)
        assert failed.state is S.FAILED
        text = "".join(out)
        moved_bad = "app-01 P10-E1080-A → P8-S824-OLD"
        moved = "app-02 P10-E1080-A → P10-S1022-B: succeeded — running on P10-S1022-B (Running)"
        assert (
            f"\a\x1b]9;lpmtui: migration ended: {moved}\a"
            f"\x1b]777;notify;lpmtui: migration ended;{moved}\a"
        ) in text
        why = "HSCLSIM01 The destination managed system P8-S824-OLD is in the Power Off state"
        assert f"\a\x1b]9;lpmtui: migration failed: {moved_bad}: failed — Errors: {why}" in text
        assert f"\x1b]777;notify;lpmtui: migration failed;{moved_bad}: failed" in text
        assert text.count("\x1b]9;") == 2 and text.count(PUSH) == 1
        assert "\x1b]2;lpmtui — 1 failed\a" in text
        await app.close_backend()


async def test_a_started_plan_tells_its_moves_to_the_watch(monkeypatch):
    from types import SimpleNamespace

    from lpmtui.evacuation import run
    from lpmtui.ui.screens.evacuation_actions import EvacuationActions
    from lpmtui.ui.screens.screen_hooks import ScreenHooks

    async def fake_run_plan(manager, plan, *, confirmed_frame, log):
        assert confirmed_frame == "P9-A"
        return run.RunResult((job(S.QUEUED, 1), job(S.QUEUED, 2)), ())

    monkeypatch.setattr(run, "run_plan", fake_run_plan)
    watched, shown = [], []
    actions = EvacuationActions(
        view=None,
        hooks=ScreenHooks(*[lambda *a, **k: None] * 5),
        manager=lambda: object(),
        settings=lambda: None,
        show_migration=shown.append,
        read_only=False,
        watch=lambda label, ids: watched.append((label, ids)),
    )
    actions._evacuation_log = lambda: None
    await actions._run_plan(SimpleNamespace(title="Evacuate P9-A"), "P9-A")
    assert watched == [("Evacuate P9-A", ("j1", "j2"))] and len(shown) == 2
