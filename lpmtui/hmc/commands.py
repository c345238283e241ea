"""Every HMC command line lpmtui sends is built from argv by the builders re-exported here.

Quoting (shell and HMC attribute-record layers) lives in :mod:`lpmtui.hmc.command_args`, the
``-F`` field sets in :mod:`lpmtui.hmc.command_fields`, the migration commands (``lslparmigr``,
``migrlpar``) in :mod:`lpmtui.hmc.commands_migration`; this module holds the listing builders
and is the one place callers import any of them from.

Builders ask only for the ``-F`` fields the caller needs and select partitions by id where the
HMC allows it. The ``-m`` value is whatever the caller passes (callers pass ``type-model*serial``).
"""

from __future__ import annotations

from collections.abc import Iterable

from lpmtui.hmc.command_args import (
    Command,
    Lpar,
    UnsafeArgumentError,
    command_line,
    filter_args,
    filter_value,
    id_arg,
    list_value,
    listing,
    remote_args,
    text_arg,
)
from lpmtui.hmc.command_fields import (
    FIRMWARE_FIELDS,
    IO_SLOT_FIELDS,
    NPIV_PORTS_COMMAND,
    OPTICAL_MAP_COMMAND,
    PARTITION_FIELDS,
    PARTITION_MEMORY_FIELDS,
    PARTITION_PROCESSOR_FIELDS,
    PROC_POOL_FIELDS,
    PROFILE_FIELDS,
    SRIOV_LOGPORT_FIELDS,
    SRIOV_PHYSPORT_FIELDS,
    SYSTEM_FIELDS,
    SYSTEM_MEMORY_FIELDS,
    SYSTEM_PROCESSOR_FIELDS,
    VIRTUAL_IO_FIELDS,
    VNIC_FIELDS,
    VirtualIoKind,
    for_level,
)
from lpmtui.hmc.commands_migration import (
    MigrationInputs,
    MigrationOp,
    manager_migration,
    migrlpar,
    msp_pairs,
    partition_migrations,
    proc_pools,
    system_migration,
    virtual_io_mappings,
)

__all__ = [
    "FIRMWARE_FIELDS",
    "IO_SLOT_FIELDS",
    "NPIV_PORTS_COMMAND",
    "OPTICAL_MAP_COMMAND",
    "PARTITION_FIELDS",
    "PARTITION_MEMORY_FIELDS",
    "PARTITION_PROCESSOR_FIELDS",
    "PROC_POOL_FIELDS",
    "PROFILE_FIELDS",
    "SYSTEM_FIELDS",
    "SYSTEM_MEMORY_FIELDS",
    "SYSTEM_PROCESSOR_FIELDS",
    "VIRTUAL_IO_FIELDS",
    "Command",
    "Lpar",
    "MigrationInputs",
    "MigrationOp",
    "UnsafeArgumentError",
    "VirtualIoKind",
    "close_terminal",
    "command_line",
    "filter_value",
    "firmware_level",
    "for_level",
    "hmc_version",
    "io_slots",
    "list_value",
    "manager_migration",
    "migrlpar",
    "mkauthkeys_setup",
    "mkauthkeys_test",
    "msp_pairs",
    "partition_memory",
    "partition_migrations",
    "partition_processors",
    "partitions",
    "proc_pools",
    "profiles",
    "shared_proc_pools",
    "sriov_logical_ports",
    "sriov_physical_ports",
    "system_memory",
    "system_migration",
    "system_processors",
    "systems",
    "vios_npiv_ports",
    "vios_optical_mappings",
    "virtual_io",
    "virtual_io_mappings",
    "vnic_adapters",
]


# -- HMC-wide -----------------------------------------------------------------------------------


def hmc_version() -> Command:
    """``lshmc -V``: one quoted multi-line record."""
    return Command(("lshmc", "-V"))


def mkauthkeys_setup(remote_ip: str, remote_user: str = "hscroot") -> Command:
    """``mkauthkeys --ip H -u U``: let this HMC run commands on H (the HMC asks for U's
    password). Shown to the user, never sent by the console."""
    return Command(("mkauthkeys", *remote_args(remote_ip, remote_user)))


def mkauthkeys_test(remote_ip: str, remote_user: str = "hscroot") -> Command:
    """``mkauthkeys --ip H -u U --test``: rc 0 when this HMC may run commands on H (no output)."""
    return Command(("mkauthkeys", *remote_args(remote_ip, remote_user), "--test"))


# -- lssyscfg -----------------------------------------------------------------------------------


def systems(fields: Iterable[str] = SYSTEM_FIELDS) -> Command:
    """``lssyscfg -r sys``: every managed system of this HMC in one command."""
    return listing(["lssyscfg", "-r", "sys"], fields)


def partitions(
    system: str, fields: Iterable[str] = PARTITION_FIELDS, lpar: Lpar | None = None
) -> Command:
    """``lssyscfg -r lpar -m S``: all partitions of a frame (or one, by ``--filter``)."""
    return _frame_listing(["lssyscfg", "-r", "lpar"], system, [], lpar, fields)


def profiles(
    system: str, fields: Iterable[str] = PROFILE_FIELDS, lpar: Lpar | None = None
) -> Command:
    """``lssyscfg -r prof -m S``: partition profiles, LPM-relevant fields only."""
    return _frame_listing(["lssyscfg", "-r", "prof"], system, [], lpar, fields)


