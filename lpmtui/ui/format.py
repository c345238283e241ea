"""Turn model values into the short strings the console shows (no Textual here).

Every function is pure so the table diff can compare cell values cheaply and tests can check
wording without an app.
"""

from __future__ import annotations

import math
import re

from lpmtui.model import ConnectionState, HmcSnapshot, ManagedSystem, MigrationStatus, Partition

UNKNOWN = "?"

_ENV_LABELS = {"vioserver": "VIOS", "os400": "IBMi"}


def env_label(partition: Partition) -> str:
    """AIX, Lnx, VIOS or IBMi: what runs in the partition, in four characters."""
    if partition.lpar_env in _ENV_LABELS:
        return _ENV_LABELS[partition.lpar_env]
    if partition.os_version.lower().startswith("linux"):
        return "Lnx"
    if partition.lpar_env == "aixlinux":
        return "AIX"
    return partition.lpar_env[:4] or UNKNOWN


_DISTROS = {"red": "RHEL", "suse": "SLES", "sles": "SLES", "ubuntu": "Ubuntu"}


def os_label(partition: Partition) -> str:
    """The OS level in nine characters; the type column already says AIX, VIOS or IBM i.

    ``AIX 7.3 7300-02-01-2346`` -> ``7.3 TL02``, ``VIOS 3.1.4.10`` -> ``3.1.4.10``,
    ``IBM i 7.5`` -> ``7.5``, ``Linux/Red Hat 4.18.0 9.2`` -> ``RHEL 9.2``.
    """
    text = partition.os_version.strip()
    if not text or text.lower().startswith("unknown"):
        return ""
    if text.lower().startswith("linux"):
        words = text.split("/", 1)[-1].split()
        distro = _DISTROS.get(words[0].lower(), words[0]) if words else "Linux"
        return f"{distro} {words[-1]}" if len(words) > 1 else distro
    parts = text.split()
    if parts[0] == "IBM" and len(parts) >= 3:
        return parts[2]
    if len(parts) >= 3 and parts[2].count("-") >= 1:
        return f"{parts[1]} TL{parts[2].split('-')[1]}"
    return parts[1] if len(parts) > 1 else parts[0]


_RMC_WORDS = {"active": "ok", "inactive": "down", "none": "none"}


def rmc_label(partition: Partition) -> str:
    """RMC (the HMC-to-OS channel active migration needs): ok, down, none."""
    return _RMC_WORDS.get(partition.rmc_state, partition.rmc_state[:4] or UNKNOWN)


def mb_label(mb: int | None) -> str:
    """Memory in MB as the shortest honest figure: 512M, 16G, 1.5T."""
    if mb is None:
        return UNKNOWN
    if mb < 1024:
        return f"{mb}M"
    gb = mb / 1024
    if gb < 1024:
        return f"{gb:.0f}G" if gb >= 100 or gb == int(gb) else f"{gb:.1f}G"
    return f"{gb / 1024:.1f}T"


def procs_label(partition: Partition) -> str:
    """Shared partitions show processing units (``0.5u``), dedicated ones whole processors."""
    if partition.proc_mode == "ded":
        return f"{partition.curr_procs}p" if partition.curr_procs is not None else UNKNOWN
    if partition.curr_proc_units is None:
        return f"{partition.curr_procs}v" if partition.curr_procs is not None else UNKNOWN
    return f"{partition.curr_proc_units:g}u"


def units_label(units: float | None) -> str:
    return UNKNOWN if units is None else f"{units:.2f}"


def capability_label(system: ManagedSystem) -> str:
    """``LPM act+inact · LMB 256M``: which migrations the frame supports, and its LMB size."""
    active, inactive = system.active_mobility_capable, system.inactive_mobility_capable
    lmb = f" · LMB {mb_label(system.mem_region_size)}"
    if active is None and inactive is None:
        return "LPM ?" + lmb
    kinds = [k for k, ok in (("act", active), ("inact", inactive)) if ok]
    if not kinds:
        return "no LPM" + lmb
    return "LPM " + "+".join(kinds) + lmb


def frame_resources(system: ManagedSystem) -> str:
    """``free 128G · 8.00u``: memory and processor units not yet assigned."""
    return f"free {mb_label(system.mem_available)} · {units_label(system.proc_units_available)}u"


def migration_label(status: MigrationStatus | None) -> str:
    """Progress of a running migration as the HMC reports it, e.g. ``42% →p9b``."""
    if status is None or not status.migrating:
        return ""
    sent, left = status.bytes_transmitted, status.bytes_remaining
    dest = status.dest_sys_name or "?"
    if sent is not None and left is not None and sent + left > 0:
        return f"{100 * sent // (sent + left)}% →{dest}"  # the percent first: names get cut
    return f"{status.migration_state.lower()} →{dest}"


def connection_label(hmc: HmcSnapshot) -> str:
    """The HMC's connection state in words, with the reconnect attempt when there is one."""
    if hmc.state is ConnectionState.RECONNECTING:
        return f"reconnecting {hmc.reconnect_attempt}" if hmc.reconnect_attempt else "reconnecting"
    if hmc.state is ConnectionState.HOST_KEY_UNKNOWN:
        return "host key prompt"
    return str(hmc.state)


_WHERE_THEN_WHY = re.compile(r"^(\S+@\S+:\d+ \([^)]*\)): (.+)$", re.S)


def error_headline(error: str) -> str:
    """An HMC's last error with the reason first, so a narrow pane still shows what went wrong:
    ``user@host:22 (hmc1 via bastion): connection refused`` -> ``connection refused — user@…``."""
    m = _WHERE_THEN_WHY.match(error)
    return f"{m.group(2)} — {m.group(1)}" if m else error


def age_label(seconds: float | None) -> str:
    """``4s``, ``3m12s``, ``2h05m``; ``never`` when there is no data yet."""
    if seconds is None:
        return "never"
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


def fuzzy_match(query: str, text: str) -> bool:
    """True when every character of ``query`` appears in ``text`` in order (case-insensitive)."""
    if not query:
        return True
    it = iter(text.lower())
    return all(ch in it for ch in query.lower() if not ch.isspace())


def fuzzy_score(query: str, text: str) -> float:
    """Higher for tighter matches: prefix > substring > scattered; 0 when no match."""
    q, t = query.lower().strip(), text.lower()
    if not q:
        return 1.0
    if t.startswith(q):
        return 3.0 + len(q) / max(len(t), 1)
    if q in t:
        return 2.0 + len(q) / max(len(t), 1)
    return 1.0 if fuzzy_match(q, t) else 0.0


def stepped(seconds: float, *, up: bool = False) -> str:
    """A running time in steps that match its size, so it does not change on screen every
    second: to the second under a minute (``42s``), 10 s steps under ten minutes (``3m10s``),
    whole minutes above (``14m``, ``1h05m``). ``up``: rounded up (an ETA never shown sooner
    than estimated), else down (an elapsed time is at least what it says)."""
    exact = max(0.0, seconds)
    s = math.ceil(exact) if up else int(exact)
    if s < 60:
        return f"{s}s"
    if s < 600:
        tens = -(-s // 10) * 10 if up else s // 10 * 10
        if tens < 600:
            return f"{tens // 60}m{tens % 60:02d}s"
    minutes = -(-s // 60) if up else s // 60
    return f"{minutes}m" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}m"
