"""Hardware records (``lshwres`` mem, proc, io, virtualio) in the real samples' order (hmc-cli §4).

Each function returns an ordered dict; the ``*_FIELDS`` tuples list what ``-F`` may ask for.
"""

from __future__ import annotations

from lpmtui.hmc import attributes
from lpmtui.hmc.records import format_list
from lpmtui.sim.commands.render_cfg import Record, _b, _peer, _units
from lpmtui.sim.world.model import ProcPool, SimFrame, SimPartition

# -- lshwres -r mem / proc ------------------------------------------------------------------------


def mem_sys_record(f: SimFrame) -> Record:
    avail = str(f.mem_available())
    return {
        "configurable_sys_mem": str(f.mem_configurable),
        "curr_avail_sys_mem": avail,
        "pend_avail_sys_mem": avail,
        "installed_sys_mem": str(f.mem_configurable),
        "deconfig_sys_mem": "0",
        "sys_firmware_mem": str(f.mem_firmware),
        "mem_region_size": str(f.lmb),
        "configurable_num_sys_huge_pages": "0",
        "curr_avail_num_sys_huge_pages": "0",
        "pend_avail_num_sys_huge_pages": "0",
        "max_num_sys_huge_pages": "1",
        "requested_num_sys_huge_pages": "0",
        "huge_page_size": "16384",
        "max_mem_pools": "1",
        "default_hpt_ratios": "1:128",
        "possible_hpt_ratios": format_list(["1:32", "1:64", "1:128", "1:256", "1:512"]),
    }


