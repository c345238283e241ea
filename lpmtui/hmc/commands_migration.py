"""Migration commands: ``lslparmigr`` (states, capabilities, choices on a target) and
``migrlpar`` (validate, migrate, stop, recover) with its ``-i`` attribute record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lpmtui.hmc import records
from lpmtui.hmc.command_args import (
    Command,
    Lpar,
    filter_args,
    id_arg,
    list_value,
    remote_args,
    select_args,
    text_arg,
)

MigrationOp = Literal["v", "m", "s", "r"]


# -- lslparmigr ---------------------------------------------------------------------------------
# Default listings: lslparmigr prints different attribute sets per line (a partition that is
# not migrating shows only name, lpar_id and migration_state), which key-based parsing reads.


def manager_migration() -> Command:
    """``lslparmigr -r manager``: can this HMC migrate to/from other HMCs."""
    return Command(("lslparmigr", "-r", "manager"))


def system_migration(system: str) -> Command:
    """``lslparmigr -r sys -m S``: mobility capability and concurrent migration counts."""
    return Command(("lslparmigr", "-r", "sys", "-m", text_arg(system, "system")))


def partition_migrations(system: str, lpar: Lpar | Sequence[Lpar] | None = None) -> Command:
    """``lslparmigr -r lpar -m S``: the migration state of every partition of a frame."""
    argv = ("lslparmigr", "-r", "lpar", "-m", text_arg(system, "system"))
    return Command((*argv, *filter_args(lpar)))


def _migration_choices(
    resource: str,
    system: str,
    target: str,
    lpar: Lpar,
    remote_ip: str | None,
    remote_user: str | None,
) -> Command:
    argv = ["lslparmigr", "-r", resource, "-m", text_arg(system, "system")]
    argv += ["-t", text_arg(target, "target system"), *remote_args(remote_ip, remote_user)]
    return Command((*argv, *filter_args(lpar)))


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
                out.append((name, text_arg(value, name)))
        for name in ("source_msp_id", "dest_msp_id", "shared_proc_pool_id", "dest_lpar_id"):
            value = getattr(self, name)
            if value is not None:
                out.append((name, id_arg(value, name)))
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
    argv = ["migrlpar", "-o", op, "-m", text_arg(system, "system")]
    if target is not None:
        argv += ["-t", text_arg(target, "target system")]
    argv += remote_args(remote_ip, remote_user)
    argv += select_args(lpar)
    if profile is not None:
        argv += ["-n", text_arg(profile, "profile name")]
    if inputs is not None:
        record = inputs.record()
        if record:
            argv += ["-i", record]
    if wait_minutes is not None:
        argv += ["-w", id_arg(wait_minutes, "wait time")]
    if force:
        argv.append("--force")
    return Command(tuple(argv))
