"""What validation and ``lslparmigr`` read off the world: MSPs, hosting VIOS, OS and VIOS levels."""

from __future__ import annotations

import re

from lpmtui.sim.world.model import SimFrame, SimPartition
from lpmtui.sim.world.view import WorldView

_AIX = re.compile(r"AIX (\d+)\.(\d+)(?: (\d{2})(\d{2})-(\d+))?")
_LINUX = re.compile(r"Linux.*?(\d+(?:\.\d+)*)")
_IBMI = re.compile(r"IBM i (\d+)\.(\d+)")
_VIOS = re.compile(r"(?:VIOS )?(\d+(?:\.\d+)*)(?:-FP-?(\d+))?")


def kind_for(p: SimPartition) -> str | None:
    return {"Running": "active", "Not Activated": "inactive", "Suspended": "suspended"}.get(p.state)


def msp_load(world: WorldView, vios: SimPartition) -> int:
    return sum(1 for j in world.open_jobs() if vios in (j.source_msp, j.dest_msp))


def candidate_msps(frame: SimFrame) -> list[SimPartition]:
    """VIOS partitions marked as mover service partitions that are running."""
    return [v for v in frame.vioses() if v.msp and v.state == "Running"]


def vios_level_ok(level: str) -> bool:
    m = _VIOS.search(level)
    if not m:
        return False
    numbers = tuple(int(x) for x in m.group(1).split("."))
    if numbers >= (2, 1):
        return True
    return numbers >= (1, 5, 2, 1) and int(m.group(2) or 0) >= 11


def usable_msps(frame: SimFrame) -> list[SimPartition]:
    return [
        v for v in candidate_msps(frame) if v.rmc_state == "active" and vios_level_ok(v.os_version)
    ]


def hosts(frame: SimFrame, npiv: bool) -> list[SimPartition]:
    """Target VIOS partitions able to host the migrating partition's vSCSI (or vFC) adapters."""
    return [v for v in frame.vioses() if v.state == "Running" and (v.npiv or not npiv)]


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text))


def os_level_problem(p: SimPartition, minimums: dict[str, str]) -> str | None:
    """The minimum level the partition's OS misses, or None when it is supported or unknown."""
    text = p.os_version
    if m := _AIX.match(text):
        have = (int(m.group(1)), int(m.group(2)), int(m.group(5) or 0) if m.group(3) else 0)
        need = minimums.get("AIX", "")
        return f"AIX {need}" if need and have < _version_tuple(need) else None
    if m := _IBMI.match(text):
        need = minimums.get("IBM i", "")
        have = (int(m.group(1)), int(m.group(2)))
        return f"IBM i {need}" if need and have < _version_tuple(need) else None
    if text.startswith("Linux") and (m := _LINUX.match(text)):
        need = minimums.get("Linux", "")
        return (
            f"Linux {need}" if need and _version_tuple(m.group(1)) < _version_tuple(need) else None
        )
    return None
