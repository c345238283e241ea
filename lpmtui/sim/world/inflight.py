"""Migrations already running when the world starts: the fleet file's ``migrations:`` list.

Another console (an operator's own HMC session, a script) may have started a long migration
before lpmtui connects; the demo uses one to show a migration on the first screen and a frame
at its concurrency limit. Each entry is validated like ``migrlpar -o m`` at the moment it
started and then integrated for its ``elapsed`` seconds, so its bytes and phase are exactly
those of a migration started that long ago.
"""

from __future__ import annotations

from dataclasses import replace

from lpmtui.sim.validation import Plan, Request, validate
from lpmtui.sim.world.load import InFlight
from lpmtui.sim.world.model import MigrationJob, SimFrame, SimPartition
from lpmtui.sim.world.view import WorldView


def make_job(
    source: SimFrame,
    p: SimPartition,
    target: SimFrame,
    plan: Plan,
    req: Request,
    dest_id: int | None = None,
) -> MigrationJob:
    """The job for a validated migration; its shell partition takes a free id on the target."""
    shell = replace(
        p,
        lpar_id=target.free_lpar_id(dest_id),
        scsi=[],
        fc=[],
        eth=[],
        optical=[],
        profiles=list(p.profiles),
        job=None,
    )
    return MigrationJob(
        kind=plan.kind or "active",
        partition=p,
        source=source,
        target=target,
        shell=shell,
        source_msp=plan.source_msp,
        dest_msp=plan.dest_msp,
        source_hmc=req.source_hmc,
        target_hmc=req.target_hmc,
        remote_user=req.remote_user if req.source_hmc is not req.target_hmc else "",
        vios_map=dict(plan.vios_map),
    )


def start_in_flight(world: WorldView, entries: list[InFlight]) -> None:
    """Start each declared migration ``elapsed`` seconds in the past, oldest first."""
    if not entries:
        return
    now = world.clock.now()
    ordered = sorted(entries, key=lambda e: -e.elapsed)
    world.physics.last = min(world.physics.last, now - ordered[0].elapsed)
    for entry in ordered:
        at = now - entry.elapsed
        world.physics.advance(at)
        source, target = world.frames[entry.source], world.frames[entry.target]
        p = source.by_name(entry.partition)
        r = entry.reader
        if p is None or p.job is not None or p.is_vios:
            r.fail(
                r.key("partition"),
                entry.partition,
                f"a partition on {source.name} that is not already migrating",
            )
            return
        req = Request(world.hmcs[source.hmc], world.hmcs[target.hmc])
        plan = validate(world, source, p, target, req)
        if plan.errors:
            r.fail(
                r.key("partition"),
                entry.partition,
                f"a partition that can migrate to {target.name} (the HMC says: {plan.errors[0]})",
            )
        world.start_job(make_job(source, p, target, plan, req), at=at)
    world.update()
