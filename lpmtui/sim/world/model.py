"""The simulated fleet's objects: HMCs, frames, partitions, their adapters, migration jobs.

Plain mutable dataclasses: the world changes them as migrations run. Memory is in MB and
processor capacity in processing units, as the HMC prints them. Cross-partition references
(adapter peers) are by partition id on the same frame; names are looked up when printing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from lpmtui.sim.world.sriov import SimSriovAdapter

# Compatibility modes a frame supports, by processor generation (hmc-cli §2.1; P7/P8 [M]).
COMPAT_MODES: dict[int, tuple[str, ...]] = {
    5: ("default", "POWER5"),
    6: ("default", "POWER6", "POWER6+"),
    7: ("default", "POWER6", "POWER6+", "POWER7"),
    8: ("default", "POWER6", "POWER6+", "POWER7", "POWER8"),
    9: ("default", "POWER7", "POWER8", "POWER9", "POWER9_base"),
    10: ("default", "POWER8", "POWER9", "POWER9_base", "POWER10"),
    11: ("default", "POWER9", "POWER9_base", "POWER10", "POWER11"),
}

# Frame states in which partitions exist and can be listed (hmc-cli §2.2).
OPERATING = "Operating"
RUNNING_STATES = frozenset({"Running", "Open Firmware", "Starting", "Shutting Down"})
# FW950.80 since POWER8; before that two letters for the family and an underscore (SF240_417 on
# POWER5, AL740_167 / AF780_075 on POWER7).
_FW = re.compile(r"(?:FW|[A-Z]{2})(\d{3,4})(?:[._](\d+))?")


def firmware_key(level: str) -> tuple[int, int] | None:
    """FW950.80 -> (950, 80), SF240_417 -> (240, 417); None for anything else."""
    m = _FW.fullmatch(level.strip())
    return (int(m.group(1)), int(m.group(2) or 0)) if m else None


@dataclass
class HmcVersionSpec:
    version: int = 10
    release: str = "3"
    service_pack: str = "1060"
    build_level: str = "2503010000"
    fixes: list[str] = field(default_factory=list)
    base_version: str = ""

    def numbers(self) -> tuple[int, ...]:
        """(version, release parts…): V7R3.4 -> (7, 3, 4) for comparisons."""
        return (self.version, *(int(p) for p in re.findall(r"\d+", self.release)))

    def at_least(self, *wanted: int) -> bool:
        have = self.numbers()
        width = max(len(have), len(wanted))
        return have + (0,) * (width - len(have)) >= wanted + (0,) * (width - len(wanted))

    @property
    def base(self) -> str:
        return self.base_version or f"V{self.version}R{self.release}"


@dataclass(eq=False)
class SimHmc:
    name: str
    address: str
    version: HmcVersionSpec
    users: dict[str, str]
    kind: str = "hmc"  # hmc | fsm | ivm
    site: str = ""  # for the console config built from the fleet (demo); no command shows it
    remote_capable: bool = True
    trusts: set[str] = field(default_factory=set)  # names of HMCs this one has keys on


@dataclass
class ScsiAdapter:
    slot: int
    adapter_type: str  # client | server
    remote_id: int | None  # None = any client
    remote_slot: int | None
    required: bool = False
    remote_name: str = ""  # used only when the peer is not on this frame


@dataclass
class FcAdapter:
    slot: int
    adapter_type: str
    remote_id: int | None
    remote_slot: int | None
    required: bool = False
    wwpns: tuple[str, ...] = ()
    remote_name: str = ""


@dataclass
class EthAdapter:
    slot: int
    port_vlan_id: int
    addl_vlan_ids: tuple[int, ...] = ()
    trunk_priority: int = 0  # 0 = not a trunk (SEA) adapter
    required: bool = False
    vswitch: str = "ETHERNET0"
    mac: str = ""
    ieee: bool = False

    @property
    def vlans(self) -> set[int]:
        return {self.port_vlan_id, *self.addl_vlan_ids}


@dataclass
class OpticalMapping:
    """A file-backed virtual optical device on a VIOS, on the vhost serving ``client_id``."""

    vhost_slot: int
    client_id: int
    vtd: str
    image: str


@dataclass
class IoSlot:
    drc_index: str
    phys_loc: str
    bus_id: int
    description: str
    lpar_id: int | None = None
    feature_codes: str = "none"


@dataclass
class ProcPool:
    pool_id: int
    name: str
    max_units: float = 0.0  # 0 = unlimited (the default pool)


@dataclass(eq=False)
class SimPartition:
    name: str
    lpar_id: int
    lpar_env: str = "aixlinux"  # aixlinux | os400 | vioserver
    state: str = "Running"
    os_version: str = "Unknown"
    mem: int = 4096  # MB
    proc_mode: str = "shared"  # shared | ded
    proc_units: float = 0.5
    procs: int = 1
    sharing_mode: str = "uncap"
    uncap_weight: int = 128
    pool_id: int = 0
    rmc_state: str = "active"
    rmc_ipaddr: str = ""
    resource_config: bool = True
    profiles: list[str] = field(default_factory=lambda: ["normal"])
    curr_profile: str = "normal"
    compat_desired: str = "default"
    compat_curr: str = ""
    huge_pages: int = 0
    bsr_arrays: int = 0
    redundant_err_path: bool = False
    console_open: bool = False
    dirty_rate: float = 0.0  # MB of memory re-dirtied per second while running
    work_group_id: str = "none"
    migration_disabled: bool = False
    suspend_capable: bool = True
    max_virtual_slots: int = 20
    logical_serial: str = ""
    # VIOS only
    msp: bool = False
    lpm_rate: float = 1000.0  # MB/s this MSP can move
    msp_max_migrations: int = 8
    npiv: bool = True  # has NPIV-capable physical FC ports
    # adapters
    scsi: list[ScsiAdapter] = field(default_factory=list)
    fc: list[FcAdapter] = field(default_factory=list)
    eth: list[EthAdapter] = field(default_factory=list)
    optical: list[OpticalMapping] = field(default_factory=list)
    sriov_ports: int = 0  # SR-IOV logical ports owned directly (sim/world/sriov.py)
    vnic_slots: list[int] = field(default_factory=list)  # vNIC client adapters' slots
    # set while a migration involves this partition (source copy or destination shell)
    job: MigrationJob | None = None
    is_shell: bool = False  # the destination copy created while migrating

    @property
    def is_vios(self) -> bool:
        return self.lpar_env == "vioserver"

    @property
    def holds_resources(self) -> bool:
        """Whether the hypervisor has memory/processors assigned to it now."""
        return self.state not in ("Not Activated", "Migrating - Not Activated")

    @property
    def proc_capacity(self) -> float:
        return float(self.procs) if self.proc_mode == "ded" else self.proc_units

    def used_slots(self) -> set[int]:
        used = {0, 1}  # the two HMC console serial adapters
        used.update(a.slot for a in self.scsi)
        used.update(a.slot for a in self.fc)
        used.update(a.slot for a in self.eth)
        used.update(self.vnic_slots)
        return used

    def next_slot(self) -> int:
        used = self.used_slots()
        slot = 2
        while slot in used:
            slot += 1
        return slot


@dataclass(eq=False)
class SimFrame:
    name: str
    type_model: str
    serial: str
    hmc: str
    generation: int = 9
    state: str = OPERATING
    compat_modes: tuple[str, ...] = ()
    firmware: str = "FW950.80"
    active_capable: bool = True
    inactive_capable: bool = True
    ibmi_capable: bool = True
    suspend_capable: bool = True
    lmb: int = 256
    mem_configurable: int = 1048576
    mem_firmware: int = 16384
    proc_units: float = 32.0
    pools: list[ProcPool] = field(default_factory=lambda: [ProcPool(0, "DefaultPool")])
    max_lpars: int = 1000
    active_supported: int = 16
    inactive_supported: int = 32
    service_lpar_id: int | None = None
    ipaddr: str = ""
    io_slots: list[IoSlot] = field(default_factory=list)
    partitions: dict[int, SimPartition] = field(default_factory=dict)
    sriov_adapters: list[SimSriovAdapter] = field(default_factory=list)
    # LogicalPartitionSRIOVMigrationCapable (REST only, real-hmc-facts §6): no CLI attribute
    # is evidenced, so the simulator never prints it; it decides the validation alone.
    sriov_migration: bool = False

    @property
    def mtms(self) -> str:
        return f"{self.type_model}*{self.serial}"

    @property
    def operating(self) -> bool:
        return self.state == OPERATING

    def by_name(self, name: str) -> SimPartition | None:
        for p in self.partitions.values():
            if p.name == name:
                return p
        return None

    def listed_partitions(self) -> list[SimPartition]:
        """In the order the HMC lists them: creation order, not by id (a real HMC lists VIOS
        id 100 before partition id 1, real-hmc-facts §1; its exact rule is unknown)."""
        return list(self.partitions.values())

    def sorted_partitions(self) -> list[SimPartition]:
        return [self.partitions[i] for i in sorted(self.partitions)]

    def vioses(self) -> list[SimPartition]:
        return [p for p in self.sorted_partitions() if p.is_vios]

    def mem_available(self) -> int:
        used = sum(p.mem for p in self.partitions.values() if p.holds_resources)
        return self.mem_configurable - self.mem_firmware - used

    def proc_available(self) -> float:
        used = sum(p.proc_capacity for p in self.partitions.values() if p.holds_resources)
        return round(self.proc_units - used, 2)

    def free_lpar_id(self, wanted: int | None = None) -> int:
        if wanted is not None and wanted not in self.partitions:
            return wanted
        lpar_id = 1
        while lpar_id in self.partitions:
            lpar_id += 1
        return lpar_id

    def pool(self, pool_id: int) -> ProcPool | None:
        return next((p for p in self.pools if p.pool_id == pool_id), None)


# -- migrations (the world runs them, physics.py advances them) ---------------------------


class Phase(Enum):
    STARTING = "starting"
    TRANSFER = "transfer"
    SUSPEND = "suspend"
    FINISHING = "finishing"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"


LIVE_PHASES = frozenset({Phase.STARTING, Phase.TRANSFER, Phase.SUSPEND, Phase.FINISHING})
COPY_PHASES = frozenset({Phase.TRANSFER, Phase.SUSPEND})


@dataclass
class Failure:
    """An injected failure: fire once ``after_fraction`` of the job's work is done."""

    after_fraction: float
    message: str
    needs_force: bool = False


