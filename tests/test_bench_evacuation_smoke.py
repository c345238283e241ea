"""The evacuation benchmark at a tiny scale (8 frames, 200 partitions), so
benchmarks/bench_evacuation.py cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_evacuation.py"


def test_tiny_fleet_prints_its_figures():
    out = subprocess.run(
        [sys.executable, str(BENCH), "--partitions", "200", "--frames", "8"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "plans: " in out and " moves and " in out
    assert "planning = " in out and "x the ranking alone" in out
    assert "all 8 frames planned one after another" in out