def mem_lpar_record(p: SimPartition) -> Record:
    on = p.holds_resources or p.state == "Suspended"
    mem = p.mem if on else 0
    low, high = (max(256, mem // 4), mem * 2) if on else (0, 0)
    rec: Record = {"lpar_name": p.name, "lpar_id": str(p.lpar_id)}
    for prefix in ("curr", "pend"):
        rec.update(
            {
                f"{prefix}_min_mem": str(low),
                f"{prefix}_mem": str(mem),
                f"{prefix}_max_mem": str(high),
            }
        )
    rec.update(run_min_mem=str(low), run_mem=str(mem))
    if not p.is_vios:
        huge = str(p.huge_pages if on else 0)
        for prefix in ("curr", "pend"):
            rec.update(
                {
                    f"{prefix}_min_num_huge_pages": "0",
                    f"{prefix}_num_huge_pages": huge,
                    f"{prefix}_max_num_huge_pages": huge,
                }
            )
        rec["run_num_huge_pages"] = huge
    rec.update(mem_mode="ded", curr_hpt_ratio="1:64")
    return rec


MEM_LPAR_FIELDS = tuple(mem_lpar_record(SimPartition("x", 1)))


def proc_sys_record(f: SimFrame) -> Record:
    avail = _units(f.proc_available())
    total = _units(f.proc_units)
    return {
        "configurable_sys_proc_units": total,
        "curr_avail_sys_proc_units": avail,
        "pend_avail_sys_proc_units": avail,
        "installed_sys_proc_units": total,
        "deconfig_sys_proc_units": "0",
        "min_proc_units_per_virtual_proc": "0.05",
        "max_virtual_procs_per_lpar": "240",
        "max_procs_per_lpar": str(int(f.proc_units)),
        "max_curr_virtual_procs_per_aixlinux_lpar": "240",
        "max_curr_virtual_procs_per_vios_lpar": "240",
        "max_curr_virtual_procs_per_os400_lpar": "240",
        "max_curr_procs_per_aixlinux_lpar": str(int(f.proc_units)),
        "max_curr_procs_per_vios_lpar": str(int(f.proc_units)),
        "max_curr_procs_per_os400_lpar": str(int(f.proc_units)),
        "max_shared_proc_pools": "64",
    }


def proc_lpar_record(f: SimFrame, p: SimPartition) -> Record:
    on = p.holds_resources or p.state == "Suspended"
    shared = p.proc_mode == "shared"
    rec: Record = {"lpar_name": p.name, "lpar_id": str(p.lpar_id)}
    if shared:
        rec["curr_shared_proc_pool_id"] = str(p.pool_id)
    pool = f.pool(p.pool_id)
    for prefix in ("curr", "pend"):
        rec[f"{prefix}_proc_mode"] = p.proc_mode
        if shared:
            units = _units(p.proc_units) if on else "0.0"
            rec.update(
                {
                    f"{prefix}_min_proc_units": "0.1" if on else "0.0",
                    f"{prefix}_proc_units": units,
                    f"{prefix}_max_proc_units": units,
                }
            )
        procs = str(p.procs) if on else "0"
        rec.update(
            {
                f"{prefix}_min_procs": "1" if on else "0",
                f"{prefix}_procs": procs,
                f"{prefix}_max_procs": str(p.procs * 2) if on else "0",
                f"{prefix}_sharing_mode": p.sharing_mode,
            }
        )
        if shared:
            rec[f"{prefix}_uncap_weight"] = str(p.uncap_weight)
        if prefix == "curr" and shared:
            rec["pend_shared_proc_pool_id"] = str(p.pool_id)
    if shared:
        rec["run_proc_units"] = _units(p.proc_units) if on else "0.0"
    rec["run_procs"] = str(p.procs) if on else "0"
    if shared:
        rec["run_uncap_weight"] = str(p.uncap_weight)
        rec["curr_shared_proc_pool_name"] = pool.name if pool else "DefaultPool"
    return rec


PROC_LPAR_FIELDS = tuple(proc_lpar_record(SimFrame("x", "1-1", "1", "h"), SimPartition("x", 1)))


# -- lshwres -r procpool --------------------------------------------------------------------------


def proc_pool_records(f: SimFrame) -> list[Record]:
    """DefaultPool (id 0) and the configured pools. [M] attribute names and order from memory of
    the lshwres man page; no real sample. DefaultPool has no maximum or reserved units."""
    rows: list[Record] = []
    pools: dict[int, tuple[str, ProcPool | None]] = {0: ("DefaultPool", None)}
    pools.update((x.pool_id, (x.name, x if x.pool_id else None)) for x in f.pools)
    for pool_id, (name, pool) in sorted(pools.items()):
        members = [
            p for p in f.partitions.values() if p.proc_mode == "shared" and p.pool_id == pool_id
        ]
        rec: Record = {"name": name, "shared_proc_pool_id": str(pool_id)}
        if pool is not None:
            rec.update(
                max_pool_proc_units=_units(pool.max_units),
                curr_reserved_pool_proc_units="0.0",
                pend_reserved_pool_proc_units="0.0",
            )
        rec.update(
            lpar_names=format_list([p.name for p in members]) if members else "none",
            lpar_ids=format_list([str(p.lpar_id) for p in members]) if members else "none",
        )
        rows.append(rec)
    return rows


PROC_POOL_FIELDS = attributes.PROC_POOL


# -- lshwres -r io / virtualio --------------------------------------------------------------------


def io_slot_records(f: SimFrame) -> list[Record]:
    out = []
    unit = f"U78{f.generation:02d}.001.{f.serial}"
    for s in f.io_slots:
        rec: Record = {
            "unit_phys_loc": unit,
            "bus_id": str(s.bus_id),
            "phys_loc": s.phys_loc,
            "drc_index": s.drc_index,
        }
        owner = f.partitions.get(s.lpar_id) if s.lpar_id is not None else None
        if owner is not None:
            rec["lpar_name"] = owner.name
        rec.update(
            lpar_id=str(s.lpar_id) if s.lpar_id is not None else "none",
            slot_io_pool_id="none",
            description=s.description,
            feature_codes=s.feature_codes,
            pci_vendor_id="1014",
            pci_device_id="0611",
            pci_subs_vendor_id="1014",
            pci_subs_device_id="0611",
            pci_class="0C04",
            pci_revision_id="01",
            bus_grouping="0",
            iop="0",
            parent_slot_drc_index="none",
            drc_name=f"{unit}-P1-{s.phys_loc}",
            interposer_present="0",
            interposer_pcie="0",
            lpar_assignment_capable="1",  # V10R3 (cli-io-slots-default.txt)
            dynamic_lpar_assignment_capable="1",
        )
        out.append(rec)
    return out


IO_SLOT_FIELDS = attributes.IO_SLOT


def _client_server_record(f: SimFrame, p: SimPartition, a, order: tuple[str, ...]) -> Record:
    """The attributes a virtual SCSI and a virtual FC adapter share, in the HMC's ``order``
    for that adapter kind (they differ: FC lists ``adapter_type`` before ``state``)."""
    values = {
        "lpar_name": p.name,
        "lpar_id": str(p.lpar_id),
        "slot_num": str(a.slot),
        "state": "1",
        "is_required": _b(a.required),
        "adapter_type": a.adapter_type,
        "remote_lpar_id": "any" if a.remote_id is None else str(a.remote_id),
        "remote_lpar_name": "" if a.remote_id is None else _peer(f, a.remote_id, a.remote_name),
        "remote_slot_num": "any" if a.remote_slot is None else str(a.remote_slot),
    }
    return {name: values[name] for name in order if name in values}


def scsi_records(f: SimFrame, p: SimPartition) -> list[Record]:
    return [_client_server_record(f, p, a, SCSI_FIELDS) for a in p.scsi]


SCSI_FIELDS = attributes.VIRTUAL_SCSI


def fc_records(f: SimFrame, p: SimPartition) -> list[Record]:
    out = []
    for a in p.fc:
        rec = _client_server_record(f, p, a, FC_FIELDS)
        if a.adapter_type == "client":
            rec["wwpns"] = ",".join(a.wwpns)
        out.append(rec)
    return out


FC_FIELDS = attributes.VIRTUAL_FC


def eth_records(p: SimPartition) -> list[Record]:
    out = []
    for a in p.eth:
        rec: Record = {
            "lpar_name": p.name,
            "lpar_id": str(p.lpar_id),
            "slot_num": str(a.slot),
            "state": "1" if p.holds_resources else "0",
            "is_required": _b(a.required),
            "is_trunk": _b(a.trunk_priority > 0),
        }
        if a.trunk_priority:
            rec["trunk_priority"] = str(a.trunk_priority)
        rec.update(
            ieee_virtual_eth=_b(a.ieee),
            port_vlan_id=str(a.port_vlan_id),
            addl_vlan_ids=",".join(map(str, a.addl_vlan_ids)),
            mac_addr=a.mac,
            vswitch=a.vswitch,
            allowed_os_mac_addrs="all",
            qos_priority="none",
        )
        out.append(rec)
    return out


ETH_FIELDS = attributes.VIRTUAL_ETH


def slot_record(p: SimPartition) -> Record:
    return {
        "lpar_name": p.name,
        "lpar_id": str(p.lpar_id),
        "curr_max_virtual_slots": str(p.max_virtual_slots),
        "pend_max_virtual_slots": str(p.max_virtual_slots),
        "next_avail_virtual_slot": str(p.next_slot()),
    }


SLOT_FIELDS = tuple(slot_record(SimPartition("x", 1)))
