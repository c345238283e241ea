"""The fault soak (benchmarks/soak.py) in short: a fixed seed, ~12 s of faults over SSH, then
every invariant must hold. The long form is ``python benchmarks/soak.py --minutes 30``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOAK = ROOT / "benchmarks" / "soak.py"

pytestmark = pytest.mark.slow


def figure(out: str, label: str) -> str:
    found = re.search(rf"^{re.escape(label)}: (.*)$", out, re.M)
    assert found, f"no {label!r} line in:\n{out}"
    return found.group(1)


def test_short_soak_keeps_every_invariant():
    run = subprocess.run(
        [sys.executable, str(SOAK), "--seed", "3", "--minutes", "0.2", "--migrations", "24"],
        capture_output=True,
        text=True,
        timeout=170,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    out = run.stdout
    broken = [line for line in out.splitlines() if line.startswith("INVARIANT BROKEN")]
    assert broken == [], "\n".join(broken)
    assert run.returncode == 0, out + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    # it did soak: faults of several kinds, the console kill, migrations and the evacuation
    faults = dict(
        (kind.rsplit(" ", 1)[0], int(kind.rsplit(" ", 1)[1]))
        for kind in figure(out, "faults injected").split("(", 1)[1].rstrip(")").split(", ")
    )
    assert faults["console kill -9"] == 1
    assert len(faults) >= 7, faults  # every kind comes once first (in a seeded order)
    started = re.match(r"(\d+) \((\d+) by the evacuation\)", figure(out, "migrations started"))
    assert started and int(started.group(1)) >= 8 and int(started.group(2)) >= 1, out
    assert figure(out, "outcomes unknown at the end") == "0"
    assert figure(out, "false needs-recovery") == "0"
    assert figure(out, "false outcomes") == "0"
    assert figure(out, "tracebacks") == "0"
    assert set(re.findall(r"(\d+): \d+", figure(out, "sends per migration"))) <= {"0", "1"}
    assert figure(out, "invariants") == "all hold"
