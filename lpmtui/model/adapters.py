"""Adapters, slots, profiles and processor pools of a frame (the cold data)."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class SharedProcPool:
    """One shared processor pool of a frame (``lshwres -r procpool``); id 0 is DefaultPool."""

    pool_id: int
    name: str


# -- SR-IOV and vNIC (lshwres -r sriov, -r virtualio --rsubtype vnic) ----------------------------


@dataclass(frozen=True, slots=True)
class SriovLogicalPort:
    """A configured SR-IOV Ethernet logical port (``lshwres -r sriov --rsubtype logport
    --level eth``): owned by ``lpar_id`` directly, or by a VIOS as a vNIC backing device."""

    lpar_id: int
    adapter_id: int
    phys_port_id: int
    logical_port_id: str
    lpar_name: str = ""
    capacity: float | None = None  # percent of the physical port


@dataclass(frozen=True, slots=True)
class SriovPhysicalPort:
    """An SR-IOV physical port (``lshwres -r sriov --rsubtype physport --level eth``)."""

    adapter_id: int
    phys_port_id: int
    config_logical_ports: int | None = None
    max_logical_ports: int | None = None
    state: str = ""  # 1 = link up (cli-sriov-physport-ethc-v11r2-p9)

    @property
    def free_logical_ports(self) -> int | None:
        if self.config_logical_ports is None or self.max_logical_ports is None:
            return None
        return self.max_logical_ports - self.config_logical_ports


@dataclass(frozen=True, slots=True)
class VnicAdapter:
    """A client's vNIC (``lshwres -r virtualio --rsubtype vnic --level lpar``), backed by SR-IOV
    logical ports owned by VIOSes: ``backing_devices`` as printed
    (``sriov/VIOS/VIOS_ID/ADAPTER/PHYS_PORT/…``, pcie-…-vnic--vnic-readback)."""

    lpar_name: str
    lpar_id: int
    slot_num: int
    backing_devices: tuple[str, ...] = ()
