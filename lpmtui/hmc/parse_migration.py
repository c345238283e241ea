"""Parsers for ``lslparmigr`` listings and the output of ``migrlpar -o v``.

lslparmigr output is known from IBM's man page only ([M] in hmc-cli.md §6): these parsers are
key-based and accept any ``migration_state`` string, treating ``Not Migrating`` as idle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lpmtui.hmc import messages
from lpmtui.hmc.errors import message_ids
from lpmtui.hmc.parse_common import (
    Parsed,
    Table,
    Update,
    as_bool,
    as_int,
    as_int_list,
    as_list,
    as_name,
    as_name_list,
    as_text,
    build,
    capped,
    updates,
)
from lpmtui.model import HmcManager, HmcMessage, MigrationStatus, MspPair, ValidationResult


@dataclass(frozen=True, slots=True)
class ProcPool:
    """A shared processor pool on the target that can take the partition (lslparmigr)."""

    id: int | None
    name: str


@dataclass(frozen=True, slots=True)
class VirtualIoMappings:
    """``lslparmigr -r virtualio``: adapter mappings the target's VIOSes can host.

    Elements as printed: ``client_slot/dest_vios_name/dest_vios_id`` (usable verbatim in
    ``migrlpar -i virtual_scsi_mappings=...``).
    """

    lpar_name: str = ""
    lpar_id: int | None = None
    possible_scsi: tuple[str, ...] = ()
    suggested_scsi: tuple[str, ...] = ()
    possible_fc: tuple[str, ...] = ()
    suggested_fc: tuple[str, ...] = ()


_MANAGER: Table = {
    "remote_lpar_mobility_capable": ("remote_lpar_mobility_capable", as_bool),
}


def manager(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[HmcManager]:
    """``lslparmigr -r manager``."""
    return build(
        text,
        fields,
        delimiter,
        _MANAGER,
        (),
        lambda v: HmcManager(**v),
        "manager",  # type: ignore[arg-type]
    )


_SYSTEM_MIGRATION: Table = {
    "active_lpar_mobility_capable": ("active_mobility_capable", as_bool),
    "inactive_lpar_mobility_capable": ("inactive_mobility_capable", as_bool),
    "num_active_migrations_supported": ("num_active_migrations_supported", as_int),
    "num_active_migrations_in_progress": ("num_active_migrations_in_progress", as_int),
    "num_inactive_migrations_supported": ("num_inactive_migrations_supported", as_int),
    "num_inactive_migrations_in_progress": ("num_inactive_migrations_in_progress", as_int),
}


def system_migration(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[Update]:
    """``lslparmigr -r sys -m S``: capability and concurrent-migration counts (an update)."""
    return updates(text, fields, delimiter, _SYSTEM_MIGRATION, "migration record")


_MIGRATION: Table = {
    "name": ("name", as_name),
    "lpar_id": ("lpar_id", as_int),
    "migration_state": ("migration_state", as_text),
    "migration_type": ("migration_type", as_text),
    "dest_sys_name": ("dest_sys_name", as_name),
    "dest_lpar_id": ("dest_lpar_id", as_int),
    "source_msp_name": ("source_msp_name", as_name),
    "source_msp_id": ("source_msp_id", as_int),
    "dest_msp_name": ("dest_msp_name", as_name),
    "dest_msp_id": ("dest_msp_id", as_int),
    "bytes_transmitted": ("bytes_transmitted", as_int),
    "bytes_remaining": ("bytes_remaining", as_int),
    "remote_manager": ("remote_manager", as_text),
    "remote_user": ("remote_user", as_text),
}


def _migration(v: dict[str, object]) -> MigrationStatus:
    if not v.get("migration_state"):
        v["migration_state"] = "Not Migrating"
    return MigrationStatus(**v)  # type: ignore[arg-type]


def migrations(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[MigrationStatus]:
    """``lslparmigr -r lpar -m S``: one status per partition (idle ones say little)."""
    return build(text, fields, delimiter, _MIGRATION, ("name", "lpar_id"), _migration, "partition")


_MSP: Table = {
    "source_msp_name": ("source_msp_name", as_name),
    "source_msp_id": ("source_msp_id", as_int),
    "dest_msp_names": ("dest_msp_names", as_name_list),
    "dest_msp_ids": ("dest_msp_ids", as_int_list),
    "ipaddr_mappings": ("ipaddr_mappings", as_list),
}


def msp_pairs(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[MspPair]:
    """``lslparmigr -r msp``: each source MSP with the destination MSPs it can pair with."""
    return build(
        text,
        fields,
        delimiter,
        _MSP,
        ("source_msp_name", "source_msp_id"),
        lambda v: MspPair(**v),  # type: ignore[arg-type]
        "MSP record",
    )


def proc_pools(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[ProcPool]:
    """``lslparmigr -r procpool``: ``shared_proc_pool_ids`` and ``..._names`` paired in order."""
    table: Table = {
        "shared_proc_pool_ids": ("ids", as_list),
        "shared_proc_pool_names": ("names", as_name_list),
    }
    found = updates(text, fields, delimiter, table, "procpool record")
    items: list[ProcPool] = []
    problems = list(found.problems)
    for n, update in enumerate(found.items, 1):
        ids = list(update.get("ids", ()))  # type: ignore[call-overload]
        names = list(update.get("names", ()))  # type: ignore[call-overload]
        if ids and names and len(ids) != len(names):
            problems.append(f"procpool record {n}: {len(ids)} ids but {len(names)} names")
        for i in range(max(len(ids), len(names))):
            pool_id = None
            if i < len(ids):
                try:
                    pool_id = as_int(ids[i])
                except ValueError:
                    problems.append(f"procpool record {n}: pool id {ids[i][:40]!r} is not a number")
            items.append(ProcPool(pool_id, names[i] if i < len(names) else ""))
    return Parsed(tuple(items), capped(problems))


_VIRTUAL_IO: Table = {
    "lpar_name": ("lpar_name", as_name),
    "lpar_id": ("lpar_id", as_int),
    "possible_virtual_scsi_mappings": ("possible_scsi", as_list),
    "suggested_virtual_scsi_mappings": ("suggested_scsi", as_list),
    "possible_virtual_fc_mappings": ("possible_fc", as_list),
    "suggested_virtual_fc_mappings": ("suggested_fc", as_list),
}


def virtual_io_mappings(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[VirtualIoMappings]:
    """``lslparmigr -r virtualio``: possible and suggested mappings per partition."""
    return build(
        text,
        fields,
        delimiter,
        _VIRTUAL_IO,
        (),
        lambda v: VirtualIoMappings(**v),  # type: ignore[arg-type]
        "virtualio record",
    )


# -- migrlpar -o v --------------------------------------------------------------------------------

_HEADING = messages.HEADING


def _message(line: str) -> HmcMessage:
    """``HSCLA319 The migrating partition's ...`` -> id and the text after it, verbatim."""
    ids = message_ids(line)
    if not ids:
        return HmcMessage("", line.strip())
    rest = line.strip()[len(ids[0]) :]
    if rest.startswith(":"):
        rest = rest[1:]
    return HmcMessage(ids[0], rest.lstrip())


