"""Configuration records (``lssyscfg -r sys|lpar|prof``) in the real samples' order (hmc-cli §2-3).

Each function returns an ordered dict; ``FIELDS`` lists, per resource, every attribute ``-F``
may ask for (default-order ones first, then ones only named by ``-F``).
"""

from __future__ import annotations

from lpmtui.hmc.attributes import ETH_ELEMENT, FC_ELEMENT, SCSI_ELEMENT
from lpmtui.hmc.records import format_list
from lpmtui.sim.world.model import FcAdapter, ScsiAdapter, SimFrame, SimPartition
from lpmtui.sim.world.sriov import logical_ports

Record = dict[str, str]


def _b(flag: bool) -> str:
    return "1" if flag else "0"


def _units(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"


# -- lssyscfg -r sys ------------------------------------------------------------------------------

_SYS_CAPS = (
    "active_lpar_share_idle_procs_capable",
    "active_mem_expansion_capable",
    "hardware_active_mem_expansion_capable",
    "active_mem_sharing_capable",
    "addr_broadcast_perf_policy_capable",
    "bsr_capable",
    "cod_mem_capable",
    "cod_proc_capable",
    "dynamic_platform_optimization_capable",
    "electronic_err_reporting_capable",
    "firmware_power_saver_capable",
    "hardware_power_saver_capable",
    "hardware_discovery_capable",
    "hca_capable",
    "huge_page_mem_capable",
    "lhea_capable",
    "lpar_avail_priority_capable",
    "lpar_proc_compat_mode_capable",
    "lpar_remote_restart_capable",
    "powervm_lpar_remote_restart_capable",
    "lpar_suspend_capable",
    "micro_lpar_capable",
    "os400_capable",
    "5250_application_capable",
    "redundant_err_path_reporting_capable",
    "shared_eth_failover_capable",
    "sni_msg_passing_capable",
    "sp_failover_capable",
    "vet_activation_capable",
    "virtual_fc_capable",
    "virtual_io_server_capable",
    "virtual_switch_capable",
    "vsn_phase2_capable",
    "vsi_on_veth_capable",
)
_SYS_OFF = {"0", "1"}  # capability values that become "unavailable" when the frame is off
_SYS_TAIL = (
    ("curr_sys_keylock", "norm"),
    ("pend_sys_keylock", "norm"),
    ("curr_power_on_side", "temp"),
    ("pend_power_on_side", "temp"),
    ("curr_power_on_speed", "fast"),
    ("pend_power_on_speed", "fast"),
    ("curr_power_on_speed_override", "none"),
    ("pend_power_on_speed_override", "none"),
    ("power_on_type", "power on"),
    ("power_on_option", "autostart"),
    ("power_on_lpar_start_policy", "userinit"),
    ("pend_power_on_option", "autostart"),
    ("pend_power_on_lpar_start_policy", "userinit"),
    ("power_on_method", "02"),
    ("power_on_attr", "0000"),
    ("sp_boot_attr", "0000"),
    ("sp_boot_major_type", "08"),
    ("sp_boot_minor_type", "01"),
    ("sp_version", "00070000"),
)


def sys_record(f: SimFrame, sys_time: str) -> Record:
    on = f.state == "Operating"
    caps = {name: "1" for name in _SYS_CAPS}
    caps.update(
        lpar_suspend_capable=_b(f.suspend_capable),
        os400_capable=_b(f.ibmi_capable),
        **{"5250_application_capable": "0"},
        hca_capable="0",
        lhea_capable="0",
        sni_msg_passing_capable="0",
    )
    if not on:
        caps = {k: "unavailable" if v in _SYS_OFF else v for k, v in caps.items()}
    na = (lambda v: v) if on else (lambda v: "unavailable")
    rec: Record = {
        "name": f.name,
        "type_model": f.type_model,
        "serial_num": f.serial,
        "ipaddr": f.ipaddr,
        "state": f.state,
        "detailed_state": "None",
        "sys_time": sys_time,
        "power_off_policy": na("0"),
        "active_lpar_mobility_capable": na(_b(f.active_capable)),
        "inactive_lpar_mobility_capable": na(_b(f.inactive_capable)),
    }
    rec.update(caps)
    rec.update(
        assign_5250_cpw_percent=na("0"),
        max_lpars=na(str(f.max_lpars)),
        max_power_ctrl_lpars=na("1"),
        max_remote_restart_capable_lpars=na(str(f.max_lpars)),
        max_suspend_capable_lpars=na(str(f.max_lpars)),
        hca_bandwidth_capabilities="null",
        service_lpar_id=na(str(f.service_lpar_id) if f.service_lpar_id else "none"),
        service_lpar_name=na(_service_name(f)),
    )
    rec.update(_SYS_TAIL)
    rec.update(
        mfg_default_config=na("0"),
        curr_mfg_default_ipl_source="a",
        pend_mfg_default_ipl_source="a",
        curr_mfg_default_boot_mode="norm",
        pend_mfg_default_boot_mode="norm",
        lpar_proc_compat_modes=na(format_list(f.compat_modes)),
        ibmi_lpar_mobility_capable=na(_b(f.ibmi_capable)),
        simplified_remote_restart_capable=na("1"),
        vtpm_capable=na("1"),
        uuid=_uuid(f),
    )
    return rec


def _service_name(f: SimFrame) -> str:
    p = f.partitions.get(f.service_lpar_id) if f.service_lpar_id else None
    return p.name if p is not None else "none"


def _uuid(f: SimFrame) -> str:
    digits = "".join(f"{ord(c):02x}" for c in (f.type_model + f.serial))[:32].ljust(32, "0")
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:32]}"


