"""SR-IOV, vNIC, memory-pool and reference-code records in the real captures' order.

Orders: adapter and physport from V11R2 default listings (cli-sriov-adapter-default-v11r2-p9,
…-p11-9242-21b, cli-sriov-physport-eth-default-v11r2-p9); logport, vnic and vnicbkdev from the
names V10R3 answered with ``-F`` (no default listing was captured: their default order is
unknown, the simulator prints the ``-F`` order).
"""

from __future__ import annotations

from lpmtui.hmc import attributes
from lpmtui.hmc.records import format_list
from lpmtui.sim.commands.render_cfg import Record
from lpmtui.sim.world.model import SimFrame
from lpmtui.sim.world.sriov import LogicalPort, SimSriovAdapter, logical_ports

# POWER11 adapters print their configuration options (…-p11-9242-21b)
_P11_OPTIONS = format_list(["0/80/12/Enterprise", "1/16/4/Thin"])
_CAPABILITIES = format_list(
    [
        "pvid_priority_capable",
        "port_vlan_id_capable",
        "mac_vlan_consistency_capable",
        "clear_phys_port_stat_capable",
        "clear_logical_port_stat_capable",
    ]
)


def _loc(f: SimFrame, a: SimSriovAdapter) -> str:
    return f"U{f.type_model.replace('-', '.')}.{f.serial}-P1-C{a.adapter_id + 1}"


def ports(f: SimFrame) -> list[LogicalPort]:
    return logical_ports(f.sriov_adapters, f.listed_partitions())


def adapter_records(f: SimFrame) -> list[Record]:
    rows = []
    for a in f.sriov_adapters:
        total = str(a.phys_ports * a.ports_per_phys_port)
        rec: Record = {
            "adapter_id": str(a.adapter_id),
            "slot_id": a.slot_id,
            "adapter_max_logical_ports": total,
            "config_state": "sriov",
            "functional_state": "1",
            "logical_ports": total,
            "phys_loc": _loc(f, a),
            "phys_ports": str(a.phys_ports),
            "sriov_status": "running",
            "alternate_config": "0",
            "custom_max_capacity_capable": "1",
            "custom_min_capacity_capable": "1",
        }
        if f.generation >= 11:
            rec.update(
                possible_adapter_config_options=_P11_OPTIONS,
                default_adapter_config_option="0",
                curr_adapter_config_option="0",
            )
        rows.append(rec)
    return rows


ADAPTER_FIELDS = attributes.SRIOV_ADAPTER_P11


def physport_records(f: SimFrame) -> list[Record]:
    used: dict[tuple[int, int], int] = {}
    for lp in ports(f):
        used[(lp.adapter_id, lp.phys_port_id)] = used.get((lp.adapter_id, lp.phys_port_id), 0) + 1
    rows = []
    for a in f.sriov_adapters:
        for n in range(a.phys_ports):
            count, most = str(used.get((a.adapter_id, n), 0)), str(a.ports_per_phys_port)
            values = [
                str(a.adapter_id), str(n), "", "", f"{_loc(f, a)}-T{n + 1}", "eth", "1",
                count, most, most, most, count, "1", "1", _CAPABILITIES, "10000", "auto",
                "9000", "9000", "0", "0", "0", "0", "1", "0", "null", "unavailable", "1",
            ]  # fmt: skip
            rows.append(dict(zip(attributes.SRIOV_PHYSPORT_ETH, values, strict=True)))
    return rows


# -F may also name the granularity the ethc/roce listings answered (…-ethc-v11r2-p9.txt)
PHYSPORT_FIELDS = (*attributes.SRIOV_PHYSPORT_ETH, "min_eth_capacity_granularity")


def logport_records(f: SimFrame, v11: bool) -> list[Record]:
    rows = []
    for lp in ports(f):
        owner = f.partitions.get(lp.owner_id)
        rec: Record = {
            "config_id": str(lp.config_id),
            "lpar_name": lp.owner_name,
            "lpar_id": str(lp.owner_id),
            "lpar_state": owner.state if owner is not None else "null",
            "adapter_id": str(lp.adapter_id),
            "logical_port_id": lp.logical_port_id,
            "logical_port_type": "eth",
            "phys_port_id": str(lp.phys_port_id),
            "functional_state": "1",
            "capacity": f"{lp.capacity:.1f}",
            "max_capacity": "100.0",
        }
        if v11:
            # V11R2 adds these (real-hmc-facts §4); their place in a default listing is
            # unknown: the simulator prints them last
            client = f.partitions.get(lp.vnic_client) if lp.vnic_client else None
            rec.update(
                client_lpar_ids=str(client.lpar_id) if client else "none",
                client_lpar_names=client.name if client else "none",
                mode="vnic" if client else "ded",
            )
        rows.append(rec)
    return rows


LOGPORT_FIELDS = (*attributes.SRIOV_LOGPORT_ETH, "client_lpar_ids", "client_lpar_names", "mode")


def _mac(f: SimFrame, lpar_id: int, slot: int) -> str:
    return f"ea{sum(map(ord, f.serial)) % 256:02x}{lpar_id:04x}{slot:04x}"


def vnic_records(f: SimFrame) -> list[Record]:
    rows = []
    for lp in ports(f):
        client = f.partitions.get(lp.vnic_client) if lp.vnic_client else None
        if client is None or lp.vnic_slot is None:
            continue
        cap = f"{lp.capacity:.1f}"
        backing = (
            f"sriov/{lp.owner_name}/{lp.owner_id}/{lp.adapter_id}/{lp.phys_port_id}/"
            f"{lp.logical_port_id}/{cap}/{cap}/50/100.0/100.0"
        )
        values = [
            client.name, str(client.lpar_id), str(lp.vnic_slot), "ded", "ded", "1", "0", "0",
            "all", _mac(f, client.lpar_id, lp.vnic_slot), "all", backing,
            f"sriov/{lp.logical_port_id}/1/Operational",
        ]  # fmt: skip
        rows.append(dict(zip(attributes.VNIC, values, strict=True)))
    return rows


def vnic_backing_records(f: SimFrame) -> list[Record]:
    rows = []
    for lp in ports(f):
        if lp.vnic_client is None:
            continue
        cap = f"{lp.capacity:.1f}"
        values = [
            lp.owner_name, str(lp.owner_id), "sriov", str(lp.adapter_id), str(lp.phys_port_id),
            lp.logical_port_id, cap, cap, "100.0", "100.0", "50", "1", "Operational",
        ]  # fmt: skip
        rows.append(dict(zip(attributes.VNIC_BACKING, values, strict=True)))
    return rows