def validation(
    text: str,
    rc: int | None,
    *,
    partition: str,
    source: str,
    target: str,
    taken_at: float = 0.0,
) -> ValidationResult:
    """``migrlpar -o v``: the HMC's verdict, messages and detail sections verbatim.

    ``Errors:`` and ``Warnings:`` headings open blocks; a line starting with a message id is a
    message of the current block. Other lines after a message (VIOS_DETAILED_ERROR sections,
    the OS return code and output of the VIOS command) form that message's detail section,
    kept verbatim. Messages before any heading are errors when the command failed and
    warnings when it succeeded; a failure without any message id (e.g. the missing-parameter
    text) becomes one id-less error carrying the text.
    """
    errors: list[HmcMessage] = []
    warnings: list[HmcMessage] = []
    details: list[str] = []
    block: list[HmcMessage] | None = None
    detail: list[str] = []

    def flush() -> None:
        while detail and not detail[-1].strip():
            detail.pop()
        if detail:
            details.append("\n".join(detail))
        detail.clear()

    failed = rc is None or rc != 0
    seen_message = False
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            block = errors if heading.group(1) == messages.ERRORS_HEADING else warnings
            continue
        if message_ids(line):
            flush()
            seen_message = True
            target_block = block if block is not None else (errors if failed else warnings)
            target_block.append(_message(line))
            continue
        if seen_message:
            if detail or line.strip():
                detail.append(line)
        elif line.strip() and (block is not None or failed):
            # an id-less message (e.g. the missing-parameter text) opens the block's content
            (block if block is not None else errors).append(HmcMessage("", line.strip()))
            seen_message = True
    flush()
    if failed and not errors:
        reason = "the connection was lost; outcome unknown" if rc is None else f"exit status {rc}"
        errors.append(HmcMessage("", reason))
    return ValidationResult(
        partition=partition,
        source=source,
        target=target,
        rc=rc,
        errors=tuple(errors),
        warnings=tuple(warnings),
        details=tuple(details),
        raw=text,
        taken_at=taken_at,
    )