SYS_FIELDS = tuple(sys_record(SimFrame("x", "1-1", "1", "h"), "").keys())


# -- lssyscfg -r lpar -----------------------------------------------------------------------------


def lpar_record(f: SimFrame, p: SimPartition) -> Record:
    rec: Record = {
        "name": p.name,
        "lpar_id": str(p.lpar_id),
        "lpar_env": p.lpar_env,
        "state": p.state,
        "resource_config": _b(p.resource_config),
        "os_version": p.os_version,
        "logical_serial_num": p.logical_serial,
        "default_profile": p.profiles[0] if p.profiles else "",
        "curr_profile": p.curr_profile if p.resource_config else "",
        "work_group_id": p.work_group_id,
        "shared_proc_pool_util_auth": "0",
        "allow_perf_collection": "0",
        "power_ctrl_lpar_ids": "none",
    }
    if not p.is_vios:
        rec["boot_mode"] = "norm"
    rec.update(
        lpar_keylock="norm",
        auto_start="0",
        redundant_err_path_reporting=_b(p.redundant_err_path),
        rmc_state=p.rmc_state,
        rmc_ipaddr=p.rmc_ipaddr,
        time_ref="0",
        lpar_avail_priority="191" if p.is_vios else "127",
        desired_lpar_proc_compat_mode=p.compat_desired,
        curr_lpar_proc_compat_mode=p.compat_curr,
        suspend_capable=_b(p.suspend_capable and not p.is_vios),
        remote_restart_capable="0",
        simplified_remote_restart_capable="0",
        sync_curr_profile="0",
        affinity_group_id="none",
        vtpm_enabled="0",
    )
    return rec


LPAR_EXTRA = {
    "msp": lambda f, p: _b(p.msp) if p.is_vios else "0",
    "migration_disabled": lambda f, p: _b(p.migration_disabled),
    # partition UUIDs print upper case (real-hmc-facts §1, cli-lpar-uuid-name.txt)
    "uuid": lambda f, p: f"{_uuid(f)[:-4]}{p.lpar_id:04X}".upper(),
    "description": lambda f, p: "",
}
LPAR_FIELDS = (*lpar_record(SimFrame("x", "1-1", "1", "h"), SimPartition("x", 1)), *LPAR_EXTRA)


# -- lssyscfg -r prof -----------------------------------------------------------------------------


def _client_server_element(f: SimFrame, a: ScsiAdapter | FcAdapter) -> dict[str, str]:
    return {
        "slot_num": str(a.slot),
        "adapter_type": a.adapter_type,
        "remote_lpar_id": "any" if a.remote_id is None else str(a.remote_id),
        "remote_lpar_name": "" if a.remote_id is None else _peer(f, a.remote_id, a.remote_name),
        "remote_slot_num": "any" if a.remote_slot is None else str(a.remote_slot),
        "is_required": _b(a.required),
    }


def _scsi_list(f: SimFrame, p: SimPartition) -> list[str]:
    return [SCSI_ELEMENT.join(_client_server_element(f, a)) for a in p.scsi]


def _fc_list(f: SimFrame, p: SimPartition) -> list[str]:
    return [
        FC_ELEMENT.join({**_client_server_element(f, a), "wwpns": ",".join(a.wwpns)}) for a in p.fc
    ]


