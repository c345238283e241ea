"""Partition I/O prerequisites on the source frame: storage and network virtual through VIOS."""

from __future__ import annotations

from lpmtui.eligibility.catalogue import check
from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN, WARN, Check
from lpmtui.eligibility.cold_groups import groups_of
from lpmtui.eligibility.index import DEFAULT_VSWITCH, PartitionFacts
from lpmtui.eligibility.kind import INACTIVE

_NO_COLD = "adapter data not fetched yet (cold data)"


def storage_virtual(p: PartitionFacts) -> Check:
    cold = p.frame.cold
    if cold is None:
        return check("lpar.storage_virtual", UNKNOWN, _NO_COLD)
    by = groups_of(cold)
    lid = p.partition.lpar_id
    clients = by.scsi_client.get(lid, []) + by.fc_client.get(lid, [])
    if not clients:
        return check(
            "lpar.storage_virtual",
            PASS,
            "no virtual storage adapters (no disks "
            "through a VIOS, and physical adapters are checked by lpar.physical_io)",
        )
    bad = []
    for a in clients:
        remote = p.frame.by_id.get(a.remote_lpar_id) if a.remote_lpar_id is not None else None
        if remote is None or not remote.is_vios:
            who = remote.name if remote else f"id {a.remote_lpar_id}"
            bad.append(f"slot {a.slot_num} -> {who}")
    if bad:
        return check(
            "lpar.storage_virtual", FAIL, f"client adapters not served by a VIOS: {', '.join(bad)}"
        )
    kinds = []
    if by.scsi_client.get(lid):
        kinds.append(f"{len(by.scsi_client[lid])} vSCSI")
    if by.fc_client.get(lid):
        kinds.append(f"{len(by.fc_client[lid])} vFC")
    return check("lpar.storage_virtual", PASS, f"{' + '.join(kinds)} adapters, all via VIOS")


def network_sea(p: PartitionFacts) -> Check:
    cold = p.frame.cold
    if cold is None:
        return check("lpar.network_sea", UNKNOWN, _NO_COLD)
    if p.vlans is None:
        return check("lpar.network_sea", UNKNOWN, _NO_COLD)
    if not p.vlans:
        return check("lpar.network_sea", PASS, "no virtual Ethernet adapters")
    missing = sorted(v for v in p.vlans if v[1] not in cold.bridged.get(v[0], ()))
    if missing:
        shown = ", ".join(f"VLAN {vlan} on {vs}" for vs, vlan in missing)
        return check(
            "lpar.network_sea",
            WARN,
            f"not bridged by a SEA on {p.frame.name}: {shown} "
            "(traffic on them stays inside the frame)",
        )
    return check("lpar.network_sea", PASS, f"VLAN {_vlans(p.vlans)} bridged by a VIOS SEA")


def _vlans(vlans) -> str:
    return ", ".join(
        f"{vlan}" if vs == DEFAULT_VSWITCH else f"{vs}:{vlan}" for vs, vlan in sorted(vlans)
    )


def physical_io(p: PartitionFacts) -> Check:
    cold = p.frame.cold
    if cold is None:
        return check("lpar.physical_io", UNKNOWN, _NO_COLD)
    by = groups_of(cold)
    lid = p.partition.lpar_id
    owned = sorted({s.drc_index for s in by.io_slots.get(lid, [])})
    in_profile = sorted(
        {
            s.split("/")[0]
            for pr in by.profiles.get(lid, [])
            for s in pr.io_slots
            if s and s != "none"
        }
    )
    if p.kind == INACTIVE and (owned or in_profile):
        text = f"physical I/O slots {', '.join(sorted({*owned, *in_profile}))}"
        return check(
            "lpar.physical_io",
            WARN,
            f"{text}: allowed for an inactive move; they stay behind on the source",
        )
    if not owned:
        return check("lpar.physical_io", PASS, "no physical I/O slots owned")
    text = f"physical I/O slots {', '.join(owned)}"
    if p.kind == INACTIVE:
        return check(
            "lpar.physical_io",
            WARN,
            f"{text}: allowed for an inactive move; they stay behind on the source",
        )
    return check("lpar.physical_io", FAIL, f"{text}: remove them before an active move")


def adapters_desired(p: PartitionFacts) -> Check:
    cold = p.frame.cold
    if cold is None:
        return check("lpar.adapters_desired", UNKNOWN, _NO_COLD)
    by = groups_of(cold)
    lid = p.partition.lpar_id
    required = [f"vSCSI slot {a.slot_num}" for a in by.scsi_client.get(lid, []) if a.is_required]
    required += [f"vFC slot {a.slot_num}" for a in by.fc_client.get(lid, []) if a.is_required]
    eth = [f"vEth slot {e.slot_num}" for e in by.eth.get(lid, []) if e.is_required]
    if required:
        return check(
            "lpar.adapters_desired", FAIL, f"required storage adapters: {', '.join(required + eth)}"
        )
    if eth:
        return check(
            "lpar.adapters_desired",
            WARN,
            f"required Ethernet adapters: {', '.join(eth)} (desired is recommended)",
        )
    return check("lpar.adapters_desired", PASS, "all virtual adapters are desired")


def vios_adapters(p: PartitionFacts) -> Check:
    """The VIOS server adapter behind each client adapter: bound to this client, not required."""
    cold = p.frame.cold
    if cold is None:
        return check("lpar.vios_adapters", UNKNOWN, _NO_COLD)
    by = groups_of(cold)
    lid = p.partition.lpar_id
    servers = {}
    for clients, table in (
        (by.scsi_client.get(lid, ()), by.server_scsi),
        (by.fc_client.get(lid, ()), by.server_fc),
    ):
        for client in clients:
            if client.remote_lpar_id is not None and client.remote_slot_num is not None:
                server = table.get((client.remote_lpar_id, client.remote_slot_num))
                if server is not None:
                    servers[(server.lpar_id, server.slot_num)] = server
    for server in by.server_for_client.get(lid, ()):
        servers[(server.lpar_id, server.slot_num)] = server
    if not servers:
        return check("lpar.vios_adapters", PASS, "no VIOS server adapters serve this partition")
    # Most partitions have no problem: only when one has are they listed, in (VIOS id, slot) order
    if any(s.remote_lpar_id is None or s.is_required for s in servers.values()):
        problems = []
        for (_, slot), server in sorted(servers.items()):
            if server.remote_lpar_id is None:
                problems.append(f"{server.lpar_name} slot {slot} is for any client")
            if server.is_required:
                problems.append(f"{server.lpar_name} slot {slot} is required")
        return check("lpar.vios_adapters", FAIL, "; ".join(problems))
    return check(
        "lpar.vios_adapters",
        PASS,
        f"{len(servers)} VIOS server adapters bound to this client, all desired",
    )


def vtopt(p: PartitionFacts) -> Check:
    cold = p.frame.cold
    if cold is None:
        return check("lpar.vtopt", UNKNOWN, "VIOS mappings (lsmap) not fetched yet")
    maps = groups_of(cold).optical.get(p.partition.lpar_id, [])
    if maps:
        shown = ", ".join(
            f"{m.vtd} on {m.vios_name} {m.vhost}" + (f" ({m.backing})" if m.backing else "")
            for m in maps
        )
        return check(
            "lpar.vtopt",
            FAIL,
            f"virtual optical mapped: {shown}",
            fix="Unmap it on the VIOS: " + "; ".join(f"rmvdev -vtd {m.vtd}" for m in maps),
        )
    return check("lpar.vtopt", PASS, "no virtual optical device mapped")
