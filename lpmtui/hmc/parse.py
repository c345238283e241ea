"""One function per HMC command output: records -> model objects.

Each parser takes the command's stdout plus the ``-F`` names and delimiter it asked for
(``Command.fields``/``Command.delimiter``; none for a default listing) and returns
``Parsed(items, problems)``. Frame-level outputs that complete an object parsed elsewhere
(memory, processors, migration counts, firmware) come back as field updates for
``merge_system`` / ``merge_partitions``. Adapters, slots, profiles and VIOS mappings live in
``parse_io``; migration listings and ``migrlpar -o v`` in ``parse_migration``; all are
re-exported here so callers use ``parse.<name>``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence

from lpmtui.hmc.parse_common import (
    Parsed,
    Table,
    Update,
    as_bool,
    as_float,
    as_int,
    as_list,
    as_name,
    as_text,
    build,
    capped,
    number,
    read,
    updates,
)
from lpmtui.hmc.parse_io import (
    eth_adapters,
    fc_adapters,
    io_slots,
    npiv_ports,
    optical_mappings,
    profile_eth_adapters,
    profile_fc_adapters,
    profile_scsi_adapters,
    profiles,
    scsi_adapters,
    shared_pools,
    virtual_slots,
)
from lpmtui.hmc.parse_migration import (
    ProcPool,
    VirtualIoMappings,
    manager,
    migrations,
    msp_pairs,
    proc_pools,
    system_migration,
    validation,
    virtual_io_mappings,
)
from lpmtui.hmc.parse_sriov import sriov_logical_ports, sriov_physical_ports, vnic_adapters
from lpmtui.model import HmcVersion, ManagedSystem, Partition

__all__ = [
    "Parsed",
    "ProcPool",
    "Update",
    "VirtualIoMappings",
    "eth_adapters",
    "fc_adapters",
    "firmware",
    "hmc_version",
    "io_slots",
    "manager",
    "merge_partitions",
    "merge_system",
    "migrations",
    "msp_pairs",
    "npiv_ports",
    "optical_mappings",
    "partition_memory",
    "partition_processors",
    "partitions",
    "proc_pools",
    "profile_eth_adapters",
    "profile_fc_adapters",
    "profile_scsi_adapters",
    "profiles",
    "scsi_adapters",
    "shared_pools",
    "sriov_logical_ports",
    "sriov_physical_ports",
    "system_memory",
    "system_migration",
    "system_processors",
    "systems",
    "validation",
    "virtual_io_mappings",
    "virtual_slots",
    "vnic_adapters",
]

# -- lshmc -V ---------------------------------------------------------------------------------

_VERSION = re.compile(r"^\s*Version:\s*(\S+)\s*$")
# a release is compared by its numbers (HmcVersion.release_tuple): short ASCII ones only
_RELEASE = re.compile(r"^\s*Release:\s*([0-9A-Za-z.]{1,40})\s*$", re.ASCII)
_SERVICE_PACK = re.compile(r"^\s*Service Pack:\s*(\S+)\s*$")
_BUILD = re.compile(r"^\s*(?:HMC )?Build level:?\s*(\S+)\s*$")


def hmc_version(text: str) -> Parsed[HmcVersion]:
    """``lshmc -V``: one record whose ``version`` value spans several lines.

    ``Version: 7 / Release: 7.9.0 / Service Pack: 3 / HMC Build level 20151216.1``; any other
    non-empty line of the value is an installed fix (``MH01454: Required fix ...``).
    """
    rows, problems = read(text)
    for record in rows:
        if "version" not in record:
            continue
        version: int | None = None
        release = service_pack = build_level = ""
        fixes: list[str] = []
        for line in record["version"].splitlines():
            if m := _VERSION.match(line):
                try:
                    version = number(m.group(1))
                except ValueError:
                    problems.append(f"lshmc -V: version {m.group(1)[:40]!r} is not a number")
            elif m := _RELEASE.match(line):
                release = m.group(1)
            elif m := _SERVICE_PACK.match(line):
                service_pack = m.group(1)
            elif m := _BUILD.match(line):
                build_level = m.group(1)
            elif line.strip():
                fixes.append(line.strip())
        if version is None:
            problems.append("lshmc -V: no 'Version:' line in the version value")
            continue
        problems = list(capped(problems))
        found = HmcVersion(
            version=version,
            release=release,
            service_pack=service_pack,
            build_level=build_level,
            base_version=record.get("base_version", "").strip(),
            fixes=tuple(fixes),
        )
        return Parsed((found,), tuple(problems))
    if not problems:
        problems.append("lshmc -V: no version record")
    return Parsed((), capped(problems))


# -- lssyscfg -r sys and the system-level lshwres/lslic ----------------------------------------


def _detail(value: str) -> str:
    """``detailed_state=None`` is the HMC's way of saying there is nothing more to say."""
    return "" if value == "None" else as_text(value)


