"""SR-IOV and vNIC listings -> model objects (``lshwres -r sriov``, ``-r virtualio --rsubtype
vnic``). Key-based like every parser: a default listing reads as well as a ``-F`` one; ``null``
(a dedicated adapter's SR-IOV fields, cli-sriov-adapters.txt) reads as absent."""

from __future__ import annotations

from collections.abc import Sequence

from lpmtui.hmc.parse_common import (
    Parsed,
    Table,
    as_float,
    as_int,
    as_list,
    as_name,
    as_text,
    build,
    same_names,
    with_defaults,
)
from lpmtui.model import SriovLogicalPort, SriovPhysicalPort, VnicAdapter

_LOGPORT: Table = same_names(
    lpar_name=as_name,
    lpar_id=as_int,
    adapter_id=as_int,
    phys_port_id=as_int,
    logical_port_id=as_text,
    capacity=as_float,
)


def sriov_logical_ports(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[SriovLogicalPort]:
    """``lshwres -r sriov --rsubtype logport --level eth``; a port without an owner
    (``lpar_id`` none/null) is not configured for anyone and is skipped as incomplete."""
    make = with_defaults(SriovLogicalPort, lpar_name="", capacity=None)
    required = ("lpar_id", "adapter_id", "phys_port_id", "logical_port_id")
    return build(text, fields, delimiter, _LOGPORT, required, make, "SR-IOV logical port")


_PHYSPORT: Table = {
    "adapter_id": ("adapter_id", as_int),
    "phys_port_id": ("phys_port_id", as_int),
    "state": ("state", as_text),
    "config_logical_ports": ("config_logical_ports", as_int),
    "phys_port_max_logical_ports": ("max_logical_ports", as_int),
}


def sriov_physical_ports(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[SriovPhysicalPort]:
    """``lshwres -r sriov --rsubtype physport --level eth``."""
    make = with_defaults(
        SriovPhysicalPort, state="", config_logical_ports=None, max_logical_ports=None
    )
    required = ("adapter_id", "phys_port_id")
    return build(text, fields, delimiter, _PHYSPORT, required, make, "SR-IOV physical port")


_VNIC: Table = same_names(
    lpar_name=as_name,
    lpar_id=as_int,
    slot_num=as_int,
    backing_devices=as_list,
)


def vnic_adapters(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[VnicAdapter]:
    """``lshwres -r virtualio --rsubtype vnic --level lpar``."""
    make = with_defaults(VnicAdapter, lpar_name="", backing_devices=())
    return build(text, fields, delimiter, _VNIC, ("lpar_id", "slot_num"), make, "vNIC adapter")
