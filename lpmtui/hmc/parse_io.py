"""Parsers for the cold data of a frame: virtual adapters and slots, physical I/O slots,
profiles (with their adapter lists decoded) and VIOS virtual optical mappings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from lpmtui.hmc import records
from lpmtui.hmc.attributes import ETH_ELEMENT, FC_ELEMENT, SCSI_ELEMENT, ElementLayout
from lpmtui.hmc.parse_common import (
    Parsed,
    Table,
    as_bool,
    as_float,
    as_int,
    as_int_list,
    as_list,
    as_name,
    as_text,
    build,
    capped,
    number,
    same_names,
    with_defaults,
)
from lpmtui.model import (
    IoSlot,
    NpivPort,
    Profile,
    SharedProcPool,
    VirtualEthAdapter,
    VirtualFcAdapter,
    VirtualOpticalMapping,
    VirtualScsiAdapter,
    VirtualSlots,
)

T = TypeVar("T")

_CLIENT_SERVER: Table = same_names(
    lpar_name=as_name,
    lpar_id=as_int,
    slot_num=as_int,
    state=as_text,
    is_required=as_bool,
    adapter_type=as_text,
    remote_lpar_id=as_int,
    remote_lpar_name=as_name,
    remote_slot_num=as_int,
)
_ADAPTER_REQUIRED = ("lpar_id", "slot_num", "adapter_type", "is_required")
_ADAPTER_DEFAULTS = {
    "lpar_name": "",
    "remote_lpar_id": None,
    "remote_lpar_name": "",
    "remote_slot_num": None,
}


def scsi_adapters(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[VirtualScsiAdapter]:
    """``lshwres -r virtualio --rsubtype scsi --level lpar`` (``remote_lpar_id=any`` -> None)."""
    make = with_defaults(VirtualScsiAdapter, **_ADAPTER_DEFAULTS)
    return build(text, fields, delimiter, _CLIENT_SERVER, _ADAPTER_REQUIRED, make, "scsi adapter")


def fc_adapters(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[VirtualFcAdapter]:
    """``lshwres -r virtualio --rsubtype fc --level lpar``: a client carries its two WWPNs."""
    table = {**_CLIENT_SERVER, "wwpns": ("wwpns", as_list)}
    make = with_defaults(VirtualFcAdapter, **_ADAPTER_DEFAULTS)
    return build(text, fields, delimiter, table, _ADAPTER_REQUIRED, make, "fc adapter")


_ETH: Table = same_names(
    lpar_name=as_name,
    lpar_id=as_int,
    slot_num=as_int,
    state=as_text,
    is_required=as_bool,
    is_trunk=as_bool,
    trunk_priority=as_int,
    ieee_virtual_eth=as_bool,
    port_vlan_id=as_int,
    addl_vlan_ids=as_int_list,
    vswitch=as_name,
    mac_addr=as_text,
)


def _eth(v: dict[str, object]) -> VirtualEthAdapter:
    v.setdefault("lpar_name", "")
    if v.get("ieee_virtual_eth") is None:
        v["ieee_virtual_eth"] = False
    return VirtualEthAdapter(**v)  # type: ignore[arg-type]


def eth_adapters(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[VirtualEthAdapter]:
    """``lshwres -r virtualio --rsubtype eth --level lpar`` (trunk adapters carry a priority)."""
    required = ("lpar_id", "slot_num", "is_required", "is_trunk", "port_vlan_id")
    return build(text, fields, delimiter, _ETH, required, _eth, "eth adapter")


_SLOTS: Table = same_names(
    lpar_name=as_name,
    lpar_id=as_int,
    curr_max_virtual_slots=as_int,
    next_avail_virtual_slot=as_int,
)


def virtual_slots(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[VirtualSlots]:
    """``lshwres -r virtualio --rsubtype slot --level lpar``."""
    make = with_defaults(VirtualSlots, lpar_name="", next_avail_virtual_slot=None)
    required = ("lpar_id", "curr_max_virtual_slots")
    return build(text, fields, delimiter, _SLOTS, required, make, "virtual slot record")


_IO_SLOT: Table = same_names(
    drc_index=as_text,
    drc_name=as_text,
    lpar_id=as_int,
    lpar_name=as_name,
    description=as_name,
)


def io_slots(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[IoSlot]:
    """``lshwres -r io --rsubtype slot``: a free slot has ``lpar_id=none`` and no ``lpar_name``."""
    make = with_defaults(IoSlot, drc_name="", lpar_id=None)
    return build(text, fields, delimiter, _IO_SLOT, ("drc_index",), make, "I/O slot")


# -- profiles ---------------------------------------------------------------------------------

_PROFILE: Table = same_names(
    name=as_name,
    lpar_name=as_name,
    lpar_id=as_int,
    io_slots=as_list,
    bsr_arrays=as_int,
    desired_num_huge_pages=as_int,
    redundant_err_path_reporting=as_bool,
    lpar_proc_compat_mode=as_text,
    max_virtual_slots=as_int,
    virtual_scsi_adapters=as_list,
    virtual_fc_adapters=as_list,
    virtual_eth_adapters=as_list,
    min_mem=as_int,
    desired_mem=as_int,
    proc_mode=as_text,
    min_proc_units=as_float,
    desired_proc_units=as_float,
    min_procs=as_int,
    desired_procs=as_int,
)


def profiles(text: str, fields: Sequence[str] = (), delimiter: str = ",") -> Parsed[Profile]:
    """``lssyscfg -r prof``: adapter lists kept as the HMC's elements (decode them below)."""
    make = with_defaults(Profile, lpar_name="")
    return build(text, fields, delimiter, _PROFILE, ("name", "lpar_id"), make, "profile")


