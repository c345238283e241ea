"""Hand-built fleets for the rule tests: one healthy fleet every test bends one way."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from lpmtui.model import (
    ColdData,
    ConnectionState,
    FleetSnapshot,
    FrameSnapshot,
    HmcManager,
    HmcSnapshot,
    HmcVersion,
    IoSlot,
    ManagedSystem,
    MigrationStatus,
    Partition,
    Profile,
    SharedProcPool,
    VirtualEthAdapter,
    VirtualFcAdapter,
    VirtualOpticalMapping,
    VirtualScsiAdapter,
    VirtualSlots,
)

V10 = HmcVersion(10, "3", "1060")
MODES = ("default", "POWER8", "POWER9", "POWER9_base", "POWER10")


def system(name: str, **changes) -> ManagedSystem:
    base = ManagedSystem(
        name=name,
        type_model="9105-42A",
        serial=name[-4:],
        state="Operating",
        active_mobility_capable=True,
        inactive_mobility_capable=True,
        ibmi_mobility_capable=True,
        suspend_capable=True,
        proc_compat_modes=MODES,
        service_lpar_id=None,
        max_lpars=100,
        mem_configurable=262144,
        mem_available=65536,
        mem_firmware=4096,
        mem_region_size=256,
        proc_units_configurable=32.0,
        proc_units_available=8.0,
        num_active_migrations_supported=16,
        num_active_migrations_in_progress=0,
        num_inactive_migrations_supported=16,
        num_inactive_migrations_in_progress=0,
        firmware_level="FW1050.10",
    )
    return replace(base, **changes)


def vios(frame: str, name: str, lpar_id: int, **changes) -> Partition:
    base = Partition(
        system=frame,
        name=name,
        lpar_id=lpar_id,
        lpar_env="vioserver",
        state="Running",
        os_version="VIOS 3.1.4.10",
        rmc_state="active",
        rmc_ipaddr="10.0.0.1",
        resource_config=True,
        msp=True,
        curr_mem=8192,
        proc_mode="shared",
        curr_proc_units=1.0,
        curr_procs=2,
    )
    return replace(base, **changes)


def lpar(frame: str, name: str, lpar_id: int, **changes) -> Partition:
    base = Partition(
        system=frame,
        name=name,
        lpar_id=lpar_id,
        lpar_env="aixlinux",
        state="Running",
        os_version="AIX 7.2 7200-05-03-2148",
        rmc_state="active",
        rmc_ipaddr="10.0.1.3",
        resource_config=True,
        default_profile="normal",
        curr_profile="normal",
        redundant_err_path_reporting=False,
        desired_proc_compat_mode="default",
        curr_proc_compat_mode="POWER9",
        curr_mem=16384,
        curr_num_huge_pages=0,
        mem_mode="ded",
        proc_mode="shared",
        curr_proc_units=0.5,
        curr_procs=2,
        curr_shared_proc_pool_id=0,
        curr_shared_proc_pool_name="DefaultPool",
    )
    return replace(base, **changes)


@dataclass
class FrameSpec:
    hmc: str
    system: ManagedSystem
    partitions: dict[int, Partition] = field(default_factory=dict)
    scsi: list = field(default_factory=list)
    fc: list = field(default_factory=list)
    eth: list = field(default_factory=list)
    slots: list = field(default_factory=list)
    io_slots: list = field(default_factory=list)
    profiles: list = field(default_factory=list)
    optical: list = field(default_factory=list)
    migrations: list = field(default_factory=list)
    cold: bool = True
    proc_pools: list | None = field(default_factory=lambda: [SharedProcPool(0, "DefaultPool")])
    npiv_ports: list = field(default_factory=list)
    npiv_listed: list = field(default_factory=list)  # VIOSes whose lsnports answered
    # SR-IOV and vNIC listings (None: not listed)
    sriov_ports: list | None = field(default_factory=list)
    sriov_physports: list | None = field(default_factory=list)
    vnics: list | None = field(default_factory=list)


class FleetBuilder:
    """hmc1 manages A and B, hmc2 manages C; app1 on A passes every rule towards B and C.

    web1 on B and web2 on C give the target VIOSes virtual FC server adapters (the only sign
    of NPIV ports the listings give)."""

    def __init__(self) -> None:
        self.hmcs: dict[str, dict] = {
            "hmc1": dict(
                kind="hmc",
                version=V10,
                manager=HmcManager(True),
                peer_trust=(("hmc2", True),),
                peer_address="10.1.0.1",
            ),
            "hmc2": dict(
                kind="hmc",
                version=V10,
                manager=HmcManager(True),
                peer_trust=(("hmc1", True),),
                peer_address="10.1.0.2",
            ),
        }
        self.frames: dict[str, FrameSpec] = {}
        for hmc, name in (("hmc1", "A"), ("hmc1", "B"), ("hmc2", "C")):
            self.add_frame(hmc, name)
        self.add_client("A", "app1", 3)
        self.add_client("B", "web1", 3)
        self.add_client("C", "web2", 3)

    def add_frame(self, hmc: str, name: str) -> FrameSpec:
        spec = self.frames[name] = FrameSpec(hmc, system(name))
        for vid, vname in ((1, f"{name}-vios1"), (2, f"{name}-vios2")):
            spec.partitions[vid] = vios(name, vname, vid)
            spec.eth.append(
                VirtualEthAdapter(vname, vid, 2, False, True, 1, (100, 200), vswitch="ETHERNET0")
            )
            spec.slots.append(VirtualSlots(vname, vid, 200, 50))
        return spec

    def add_client(self, frame: str, name: str, lpar_id: int, **changes) -> Partition:
        spec = self.frames[frame]
        p = spec.partitions[lpar_id] = lpar(frame, name, lpar_id, **changes)
        v1, v2 = spec.partitions[1], spec.partitions[2]
        spec.scsi.append(
            VirtualScsiAdapter(name, lpar_id, 2, "client", False, 1, v1.name, 10 + lpar_id)
        )
        spec.scsi.append(
            VirtualScsiAdapter(v1.name, 1, 10 + lpar_id, "server", False, lpar_id, name, 2)
        )
        spec.fc.append(
            VirtualFcAdapter(
                name,
                lpar_id,
                4,
                "client",
                False,
                2,
                v2.name,
                10 + lpar_id,
                ("c0507600aaaa0000", "c0507600aaaa0001"),
            )
        )
        spec.fc.append(
            VirtualFcAdapter(v2.name, 2, 10 + lpar_id, "server", False, lpar_id, name, 4)
        )
        spec.eth.append(VirtualEthAdapter(name, lpar_id, 5, False, False, 100, vswitch="ETHERNET0"))
        spec.profiles.append(
            Profile(
                "normal",
                name,
                lpar_id,
                bsr_arrays=0,
                desired_num_huge_pages=0,
                min_mem=4096,
                desired_mem=p.curr_mem,
                proc_mode=p.proc_mode,
                min_proc_units=0.1,
                desired_proc_units=p.curr_proc_units,
                min_procs=1,
                desired_procs=p.curr_procs,
            )
        )
        return p

    # -- bending the fleet ------------------------------------------------------------------

    def system(self, frame: str, **changes) -> None:
        spec = self.frames[frame]
        spec.system = replace(spec.system, **changes)

    def lpar(self, frame: str, lpar_id: int, **changes) -> None:
        spec = self.frames[frame]
        spec.partitions[lpar_id] = replace(spec.partitions[lpar_id], **changes)

    def hmc(self, name: str, **changes) -> None:
        self.hmcs[name].update(changes)

    def replace_adapters(self, frame: str, kind: str, lpar_id: int, slot: int, **changes):
        items = getattr(self.frames[frame], kind)
        for i, a in enumerate(items):
            if a.lpar_id == lpar_id and a.slot_num == slot:
                items[i] = replace(a, **changes)
                return
        raise KeyError((frame, kind, lpar_id, slot))

    def add(self, frame: str, kind: str, item) -> None:
        getattr(self.frames[frame], kind).append(item)

    def snapshot(self) -> FleetSnapshot:
        hmcs = []
        for name, h in self.hmcs.items():
            frames = []
            for spec in self.frames.values():
                if spec.hmc != name:
                    continue
                cold = None
                if spec.cold:
                    cold = ColdData(
                        tuple(spec.scsi),
                        tuple(spec.fc),
                        tuple(spec.eth),
                        tuple(spec.slots),
                        tuple(spec.io_slots),
                        tuple(spec.profiles),
                        tuple(spec.optical),
                        1.0,
                        None if spec.proc_pools is None else tuple(spec.proc_pools),
                        tuple(spec.npiv_ports),
                        tuple(spec.npiv_listed),
                        None if spec.sriov_ports is None else tuple(spec.sriov_ports),
                        None if spec.sriov_physports is None else tuple(spec.sriov_physports),
                        None if spec.vnics is None else tuple(spec.vnics),
                    )
                frames.append(
                    FrameSnapshot(
                        spec.system, tuple(spec.partitions.values()), tuple(spec.migrations), cold
                    )
                )
            hmcs.append(
                HmcSnapshot(
                    hmc=name,
                    host=h["peer_address"],
                    state=ConnectionState.CONNECTED,
                    version=h["version"],
                    manager=h["manager"],
                    frames=tuple(frames),
                    taken_at=1.0,
                    kind=h["kind"],
                    peer_address=h["peer_address"],
                    peer_trust=h["peer_trust"],
                )
            )
        return FleetSnapshot(tuple(hmcs), 1.0)


@pytest.fixture
def fleet() -> FleetBuilder:
    return FleetBuilder()


__all__ = ["FleetBuilder", "IoSlot", "MigrationStatus", "VirtualOpticalMapping"]
