"""Benchmark: the frame tree at estate scale (issue 16): ``FleetTree.apply`` on a quiet poll.

Plain script: ``.venv/bin/python benchmarks/bench_tree.py [--baseline TREE]``. The fleet is
``bench_scale.collected`` (50 HMCs, 500 frames, 20,000 partitions by default), pickled once; a
child process per code tree mounts a FleetTree alone (``App.run_test``, 120x40), applies the
snapshot, then applies quiet polls: every HMC snapshot new (its poll time moved on, as the
collector hands out) with the same frame objects (as the collector hands out an unchanged
frame). Prints one JSON line per tree: the first apply and the quiet applies (median, worst).
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, pickle, statistics, sys, time
sys.path.insert(0, {tree!r})
from dataclasses import replace
from textual.app import App
from lpmtui.ui.widgets.fleet_tree import FleetTree
snap = pickle.load(open({path!r}, "rb"))

class Bench(App):
    def compose(self):
        yield FleetTree()

def quiet(n):
    hmcs = tuple(replace(h, taken_at=h.taken_at + n) for h in snap.hmcs)
    return replace(snap, hmcs=hmcs, taken_at=snap.taken_at + n, index={{}})

async def main():
    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one(FleetTree)
        t = time.perf_counter()
        tree.apply(snap, {{}})
        first = time.perf_counter() - t
        await pilot.pause()
        times = []
        for n in range(1, {polls} + 1):
            s = quiet(n)
            t = time.perf_counter()
            tree.apply(s, {{}})
            times.append(time.perf_counter() - t)
            await pilot.pause()
        print(json.dumps({{"tree": {tree!r}, "first_apply_ms": round(first * 1000, 1),
            "quiet_median_ms": round(statistics.median(times) * 1000, 2),
            "quiet_worst_ms": round(max(times) * 1000, 2), "lines": len(tree._tree_lines)}}))

asyncio.run(main())
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", help="a tree of the previous code to measure in the same run")
    ap.add_argument("--hmcs", type=int, default=50)
    ap.add_argument("--frames", type=int, default=500)
    ap.add_argument("--partitions", type=int, default=20000)
    ap.add_argument("--polls", type=int, default=20)
    ap.add_argument("--snapshot", default="/tmp/bench_tree_snapshot.pickle")
    args = ap.parse_args()
    path = Path(args.snapshot)
    if not path.exists():
        sys.path.insert(0, str(ROOT / "benchmarks"))
        sys.path.insert(0, str(ROOT))
        from bench_scale import collected

        path.write_bytes(pickle.dumps(collected(args.hmcs, args.frames, args.partitions)))
    for tree in [args.baseline, str(ROOT)] if args.baseline else [str(ROOT)]:
        code = CHILD.format(tree=tree, path=str(path), polls=args.polls)
        subprocess.run([sys.executable, "-c", code], check=True)


if __name__ == "__main__":
    main()
