"""Parsing hostile output (a plain script; prints its figures).

An HMC (or whatever answers in its place) may send garbage: 1 MB of five kinds of bad lines is
parsed by ``records.parse_tolerant`` and ``parse.partitions``, as a collector would. Baseline, in
the same run: 1 MB of well-formed ``lssyscfg -r lpar`` records (what a large frame answers),
parsed by the same two functions. Garbage should cost no more than good output.

Run: ``.venv/bin/python benchmarks/bench_parse.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_sim import machine  # run as a script: benchmarks/ is on the path

from lpmtui.hmc import parse, records

ONE_MB = 1_000_000
GARBAGE = {
    "bare lines": "x\n" * (ONE_MB // 2),
    "lone quotes": '"\n' * (ONE_MB // 2),
    "pair then bare": "a=b,c\n" * (ONE_MB // 6),
    "reopening quotes": 'a","""\n' * (ONE_MB // 7),
    "reopening quotes, interleaved": 'a","""\nx=1\n' * (ONE_MB // 11),
}


def good_output() -> str:
    line = (
        "name=app-{i},lpar_id={i},lpar_env=aixlinux,state=Running,os_version=AIX 7.2 7200-05-03,"
        "rmc_state=active,rmc_ipaddr=10.0.1.{j},curr_profile=normal,curr_lpar_proc_compat_mode="
        'POWER9,msp=0,"lpar_keylock=norm"\n'
    )
    out, i = [], 0
    size = 0
    while size < ONE_MB:
        text = line.format(i=i + 1, j=i % 250)
        out.append(text)
        size += len(text)
        i += 1
    return "".join(out)


def timed(text: str, runs: int) -> float:
    """Median seconds of parse_tolerant + parse.partitions over ``runs``."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        records.parse_tolerant(text)
        parse.partitions(text, "S")
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=5)
    runs = args.parse_args().runs
    print(f"machine: {machine()}")
    baseline = timed(good_output(), runs)
    print(f"baseline: 1 MB of good lssyscfg -r lpar records: median {baseline * 1000:.1f} ms")
    for name, text in GARBAGE.items():
        took = timed(text, runs)
        print(
            f"1 MB of garbage ({name}): median {took * 1000:.1f} ms = "
            f"{took / baseline:.2f}x the good output"
        )


if __name__ == "__main__":
    main()
