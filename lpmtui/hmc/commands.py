"""Every HMC command line lpmtui sends is built here, from argv, with all quoting in one place.

Two quoting layers meet here and nowhere else:

- the shell layer: the HMC's restricted bash parses the command string, so each argv token is
  ``shlex.quote``-d by :func:`command_line`;
- the HMC attribute-record layer: ``-i`` and ``--filter`` values are records in the HMC's own
  format (a pair whose value holds a comma is quoted whole, list elements that hold commas get
  doubled quotes), built with :mod:`lpmtui.hmc.records` so the simulator decodes them exactly as
  it prints them (``records.parse`` then ``records.split_list``).

Builders ask only for the ``-F`` fields the caller needs and select partitions by id where the
HMC allows it. The ``-m`` value is whatever the caller passes (callers pass ``type-model*serial``).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from lpmtui.hmc import records


class UnsafeArgumentError(ValueError):
    """An argument that cannot be sent safely (a NUL byte cannot cross an SSH exec request)."""


def command_line(argv: Sequence[str]) -> str:
    """Join argv into the one string the HMC's restricted bash parses back into the same argv."""
    for arg in argv:
        if "\x00" in arg:
            raise UnsafeArgumentError(f"argument contains a NUL byte: {arg!r}")
    return " ".join(shlex.quote(a) for a in argv)


@dataclass(frozen=True, slots=True)
class Command:
    """One HMC command: its argv, the ``-F`` names it asks for (empty = default listing)."""

    argv: tuple[str, ...]
    fields: tuple[str, ...] = ()
    delimiter: str = ","

    def __post_init__(self) -> None:
        command_line(self.argv)  # refuse unsendable arguments when built, not when sent

    @property
    def line(self) -> str:
        return command_line(self.argv)

    def default_listing(self) -> Command:
        """The same command without ``-F``: for HMC levels that reject one of the names asked.

        Parsers are key-based, so they read the full default listing just as well.
        """
        if not self.fields:
            return self
        argv = list(self.argv)
        i = argv.index("-F")
        del argv[i : i + 2]
        return Command(tuple(argv))


# -- the -F field sets the console needs ------------------------------------------------------


def _names(words: str) -> tuple[str, ...]:
    return tuple(words.split())


SYSTEM_FIELDS = _names(
    "name type_model serial_num state detailed_state ipaddr "
    "active_lpar_mobility_capable inactive_lpar_mobility_capable "
    "lpar_suspend_capable lpar_proc_compat_modes service_lpar_id max_lpars "
    "ibmi_lpar_mobility_capable"
)
PARTITION_FIELDS = _names(
    "name lpar_id lpar_env state resource_config os_version default_profile "
    "curr_profile work_group_id redundant_err_path_reporting rmc_state rmc_ipaddr "
    "desired_lpar_proc_compat_mode curr_lpar_proc_compat_mode msp "
    "migration_disabled"
)
PROFILE_FIELDS = _names(
    "name lpar_name lpar_id min_mem desired_mem proc_mode min_proc_units desired_proc_units "
    "min_procs desired_procs io_slots bsr_arrays desired_num_huge_pages "
    "redundant_err_path_reporting lpar_proc_compat_mode max_virtual_slots "
    "virtual_scsi_adapters virtual_fc_adapters virtual_eth_adapters"
)
SYSTEM_MEMORY_FIELDS = _names(
    "configurable_sys_mem curr_avail_sys_mem sys_firmware_mem mem_region_size"
)
SYSTEM_PROCESSOR_FIELDS = _names(
    "configurable_sys_proc_units curr_avail_sys_proc_units max_shared_proc_pools"
)
PARTITION_MEMORY_FIELDS = _names("lpar_id curr_mem curr_num_huge_pages mem_mode")
PARTITION_PROCESSOR_FIELDS = _names(
    "lpar_id curr_proc_mode curr_proc_units curr_procs curr_shared_proc_pool_id "
    "curr_shared_proc_pool_name"
)
# lshwres -r procpool: the frame's shared processor pools. [M] attribute names from memory of
# the lshwres man page (name, shared_proc_pool_id, max_pool_proc_units, ...).
PROC_POOL_FIELDS = _names("shared_proc_pool_id name")
IO_SLOT_FIELDS = _names("drc_index drc_name lpar_id lpar_name description")
VIRTUAL_IO_FIELDS: dict[str, tuple[str, ...]] = {
    "scsi": _names(
        "lpar_name lpar_id slot_num state is_required adapter_type remote_lpar_id "
        "remote_lpar_name remote_slot_num"
    ),
    "fc": _names(
        "lpar_name lpar_id slot_num state is_required adapter_type remote_lpar_id "
        "remote_lpar_name remote_slot_num wwpns"
    ),
    "eth": _names(
        "lpar_name lpar_id slot_num state is_required is_trunk trunk_priority "
        "ieee_virtual_eth port_vlan_id addl_vlan_ids vswitch mac_addr"
    ),
    "slot": _names("lpar_name lpar_id curr_max_virtual_slots next_avail_virtual_slot"),
}
# lslic: the activated firmware level. [M] attribute names from memory of the lslic man page
# (activated_level = the service pack number, activated_spname = e.g. "FW950.80").
FIRMWARE_FIELDS = ("activated_level", "activated_spname")
# lsmap on the VIOS (run through viosvrcmd): file-backed virtual optical devices only. [M]
OPTICAL_MAP_COMMAND = "lsmap -all -type file_opt -fmt :"
# lsnports on the VIOS: its NPIV-capable FC ports (none listed: it cannot host virtual FC). [M]
NPIV_PORTS_COMMAND = "lsnports -fmt :"

