"""Frames, VIOS and client partitions built from the fleet file's compact entries.

Adapters are generated from short knobs (``storage``, ``vlans``, ``vtopt``, …): each client
gets a client adapter per VIOS (dual-VIOS by default) and the VIOS the matching server adapter.
"""

from __future__ import annotations

import re

from lpmtui.common.typed_yaml import MappingReader
from lpmtui.sim.world.keys import CLIENT_KEYS, VIOS_KEYS
from lpmtui.sim.world.model import (
    COMPAT_MODES,
    EthAdapter,
    FcAdapter,
    HmcVersionSpec,
    IoSlot,
    OpticalMapping,
    ProcPool,
    ScsiAdapter,
    SimFrame,
    SimPartition,
)
from lpmtui.sim.world.slots import SlotAllocator
from lpmtui.sim.world.sriov import SimSriovAdapter

_VERSION = re.compile(r"V(\d+)R(\d+(?:\.\d+)*)(?:\s*(?:M|SP)\s*(\d+))?", re.IGNORECASE)
_DEFAULT_OS = {"aixlinux": "AIX 7.2 7200-05-03-2148", "os400": "IBM i 7.4", "vioserver": ""}


def read_version(r: MappingReader) -> HmcVersionSpec:
    text = r.str("version", "V10R3 M1060")
    m = _VERSION.fullmatch(text.strip())
    if not m:
        r.fail(r.key("version"), text, "a version like 'V10R3 M1060' or 'V9R2 M953'")
    return HmcVersionSpec(
        version=int(m.group(1)),
        release=m.group(2),
        service_pack=m.group(3) or "0",
        build_level=r.str("build_level", "2503010000"),
        fixes=r.strs("fixes"),
        base_version=r.str("base_version", ""),
    )


def _generation(r: MappingReader) -> int:
    value = r.raw("generation", 9)
    if isinstance(value, str):
        m = re.fullmatch(r"(?:POWER)?(\d+)", value.strip(), re.IGNORECASE)
        value = int(m.group(1)) if m else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 4 or value > 11:
        r.fail(r.key("generation"), r.raw("generation"), "a POWER generation such as POWER9")
    return value


