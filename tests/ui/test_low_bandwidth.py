"""--low-bandwidth and the low_bandwidth config key (issue #14): the table every 5 s, routine
commands every 30 s, no animation, ASCII borders."""

from __future__ import annotations

import pytest

from lpmtui.config.loader import ConfigError
from lpmtui.config.parse import SettingsParser
from lpmtui.ui.app import LpmApp
from lpmtui.ui.launch import _console_parser
from lpmtui.ui.screens.fleet_view import APPLY_EVERY, LOW_BANDWIDTH_APPLY_EVERY
from lpmtui.ui.widgets.command_log import LOW_BANDWIDTH_ROUTINE_EVERY, ROUTINE_EVERY, CommandLog
from tests.ui.factory import NOW, demo_snapshot
from tests.ui.test_dashboard import settle

HMCS = "hmcs:\n  - name: h1\n    host: h1.example\n    auth: {method: agent}\n"


def test_the_config_key_and_the_option(tmp_path):
    path = str(tmp_path / "c.yaml")
    assert SettingsParser("low_bandwidth: true\n" + HMCS, path).parse().low_bandwidth is True
    assert SettingsParser(HMCS, path).parse().low_bandwidth is False
    with pytest.raises(ConfigError) as caught:
        SettingsParser("low_bandwidth: slow\n" + HMCS, path).parse()
    assert str(caught.value).startswith(f"{path}:1: low_bandwidth: found 'slow'")
    assert _console_parser().parse_args(["--low-bandwidth"]).low_bandwidth is True
    assert _console_parser().parse_args([]).low_bandwidth is False


async def test_low_bandwidth_paces_the_table_and_the_log_and_draws_ascii():
    clock = [NOW + 1]
    app = LpmApp(clock=lambda: clock[0], low_bandwidth=True)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.dashboard.fleet_view
        assert app.animation_level == "none"
        assert view.apply_every == LOW_BANDWIDTH_APPLY_EVERY == 5.0
        assert app.dashboard.query_one(CommandLog).routine_every == LOW_BANDWIDTH_ROUTINE_EVERY
        assert app.dashboard.table_box.styles.border_top[0] == "ascii"
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        applied = view.last_apply
        clock[0] += 2  # a newer poll within the 5 s: it waits, even on the 1 s tick
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        view.tick()
        assert view.pending is not None and view.last_apply == applied
        clock[0] += 3  # 5 s since the last one: the tick applies it
        view.tick()
        assert view.pending is None and view.last_apply == clock[0]


async def test_without_it_the_table_follows_every_second_and_borders_are_round():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=(120, 40)):
        assert app.dashboard.fleet_view.apply_every == APPLY_EVERY == 1.0
        assert app.dashboard.query_one(CommandLog).routine_every == ROUTINE_EVERY
        assert app.dashboard.table_box.styles.border_top[0] == "round"
        assert app.animation_level != "none"


def test_demo_fleet_option_refuses_a_bad_file_in_one_line(tmp_path, capsys):
    from lpmtui.ui.launch import demo_main

    bad = tmp_path / "f.yaml"
    bad.write_text("hmcs: [\n")
    assert demo_main(["--fleet", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lpmtui demo: --fleet: {bad}:") and err.count("\n") == 1
