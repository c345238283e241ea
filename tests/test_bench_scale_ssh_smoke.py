"""benchmarks/bench_scale_ssh.py cannot rot: its floor arithmetic, and a tiny run over real SSH
(1 HMC, 2 frames, 20 partitions, 0.05 s per command, no baseline)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_scale_ssh.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_scale_ssh", BENCH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while being built
    spec.loader.exec_module(mod)
    return mod


def test_floor_is_the_larger_of_channel_rounds_and_dependency_depth():
    bench = _bench_module()
    scale = bench.Scale(latency=0.5, channels=4)
    listing = ("lssyscfg", "-r", "lpar", "-m", "X")
    # 9 independent-looking commands: ceil(9/4) = 3 rounds beat their depth of 3
    assert bench.hmc_floor([listing] * 9, scale) == (1.5, 3, 3)
    # 4 commands but a chain of 4 (viosvrcmd waits for the partition list): depth wins
    chain = [("lshmc", "-V"), ("lssyscfg", "-r", "sys"), listing, ("viosvrcmd", "-m", "X")]
    assert bench.hmc_floor(chain, scale) == (2.0, 1, 4)
    assert bench.dependency_level(("lshwres", "-r", "sriov", "--rsubtype", "logport")) == 4
    assert bench.dependency_level(("mkauthkeys", "--test")) == 1


def test_tiny_fleet_first_full_snapshot():
    bench = _bench_module()
    fig = bench.figures(
        ["--hmcs", "1", "--frames", "2", "--partitions", "20", "--latency", "0.05",
         "--no-baseline"]
    )  # fmt: skip
    assert fig["problems"] == []
    assert fig["frames"] == 2 and fig["partitions"] >= 20
    assert fig["commands_per_hmc"]["hmc01"] > 10
    assert fig["measured_s"] >= fig["floor_s"] > 0
    assert fig["baseline"] is None
    assert "ratio:" in "\n".join(bench.report(fig))
