"""Attribute names the HMC prints, per resource, and the layout of list elements.

Shared by the client (``command_fields`` picks its ``-F`` sets from these; ``parse_io``
decodes profile list elements with these layouts) and the simulator (which prints these
attributes in this order and builds list elements with these layouts), so the two cannot
drift. Orders are the real samples' (hmc-cli.md §4); [M] marks names from the man pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _names(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def pick(printed: tuple[str, ...], wanted: Iterable[str]) -> tuple[str, ...]:
    """``wanted`` in its own order; a name the HMC does not print for the resource is a bug."""
    names = tuple(wanted)
    unknown = [n for n in names if n not in printed]
    if unknown:
        raise ValueError(f"not an attribute of this resource: {', '.join(unknown)}")
    return names


# lshwres -r io --rsubtype slot
IO_SLOT = _names(
    "unit_phys_loc bus_id phys_loc drc_index lpar_name lpar_id slot_io_pool_id description "
    "feature_codes pci_vendor_id pci_device_id pci_subs_vendor_id pci_subs_device_id pci_class "
    "pci_revision_id bus_grouping iop parent_slot_drc_index drc_name interposer_present "
    "interposer_pcie lpar_assignment_capable dynamic_lpar_assignment_capable"
)
# lshwres -r procpool [M]
PROC_POOL = _names(
    "name shared_proc_pool_id max_pool_proc_units curr_reserved_pool_proc_units "
    "pend_reserved_pool_proc_units lpar_names lpar_ids"
)
# lshwres -r virtualio --rsubtype scsi|fc|eth --level lpar (FC lists adapter_type before state)
VIRTUAL_SCSI = _names(
    "lpar_name lpar_id slot_num state is_required adapter_type remote_lpar_id remote_lpar_name "
    "remote_slot_num"
)
VIRTUAL_FC = _names(
    "lpar_name lpar_id slot_num adapter_type state is_required remote_lpar_id remote_lpar_name "
    "remote_slot_num wwpns"
)
VIRTUAL_ETH = _names(
    "lpar_name lpar_id slot_num state is_required is_trunk trunk_priority ieee_virtual_eth "
    "port_vlan_id addl_vlan_ids mac_addr vswitch allowed_os_mac_addrs qos_priority"
)

# lshwres -r sriov --rsubtype adapter: V11R2 default order (cli-sriov-adapter-default-v11r2-p9);
# POWER11 adds the config options (cli-sriov-adapter-default-v11r2-p11-9242-21b).
SRIOV_ADAPTER = _names(
    "adapter_id slot_id adapter_max_logical_ports config_state functional_state logical_ports "
    "phys_loc phys_ports sriov_status alternate_config custom_max_capacity_capable "
    "custom_min_capacity_capable"
)
SRIOV_ADAPTER_P11 = (
    *SRIOV_ADAPTER,
    *_names(
        "possible_adapter_config_options default_adapter_config_option curr_adapter_config_option"
    ),
)
# lshwres -r sriov --rsubtype physport --level eth: V11R2 default order
# (cli-sriov-physport-eth-default-v11r2-p9)
SRIOV_PHYSPORT_ETH = _names(
    "adapter_id phys_port_id phys_port_label phys_port_sub_label phys_port_loc phys_port_type "
    "state config_logical_ports phys_port_max_logical_ports supported_max_eth_logical_ports "
    "max_eth_logical_ports curr_eth_logical_ports max_diag_ports max_promisc_ports capabilities "
    "conn_speed config_conn_speed max_recv_packet_size config_max_recv_packet_size "
    "recv_flow_control config_recv_flow_control trans_flow_control config_trans_flow_control "
    "veb_mode vepa_mode priority_flow_control_active mac_addr adapter_lldp"
)
# lshwres -r sriov --rsubtype logport --level eth: the names V10R3 answered in this order
# (pcie-…-sriov--effective-logical-ports-before; no default listing was captured).
SRIOV_LOGPORT_ETH = _names(
    "config_id lpar_name lpar_id lpar_state adapter_id logical_port_id logical_port_type "
    "phys_port_id functional_state capacity max_capacity"
)
# lshwres -r virtualio --rsubtype vnic --level lpar / vnicbkdev: the names V10R3 answered
# (pcie-…-vnic--vnic-readback, --vnic-backing-readback).
VNIC = _names(
    "lpar_name lpar_id slot_num desired_mode curr_mode auto_priority_failover port_vlan_id "
    "pvid_priority allowed_vlan_ids mac_addr allowed_os_mac_addrs backing_devices "
    "backing_device_states"
)
VNIC_BACKING = _names(
    "lpar_name lpar_id type adapter_id physical_port_id logical_port_id capacity "
    "desired_capacity max_capacity desired_max_capacity failover_priority is_active status"
)


# -- list elements (lssyscfg -r prof virtual_*_adapters) ------------------------------------------


@dataclass(frozen=True)
class ElementLayout:
    """One ``/``-separated list element: its fields in order, how many must be present, and
    the one field (a partition name) that may itself hold a ``/``."""

    fields: tuple[str, ...]
    required: int
    name_field: str = ""

    def join(self, values: Mapping[str, str]) -> str:
        return "/".join(values[name] for name in self.fields)

    def split(self, element: str) -> dict[str, str] | None:
        """Field -> text (optional trailing fields only when present); None if too short."""
        parts = element.split("/")
        if self.name_field:
            left = self.fields.index(self.name_field)
            right = len(self.fields) - left - 1
            if len(parts) < left + right + 1:
                return None
            middle = "/".join(parts[left : len(parts) - right])
            parts = [*parts[:left], middle, *parts[len(parts) - right :]]
        elif len(parts) < self.required:
            return None
        return dict(zip(self.fields, parts, strict=False))


SCSI_ELEMENT = ElementLayout(
    _names("slot_num adapter_type remote_lpar_id remote_lpar_name remote_slot_num is_required"),
    6,
    "remote_lpar_name",
)
FC_ELEMENT = ElementLayout(
    _names(
        "slot_num adapter_type remote_lpar_id remote_lpar_name remote_slot_num wwpns is_required"
    ),
    7,
    "remote_lpar_name",
)
# slot/ieee/port_vlan_id/addl_vlan_ids/trunk_priority/is_required[/vswitch/mac/...]
ETH_ELEMENT = ElementLayout(
    _names(
        "slot_num ieee_virtual_eth port_vlan_id addl_vlan_ids trunk_priority is_required "
        "vswitch mac_addr allowed_os_mac_addrs qos_priority"
    ),
    6,
)
