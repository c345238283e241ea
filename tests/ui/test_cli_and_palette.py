"""Entry points (bad config -> one line, exit 2; no Textual/asyncssh before the app) and the
command palette jumping to a partition."""

from __future__ import annotations

import subprocess
import sys

from lpmtui.ui.app import LpmApp
from lpmtui.ui.launch import console_main
from lpmtui.ui.widgets.fleet_tree import Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from tests.ui.factory import NOW, demo_snapshot
from tests.ui.test_dashboard import settle


def test_bad_config_prints_one_line_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "config.yaml"
    bad.write_text("hmcs:\n  - name: hmc1\n    host: 10.0.0.1\n    port: notaport\n")
    assert console_main(["--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"lpmtui: {bad}:4: ")
    assert console_main(["--config", str(tmp_path / "missing.yaml")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_module_imports_neither_textual_nor_asyncssh():
    code = (
        "import sys, lpmtui.ui.launch; print('textual' in sys.modules, 'asyncssh' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_app_module_paints_without_asyncssh():
    code = "import sys, lpmtui.ui.app; print('asyncssh' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_palette_jumps_to_a_partition_by_fuzzy_name():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        app.dashboard.query_one("FleetTree").select_scope(Scope("frame", "p9b"))
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"ibmi")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        table = app.dashboard.query_one(PartitionTable)
        assert table.current_key() == "p9a/4"  # widened from frame p9b to reach it
