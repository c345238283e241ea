"""Benchmark: the eligibility matrix for a large fleet (target: 4,000 partitions x 64 frames
in <= 0.5 s).

Plain script: ``.venv/bin/python benchmarks/bench_eligibility.py [--partitions N] [--frames N]``.
By default the fleet is lpmtui.sim.generate's, collected in-process through Fleet and SimLink;
``--fleet synthetic`` builds a snapshot directly (2 VIOSes per frame, vSCSI + vFC + vEth per
partition, random memory/processors/VLANs, a few failures).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lpmtui.eligibility import matrix
from lpmtui.eligibility.index import index_of
from lpmtui.model import (
    ColdData,
    ConnectionState,
    FleetSnapshot,
    FrameSnapshot,
    HmcManager,
    HmcSnapshot,
    HmcVersion,
    ManagedSystem,
    Partition,
    Profile,
    VirtualEthAdapter,
    VirtualFcAdapter,
    VirtualScsiAdapter,
    VirtualSlots,
)

MODES = ("default", "POWER8", "POWER9", "POWER9_base", "POWER10")


def _frame(rng: random.Random, name: str, count: int) -> FrameSnapshot:
    system = ManagedSystem(
        name=name,
        type_model="9105-42A",
        serial=name,
        state="Operating",
        active_mobility_capable=True,
        inactive_mobility_capable=True,
        suspend_capable=True,
        ibmi_mobility_capable=True,
        proc_compat_modes=MODES,
        mem_configurable=2**21,
        mem_available=rng.choice((32768, 262144, 524288)),
        mem_region_size=rng.choice((256,) * 9 + (128,)),
        proc_units_available=rng.choice((2.0, 16.0, 64.0)),
        num_active_migrations_supported=16,
        num_active_migrations_in_progress=0,
        num_inactive_migrations_supported=16,
        num_inactive_migrations_in_progress=0,
        firmware_level="FW1050.10",
    )
    parts, scsi, fc, eth, slots, profiles = [], [], [], [], [], []
    for vid in (1, 2):
        vname = f"{name}-vios{vid}"
        parts.append(
            Partition(
                name,
                vname,
                vid,
                "vioserver",
                "Running",
                "VIOS 3.1.4.10",
                "active",
                msp=True,
                resource_config=True,
            )
        )
        eth.append(
            VirtualEthAdapter(vname, vid, 2, False, True, 1, tuple(rng.sample(range(100, 120), 15)))
        )
        slots.append(VirtualSlots(vname, vid, 400, 200))
    for i in range(count):
        lid = 3 + i
        lname = f"lpar{rng.randrange(10**6):06d}"
        state = rng.choice(("Running",) * 8 + ("Not Activated", "Error"))
        parts.append(
            Partition(
                name,
                lname,
                lid,
                "aixlinux",
                state,
                "AIX 7.2 7200-05-03-2148",
                "active" if state == "Running" else "inactive",
                resource_config=True,
                curr_proc_compat_mode="POWER9",
                desired_proc_compat_mode="default",
                curr_mem=rng.choice((4096, 16384, 65536)),
                curr_num_huge_pages=0,
                redundant_err_path_reporting=False,
                proc_mode="shared",
                curr_proc_units=rng.choice((0.5, 1.0, 4.0)),
            )
        )
        scsi.append(VirtualScsiAdapter(lname, lid, 2, "client", False, 1, f"{name}-vios1", lid))
        scsi.append(VirtualScsiAdapter(f"{name}-vios1", 1, lid, "server", False, lid, lname, 2))
        fc.append(VirtualFcAdapter(lname, lid, 3, "client", False, 2, f"{name}-vios2", lid))
        fc.append(VirtualFcAdapter(f"{name}-vios2", 2, lid, "server", False, lid, lname, 3))
        eth.append(VirtualEthAdapter(lname, lid, 4, False, False, rng.randrange(100, 120)))
        profiles.append(Profile("normal", lname, lid, bsr_arrays=0, desired_num_huge_pages=0))
    cold = ColdData(tuple(scsi), tuple(fc), tuple(eth), tuple(slots), (), tuple(profiles), ())
    return FrameSnapshot(system, tuple(parts), (), cold)


def synthetic(partitions: int, frames: int, hmcs: int = 4, seed: int = 1) -> FleetSnapshot:
    rng = random.Random(seed)
    per, extra = divmod(partitions, frames)
    all_frames = [_frame(rng, f"F{i:03d}", per + (1 if i < extra else 0)) for i in range(frames)]
    names = [f"hmc{h}" for h in range(hmcs)]
    out = []
    for h, name in enumerate(names):
        out.append(
            HmcSnapshot(
                hmc=name,
                state=ConnectionState.CONNECTED,
                version=HmcVersion(10, "3", "1060"),
                manager=HmcManager(True),
                frames=tuple(all_frames[h::hmcs]),
                kind="hmc",
                peer_trust=tuple((n, True) for n in names if n != name),
            )
        )
    return FleetSnapshot(tuple(out), 1.0)


def collected(partitions: int, frames: int) -> FleetSnapshot:
    """The simulator's generated fleet, collected in-process the way the console collects it
    (every HMC polled once with its cold data and SSH trust)."""
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.sim.generate import generate
    from lpmtui.simlink import sim_links

    world = generate(frames=frames, partitions=partitions)
    fleet = Fleet(sim_links(world))

    async def poll() -> FleetSnapshot:
        await asyncio.gather(*(c.poll(cold_due=True) for c in fleet.collectors.values()))
        return FleetSnapshot(tuple(c.snapshot for c in fleet.collectors.values()), 1.0)

    return asyncio.run(poll())


def build(partitions: int, frames: int, which: str) -> tuple[FleetSnapshot, str]:
    if which == "sim":
        t0 = time.perf_counter()
        snap = collected(partitions, frames)
        took = time.perf_counter() - t0
        return snap, f"lpmtui.sim.generate, collected through Fleet + SimLink in {took:.1f} s"
    return synthetic(partitions, frames), "synthetic (benchmarks/bench_eligibility.py)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--partitions", type=int, default=4000)
    ap.add_argument("--frames", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--fleet",
        choices=("sim", "synthetic"),
        default="sim",
        help="the simulator's generated fleet (default) or this script's own",
    )
    args = ap.parse_args(argv)
    snap, source = build(args.partitions, args.frames, args.fleet)
    mobile = sum(1 for h in snap.hmcs for f in h.frames for p in f.partitions if not p.is_vios)
    times = []
    result = None
    for _ in range(args.repeat):
        # A new snapshot (no cached index), and the previous result collected first so that
        # its garbage is not counted against this run.
        result = None
        gc.collect()
        fresh = FleetSnapshot(snap.hmcs, snap.taken_at)
        t0 = time.perf_counter()
        result = matrix(fresh)
        times.append(time.perf_counter() - t0)
    pairs = sum(len(v) for v in result.values())
    gc.collect()
    t0 = time.perf_counter()
    index_of(FleetSnapshot(snap.hmcs, snap.taken_at))
    index_time = time.perf_counter() - t0
    ranked = next(iter(result.values()))
    t0 = time.perf_counter()
    checks = sum(len(v.checks) for v in ranked)
    detail_time = time.perf_counter() - t0
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpus, "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )
    print(
        f"fleet: {source}: {mobile} mobile partitions x {args.frames} frames "
        f"({pairs} partition-target pairs)"
    )
    print(
        f"matrix: best {min(times):.3f} s, median {statistics.median(times):.3f} s, "
        f"worst {max(times):.3f} s over {args.repeat} runs (index build {index_time:.3f} s "
        "included)"
    )
    print(
        f"details: {checks} checks of one partition's {len(ranked)} targets in "
        f"{detail_time * 1000:.1f} ms"
    )
    print(f"target <= 0.5 s: {'met' if min(times) <= 0.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
