"""Large simulated fleets for benchmarks: ``generate(hmcs=8, frames=64, partitions=4000)``.

Deterministic for a given ``seed``. Frames are POWER8/9/10 with dual VIOS and enough memory
and processors for their partitions plus headroom; a few percent of partitions carry the
usual LPM blockers (RMC down, huge pages, open console, a physical slot, …) so matrices are
not all green. HMCs are grouped ``HMCS_PER_SITE`` to a site (``site_name``: dc-east, dc-west,
…), as an admin's config would place them. ``generate_yaml`` gives the same fleet as fleet-file
text.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import yaml

from lpmtui.common.clock import Clock
from lpmtui.model import FleetSnapshot
from lpmtui.sim.world.load import build_fleet
from lpmtui.sim.world.state import World

_MODELS = {8: ("8286-42A", "FW860.240"), 9: ("9009-42A", "FW950.80"), 10: ("9105-42A", "FW1050.20")}
_MEMORY = (4096, 8192, 16384, 32768, 65536)
_VLANS = [1, 100, 200, 300]
HMCS_PER_SITE = 10  # 50 HMCs: 5 sites
_SITES = ("dc-east", "dc-west", "dc-north", "dc-south", "dc-central")
# (share of partitions, fleet-file knob) for the deliberate blockers
_BLOCKERS: tuple[tuple[float, dict[str, Any]], ...] = (
    (0.02, {"rmc": "inactive"}),
    (0.01, {"huge_pages": 4}),
    (0.01, {"console_open": True}),
    (0.01, {"io_slots": 1}),
    (0.005, {"bsr_arrays": 1}),
    (0.005, {"required_adapters": True}),
)


def _partition(rng: random.Random, index: int) -> dict[str, Any]:
    name = f"lpar{index:05d}"
    if index % 997 == 0:
        name = f"db prod {index:05d}"  # names with spaces and shell metacharacters exist
    elif index % 991 == 0:
        name = f"web;{index:05d}"
    entry: dict[str, Any] = {
        "name": name,
        "mem": rng.choice(_MEMORY),
        "processors": rng.choice((0.25, 0.5, 1.0, 2.0)),
        "vlans": [rng.choice(_VLANS[1:])],
        "dirty_rate": rng.choice((2, 5, 20, 60, 200)),
        "storage": rng.choice((["vscsi"], ["npiv"], ["vscsi", "npiv"])),
    }
    roll = rng.random()
    if roll < 0.10:
        entry["state"] = "Not Activated"
    elif roll < 0.12:
        entry["state"] = "Suspended"
    for share, knob in _BLOCKERS:
        if rng.random() < share:
            entry.update(knob)
    return entry


def site_name(index: int) -> str:
    """The ``index``-th site (from 0): the five named ones, then dc-06, dc-07, …"""
    return _SITES[index] if index < len(_SITES) else f"dc-{index + 1:02d}"


def generate_data(
    hmcs: int = 8, frames: int = 64, partitions: int = 4000, seed: int = 0
) -> dict[str, Any]:
    """The fleet as the data structure a fleet file holds."""
    if hmcs < 1 or frames < 1 or partitions < 0:
        raise ValueError("a fleet needs at least one HMC and one frame")
    rng = random.Random(seed)
    hmc_list: list[dict[str, Any]] = []
    names = [f"hmc{i + 1:02d}" for i in range(hmcs)]
    for i, name in enumerate(names):
        version = "V10R3 M1060" if i % 2 == 0 else "V9R2 M953"
        hmc_list.append(
            {
                "name": name,
                "site": site_name(i // HMCS_PER_SITE),
                "address": f"10.20.{i // 250}.{i % 250 + 1}",
                "version": version,
                "trusts": [n for n in names if n != name],
                "frames": [],
            }
        )
    per_frame = [
        partitions // frames + (1 if f < partitions % frames else 0) for f in range(frames)
    ]
    index = 0
    for f in range(frames):
        gen = (8, 9, 10)[f % 3]
        model, firmware = _MODELS[gen]
        clients = []
        for _ in range(per_frame[f]):
            index += 1
            clients.append(_partition(rng, index))
        mem = sum(c["mem"] for c in clients) * 3 // 2 + 65536
        procs = sum(c["processors"] for c in clients) * 1.5 + 8
        frame = {
            "name": f"frame{f + 1:03d}",
            "type_model": model,
            "serial": f"78G{f + 1:04d}",
            "generation": gen,
            "firmware": firmware,
            "memory": mem - mem % 1024,
            "processors": float(round(procs)),
            "vlans": _VLANS,
            "vios": [
                {"name": f"f{f + 1:03d}-vios1", "slots": 2000},
                {"name": f"f{f + 1:03d}-vios2", "slots": 2000},
            ],
            "partitions": clients,
        }
        hmc_list[f % hmcs]["frames"].append(frame)
    return {"hmcs": hmc_list}


def generate(
    hmcs: int = 8,
    frames: int = 64,
    partitions: int = 4000,
    seed: int = 0,
    clock: Clock | None = None,
) -> World:
    """A World with ``partitions`` client partitions spread over ``frames`` and ``hmcs``."""
    fleet = build_fleet(generate_data(hmcs, frames, partitions, seed), "<generated>")
    return World(fleet.hmcs, fleet.frames, fleet.settings, clock)


def generate_yaml(hmcs: int = 8, frames: int = 64, partitions: int = 4000, seed: int = 0) -> str:
    """The generated fleet as fleet-file text (for ``lpmtui sim --fleet``)."""
    data = generate_data(hmcs, frames, partitions, seed)
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100)


def with_new_units(snapshot: FleetSnapshot, every: int = 100) -> tuple[FleetSnapshot, set]:
    """``snapshot`` with one client partition in ``every`` given 0.1 more processor units
    (issue 16's "1% changed" at every=100), every other partition the same object (as the
    collector hands them out); and the keys of those changed."""
    hmcs, changed, n = [], set(), 0
    for hmc in snapshot.hmcs:
        frames = []
        for frame in hmc.frames:
            parts = []
            for p in frame.partitions:
                n += 1
                if n % every == 0 and not p.is_vios:
                    p = replace(p, curr_proc_units=round((p.curr_proc_units or 0.5) + 0.1, 2))
                    changed.add(p.key)
                parts.append(p)
            frames.append(replace(frame, partitions=tuple(parts)))
        hmcs.append(replace(hmc, frames=tuple(frames)))
    return replace(snapshot, hmcs=tuple(hmcs), index={}), changed