_SYSTEM: Table = {
    "name": ("name", as_name),
    "type_model": ("type_model", as_text),
    "serial_num": ("serial", as_text),
    "state": ("state", as_text),
    "detailed_state": ("detailed_state", _detail),
    "ipaddr": ("ipaddr", as_text),
    "active_lpar_mobility_capable": ("active_mobility_capable", as_bool),
    "inactive_lpar_mobility_capable": ("inactive_mobility_capable", as_bool),
    "ibmi_lpar_mobility_capable": ("ibmi_mobility_capable", as_bool),
    "lpar_suspend_capable": ("suspend_capable", as_bool),
    "lpar_proc_compat_modes": ("proc_compat_modes", as_list),
    "service_lpar_id": ("service_lpar_id", as_int),
    "max_lpars": ("max_lpars", as_int),
}
_SYSTEM_MEMORY: Table = {
    "configurable_sys_mem": ("mem_configurable", as_int),
    "curr_avail_sys_mem": ("mem_available", as_int),
    "sys_firmware_mem": ("mem_firmware", as_int),
    "mem_region_size": ("mem_region_size", as_int),
}
_SYSTEM_PROCESSORS: Table = {
    "configurable_sys_proc_units": ("proc_units_configurable", as_float),
    "curr_avail_sys_proc_units": ("proc_units_available", as_float),
    "max_shared_proc_pools": ("max_shared_proc_pools", as_int),
}