def _eth_list(p: SimPartition) -> list[str]:
    return [
        ETH_ELEMENT.join(
            {
                "slot_num": str(a.slot),
                "ieee_virtual_eth": _b(a.ieee),
                "port_vlan_id": str(a.port_vlan_id),
                "addl_vlan_ids": ",".join(map(str, a.addl_vlan_ids)),
                "trunk_priority": str(a.trunk_priority),
                "is_required": _b(a.required),
                "vswitch": a.vswitch,
                "mac_addr": a.mac,
                "allowed_os_mac_addrs": "all",
                "qos_priority": "none",
            }
        )
        for a in p.eth
    ]


def _peer(f: SimFrame, lpar_id: int, fallback: str) -> str:
    peer = f.partitions.get(lpar_id)
    return peer.name if peer is not None else fallback


def _or_none(items: list[str]) -> str:
    return format_list(items) if items else "none"


def prof_record(f: SimFrame, p: SimPartition, name: str) -> Record:
    mem = p.mem
    rec: Record = {
        "name": name,
        "lpar_name": p.name,
        "lpar_id": str(p.lpar_id),
        "lpar_env": p.lpar_env,
        "all_resources": "0",
        "min_mem": str(max(f.lmb, mem // 4)),
        "desired_mem": str(mem),
        "max_mem": str(mem * 2),
    }
    if not p.is_vios:
        huge = str(p.huge_pages)
        rec.update(min_num_huge_pages="0", desired_num_huge_pages=huge, max_num_huge_pages=huge)
    rec.update(mem_mode="ded", mem_expansion="0.0", hpt_ratio="1:64", proc_mode=p.proc_mode)
    if p.proc_mode == "shared":
        units = _units(p.proc_units)
        rec.update(min_proc_units="0.1", desired_proc_units=units, max_proc_units=units)
    rec.update(
        min_procs="1",
        desired_procs=str(p.procs),
        max_procs=str(p.procs * 2),
        sharing_mode=p.sharing_mode,
    )
    if p.proc_mode == "shared":
        rec["uncap_weight"] = str(p.uncap_weight)
    slots = [s.drc_index + "/none/0" for s in f.io_slots if s.lpar_id == p.lpar_id]
    rec.update(
        affinity_group_id="none",
        io_slots=_or_none(slots),
        lpar_io_pool_ids="none",
        max_virtual_slots=str(p.max_virtual_slots),
        virtual_serial_adapters=format_list(["0/server/1/any//any/1", "1/server/1/any//any/1"]),
        virtual_scsi_adapters=_or_none(_scsi_list(f, p)),
        virtual_eth_adapters=_or_none(_eth_list(p)),
        vtpm_adapters="none",
        virtual_fc_adapters=_or_none(_fc_list(f, p)),
        hca_adapters="none",
        boot_mode="norm",
        conn_monitoring="0",
        auto_start="0",
        power_ctrl_lpar_ids="none",
        work_group_id=p.work_group_id,
        redundant_err_path_reporting=_b(p.redundant_err_path),
        bsr_arrays=str(p.bsr_arrays),
        lhea_logical_ports="none",
        lhea_capabilities="none",
        lpar_proc_compat_mode=p.compat_desired,
        electronic_err_reporting="null",
        sriov_eth_logical_ports=_or_none(_sriov_list(f, p)),
        sriov_roce_logical_ports="none",
    )
    return rec


def _sriov_list(f: SimFrame, p: SimPartition) -> list[str]:
    """The partition's own Ethernet logical ports in the V10R3 profile layout (cli-prof-all)."""
    return [
        f"config_id={lp.config_id}:adapter_id={lp.adapter_id}:phys_port_id={lp.phys_port_id}:"
        f"logical_port_id={lp.logical_port_id}:diag_mode=0:huge_dma_window_mode=0:"
        "promisc_mode=0:allowed_vlan_ids=all:mac_addr=000000000000:allowed_os_mac_addrs=all:"
        f"port_vlan_id=0:pvid_priority=0:capacity={lp.capacity:.1f}:max_capacity=100.0:"
        "allowed_priorities=none"
        for lp in logical_ports(f.sriov_adapters, f.listed_partitions())
        if lp.owner_id == p.lpar_id
    ]


PROF_FIELDS = tuple(prof_record(SimFrame("x", "1-1", "1", "h"), SimPartition("x", 1), "p"))
