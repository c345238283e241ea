"""Simulator benchmarks (a plain script; prints its figures).

1. Start-up: the generated large fleet (8 HMCs, 64 frames, 4,000 client partitions) loaded from
   its fleet-file text (what ``lpmtui sim --fleet`` does) and its SSH servers started. Target:
   under 10 s in total. Generating the World directly is timed too.
2. ``lssyscfg -r lpar -m FRAME`` for a 100-partition frame (98 clients and 2 VIOS, generated)
   over SSH on loopback, latency injection off, one connection, sequential runs. Target: under
   50 ms. The same command run in-process through the HMC shell is timed in the same run as the
   baseline.

Run: ``.venv/bin/python benchmarks/bench_sim.py [--runs 50]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import asyncssh

from lpmtui.common.clock import ManualClock
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.records import parse
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.generate import generate, generate_yaml
from lpmtui.sim.server.fleet import start_fleet
from lpmtui.sim.world.state import World

START_TARGET_S = 10.0
LIST_TARGET_MS = 50.0


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"nproc {cpus}; {model}; Python {platform.python_version()}; "
        f"asyncssh {asyncssh.__version__}; {platform.system()} {platform.release()}"
    )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def summary(label: str, seconds: list[float], target_ms: float | None = None) -> str:
    ms = [s * 1000 for s in seconds]
    median, p95 = statistics.median(ms), percentile(ms, 95)
    verdict = ""
    if target_ms is not None:
        verdict = f"  [{'OK' if median < target_ms else 'OVER'} target < {target_ms:g} ms]"
    return (
        f"{label:<34} median {median:7.2f} ms  p95 {p95:7.2f} ms  "
        f"min {min(ms):7.2f} ms  max {max(ms):7.2f} ms  (n={len(ms)}){verdict}"
    )


async def main(runs: int) -> int:
    print(f"machine: {machine()}")
    clock = ManualClock()

    t0 = time.perf_counter()
    world = generate(clock=clock)
    t1 = time.perf_counter()
    text = generate_yaml()
    t2 = time.perf_counter()
    world = World.from_yaml(text, clock)
    t3 = time.perf_counter()
    fleet = await start_fleet(world)
    t4 = time.perf_counter()
    partitions = sum(len(f.partitions) for f in world.frames.values())
    total = t4 - t2
    print(
        f"fleet: {len(world.hmcs)} HMCs, {len(world.frames)} frames, {partitions} partitions "
        f"(VIOS included), {len(text)} bytes of YAML"
    )
    print(f"generate World directly: {t1 - t0:.2f} s")
    print(
        f"start-up: load fleet file {t3 - t2:.2f} s + start_fleet {t4 - t3:.2f} s = {total:.2f} s"
        f"  [{'OK' if total < START_TARGET_S else 'OVER'} target < {START_TARGET_S:g} s]"
    )
    await fleet.close()

    world = generate(hmcs=1, frames=1, partitions=98, clock=clock)
    fleet = await start_fleet(world, jump_host=False)
    try:
        frame = next(iter(world.frames.values()))
        hmc = frame.hmc
        line = command_line(["lssyscfg", "-r", "lpar", "-m", frame.name])
        ep = fleet.endpoints[hmc]
        shell = HmcShell(world, hmc)

        baseline: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            result = await shell.run(line)
            baseline.append(time.perf_counter() - start)
        records = parse(result.stdout)

        over_ssh: list[float] = []
        async with asyncssh.connect(
            ep.host, ep.port, username=ep.username, password=ep.password,
            known_hosts=asyncssh.import_known_hosts(fleet.known_hosts_text()),
            client_keys=None, agent_path=None, config=None,
        ) as conn:  # fmt: skip
            for _ in range(5):  # warm-up: first channel, caches
                await conn.run(line)
            for _ in range(runs):
                start = time.perf_counter()
                answer = await conn.run(line)
                over_ssh.append(time.perf_counter() - start)
        if answer.exit_status != 0 or parse(answer.stdout) != records:
            print("error: the SSH answer differs from the in-process one", file=sys.stderr)
            return 1
        print(
            f"lssyscfg -r lpar -m {frame.name!r}: {len(records)} partitions, "
            f"{len(answer.stdout)} bytes, latency injection off"
        )
        print(summary("in-process HmcShell.run", baseline))
        print(summary("over SSH (one connection)", over_ssh, LIST_TARGET_MS))
    finally:
        await fleet.close()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    sys.exit(asyncio.run(main(parser.parse_args().runs)))
