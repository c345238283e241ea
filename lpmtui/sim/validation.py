"""``migrlpar -o v``: one message per violated prerequisite of the seed, from the world's state.

``validate`` also works out what a migration would use (kind, MSP pair, target VIOS for each
client adapter), so ``-o m`` and ``lslparmigr -r msp|virtualio`` agree with the validation.
Message ids and texts come from ``messages``; severities can be overridden per fleet file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lpmtui.hmc.messages import validation_report
from lpmtui.sim import messages
from lpmtui.sim.prerequisites import (
    candidate_msps,
    hosts,
    kind_for,
    msp_load,
    os_level_problem,
    vios_level_ok,
)
from lpmtui.sim.world.model import SimFrame, SimHmc, SimPartition, firmware_key
from lpmtui.sim.world.sriov import free_logical_ports
from lpmtui.sim.world.view import WorldView


@dataclass
class Plan:
    kind: str | None  # active | inactive | suspended; None when the state allows none
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_msp: SimPartition | None = None
    dest_msp: SimPartition | None = None
    vios_map: dict[int, int] = field(default_factory=dict)

    def report(self) -> str:
        return validation_report(self.errors, self.warnings)


@dataclass
class Request:
    """What the caller asked for beyond the partition and the frames."""

    source_hmc: SimHmc
    target_hmc: SimHmc
    remote_user: str = "hscroot"
    vlanbridge: str = "1"
    redundantvios: str = "2"
    source_msp_name: str = ""
    dest_msp_name: str = ""


class _Checker:
    def __init__(
        self, world: WorldView, source: SimFrame, p: SimPartition, target: SimFrame, req: Request
    ) -> None:
        self.world, self.source, self.p, self.target, self.req = world, source, p, target, req
        self.plan = Plan(kind_for(p))

    def add(self, key: str, **values: object) -> None:
        text = messages.text(key, **values)
        if messages.severity(key, self.world.settings.severity) == "warning":
            self.plan.warnings.append(text)
        else:
            self.plan.errors.append(text)

    # -- servers ----------------------------------------------------------------------------

    def frames(self) -> None:
        src, dst, kind = self.source, self.target, self.plan.kind
        if src is dst:
            self.add("SAME_FRAME")
        if not dst.operating:
            self.add("TARGET_NOT_OPERATING", frame=dst.name, state=dst.state)
            return
        for f in (src, dst):
            if f.generation < 6:
                self.add("OLD_PROCESSOR", frame=f.name, gen=f.generation)
            capable = f.inactive_capable if kind == "inactive" else f.active_capable
            if kind and not capable:
                self.add("NOT_MOBILITY_CAPABLE", frame=f.name, kind=kind)
            if self.p.lpar_env == "os400" and not f.ibmi_capable:
                self.add("IBMI_NOT_CAPABLE", frame=f.name)
        if kind == "suspended" and not dst.suspend_capable:
            self.add("SUSPEND_NOT_CAPABLE", frame=dst.name)
        for f, peer in ((src, dst), (dst, src)):
            rule = f"POWER{f.generation}>POWER{peer.generation}"
            need = self.world.settings.firmware_min_peer.get(rule, "")
            if need == "none":
                self.add(
                    "FIRMWARE_NONE",
                    frame=f.name,
                    gen=f"POWER{f.generation}",
                    peer=peer.name,
                    peer_gen=f"POWER{peer.generation}",
                )
                continue
            have, want = firmware_key(f.firmware), firmware_key(need) if need else None
            if have is not None and want is not None and have < want:
                self.add(
                    "FIRMWARE",
                    frame=f.name,
                    have=f.firmware,
                    peer=peer.name,
                    peer_gen=f"POWER{peer.generation}",
                    need=need,
                )
        if src.lmb != dst.lmb:
            self.add("LMB", source=src.name, target=dst.name, src_lmb=src.lmb, dst_lmb=dst.lmb)

    def capacity(self) -> None:
        p, dst = self.p, self.target
        need_mem = p.mem + self.world.settings.mem_overhead_mb
        if dst.mem_available() < need_mem:
            self.add(
                "MEMORY", frame=dst.name, avail=dst.mem_available(), need=need_mem, name=p.name
            )
        need_proc = round(p.proc_capacity, 2)
        if dst.proc_available() < need_proc:
            self.add(
                "PROCESSORS",
                frame=dst.name,
                avail=dst.proc_available(),
                need=need_proc,
                name=p.name,
            )
        if p.proc_mode == "shared" and p.pool_id != 0:
            pool = self.source.pool(p.pool_id)
            if pool is not None and not any(x.name == pool.name for x in dst.pools):
                self.add("NO_POOL", pool=pool.name, name=p.name, frame=dst.name)

    # -- management consoles ----------------------------------------------------------------

    def consoles(self) -> None:
        a, b = self.req.source_hmc, self.req.target_hmc
        if a is b:
            return
        for hmc, peer in ((a, b), (b, a)):
            if hmc.kind == "ivm" or not hmc.remote_capable:
                self.add("REMOTE_NOT_CAPABLE", hmc=hmc.name, kind=hmc.kind.upper(), peer=peer.name)
        kinds = {a.kind, b.kind}
        if "ivm" in kinds:  # IVM has no HMC level to compare: it cannot do this at all
            return
        hmc_fsm = kinds == {"hmc", "fsm"}
        need = (7, 7, 1, 0) if hmc_fsm else (7, 3, 4)
        label = "V7R7.1.0" if hmc_fsm else "V7R3.4"
        for hmc in (a, b):
            if not hmc.version.at_least(*need):
                self.add("HMC_LEVEL", hmc=hmc.name, have=hmc.version.base, need=label)

    def concurrency(self) -> None:
        kind = self.plan.kind
        if kind is None:
            return
        active = kind != "inactive"
        for f in (self.source, self.target):
            count = sum(
                1
                for j in self.world.open_jobs()
                if f in (j.source, j.target) and (j.kind != "inactive") == active
            )
            limit = f.active_supported if active else f.inactive_supported
            if count >= limit:
                self.add("CONCURRENCY_SYS", frame=f.name, count=count, kind=kind)

    # -- VIOS ---------------------------------------------------------------------------------

    def movers(self) -> None:
        """A usable mover service partition on each side: running, RMC active, LPM level.

        When none is usable every candidate's reason is reported (HSCLA246 for RMC).
        """
        if self.plan.kind == "inactive":
            return
        chosen: list[SimPartition | None] = []
        sides = ((self.source, self.req.source_msp_name), (self.target, self.req.dest_msp_name))
        for f, wanted in sides:
            candidates = candidate_msps(f)
            if wanted:
                candidates = [v for v in candidates if v.name == wanted]
            usable = [
                v for v in candidates if v.rmc_state == "active" and vios_level_ok(v.os_version)
            ]
            if not candidates:
                self.add("NO_MSP", frame=f.name)
            elif not usable:
                for v in candidates:
                    if v.rmc_state != "active":
                        self.add("RMC_DOWN", name=v.name)
                    if not vios_level_ok(v.os_version):
                        self.add("VIOS_LEVEL", vios=v.name, frame=f.name, level=v.os_version)
            free = [v for v in usable if msp_load(self.world, v) < v.msp_max_migrations]
            if usable and not free:
                self.add("CONCURRENCY_MSP", frame=f.name)
            chosen.append(min(free, key=lambda v: msp_load(self.world, v)) if free else None)
        self.plan.source_msp, self.plan.dest_msp = chosen

    def hosting(self) -> None:
        p, dst = self.p, self.target
        scsi = [a for a in p.scsi if a.adapter_type == "client"]
        fc = [a for a in p.fc if a.adapter_type == "client"]
        scsi_hosts, fc_hosts = hosts(dst, npiv=False), hosts(dst, npiv=True)
        for a in scsi:
            if not scsi_hosts:
                self.add("NO_VSCSI_HOST", slot=a.slot, name=p.name)
        for a in fc:
            if not fc_hosts:
                self.add("VFC_NOT_HOSTABLE", slot=a.slot)
        needed = len(scsi) + len(fc)
        pool = sorted(
            {v.lpar_id: v for v in [*scsi_hosts, *fc_hosts]}.values(), key=lambda v: v.lpar_id
        )
        free = sum(max(0, v.max_virtual_slots - len(v.used_slots())) for v in pool)
        if needed and pool and free < needed:
            self.add("VIRTUAL_SLOTS", frame=dst.name, avail=free, need=needed, name=p.name)
        served_by = sorted({a.remote_id for a in [*scsi, *fc] if a.remote_id is not None})
        for i, vios_id in enumerate(served_by):
            serves_fc = any(a.remote_id == vios_id for a in fc)
            targets = fc_hosts if serves_fc else scsi_hosts
            if targets:
                self.plan.vios_map[vios_id] = targets[i % len(targets)].lpar_id
        for vios_id in sorted(set(self.plan.vios_map.values())):
            v = dst.partitions[vios_id]
            if not vios_level_ok(v.os_version):
                self.add("VIOS_LEVEL", vios=v.name, frame=dst.name, level=v.os_version)
        can = len(set(self.plan.vios_map.values()))
        if len(served_by) > 1 and 0 < can < len(served_by) and self.req.redundantvios != "0":
            if self.req.redundantvios == "1":
                self.plan.errors.append(
                    messages.text(
                        "REDUNDANCY_LOST", name=p.name, have=len(served_by), can=can, frame=dst.name
                    )
                )
            else:
                self.add(
                    "REDUNDANCY_LOST", name=p.name, have=len(served_by), can=can, frame=dst.name
                )

    # -- the partition ------------------------------------------------------------------------

    def partition(self) -> None:
        p, src, dst, kind = self.p, self.source, self.target, self.plan.kind
        if p.is_vios or p.lpar_env not in ("aixlinux", "os400"):
            self.add("WRONG_TYPE", name=p.name, env=p.lpar_env)
        if kind is None:
            self.add("BAD_STATE", name=p.name, state=p.state)
        if p.migration_disabled:
            self.add("MIGRATION_DISABLED", name=p.name)
        if not p.resource_config:
            self.add("NEVER_ACTIVATED", name=p.name)
        if src.service_lpar_id == p.lpar_id:
            self.add("SERVICE_PARTITION", name=p.name, frame=src.name)
        if p.console_open:
            self.add("OPEN_CONSOLE", name=p.name)
        namesake = dst.by_name(p.name)
        own_shell = any(j.partition is p and j.shell is namesake for j in self.world.open_jobs())
        if namesake is not None and not own_shell:  # its own destination shell is not a clash
            self.add("NAME_IN_USE", name=p.name, frame=dst.name)
        if kind == "active" and p.rmc_state != "active":
            self.add("RMC_DOWN", name=p.name)
        if (need := os_level_problem(p, self.world.settings.min_os)) is not None:
            self.add("OS_LEVEL", name=p.name, level=p.os_version, need=need)
        mode = p.compat_curr if kind in ("active", "suspended") else p.compat_desired
        if mode and mode != "default" and mode not in dst.compat_modes:
            self.add("COMPAT_MODE", mode=mode, name=p.name, frame=dst.name)
        if kind == "active":
            for slot in src.io_slots:
                if slot.lpar_id == p.lpar_id:
                    self.add("PHYSICAL_IO", name=p.name, drc=slot.drc_index)
            if p.huge_pages:
                self.add("HUGE_PAGES", name=p.name, count=p.huge_pages)
            if p.bsr_arrays:
                self.add("BSR", name=p.name, count=p.bsr_arrays)
            if p.redundant_err_path:
                self.add("REDUNDANT_ERR_PATH", name=p.name)
        self.sriov()

    def sriov(self) -> None:
        """Own SR-IOV ports block an active move unless both frames can migrate them and the
        target has room; a vNIC needs a running VIOS on the target with a free SR-IOV logical
        port (docs/eligibility.md). An inactive move with SR-IOV ports is allowed here: the
        real HMC's answer is not evidenced."""
        p, dst = self.p, self.target
        free = free_logical_ports(dst.sriov_adapters, dst.listed_partitions())
        if p.sriov_ports and self.plan.kind == "active":
            capable = self.source.sriov_migration and dst.sriov_migration
            if not capable or free < p.sriov_ports:
                self.add("SRIOV_PORTS", name=p.name, count=p.sriov_ports, frame=dst.name)
        running = [v for v in dst.vioses() if v.state == "Running"]
        for n, slot in enumerate(p.vnic_slots):
            if not running or free <= n:
                self.add("VNIC_NO_BACKING", slot=slot, name=p.name, frame=dst.name)

    def adapters(self) -> None:
        p, src = self.p, self.source
        for kind, client_list in (("SCSI", p.scsi), ("fibre channel", p.fc)):
            for a in client_list:
                if a.adapter_type != "client":
                    continue
                server = src.partitions.get(a.remote_id) if a.remote_id is not None else None
                if server is None or not server.is_vios:
                    name = (
                        server.name
                        if server is not None
                        else (a.remote_name or "an unknown partition")
                    )
                    self.add(
                        "NOT_VIRTUAL_STORAGE", kind=kind, slot=a.slot, name=p.name, server=name
                    )
                    continue
                if a.required:
                    self.add("REQUIRED_ADAPTER", kind=kind, slot=a.slot, owner=p.name, name=p.name)
                peers = server.scsi if kind == "SCSI" else server.fc
                peer = next((s for s in peers if s.slot == a.remote_slot), None)
                if peer is None:
                    continue
                if peer.remote_id is None:
                    self.add("ANY_CLIENT", kind=kind, slot=peer.slot, vios=server.name, name=p.name)
                if peer.required:
                    self.add(
                        "REQUIRED_ADAPTER",
                        kind=kind,
                        slot=peer.slot,
                        owner=server.name,
                        name=p.name,
                    )
        for vios in src.vioses():
            for o in vios.optical:
                if o.client_id == p.lpar_id:
                    self.add("VIRTUAL_OPTICAL", vtd=o.vtd, vios=vios.name, name=p.name)

    def network(self) -> None:
        if self.req.vlanbridge == "2":
            return
        bridged = {
            (a.vswitch, vlan)
            for v in self.target.vioses()
            if v.state == "Running"
            for a in v.eth
            if a.trunk_priority
            for vlan in a.vlans
        }
        for a in self.p.eth:
            for vlan in sorted(a.vlans):
                if (a.vswitch, vlan) not in bridged:
                    self.add(
                        "VLAN_NOT_BRIDGED",
                        vlan=vlan,
                        vswitch=a.vswitch,
                        name=self.p.name,
                        frame=self.target.name,
                    )


def validate(
    world: WorldView, source: SimFrame, p: SimPartition, target: SimFrame, req: Request
) -> Plan:
    """Every prerequisite, in the seed's order: servers, consoles, VIOS, the partition."""
    c = _Checker(world, source, p, target, req)
    c.frames()
    if not target.operating:
        return c.plan
    if p.is_shell and p.job is not None:  # nothing else applies to a placeholder
        c.add("INCOMING_SHELL", name=p.name, frame=source.name, source=p.job.source.name)
        return c.plan
    c.consoles()
    c.concurrency()
    c.movers()
    c.partition()
    c.adapters()
    c.network()
    c.hosting()
    c.capacity()
    return c.plan
