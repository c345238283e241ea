"""The ``-F`` attribute sets the console asks the HMC for, and the VIOS commands it relays.

Builders ask only for the fields the caller needs; parsers are key-based, so a default listing
(an HMC level that rejects a name) reads just as well.
"""

from __future__ import annotations

from typing import Literal

from lpmtui.hmc import attributes, vocabulary
from lpmtui.hmc.attributes import pick
from lpmtui.model import HmcVersion


def _names(words: str) -> tuple[str, ...]:
    return tuple(words.split())


SYSTEM_FIELDS = _names(
    "name type_model serial_num state detailed_state ipaddr "
    "active_lpar_mobility_capable inactive_lpar_mobility_capable "
    "lpar_suspend_capable lpar_proc_compat_modes service_lpar_id max_lpars "
    "ibmi_lpar_mobility_capable"
)
PARTITION_FIELDS = _names(
    "name lpar_id lpar_env state resource_config os_version default_profile "
    "curr_profile work_group_id redundant_err_path_reporting rmc_state rmc_ipaddr "
    "desired_lpar_proc_compat_mode curr_lpar_proc_compat_mode msp "
    "migration_disabled"
)
PROFILE_FIELDS = _names(
    "name lpar_name lpar_id min_mem desired_mem proc_mode min_proc_units desired_proc_units "
    "min_procs desired_procs io_slots bsr_arrays desired_num_huge_pages "
    "redundant_err_path_reporting lpar_proc_compat_mode max_virtual_slots "
    "virtual_scsi_adapters virtual_fc_adapters virtual_eth_adapters"
)


def for_level(
    fields: tuple[str, ...], resource: vocabulary.Resource, version: HmcVersion | None
) -> tuple[str, ...]:
    """``fields`` less the names the console's level is known not to print.

    An evidenced level (V10R3, V11R2) is asked only for the names its captures show, so
    ``migration_disabled``, ``ibmi_lpar_mobility_capable`` and ``bsr_arrays`` are not asked
    there; before ``lshmc -V`` has answered, only names every evidenced level prints; other
    levels get every name (an invalid-attribute answer falls back to the default listing).
    """
    if version is None:
        known = vocabulary.everywhere(resource)
    else:
        known = vocabulary.evidenced(version.version, version.release, resource)
        if known is None:
            return fields
    return tuple(f for f in fields if f in known)


SYSTEM_MEMORY_FIELDS = _names(
    "configurable_sys_mem curr_avail_sys_mem sys_firmware_mem mem_region_size"
)
SYSTEM_PROCESSOR_FIELDS = _names(
    "configurable_sys_proc_units curr_avail_sys_proc_units max_shared_proc_pools"
)
PARTITION_MEMORY_FIELDS = _names("lpar_id curr_mem curr_num_huge_pages mem_mode")
PARTITION_PROCESSOR_FIELDS = _names(
    "lpar_id curr_proc_mode curr_proc_units curr_procs curr_shared_proc_pool_id "
    "curr_shared_proc_pool_name"
)
# lshwres -r procpool: the frame's shared processor pools. [M] attribute names from memory of
# the lshwres man page (name, shared_proc_pool_id, max_pool_proc_units, ...).
PROC_POOL_FIELDS = pick(attributes.PROC_POOL, _names("shared_proc_pool_id name"))
IO_SLOT_FIELDS = pick(
    attributes.IO_SLOT, _names("drc_index drc_name lpar_id lpar_name description")
)
VIRTUAL_IO_FIELDS: dict[str, tuple[str, ...]] = {
    "scsi": pick(
        attributes.VIRTUAL_SCSI,
        _names(
            "lpar_name lpar_id slot_num state is_required adapter_type remote_lpar_id "
            "remote_lpar_name remote_slot_num"
        ),
    ),
    "fc": pick(
        attributes.VIRTUAL_FC,
        _names(
            "lpar_name lpar_id slot_num state is_required adapter_type remote_lpar_id "
            "remote_lpar_name remote_slot_num wwpns"
        ),
    ),
    "eth": pick(
        attributes.VIRTUAL_ETH,
        _names(
            "lpar_name lpar_id slot_num state is_required is_trunk trunk_priority "
            "ieee_virtual_eth port_vlan_id addl_vlan_ids vswitch mac_addr"
        ),
    ),
    "slot": _names("lpar_name lpar_id curr_max_virtual_slots next_avail_virtual_slot"),
}
# SR-IOV and vNIC (names evidenced at V10R3 and V11R2, real-hmc-facts §4)
SRIOV_LOGPORT_FIELDS = pick(
    attributes.SRIOV_LOGPORT_ETH,
    _names("lpar_name lpar_id adapter_id logical_port_id phys_port_id capacity"),
)
SRIOV_PHYSPORT_FIELDS = pick(
    attributes.SRIOV_PHYSPORT_ETH,
    _names("adapter_id phys_port_id state config_logical_ports phys_port_max_logical_ports"),
)
VNIC_FIELDS = pick(attributes.VNIC, _names("lpar_name lpar_id slot_num backing_devices"))
# lslic: the activated firmware level. [M] attribute names from memory of the lslic man page
# (activated_level = the service pack number, activated_spname = e.g. "FW950.80").
FIRMWARE_FIELDS = ("activated_level", "activated_spname")
# lsmap on the VIOS (run through viosvrcmd): file-backed virtual optical devices only. [M]
OPTICAL_MAP_COMMAND = "lsmap -all -type file_opt -fmt :"
# lsnports on the VIOS: its NPIV-capable FC ports (none listed: it cannot host virtual FC). [M]
NPIV_PORTS_COMMAND = "lsnports -fmt :"

VirtualIoKind = Literal["scsi", "fc", "eth", "slot"]