def _decode_elements(
    profile: Profile, elements: Sequence[str], what: str, decode: Callable[[str], T]
) -> Parsed[T]:
    """Decode each list element of a profile; one that does not read becomes a problem."""
    items, problems = [], []
    for element in elements:
        try:
            items.append(decode(element))
        except ValueError:
            problems.append(f"profile {profile.name}: unreadable {what} {element!r}")
    return Parsed(tuple(items), tuple(problems))


def _fields(layout: ElementLayout, element: str) -> dict[str, str]:
    fields = layout.split(element)
    if fields is None:
        raise ValueError(element)
    return fields


def _client_server(profile: Profile, f: dict[str, str]) -> dict[str, Any]:
    """The fields a profile's virtual SCSI and FC adapter elements share."""
    return {
        "lpar_name": profile.lpar_name,
        "lpar_id": profile.lpar_id,
        "slot_num": number(f["slot_num"]),
        "adapter_type": f["adapter_type"],
        "is_required": f["is_required"] == "1",
        "remote_lpar_id": as_int(f["remote_lpar_id"]),
        "remote_lpar_name": f["remote_lpar_name"],
        "remote_slot_num": as_int(f["remote_slot_num"]),
    }


def profile_scsi_adapters(profile: Profile) -> Parsed[VirtualScsiAdapter]:
    """``slot/client|server/remote_id/remote_name/remote_slot/is_required`` elements."""

    def decode(element: str) -> VirtualScsiAdapter:
        return VirtualScsiAdapter(**_client_server(profile, _fields(SCSI_ELEMENT, element)))

    return _decode_elements(profile, profile.virtual_scsi_adapters, "scsi adapter", decode)


def profile_fc_adapters(profile: Profile) -> Parsed[VirtualFcAdapter]:
    """``slot/client|server/remote_id/remote_name/remote_slot/wwpn1,wwpn2/is_required``."""

    def decode(element: str) -> VirtualFcAdapter:
        f = _fields(FC_ELEMENT, element)
        return VirtualFcAdapter(
            **_client_server(profile, f),
            wwpns=tuple(w for w in f["wwpns"].split(",") if w),
        )

    return _decode_elements(profile, profile.virtual_fc_adapters, "fc adapter", decode)


