"""Frozen dataclasses for what the console shows and checks (standard library only).

Values come from HMC listings. ``None`` means the HMC did not say (attribute absent, ``null``
or ``unavailable``), which is different from 0 or False: rules report such data as unknown.
Memory is in MB, as the HMC prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


# -- adapters and slots (cold data) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VirtualScsiAdapter:
    lpar_name: str
    lpar_id: int
    slot_num: int
    adapter_type: str  # client | server
    is_required: bool
    remote_lpar_id: int | None  # None for "any"
    remote_lpar_name: str
    remote_slot_num: int | None  # None for "any"
    state: str = ""

    @property
    def any_client(self) -> bool:
        return self.adapter_type == "server" and self.remote_lpar_id is None


@dataclass(frozen=True, slots=True)
class VirtualFcAdapter:
    lpar_name: str
    lpar_id: int
    slot_num: int
    adapter_type: str
    is_required: bool
    remote_lpar_id: int | None
    remote_lpar_name: str
    remote_slot_num: int | None
    wwpns: tuple[str, ...] = ()
    state: str = ""


@dataclass(frozen=True, slots=True)
class VirtualEthAdapter:
    lpar_name: str
    lpar_id: int
    slot_num: int
    is_required: bool
    is_trunk: bool
    port_vlan_id: int
    addl_vlan_ids: tuple[int, ...] = ()
    ieee_virtual_eth: bool = False
    vswitch: str = ""
    mac_addr: str = ""
    trunk_priority: int | None = None
    state: str = ""

    @property
    def vlans(self) -> frozenset[int]:
        return frozenset((self.port_vlan_id, *self.addl_vlan_ids))


@dataclass(frozen=True, slots=True)
class VirtualSlots:
    """``lshwres -r virtualio --rsubtype slot --level lpar``."""

    lpar_name: str
    lpar_id: int
    curr_max_virtual_slots: int
    next_avail_virtual_slot: int | None


@dataclass(frozen=True, slots=True)
class IoSlot:
    """A physical I/O slot (``lshwres -r io --rsubtype slot``); ``lpar_id`` None when free."""

    drc_index: str
    drc_name: str
    lpar_id: int | None
    lpar_name: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class VirtualOpticalMapping:
    """A virtual optical device (vtopt) mapped on a VIOS to a client's vhost (``lsmap``)."""

    vios_name: str
    vhost: str
    client_lpar_id: int
    vtd: str
    backing: str = ""


@dataclass(frozen=True, slots=True)
class NpivPort:
    """A physical FC port of a VIOS as ``lsnports`` shows it: NPIV-capable by definition;
    ``fabric`` says whether its switch supports NPIV, ``aports`` the virtual ports left."""

    vios_name: str
    name: str
    physloc: str = ""
    fabric: bool = False
    tports: int | None = None
    aports: int | None = None

    @property
    def usable(self) -> bool:
        return self.fabric and (self.aports is None or self.aports > 0)


@dataclass(frozen=True, slots=True)
class Profile:
    """LPM-relevant fields of ``lssyscfg -r prof``."""

    name: str
    lpar_name: str
    lpar_id: int
    io_slots: tuple[str, ...] = ()
    bsr_arrays: int | None = None
    desired_num_huge_pages: int | None = None
    redundant_err_path_reporting: bool | None = None
    lpar_proc_compat_mode: str = ""
    max_virtual_slots: int | None = None
    virtual_scsi_adapters: tuple[str, ...] = ()
    virtual_fc_adapters: tuple[str, ...] = ()
    virtual_eth_adapters: tuple[str, ...] = ()
    # What the partition gets when activated with this profile (an inactive partition holds
    # nothing at runtime, so these are what a target must have room for).
    min_mem: int | None = None  # MB
    desired_mem: int | None = None  # MB
    proc_mode: str = ""  # shared | ded
    min_proc_units: float | None = None
    desired_proc_units: float | None = None
    min_procs: int | None = None
    desired_procs: int | None = None


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


# -- snapshots ----------------------------------------------------------------------------------


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    AUTH_FAILED = "auth failed"
    HOST_KEY_UNKNOWN = "host key unknown"
    HOST_KEY_CHANGED = "host key changed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class SharedProcPool:
    """One shared processor pool of a frame (``lshwres -r procpool``); id 0 is DefaultPool."""

    pool_id: int
    name: str


@dataclass(frozen=True, slots=True)
class ColdData:
    """Adapters, slots, profiles and VIOS mappings of one frame (slower cadence)."""

    scsi: tuple[VirtualScsiAdapter, ...] = ()
    fc: tuple[VirtualFcAdapter, ...] = ()
    eth: tuple[VirtualEthAdapter, ...] = ()
    slots: tuple[VirtualSlots, ...] = ()
    io_slots: tuple[IoSlot, ...] = ()
    profiles: tuple[Profile, ...] = ()
    optical: tuple[VirtualOpticalMapping, ...] = ()
    taken_at: float = 0.0
    proc_pools: tuple[SharedProcPool, ...] | None = None  # None: not listed (yet)
    npiv_ports: tuple[NpivPort, ...] = ()
    npiv_listed: tuple[str, ...] = ()  # the VIOSes whose lsnports answered (ports or none)


@dataclass(frozen=True, slots=True)
class FrameSnapshot:
    system: ManagedSystem
    partitions: tuple[Partition, ...] = ()
    migrations: tuple[MigrationStatus, ...] = ()
    cold: ColdData | None = None
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HmcSnapshot:
    """One poll of one HMC. ``taken_at`` is a ``time.time()`` stamp of the data (0 = never)."""

    hmc: str  # the configured name
    host: str = ""
    state: ConnectionState = ConnectionState.CONNECTING
    reconnect_attempt: int = 0
    version: HmcVersion | None = None
    manager: HmcManager | None = None
    frames: tuple[FrameSnapshot, ...] = ()
    taken_at: float = 0.0
    errors: tuple[str, ...] = ()
    last_error: str = ""
    host_key_fingerprint: str = ""  # set when the state is a host-key state
    kind: str = "hmc"  # hmc | fsm | ivm (from the config): what manages these frames
    peer_address: str = ""  # the address other HMCs use for this one (migrlpar --ip)
    # mkauthkeys --test results towards other configured HMCs: (peer hmc name, trusted or None)
    peer_trust: tuple[tuple[str, bool | None], ...] = ()


@dataclass(frozen=True, slots=True)
class FleetSnapshot:
    hmcs: tuple[HmcSnapshot, ...] = ()
    taken_at: float = 0.0
    index: dict[str, tuple[str, FrameSnapshot]] = field(default_factory=dict, compare=False)

    def frame(self, system: str) -> tuple[str, FrameSnapshot] | None:
        """(hmc name, frame) for a managed system name."""
        if not self.index:
            for h in self.hmcs:
                for f in h.frames:
                    self.index[f.system.name] = (h.hmc, f)
        return self.index.get(system)
