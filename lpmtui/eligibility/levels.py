"""Level tables: operating systems, VIOS, firmware and HMC levels that support LPM.

Minimums come from the seed article (AIX 5.3 and up, VIOS 1.5.2.1-FP11 / 2.1, HMC V7R3.4 for
remote migration, V7R7.1.0 for HMC<->FSM) and IBM's published minimums for the rest (AIX 5.3
TL7, RHEL 5.1, SLES 10 SP1, IBM i 7.1). Parsers return None when a level cannot be read, so
the rules say unknown rather than guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

REMOTE_MIGRATION_HMC = (7, 3, 4)
HMC_FSM_MIN = (7, 7, 1, 0)
MIN_POWER_GENERATION = 6

AIX_MIN = (5, 3, 7)  # AIX 5.3 TL7 (5300-07)
RHEL_MIN = (5, 1)
LINUX_KERNEL_MIN = (2, 6)  # when only a kernel level is shown
SLES_MIN = (10, 1)
IBMI_MIN = (7, 1)

VIOS_FIRST = (1, 5, 2, 1)
VIOS_FIRST_FIXPACK = 11
VIOS_MIN_2 = (2, 1)

# Firmware, per pair of generations (older, newer): the older frame's firmware release must be at
# least this to move partitions to or from the newer one (after IBM's firmware support matrix
# for partition mobility; the simulator's firmware_min_peer holds the same table). Pairs not
# listed have no minimum.
FIRMWARE_MIN_PEER = {
    (6, 7): 350,
    (7, 8): 760,
    (7, 9): 780,
    (8, 9): 840,
    (8, 10): 860,
    (9, 10): 920,
    (9, 11): 950,
    (10, 11): 1050,
}
# Pairs no firmware supports: the newer server has no compatibility mode for the older one.
FIRMWARE_NO_MOBILITY = {(6, 9), (6, 10), (6, 11), (7, 10), (7, 11), (8, 11)}

_NUMS = re.compile(r"\d+")
_AIX = re.compile(r"AIX\s+(\d+)\.(\d+)(?:\s+(\d)(\d)00-(\d+))?", re.IGNORECASE)
_RHEL = re.compile(
    r"(?:RHEL|Red\s*Hat(?: Enterprise Linux)?)\D{0,20}?(\d+)(?:\.(\d+))?", re.IGNORECASE
)
_SLES = re.compile(
    r"(?:SLES|SUSE(?: Linux Enterprise Server)?)\s*(\d+)(?:\s*SP(\d+)|\.(\d+))?", re.IGNORECASE
)
_LINUX_KERNEL = re.compile(r"Linux\D*(\d+)\.(\d+)", re.IGNORECASE)
_IBMI = re.compile(r"(?:IBM\s*i|i5/OS|OS/400)\D*(\d+)\.(\d+)", re.IGNORECASE)
_FIXPACK = re.compile(r"FP-?(\d+)", re.IGNORECASE)
_FIRMWARE = re.compile(r"(?:FW|[A-Z]{2})(\d{3,4})", re.IGNORECASE)


# Levels are read once per distinct string: a fleet has a few dozen OS and VIOS levels over
# thousands of partitions (the results are immutable tuples).
@lru_cache(maxsize=4096)
def os_level_ok(os_version: str) -> tuple[bool | None, str]:
    """(supported?, what was read). None when the string names no level this table knows."""
    text = os_version.strip()
    if not text or text.lower() in ("unknown", "none"):
        return None, "no OS level reported"
    if m := _AIX.search(text):
        major, minor = int(m.group(1)), int(m.group(2))
        tl = int(m.group(5)) if m.group(5) else None
        if (major, minor) != (5, 3):
            return (major, minor) > (5, 3), f"AIX {major}.{minor}"
        if tl is None:
            return None, "AIX 5.3 without a technology level"
        return (5, 3, tl) >= AIX_MIN, f"AIX 5.3 TL{tl}"
    if m := _RHEL.search(text):
        level = (int(m.group(1)), int(m.group(2) or 0))
        return level >= RHEL_MIN, f"RHEL {level[0]}.{level[1]}"
    if m := _SLES.search(text):
        level = (int(m.group(1)), int(m.group(2) or m.group(3) or 0))
        return level >= SLES_MIN, f"SLES {level[0]} SP{level[1]}"
    if m := _LINUX_KERNEL.search(text):
        level = (int(m.group(1)), int(m.group(2)))
        return level >= LINUX_KERNEL_MIN, f"Linux kernel {level[0]}.{level[1]}"
    if m := _IBMI.search(text):
        level = (int(m.group(1)), int(m.group(2)))
        return level >= IBMI_MIN, f"IBM i {level[0]}.{level[1]}"
    return None, f"unrecognised OS level {text!r}"


@lru_cache(maxsize=4096)
def vios_level_ok(os_version: str) -> tuple[bool | None, str]:
    """VIOS 2.1 and later, or 1.5.2.1 with fix pack 11 or later."""
    text = os_version.strip()
    nums = tuple(int(n) for n in _NUMS.findall(_FIXPACK.sub("", text)))
    if not nums:
        return None, "no VIOS level reported"
    label = text.removeprefix("VIOS").strip()
    if nums[:2] >= VIOS_MIN_2:
        return True, f"VIOS {label}"
    if nums[:4] == VIOS_FIRST:
        fp = _FIXPACK.search(text)
        if fp is None:
            return False, f"VIOS {label} (no fix pack 11)"
        return int(fp.group(1)) >= VIOS_FIRST_FIXPACK, f"VIOS {label}"
    return False, f"VIOS {label}"


def firmware_release(level: str) -> int | None:
    """FW950.80 -> 950; FW1060.10 -> 1060; EM320_031 -> 320."""
    m = _FIRMWARE.search(level)
    return int(m.group(1)) if m else None


@lru_cache(maxsize=4096)  # once per distinct pair of levels and generations, not of frames
def firmware_compatible(
    a: str, gen_a: int | None, b: str, gen_b: int | None
) -> tuple[bool | None, str]:
    """The older frame's firmware must be recent enough for the newer one's generation; some
    pairs no firmware supports. None when a level or generation is unknown, or a frame is older
    than POWER6 (no firmware of it supports mobility; server.power6 says so)."""
    text = f"firmware {a or 'unknown'} / {b or 'unknown'}"
    ra, rb = firmware_release(a), firmware_release(b)
    if ra is None or rb is None or gen_a is None or gen_b is None:
        return None, text
    if min(gen_a, gen_b) < MIN_POWER_GENERATION:
        return None, f"{text}: not judged, POWER{min(gen_a, gen_b)} has no mobility firmware"
    (old_gen, old_rel, old_level), (new_gen, _, _) = sorted(
        ((gen_a, ra, a), (gen_b, rb, b)), key=lambda t: t[0]
    )
    if (old_gen, new_gen) in FIRMWARE_NO_MOBILITY:
        return False, f"{text}: no POWER{old_gen} firmware supports mobility with POWER{new_gen}"
    need = FIRMWARE_MIN_PEER.get((old_gen, new_gen))
    if need is not None and old_rel < need:
        return False, f"{text}: {old_level} is below FW{need} needed with a POWER{new_gen}"
    return True, text


def hmc_label(version: tuple[int, ...]) -> str:
    return f"V{version[0]}R" + ".".join(str(v) for v in version[1:])