def profile_eth_adapters(profile: Profile) -> Parsed[VirtualEthAdapter]:
    """``slot/ieee/port_vlan_id/addl_vlan_ids/trunk_priority/is_required[/vswitch/mac/...]``.

    A trunk priority of 0 means "not a trunk adapter"; additional VLANs are comma-separated.
    """

    def decode(element: str) -> VirtualEthAdapter:
        f = _fields(ETH_ELEMENT, element)
        priority = number(f["trunk_priority"])
        return VirtualEthAdapter(
            lpar_name=profile.lpar_name,
            lpar_id=profile.lpar_id,
            slot_num=number(f["slot_num"]),
            is_required=f["is_required"] == "1",
            is_trunk=priority != 0,
            port_vlan_id=number(f["port_vlan_id"]),
            addl_vlan_ids=tuple(number(v) for v in f["addl_vlan_ids"].split(",") if v),
            ieee_virtual_eth=f["ieee_virtual_eth"] == "1",
            vswitch=f.get("vswitch", ""),
            mac_addr=f.get("mac_addr", ""),
            trunk_priority=priority or None,
        )

    return _decode_elements(profile, profile.virtual_eth_adapters, "eth adapter", decode)


# -- VIOS: lsmap -all -type file_opt -fmt : ------------------------------------------------------

_VTD_STATES = frozenset({"Available", "Defined"})


def optical_mappings(text: str, vios_name: str) -> Parsed[VirtualOpticalMapping]:
    """``lsmap -all -type file_opt -fmt :`` run on VIOS ``vios_name`` through viosvrcmd. [M]

    One line per server adapter: ``vhost0:physloc:0x00000005`` then, per virtual target
    device, ``vtd:status:lun:backing:backing_physloc[:mirrored]``. A VTD is recognised by the
    status that follows its name, so both the 5- and the 6-field VTD layouts read right. A
    vhost without a VTD, or with client id 0 (no client), maps nothing.
    """

    def decode(f: list[str]) -> list[VirtualOpticalMapping]:
        client = as_int(f[2])
        if not client:
            return []
        return [
            VirtualOpticalMapping(
                vios_name=vios_name,
                vhost=f[0],
                client_lpar_id=client,
                vtd=f[i],
                backing=f[i + 3] if i + 3 < len(f) else "",
            )
            for i in range(3, len(f) - 1)
            if f[i] and f[i + 1] in _VTD_STATES
        ]

    return _colon_lines(text, 3, "lsmap", decode)


def npiv_ports(text: str, vios_name: str) -> Parsed[NpivPort]:
    """``lsnports -fmt :`` run on VIOS ``vios_name`` through viosvrcmd. [M]

    One line per NPIV-capable port: ``name:physloc:fabric:tports:aports:swwpns:awwpns``. A VIOS
    without such ports prints nothing.
    """

    def decode(f: list[str]) -> list[NpivPort]:
        fabric = as_bool(f[2])
        return [NpivPort(vios_name, f[0], f[1], bool(fabric), as_int(f[3]), as_int(f[4]))]

    return _colon_lines(text, 5, "lsnports", decode)


def _colon_lines(
    text: str, min_fields: int, command: str, decode: Callable[[list[str]], list[T]]
) -> Parsed[T]:
    """VIOS ``-fmt :`` output: each non-blank line split on ":" and decoded into items; a line
    with fewer than ``min_fields`` fields, no first field, or a value that does not read is a
    problem."""
    items: list[T] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        f = line.split(":")
        try:
            if len(f) < min_fields or not f[0]:
                raise ValueError(line)
            items.extend(decode(f))
        except ValueError:
            problems.append(f"line {n}: not an {command} -fmt : line: {line[:60]!r}")
            if len(problems) >= records.GIVE_UP_AFTER and len(problems) > len(items):
                stop = f"line {n}: mostly unreadable; the rest of the output was not read"
                return Parsed(tuple(items), (*capped(problems), stop))
    return Parsed(tuple(items), capped(problems))


# -- shared processor pools -------------------------------------------------------------------

_PROC_POOL: Table = {
    "shared_proc_pool_id": ("pool_id", as_int),
    "name": ("name", as_name),
}


def shared_pools(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> Parsed[SharedProcPool]:
    """``lshwres -r procpool -m S``: one record per pool of the frame."""
    make = with_defaults(SharedProcPool)
    return build(text, fields, delimiter, _PROC_POOL, ("pool_id", "name"), make, "procpool")
