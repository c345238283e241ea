"""SR-IOV adapters, their logical ports, and vNIC backing devices of a simulated frame.

A frame owns adapters; a client owns ``sriov_ports`` logical ports directly (capacity each) and
``vnics`` vNIC adapters. Logical ports are derived, not stored: a client's own ports take the
first physical ports of the frame's first adapter, and each vNIC's backing device is a logical
port owned by the frame's first running VIOS. So a migrated vNIC client is backed on its new
frame as soon as it arrives, and the listings always agree with each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass
class SimSriovAdapter:
    adapter_id: int
    slot_id: str  # drc index, e.g. 21010020
    phys_ports: int = 2
    ports_per_phys_port: int = 20  # phys_port_max_logical_ports (…-ethc-v11r2-p9: 20)


@dataclass(frozen=True)
class LogicalPort:
    owner_id: int  # the partition that owns it (a VIOS for a vNIC backing device)
    owner_name: str
    adapter_id: int
    phys_port_id: int
    logical_port_id: str  # hex as printed: 27004001
    capacity: float
    config_id: int
    vnic_client: int | None = None  # the client whose vNIC this port backs
    vnic_slot: int | None = None


class _Partition(Protocol):
    name: str
    lpar_id: int
    sriov_ports: int
    vnic_slots: list[int]
    state: str

    @property
    def is_vios(self) -> bool: ...


PORT_CAPACITY = 2.0  # percent; the minimum granularity a V11R2 ethc port showed (2.0)


def logical_ports(
    adapters: list[SimSriovAdapter], partitions: Iterable[_Partition]
) -> list[LogicalPort]:
    """Every configured Ethernet logical port of the frame, in creation order."""
    if not adapters:
        return []
    parts = list(partitions)
    vios = next((p for p in parts if p.is_vios and p.state == "Running"), None)
    adapter = adapters[0]
    out: list[LogicalPort] = []
    used = [0] * adapter.phys_ports

    def take(owner: _Partition, client: int | None = None, slot: int | None = None) -> None:
        port = min(range(adapter.phys_ports), key=lambda i: used[i])
        if used[port] >= adapter.ports_per_phys_port:
            return  # the adapter is full: the port is not configured
        used[port] += 1
        n = len(out)
        lp_id = f"2700{adapter.adapter_id:X}{port:X}{n + 1:02X}"
        out.append(
            LogicalPort(
                owner.lpar_id,
                owner.name,
                adapter.adapter_id,
                port,
                lp_id,
                PORT_CAPACITY,
                n,
                client,
                slot,
            )
        )

    for p in parts:
        for _ in range(p.sriov_ports):
            take(p)
        if vios is not None:
            for slot in p.vnic_slots:
                take(vios, p.lpar_id, slot)
    return out


def free_logical_ports(adapters: list[SimSriovAdapter], partitions: Iterable[_Partition]) -> int:
    """Logical ports the frame's adapters can still configure."""
    total = sum(a.phys_ports * a.ports_per_phys_port for a in adapters[:1])
    return max(0, total - len(logical_ports(adapters, partitions)))