def _frame_listing(
    head: list[str], system: str, tail: list[str], lpar: Lpar | None, fields: Iterable[str]
) -> Command:
    """``HEAD -m SYSTEM TAIL [--filter ...] [-F ...]``: a listing of one frame."""
    return listing([*head, "-m", text_arg(system, "system"), *tail, *filter_args(lpar)], fields)


# -- lshwres ------------------------------------------------------------------------------------


def system_memory(system: str, fields: Iterable[str] = SYSTEM_MEMORY_FIELDS) -> Command:
    return _frame_listing(["lshwres", "-r", "mem"], system, ["--level", "sys"], None, fields)


def shared_proc_pools(system: str, fields: Iterable[str] = PROC_POOL_FIELDS) -> Command:
    """``lshwres -r procpool -m S``: the frame's shared processor pools (DefaultPool is 0)."""
    return _frame_listing(["lshwres", "-r", "procpool"], system, [], None, fields)


def system_processors(system: str, fields: Iterable[str] = SYSTEM_PROCESSOR_FIELDS) -> Command:
    return _frame_listing(["lshwres", "-r", "proc"], system, ["--level", "sys"], None, fields)


def partition_memory(
    system: str, fields: Iterable[str] = PARTITION_MEMORY_FIELDS, lpar: Lpar | None = None
) -> Command:
    return _frame_listing(["lshwres", "-r", "mem"], system, ["--level", "lpar"], lpar, fields)


def partition_processors(
    system: str, fields: Iterable[str] = PARTITION_PROCESSOR_FIELDS, lpar: Lpar | None = None
) -> Command:
    return _frame_listing(["lshwres", "-r", "proc"], system, ["--level", "lpar"], lpar, fields)


def io_slots(
    system: str, fields: Iterable[str] = IO_SLOT_FIELDS, lpar: Lpar | None = None
) -> Command:
    """``lshwres -r io --rsubtype slot``: physical slots; a free slot has ``lpar_id=none``."""
    return _frame_listing(["lshwres", "-r", "io", "--rsubtype", "slot"], system, [], lpar, fields)


def virtual_io(
    system: str,
    kind: VirtualIoKind,
    fields: Iterable[str] | None = None,
    lpar: Lpar | None = None,
) -> Command:
    """``lshwres -r virtualio --rsubtype scsi|fc|eth|slot --level lpar``."""
    if kind not in VIRTUAL_IO_FIELDS:
        raise ValueError(f"unknown virtual I/O kind {kind!r}")
    head = ["lshwres", "-r", "virtualio", "--rsubtype", kind, "--level", "lpar"]
    return _frame_listing(
        head, system, [], lpar, VIRTUAL_IO_FIELDS[kind] if fields is None else fields
    )


def sriov_logical_ports(system: str, fields: Iterable[str] = SRIOV_LOGPORT_FIELDS) -> Command:
    """``lshwres -r sriov --rsubtype logport --level eth``: configured Ethernet logical ports
    and who owns them (pcie-…-sriov--effective-logical-ports-before)."""
    head = ["lshwres", "-r", "sriov", "--rsubtype", "logport", "--level", "eth"]
    return _frame_listing(head, system, [], None, fields)


def sriov_physical_ports(system: str, fields: Iterable[str] = SRIOV_PHYSPORT_FIELDS) -> Command:
    """``lshwres -r sriov --rsubtype physport --level eth``: the frame's SR-IOV Ethernet ports
    and their logical-port room (cli-sriov-physport-eth-default-v11r2-p9)."""
    head = ["lshwres", "-r", "sriov", "--rsubtype", "physport", "--level", "eth"]
    return _frame_listing(head, system, [], None, fields)


def vnic_adapters(system: str, fields: Iterable[str] = VNIC_FIELDS) -> Command:
    """``lshwres -r virtualio --rsubtype vnic --level lpar``: clients' vNICs and their backing
    devices (pcie-…-vnic--vnic-readback)."""
    head = ["lshwres", "-r", "virtualio", "--rsubtype", "vnic", "--level", "lpar"]
    return _frame_listing(head, system, [], None, fields)


# -- firmware, VIOS, consoles -------------------------------------------------------------------


def firmware_level(system: str, fields: Iterable[str] = FIRMWARE_FIELDS) -> Command:
    """``lslic -t sys -m S``: the activated system firmware level. [M]"""
    return _frame_listing(["lslic", "-t", "sys"], system, [], None, fields)


def _viosvrcmd(system: str, vios_id: int, vios_command: str) -> Command:
    """``viosvrcmd -m S --id N -c CMD``: the command string is one argv token, handed to the
    VIOS padmin shell as is; its output is ``:``-delimited."""
    argv = ("viosvrcmd", "-m", text_arg(system, "system"), "--id", id_arg(vios_id, "VIOS id"))
    return Command((*argv, "-c", vios_command), delimiter=":")


def vios_optical_mappings(system: str, vios_id: int) -> Command:
    """Virtual optical (file-backed vtopt) mappings of one VIOS, through ``viosvrcmd``. [M]"""
    return _viosvrcmd(system, vios_id, OPTICAL_MAP_COMMAND)


def vios_npiv_ports(system: str, vios_id: int) -> Command:
    """NPIV-capable FC ports of one VIOS (``lsnports``), through ``viosvrcmd``. [M]"""
    return _viosvrcmd(system, vios_id, NPIV_PORTS_COMMAND)


def close_terminal(system: str, lpar_id: int) -> Command:
    """``rmvterm -m S --id N``: close an open virtual terminal before a migration."""
    lpar = id_arg(lpar_id, "lpar id")
    return Command(("rmvterm", "-m", text_arg(system, "system"), "--id", lpar))
