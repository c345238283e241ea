"""Mobility as the HMC reports it: ``lslparmigr`` lines, MSP pairs, validation results."""

from __future__ import annotations

from dataclasses import dataclass

# -- migration ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    """One line of ``lslparmigr -r lpar``."""

    name: str
    lpar_id: int
    migration_state: str = "Not Migrating"
    migration_type: str = ""  # active | inactive
    dest_sys_name: str = ""
    dest_lpar_id: int | None = None
    source_msp_name: str = ""
    source_msp_id: int | None = None
    dest_msp_name: str = ""
    dest_msp_id: int | None = None
    bytes_transmitted: int | None = None
    bytes_remaining: int | None = None
    remote_manager: str = ""
    remote_user: str = ""

    @property
    def migrating(self) -> bool:
        return self.migration_state != "Not Migrating"


@dataclass(frozen=True, slots=True)
class MspPair:
    """One line of ``lslparmigr -r msp``: a source MSP and the destination MSPs it can pair with."""

    source_msp_name: str
    source_msp_id: int
    dest_msp_names: tuple[str, ...] = ()
    dest_msp_ids: tuple[int, ...] = ()
    ipaddr_mappings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HmcMessage:
    """One HMC message, verbatim: ``HSCLA319 The migrating partition's ...`` (id may be empty)."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """``migrlpar -o v``: the HMC's own verdict, its messages kept verbatim."""

    partition: str
    source: str
    target: str
    rc: int | None
    errors: tuple[HmcMessage, ...] = ()
    warnings: tuple[HmcMessage, ...] = ()
    details: tuple[str, ...] = ()  # detail sections (e.g. VIOS_DETAILED_ERROR), verbatim
    raw: str = ""
    taken_at: float = 0.0

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.errors