VirtualIoKind = Literal["scsi", "fc", "eth", "slot"]
MigrationOp = Literal["v", "m", "s", "r"]
Lpar = int | str  # a partition id (preferred) or its name


# -- helpers ------------------------------------------------------------------------------------


def _text(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"{what} must not be empty")
    if "\x00" in value:
        raise UnsafeArgumentError(f"{what} contains a NUL byte: {value!r}")
    return value


def _id(value: int, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")
    return str(value)


def _f(fields: Iterable[str], delimiter: str) -> tuple[list[str], tuple[str, ...]]:
    names = tuple(fields)
    if not names:
        return [], ()
    for name in names:
        if not name or delimiter in name or "\x00" in name:
            raise ValueError(f"bad -F attribute name {name!r}")
    return ["-F", delimiter.join(names)], names


def _command(argv: list[str], fields: Iterable[str] = (), delimiter: str = ",") -> Command:
    f_args, names = _f(fields, delimiter)
    return Command(tuple(argv + f_args), names, delimiter)


def list_value(elements: Iterable[str]) -> str:
    """A list value for ``-i``/``--filter``: ``records.format_list`` plus two extra cases.

    An element holding a line break, and the element ``none``, are quoted too: unquoted,
    ``records.split_list`` would split the first at the line break and read the second as an
    empty list.
    """
    elements = [_text(e, "a list element") for e in elements]
    if any("\n" in e or "\r" in e or e == "none" for e in elements):
        return ",".join('"' + e.replace('"', '""') + '"' for e in elements)
    return records.format_list(elements)


def filter_value(lpars: Lpar | Sequence[Lpar]) -> str:
    """``--filter`` for partitions: ``lpar_ids=N[,M]`` (ids) or ``lpar_names=...`` (names)."""
    items = [lpars] if isinstance(lpars, int | str) else list(lpars)
    if not items:
        raise ValueError("a partition filter needs at least one partition")
    if all(isinstance(i, int) for i in items):
        return records.format_record([("lpar_ids", list_value(_id(i, "lpar id") for i in items))])
    if all(isinstance(i, str) for i in items):
        return records.format_record([("lpar_names", list_value(items))])  # type: ignore[arg-type]
    raise ValueError("filter by ids or by names, not a mix")


def _filter(lpar: Lpar | Sequence[Lpar] | None) -> list[str]:
    return [] if lpar is None else ["--filter", filter_value(lpar)]


def _select(lpar: Lpar) -> list[str]:
    """``--id N`` for an id (preferred), ``-p NAME`` for a name."""
    if isinstance(lpar, int):
        return ["--id", _id(lpar, "lpar id")]
    return ["-p", _text(lpar, "partition name")]


def _remote(remote_ip: str | None, remote_user: str | None) -> list[str]:
    if remote_ip is None:
        if remote_user is not None:
            raise ValueError("a remote user needs a remote HMC (--ip)")
        return []
    out = ["--ip", _text(remote_ip, "remote HMC address")]
    if remote_user is not None:
        out += ["-u", _text(remote_user, "remote user")]
    return out


# -- HMC-wide -----------------------------------------------------------------------------------


def hmc_version() -> Command:
    """``lshmc -V``: one quoted multi-line record."""
    return Command(("lshmc", "-V"))


def mkauthkeys_test(remote_ip: str, remote_user: str = "hscroot") -> Command:
    """``mkauthkeys --ip H -u U --test``: rc 0 when this HMC may run commands on H (no output)."""
    return Command(("mkauthkeys", *_remote(remote_ip, remote_user), "--test"))


# -- lssyscfg -----------------------------------------------------------------------------------


def systems(fields: Iterable[str] = SYSTEM_FIELDS) -> Command:
    """``lssyscfg -r sys``: every managed system of this HMC in one command."""
    return _command(["lssyscfg", "-r", "sys"], fields)


def partitions(
    system: str, fields: Iterable[str] = PARTITION_FIELDS, lpar: Lpar | None = None
) -> Command:
    """``lssyscfg -r lpar -m S``: all partitions of a frame (or one, by ``--filter``)."""
    return _command(
        ["lssyscfg", "-r", "lpar", "-m", _text(system, "system"), *_filter(lpar)], fields
    )


def profiles(
    system: str, fields: Iterable[str] = PROFILE_FIELDS, lpar: Lpar | None = None
) -> Command:
    """``lssyscfg -r prof -m S``: partition profiles, LPM-relevant fields only."""
    return _command(
        ["lssyscfg", "-r", "prof", "-m", _text(system, "system"), *_filter(lpar)], fields
    )


# -- lshwres ------------------------------------------------------------------------------------


def system_memory(system: str, fields: Iterable[str] = SYSTEM_MEMORY_FIELDS) -> Command:
    return _command(
        ["lshwres", "-r", "mem", "-m", _text(system, "system"), "--level", "sys"], fields
    )


def shared_proc_pools(system: str, fields: Iterable[str] = PROC_POOL_FIELDS) -> Command:
    """``lshwres -r procpool -m S``: the frame's shared processor pools (DefaultPool is 0)."""
    return _command(["lshwres", "-r", "procpool", "-m", _text(system, "system")], fields)


def system_processors(system: str, fields: Iterable[str] = SYSTEM_PROCESSOR_FIELDS) -> Command:
    return _command(
        ["lshwres", "-r", "proc", "-m", _text(system, "system"), "--level", "sys"], fields
    )


def partition_memory(
    system: str, fields: Iterable[str] = PARTITION_MEMORY_FIELDS, lpar: Lpar | None = None
) -> Command:
    return _command(
        ["lshwres", "-r", "mem", "-m", _text(system, "system"), "--level", "lpar", *_filter(lpar)],
        fields,
    )


def partition_processors(
    system: str, fields: Iterable[str] = PARTITION_PROCESSOR_FIELDS, lpar: Lpar | None = None
) -> Command:
    argv = ["lshwres", "-r", "proc", "-m", _text(system, "system"), "--level", "lpar"]
    return _command([*argv, *_filter(lpar)], fields)


def io_slots(
    system: str, fields: Iterable[str] = IO_SLOT_FIELDS, lpar: Lpar | None = None
) -> Command:
    """``lshwres -r io --rsubtype slot``: physical slots; a free slot has ``lpar_id=none``."""
    argv = ["lshwres", "-r", "io", "--rsubtype", "slot", "-m", _text(system, "system")]
    return _command([*argv, *_filter(lpar)], fields)


def virtual_io(
    system: str,
    kind: VirtualIoKind,
    fields: Iterable[str] | None = None,
    lpar: Lpar | None = None,
) -> Command:
    """``lshwres -r virtualio --rsubtype scsi|fc|eth|slot --level lpar``."""
    if kind not in VIRTUAL_IO_FIELDS:
        raise ValueError(f"unknown virtual I/O kind {kind!r}")
    argv = ["lshwres", "-r", "virtualio", "--rsubtype", kind, "--level", "lpar"]
    argv += ["-m", _text(system, "system"), *_filter(lpar)]
    return _command(argv, VIRTUAL_IO_FIELDS[kind] if fields is None else fields)


# -- firmware, VIOS, consoles -------------------------------------------------------------------


def firmware_level(system: str, fields: Iterable[str] = FIRMWARE_FIELDS) -> Command:
    """``lslic -t sys -m S``: the activated system firmware level. [M]"""
    return _command(["lslic", "-t", "sys", "-m", _text(system, "system")], fields)


def vios_optical_mappings(system: str, vios_id: int) -> Command:
    """Virtual optical (file-backed vtopt) mappings of one VIOS, through ``viosvrcmd``. [M]

    The lsmap string is one argv token: the HMC hands it to the VIOS padmin shell as is.
    """
    return Command(
        (
            "viosvrcmd",
            "-m",
            _text(system, "system"),
            "--id",
            _id(vios_id, "VIOS id"),
            "-c",
            OPTICAL_MAP_COMMAND,
        ),
        delimiter=":",
    )


def vios_npiv_ports(system: str, vios_id: int) -> Command:
    """NPIV-capable FC ports of one VIOS (``lsnports``), through ``viosvrcmd``. [M]"""
    return Command(
        (
            "viosvrcmd",
            "-m",
            _text(system, "system"),
            "--id",
            _id(vios_id, "VIOS id"),
            "-c",
            NPIV_PORTS_COMMAND,
        ),
        delimiter=":",
    )


def close_terminal(system: str, lpar_id: int) -> Command:
    """``rmvterm -m S --id N``: close an open virtual terminal before a migration."""
    return Command(("rmvterm", "-m", _text(system, "system"), "--id", _id(lpar_id, "lpar id")))


# -- lslparmigr ---------------------------------------------------------------------------------
# Default listings: lslparmigr prints different attribute sets per line (a partition that is
# not migrating shows only name, lpar_id and migration_state), which key-based parsing reads.


def manager_migration() -> Command:
    """``lslparmigr -r manager``: can this HMC migrate to/from other HMCs."""
    return Command(("lslparmigr", "-r", "manager"))


def system_migration(system: str) -> Command:
    """``lslparmigr -r sys -m S``: mobility capability and concurrent migration counts."""
    return Command(("lslparmigr", "-r", "sys", "-m", _text(system, "system")))


def partition_migrations(system: str, lpar: Lpar | Sequence[Lpar] | None = None) -> Command:
    """``lslparmigr -r lpar -m S``: the migration state of every partition of a frame."""
    return Command(("lslparmigr", "-r", "lpar", "-m", _text(system, "system"), *_filter(lpar)))


def _migration_choices(
    resource: str,
    system: str,
    target: str,
    lpar: Lpar,
    remote_ip: str | None,
    remote_user: str | None,
) -> Command:
    argv = ["lslparmigr", "-r", resource, "-m", _text(system, "system")]
    argv += ["-t", _text(target, "target system"), *_remote(remote_ip, remote_user)]
    return Command((*argv, *_filter(lpar)))


def msp_pairs(
    system: str,
    target: str,
    lpar: Lpar,
    remote_ip: str | None = None,
    remote_user: str | None = None,
) -> Command:
    """``lslparmigr -r msp``: mover service partition pairs usable for ``lpar``."""
    return _migration_choices("msp", system, target, lpar, remote_ip, remote_user)


def virtual_io_mappings(
    system: str,
    target: str,
    lpar: Lpar,
    remote_ip: str | None = None,
    remote_user: str | None = None,
) -> Command:
    """``lslparmigr -r virtualio``: possible and suggested adapter mappings on the target."""
    return _migration_choices("virtualio", system, target, lpar, remote_ip, remote_user)


def proc_pools(
    system: str,
    target: str,
    lpar: Lpar,
    remote_ip: str | None = None,
    remote_user: str | None = None,
) -> Command:
    """``lslparmigr -r procpool``: shared processor pools on the target that can take ``lpar``."""
    return _migration_choices("procpool", system, target, lpar, remote_ip, remote_user)


# -- migrlpar -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MigrationInputs:
    """The ``-i`` attributes of ``migrlpar``; only those set are sent."""

    source_msp_name: str | None = None
    source_msp_id: int | None = None
    dest_msp_name: str | None = None
    dest_msp_id: int | None = None
    shared_proc_pool_name: str | None = None
    shared_proc_pool_id: int | None = None
    dest_lpar_id: int | None = None
    # client_slot/dest_vios_name/dest_vios_id[/dest_vios_slot[/dest_fc_port]] per element
    virtual_scsi_mappings: tuple[str, ...] = ()
    virtual_fc_mappings: tuple[str, ...] = ()

    def pairs(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for name in ("source_msp_name", "dest_msp_name", "shared_proc_pool_name"):
            value = getattr(self, name)
            if value is not None:
                out.append((name, _text(value, name)))
        for name in ("source_msp_id", "dest_msp_id", "shared_proc_pool_id", "dest_lpar_id"):
            value = getattr(self, name)
            if value is not None:
                out.append((name, _id(value, name)))
        for name in ("virtual_scsi_mappings", "virtual_fc_mappings"):
            value = getattr(self, name)
            if value:
                out.append((name, list_value(value)))
        return out

    def record(self) -> str:
        """The ``-i`` value: one HMC attribute record ("" when nothing is set)."""
        return records.format_record(self.pairs())


def migrlpar(
    op: MigrationOp,
    system: str,
    lpar: Lpar,
    *,
    target: str | None = None,
    remote_ip: str | None = None,
    remote_user: str | None = None,
    profile: str | None = None,
    wait_minutes: int | None = None,
    force: bool = False,
    inputs: MigrationInputs | None = None,
) -> Command:
    """``migrlpar -o v|m|s|r``: validate, migrate, stop or recover one partition.

    Validate and migrate need a target; stop and recover are issued against the source alone
    (the man page: stop must, recover should, run on the HMC that manages the source).
    """
    if op not in ("v", "m", "s", "r"):
        raise ValueError(f"unknown migrlpar operation {op!r}")
    moving = op in ("v", "m")
    if moving and target is None:
        raise ValueError(f"migrlpar -o {op} needs a target system")
    if not moving and (target is not None or remote_ip is not None):
        raise ValueError(f"migrlpar -o {op} runs against the source only (no -t/--ip)")
    if force and op not in ("r", "s"):
        raise ValueError("--force applies to stop and recover only")
    if not moving and (profile is not None or inputs is not None):
        raise ValueError(f"migrlpar -o {op} takes no profile or -i attributes")
    argv = ["migrlpar", "-o", op, "-m", _text(system, "system")]
    if target is not None:
        argv += ["-t", _text(target, "target system")]
    argv += _remote(remote_ip, remote_user)
    argv += _select(lpar)
    if profile is not None:
        argv += ["-n", _text(profile, "profile name")]
    if inputs is not None:
        record = inputs.record()
        if record:
            argv += ["-i", record]
    if wait_minutes is not None:
        argv += ["-w", _id(wait_minutes, "wait time")]
    if force:
        argv.append("--force")
    return Command(tuple(argv))
