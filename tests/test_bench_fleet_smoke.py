"""The fleet benchmark's core at a tiny scale (1 HMC, 2 frames, 20 partitions, no latency), so
benchmarks/bench_fleet.py cannot rot: real SSH for lpmtui, real OpenSSH ``ssh`` for the baseline."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_fleet.py"

pytestmark = pytest.mark.skipif(shutil.which("ssh") is None, reason="OpenSSH ssh client missing")


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_fleet", BENCH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while being built
    spec.loader.exec_module(mod)
    return mod


async def test_tiny_fleet_snapshot_against_a_sampled_ssh_baseline(tmp_path):
    bench = _bench_module()
    scale, sample = bench.parse_args(
        ["--hmcs", "1", "--frames", "2", "--partitions", "20", "--latency", "0",
         "--baseline-sample", "3"]
    )  # fmt: skip
    result = await bench.measure(scale, tmp_path, baseline_sample=sample)

    c = result.collection
    assert c.problems == []
    assert c.frames == {"hmc01": 2}
    assert c.partitions == result.world_partitions >= 20
    # every command lpmtui ran reached the simulated HMC, and nothing else did
    assert c.received == {"hmc01": len(c.full["hmc01"])}
    kinds = {bench.command_kind(e.argv) for e in c.full["hmc01"]}
    assert {"lssyscfg -r sys", "lssyscfg -r lpar", "lssyscfg -r prof"} <= kinds
    assert 0 < len(c.hot["hmc01"]) < len(c.full["hmc01"])
    assert all(e.rc == 0 for e in c.full["hmc01"])

    b = result.baseline
    assert (b.hmc, b.ran, b.available) == ("hmc01", 3, len(c.full["hmc01"]))
    assert b.mismatches == []  # OpenSSH got the same exit status for each command
    assert result.baseline_s == pytest.approx(b.seconds / 3 * result.full_commands)
    assert result.floor_s == 0.0

    text = "\n".join(bench.report(result))
    assert f"extrapolated: 3 of hmc01's {b.available} commands" in text
    assert "no floor without latency" in text
    assert "WARNING" not in text
    assert "nproc" in bench.machine()


def test_bad_scale_is_refused():
    bench = _bench_module()
    with pytest.raises(SystemExit):
        bench.parse_args(["--hmcs", "0"])
    with pytest.raises(SystemExit):
        bench.parse_args(["--baseline-sample", "0"])