def systems(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[ManagedSystem]:
    """``lssyscfg -r sys``: one ManagedSystem per frame (capabilities None when unavailable)."""
    return build(
        text,
        fields,
        delimiter,
        _SYSTEM,
        ("name",),
        lambda v: ManagedSystem(**v),  # type: ignore[arg-type]
        "system",
    )


def system_memory(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[Update]:
    """``lshwres -r mem --level sys``: memory in MB and the LMB size (``mem_region_size``)."""
    return updates(text, fields, delimiter, _SYSTEM_MEMORY, "memory record")


def system_processors(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[Update]:
    """``lshwres -r proc --level sys``: configurable and available processor units."""
    return updates(text, fields, delimiter, _SYSTEM_PROCESSORS, "processor record")


def firmware(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[Update]:
    """``lslic -t sys``: ``firmware_level`` from ``activated_spname`` (e.g. ``FW950.80``).

    [M] Attribute names from memory; without a service pack name the level number is used.
    """
    rows, problems = read(text, fields, delimiter)
    items: list[Update] = []
    for record in rows:
        name = as_text(record.get("activated_spname", ""))
        level = as_text(record.get("activated_level", ""))
        if name:
            items.append({"firmware_level": name})
        elif level:
            items.append({"firmware_level": f"level {level}"})
    return Parsed(tuple(items), tuple(problems))


def _known(update: Mapping[str, object] | None) -> dict[str, object]:
    if not update:
        return {}
    return {k: v for k, v in update.items() if v is not None and v != "" and v != ()}


def merge_system(system: ManagedSystem, *parts: Update | None) -> ManagedSystem:
    """``system`` completed by updates (memory, processors, migration counts, firmware).

    Only values the HMC stated are applied: an unknown value never hides a known one.
    """
    changes: dict[str, object] = {}
    for part in parts:
        changes.update(_known(part))
    return dataclasses.replace(system, **changes) if changes else system  # type: ignore[arg-type]


# -- lssyscfg -r lpar and the partition-level lshwres ------------------------------------------

_PARTITION: Table = {
    "name": ("name", as_name),
    "lpar_id": ("lpar_id", as_int),
    "lpar_env": ("lpar_env", as_text),
    "state": ("state", as_text),
    "resource_config": ("resource_config", as_bool),
    "os_version": ("os_version", as_text),
    "default_profile": ("default_profile", as_name),
    "curr_profile": ("curr_profile", as_name),
    "work_group_id": ("work_group_id", as_text),
    "redundant_err_path_reporting": ("redundant_err_path_reporting", as_bool),
    "rmc_state": ("rmc_state", as_text),
    "rmc_ipaddr": ("rmc_ipaddr", as_text),
    "desired_lpar_proc_compat_mode": ("desired_proc_compat_mode", as_text),
    "curr_lpar_proc_compat_mode": ("curr_proc_compat_mode", as_text),
    "msp": ("msp", as_bool),
    "migration_disabled": ("migration_disabled", as_bool),
}
_PARTITION_MEMORY: Table = {
    "lpar_id": ("lpar_id", as_int),
    "curr_mem": ("curr_mem", as_int),
    "curr_num_huge_pages": ("curr_num_huge_pages", as_int),
    "mem_mode": ("mem_mode", as_text),
}
_PARTITION_PROCESSORS: Table = {
    "lpar_id": ("lpar_id", as_int),
    "curr_proc_mode": ("proc_mode", as_text),
    "curr_proc_units": ("curr_proc_units", as_float),
    "curr_procs": ("curr_procs", as_int),
    "curr_shared_proc_pool_id": ("curr_shared_proc_pool_id", as_int),
    "curr_shared_proc_pool_name": ("curr_shared_proc_pool_name", as_name),
}


def partitions(
    text: str, system: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[Partition]:
    """``lssyscfg -r lpar -m S``: partitions of the frame named ``system``."""
    return build(
        text,
        fields,
        delimiter,
        _PARTITION,
        ("name", "lpar_id"),
        lambda v: Partition(system=system, **v),  # type: ignore[arg-type]
        "partition",
    )


def partition_memory(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[Update]:
    """``lshwres -r mem --level lpar``: updates keyed by ``lpar_id`` (huge pages absent on VIOS)."""
    return _keyed(updates(text, fields, delimiter, _PARTITION_MEMORY, "memory record"))


def partition_processors(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[Update]:
    """``lshwres -r proc --level lpar``: updates keyed by ``lpar_id``."""
    return _keyed(updates(text, fields, delimiter, _PARTITION_PROCESSORS, "processor record"))


def _keyed(parsed: Parsed[Update]) -> Parsed[Update]:
    good = tuple(u for u in parsed.items if u.get("lpar_id") is not None)
    problems = list(parsed.problems)
    if len(good) < len(parsed.items):
        problems.append(f"{len(parsed.items) - len(good)} record(s) without lpar_id skipped")
    return Parsed(good, tuple(problems))


def merge_partitions(found: Iterable[Partition], *parts: Iterable[Update]) -> tuple[Partition, ...]:
    """Partitions completed by per-partition updates (memory, processors), matched by id."""
    by_id: dict[int, dict[str, object]] = {}
    for part in parts:
        for update in part:
            lpar_id = update.get("lpar_id")
            if isinstance(lpar_id, int):
                by_id.setdefault(lpar_id, {}).update(_known(update))
    out = []
    for partition in found:
        changes = {k: v for k, v in by_id.get(partition.lpar_id, {}).items() if k != "lpar_id"}
        out.append(dataclasses.replace(partition, **changes) if changes else partition)  # type: ignore[arg-type]
    return tuple(out)
