"""The management console, its frames and their partitions (lshmc, lssyscfg, lshwres)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_POWER_GEN = re.compile(r"POWER(\d+)")

# -- the management console ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HmcVersion:
    """``lshmc -V``: e.g. Version 10, Release 3, Service Pack 1060."""

    version: int
    release: str  # "7.9.0" on V7/V8 (dotted), "3" on V10
    service_pack: str
    build_level: str = ""
    base_version: str = ""  # "V7R7.9.0"
    fixes: tuple[str, ...] = ()

    @property
    def release_tuple(self) -> tuple[int, ...]:
        """(version, release parts...) for comparisons: V7R3.4 -> (7, 3, 4)."""
        parts = [int(p) for p in re.findall(r"\d+", self.release)]
        return (self.version, *parts)

    def at_least(self, *wanted: int) -> bool:
        have = self.release_tuple
        width = max(len(have), len(wanted))
        return have + (0,) * (width - len(have)) >= tuple(wanted) + (0,) * (width - len(wanted))

    @property
    def label(self) -> str:
        if self.base_version:
            return f"{self.base_version} SP{self.service_pack}"
        return f"V{self.version}R{self.release} M{self.service_pack}"


@dataclass(frozen=True, slots=True)
class HmcManager:
    """``lslparmigr -r manager``: the console's own mobility capability."""

    remote_lpar_mobility_capable: bool | None = None


# -- managed systems (frames) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManagedSystem:
    """A frame, merged from ``lssyscfg -r sys``, ``lshwres`` (mem/proc sys), ``lslparmigr -r sys``
    and ``lslic``."""

    name: str
    type_model: str = ""
    serial: str = ""
    state: str = ""
    detailed_state: str = ""
    ipaddr: str = ""
    active_mobility_capable: bool | None = None
    inactive_mobility_capable: bool | None = None
    ibmi_mobility_capable: bool | None = None
    suspend_capable: bool | None = None
    proc_compat_modes: tuple[str, ...] = ()
    service_lpar_id: int | None = None
    max_lpars: int | None = None
    # lshwres -r mem --level sys (MB)
    mem_configurable: int | None = None
    mem_available: int | None = None
    mem_firmware: int | None = None
    mem_region_size: int | None = None  # the LMB size
    # lshwres -r proc --level sys
    proc_units_configurable: float | None = None
    proc_units_available: float | None = None
    max_shared_proc_pools: int | None = None
    # lslparmigr -r sys
    num_active_migrations_supported: int | None = None
    num_active_migrations_in_progress: int | None = None
    num_inactive_migrations_supported: int | None = None
    num_inactive_migrations_in_progress: int | None = None
    # lslic -t sys (firmware)
    firmware_level: str = ""  # e.g. "FW950.80"
    # REST LogicalPartitionSRIOVMigrationCapable (real-hmc-facts §6): no CLI attribute is
    # evidenced, so no listing sets it; None = not reported
    sriov_migration_capable: bool | None = None

    @property
    def mtms(self) -> str:
        """``type-model*serial``: the unambiguous ``-m`` value."""
        return f"{self.type_model}*{self.serial}" if self.type_model and self.serial else self.name

    @property
    def operating(self) -> bool:
        return self.state == "Operating"

    @property
    def processor_generation(self) -> int | None:
        """The newest POWER generation among the supported compatibility modes (9 for POWER9)."""
        gens = [int(m.group(1)) for m in map(_POWER_GEN.match, self.proc_compat_modes) if m]
        return max(gens) if gens else None


# -- partitions ---------------------------------------------------------------------------------


class LparEnv(StrEnum):
    AIXLINUX = "aixlinux"
    OS400 = "os400"
    VIOSERVER = "vioserver"


@dataclass(frozen=True, slots=True)
class Partition:
    """An LPAR, merged from ``lssyscfg -r lpar`` and ``lshwres`` mem/proc at partition level."""

    system: str  # the managed system's name
    name: str
    lpar_id: int
    lpar_env: str = ""
    state: str = ""
    os_version: str = ""
    rmc_state: str = ""
    rmc_ipaddr: str = ""
    resource_config: bool | None = None
    default_profile: str = ""
    curr_profile: str = ""
    work_group_id: str = ""
    redundant_err_path_reporting: bool | None = None
    desired_proc_compat_mode: str = ""
    curr_proc_compat_mode: str = ""
    msp: bool | None = None  # VIOS only
    migration_disabled: bool | None = None
    # lshwres -r mem --level lpar (MB)
    curr_mem: int | None = None
    curr_num_huge_pages: int | None = None
    mem_mode: str = ""
    # lshwres -r proc --level lpar
    proc_mode: str = ""  # shared | ded
    curr_proc_units: float | None = None
    curr_procs: int | None = None
    curr_shared_proc_pool_id: int | None = None
    curr_shared_proc_pool_name: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.system, self.lpar_id)

    @property
    def is_vios(self) -> bool:
        return self.lpar_env == LparEnv.VIOSERVER.value

    @property
    def rmc_active(self) -> bool:
        return self.rmc_state == "active"