@dataclass(eq=False)
class MigrationJob:
    kind: str  # active | inactive | suspended
    partition: SimPartition
    source: SimFrame
    target: SimFrame
    shell: SimPartition
    source_msp: SimPartition | None
    dest_msp: SimPartition | None
    source_hmc: SimHmc
    target_hmc: SimHmc
    remote_user: str = ""
    original_state: str = "Running"
    vios_map: dict[int, int] = field(default_factory=dict)  # source VIOS id -> target VIOS id
    mem_bytes: float = 0.0
    transmitted: float = 0.0
    remaining: float = 0.0
    phase: Phase = Phase.STARTING
    phase_elapsed: float = 0.0
    started_at: float = 0.0
    ended_at: float | None = None
    failure: Failure | None = None
    needs_force: bool = False
    message: str = ""  # why it failed or stopped, for the blocked migrlpar

    @property
    def live(self) -> bool:
        return self.phase in LIVE_PHASES

    @property
    def open(self) -> bool:
        """Still counted against concurrency limits: running, or failed and not recovered."""
        return self.live or self.phase is Phase.FAILED

    @property
    def remote(self) -> bool:
        return self.source_hmc is not self.target_hmc

    def migration_state(self, failed_state: str) -> str:
        if self.phase is Phase.STARTING:
            return "Migration Starting"
        if self.phase is Phase.FAILED:
            return failed_state
        return "Migration In Progress"
