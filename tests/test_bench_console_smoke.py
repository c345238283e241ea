"""The console benchmarks at a tiny scale, so they cannot rot unnoticed (bench_ui.py broke
once when the dashboard's snapshot handling moved into FleetView): bench_ui.py runs the console
in tmux, bench_scale_ui.py headless in a child process; each must finish and print its
figures."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
TINY = ["--hmcs", "1", "--frames", "2", "--partitions", "20", "--idle-seconds", "1"]


def _module(name: str):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_bench_ui_runs_the_console_in_tmux_and_prints_its_figures(capsys):
    assert _module("bench_ui").main(TINY) == 0
    out = capsys.readouterr().out
    assert "first paint:" in out and "refresh of the" in out and "resident memory:" in out


def test_bench_scale_ui_runs_each_figure_headless(capsys):
    assert _module("bench_scale_ui").main([*TINY, "--cap", "20"]) == 0
    out = capsys.readouterr().out
    start = out.index("{", out.index("== this tree"))
    figures = json.loads(out[start : out.index("\n}", start) + 2])
    assert "error" not in figures, figures
    for key in (
        "rows_on_screen_s",
        "verdicts_shown_s",
        "refresh_ms",
        "filter_key_painted_ms",
        "filter_backspace_painted_ms",
        "key_press_painted_ms",
        "quiet_cpu_percent",
    ):
        assert figures[key] is not None, key
    assert figures["rows"] == 24  # 20 partitions and 2 VIOS on each of 2 frames