class FrameBuilder:
    """Creates one frame, its VIOS and client partitions, and wires their adapters."""

    def __init__(self, r: MappingReader, hmc: str, index: int) -> None:
        self.r = r
        self.index = index
        self.slots = SlotAllocator()
        self._vioses: tuple[int, list[SimPartition]] = (-1, [])
        gen = _generation(r)
        modes = r.strs("compat_modes", list(COMPAT_MODES.get(gen, ("default",))))
        pools = [ProcPool(0, "DefaultPool")]
        for p in r.children("pools"):
            p.check_known({"id", "name", "max"})
            pools.append(ProcPool(p.int("id"), p.str("name"), p.float("max", 0.0)))
        limits = r.nested("max_migrations")
        self.frame = SimFrame(
            name=r.str("name"),
            type_model=r.str("type_model", "9009-42A"),
            serial=r.str("serial", f"78{index:05d}"),
            hmc=hmc,
            generation=gen,
            state=r.str("state", "Operating"),
            compat_modes=tuple(modes),
            firmware=r.str("firmware", _default_firmware(gen)),
            active_capable=r.bool("active_mobility", True),
            inactive_capable=r.bool("inactive_mobility", True),
            ibmi_capable=r.bool("ibmi_mobility", True),
            suspend_capable=r.bool("suspend_capable", True),
            lmb=r.int("lmb", 256),
            mem_configurable=r.int("memory", 524288),
            mem_firmware=r.int("firmware_memory", 8192),
            proc_units=r.float("processors", 32.0),
            pools=pools,
            max_lpars=r.int("max_lpars", 1000),
            active_supported=limits.int("active", 16),
            inactive_supported=limits.int("inactive", 32),
            ipaddr=r.str("ipaddr", f"10.1.{index // 250}.{index % 250 + 1}"),
        )
        self.vlans = r.ints("vlans", [1])
        for n in range(r.int("sriov_adapters", 0)):
            self.frame.sriov_adapters.append(SimSriovAdapter(n + 1, f"210100{0x20 + n:02X}"))
        self.frame.sriov_migration = r.bool("sriov_migration", False)
        for _ in range(r.int("io_slots", 4)):
            self._add_slot(None)

    def _add_slot(self, lpar_id: int | None) -> None:
        n = len(self.frame.io_slots)
        slot = IoSlot(
            drc_index=f"2101{n:04X}",
            phys_loc=f"C{n + 1}",
            bus_id=n // 4 + 1,
            description="PCIe3 4-Port 16Gb FC Adapter"
            if n % 2
            else "PCIe3 4-port 10GbE SR Adapter",
            lpar_id=lpar_id,
            feature_codes="EN0A" if n % 2 else "EN15",
        )
        self.frame.io_slots.append(slot)

    def _assign_slot(self, lpar_id: int) -> None:
        self._add_slot(lpar_id)

    def _mac(self, lpar_id: int, slot: int) -> str:
        return f"FA{self.index:02X}{lpar_id:04X}{slot:04X}"[:12].upper()

    def _common(self, r: MappingReader, env: str, default_id: int) -> SimPartition:
        lpar_id = r.int("id", default_id)
        if lpar_id in self.frame.partitions:
            r.fail(r.key("id"), lpar_id, "an id not already used on this frame")
        never = r.bool("never_activated", False)
        state = r.str("state", "Not Activated" if never else "Running")
        rmc_default = "active" if state == "Running" else "inactive"
        mode = r.str("mode", "shared")
        if mode not in ("shared", "ded"):
            r.fail(r.key("mode"), mode, "shared or ded")
        profiles = r.strs("profiles", ["normal"])
        p = SimPartition(
            name=r.str("name"),
            lpar_id=lpar_id,
            lpar_env=env,
            state=state,
            mem=r.int("mem", 8192 if env == "vioserver" else 4096),
            proc_mode=mode,
            proc_units=r.float("processors", 1.0 if env == "vioserver" else 0.5),
            procs=r.int(
                "vcpus", 2 if mode == "shared" else max(1, round(r.float("processors", 1)))
            ),
            rmc_state=r.str("rmc", rmc_default),
            rmc_ipaddr="" if never else f"10.2.{self.index}.{lpar_id}",
            resource_config=not never,
            profiles=profiles,
            curr_profile=profiles[0] if profiles else "",
            max_virtual_slots=r.int("slots", 200 if env == "vioserver" else 20),
            logical_serial=f"{self.frame.serial}{lpar_id:X}",
        )
        if mode == "ded":
            p.procs = r.int("procs", max(1, round(p.proc_units)))
            p.proc_units = float(p.procs)
            p.sharing_mode = "share_idle_procs"
        if p.lpar_env == "vioserver":
            level = r.str("level", "3.1.4.21")
            p.os_version = level if level.startswith("VIOS") else f"VIOS {level}"
        else:
            p.os_version = r.str("os", _DEFAULT_OS[env])
        self.frame.partitions[lpar_id] = p
        return p

    def add_vios(self, r: MappingReader, i: int) -> SimPartition:
        r.check_known(VIOS_KEYS)
        p = self._common(r, "vioserver", i + 1)
        p.msp = r.bool("msp", True)
        p.lpm_rate = r.float("rate", 1000.0)
        p.msp_max_migrations = r.int("max_migrations", 8)
        p.npiv = r.bool("npiv", True)
        sea = r.raw("sea")
        if sea is None:
            sea = {"ETHERNET0": self.vlans}
        if not isinstance(sea, dict):
            r.fail(r.key("sea"), sea, "a mapping of vswitch name to bridged VLAN ids")
        for vswitch, vlans in sea.items():
            if (
                not isinstance(vlans, list)
                or not vlans
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in vlans)
            ):
                r.fail(f"{r.key('sea')}.{vswitch}", vlans, "a non-empty list of VLAN ids")
            slot = self.slots.next(p)
            p.eth.append(
                EthAdapter(
                    slot=slot,
                    port_vlan_id=vlans[0],
                    addl_vlan_ids=tuple(vlans[1:]),
                    trunk_priority=i + 1,
                    vswitch=str(vswitch),
                    mac=self._mac(p.lpar_id, slot),
                    ieee=len(vlans) > 1,
                )
            )
        for _ in range(r.int("io_slots", 2)):
            self._assign_slot(p.lpar_id)
        return p

    def add_client(self, r: MappingReader, default_id: int) -> SimPartition:
        r.check_known(CLIENT_KEYS)
        env = r.str("env", "aixlinux")
        if env not in ("aixlinux", "os400", "vioserver"):
            r.fail(r.key("env"), env, "aixlinux, os400 or vioserver")
        p = self._common(r, env, default_id)
        p.dirty_rate = r.float("dirty_rate", 5.0)
        p.huge_pages = r.int("huge_pages", 0)
        p.bsr_arrays = r.int("bsr_arrays", 0)
        p.redundant_err_path = r.bool("redundant_err_path", False)
        p.console_open = r.bool("console_open", False)
        p.migration_disabled = r.bool("migration_disabled", False)
        p.work_group_id = r.str("work_group", "none")
        p.compat_desired = r.str("compat", "default")
        p.compat_curr = r.str("compat_current", "")
        pool = r.raw("pool", 0)
        match = next((x for x in self.frame.pools if pool in (x.pool_id, x.name)), None)
        if match is None:
            r.fail(r.key("pool"), pool, "the id or name of one of the frame's pools")
        p.pool_id = match.pool_id
        for _ in range(r.int("io_slots", 0)):
            self._assign_slot(p.lpar_id)
        p.sriov_ports = r.int("sriov", 0)
        return p

    def _first_vioses(self) -> list[SimPartition]:
        """The frame's first two VIOS by id (clients may be VIOS too), sorted once per size."""
        count = len(self.frame.partitions)
        if self._vioses[0] != count:
            self._vioses = (count, self.frame.vioses()[:2])
        return self._vioses[1]

    def wire(self, r: MappingReader, p: SimPartition) -> None:
        """Create the client's virtual adapters and the VIOS server adapters they pair with."""
        vioses = self._first_vioses()
        storage = r.strs("storage", ["vscsi"])
        for kind in storage:
            if kind not in ("vscsi", "npiv", "none"):
                r.fail(r.key("storage"), kind, "vscsi, npiv or none")
        hosts = vioses
        if r.has("storage_via"):
            hosts = []
            for name in r.strs("storage_via"):
                host = self.frame.by_name(name)
                if host is None:
                    r.fail(r.key("storage_via"), name, "the name of a partition on this frame")
                hosts.append(host)
        required = r.bool("required_adapters", False)
        server_required = r.bool("server_required", False)
        any_client = r.bool("any_client", False)
        for host in hosts:
            if "vscsi" in storage:
                cslot, sslot = self.slots.next(p), self.slots.next(host)
                p.scsi.append(ScsiAdapter(cslot, "client", host.lpar_id, sslot, required))
                host.scsi.append(
                    ScsiAdapter(
                        sslot,
                        "server",
                        None if any_client else p.lpar_id,
                        None if any_client else cslot,
                        server_required,
                    )
                )
            if "npiv" in storage:
                cslot, sslot = self.slots.next(p), self.slots.next(host)
                base = (self.index << 20) | (p.lpar_id << 8) | cslot
                wwpns = (f"c0507605{base * 2:08x}", f"c0507605{base * 2 + 1:08x}")
                p.fc.append(FcAdapter(cslot, "client", host.lpar_id, sslot, required, wwpns))
                host.fc.append(
                    FcAdapter(
                        sslot,
                        "server",
                        None if any_client else p.lpar_id,
                        None if any_client else cslot,
                        server_required,
                    )
                )
        image = r.str("vtopt", "")
        if image:
            vhost = next((v for v in vioses for a in v.scsi if a.remote_id == p.lpar_id), None)
            if vhost is None:
                r.fail(r.key("vtopt"), image, "a partition with a vSCSI adapter to a VIOS")
            slot = next(a.slot for a in vhost.scsi if a.remote_id == p.lpar_id)
            vhost.optical.append(
                OpticalMapping(slot, p.lpar_id, f"vtopt{len(vhost.optical)}", image)
            )
        for _ in range(r.int("vnic", 0)):
            p.vnic_slots.append(self.slots.next(p))
        vswitch = r.str("vswitch", "ETHERNET0")
        for vlan in r.ints("vlans", self.vlans[:1]):
            slot = self.slots.next(p)
            p.eth.append(
                EthAdapter(slot, vlan, (), 0, required, vswitch, self._mac(p.lpar_id, slot))
            )


def _default_firmware(gen: int) -> str:
    # POWER11: FW1110 (the firmware table's naming continues: FW950 POWER9, FW10x0 POWER10)
    return {6: "FW350.40", 7: "FW780.90", 8: "FW860.240", 9: "FW950.80", 10: "FW1050.20"}.get(
        gen, "FW1110.00"
    )


def fill_compat_current(frame: SimFrame) -> None:
    """Each partition without a current mode: its desired one, else the frame's newest native
    mode while it holds resources (or is suspended), else default."""
    native = [m for m in frame.compat_modes if re.fullmatch(r"POWER\d+", m)]
    newest = native[-1] if native else "default"
    for p in frame.partitions.values():
        if p.compat_curr:
            continue
        if p.compat_desired != "default":
            p.compat_curr = p.compat_desired
        elif p.holds_resources or p.state == "Suspended":
            p.compat_curr = newest
        else:
            p.compat_curr = "default"
