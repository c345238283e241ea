"""``lslparmigr``: mobility capability, concurrency and per-partition migration status (§6)."""

from __future__ import annotations

from lpmtui.hmc import records
from lpmtui.sim.commands.context import Context, Options, bad_parameter
from lpmtui.sim.commands.migr import target_frame_for, target_hmc_for
from lpmtui.sim.prerequisites import hosts, msp_load, usable_msps
from lpmtui.sim.validation import Request, validate
from lpmtui.sim.world.model import SimFrame, SimPartition

_LSLPARMIGR = {
    "-r": True,
    "-m": True,
    "-t": True,
    "--ip": True,
    "-u": True,
    "--filter": True,
    "-F": True,
    "--header": False,
    "--redundantpgvios": True,
}
_SYS_FIELDS = (
    "inactive_lpar_mobility_capable",
    "num_inactive_migrations_supported",
    "num_inactive_migrations_in_progress",
    "active_lpar_mobility_capable",
    "num_active_migrations_supported",
    "num_active_migrations_in_progress",
    "inactive_prof_policy",
    "msp_concurrency",  # synthetic: name/id/in progress/max per MSP (docs/simulator.md)
)
_LPAR_FIELDS = (
    "name",
    "lpar_id",
    "migration_state",
    "migration_type",
    "dest_sys_name",
    "dest_lpar_id",
    "source_msp_name",
    "source_msp_id",
    "dest_msp_name",
    "dest_msp_id",
    "bytes_transmitted",
    "bytes_remaining",
    "remote_manager",
    "remote_user",
)


def _in_progress(ctx: Context, frame: SimFrame, active: bool) -> int:
    return sum(
        1
        for j in ctx.world.open_jobs()
        if frame in (j.source, j.target) and (j.kind != "inactive") == active
    )


def _sys_row(ctx: Context, f: SimFrame) -> dict[str, str]:
    values = (
        "1" if f.inactive_capable else "0",
        str(f.inactive_supported),
        str(_in_progress(ctx, f, False)),
        "1" if f.active_capable else "0",
        str(f.active_supported),
        str(_in_progress(ctx, f, True)),
        "config",
    )
    row = dict(zip(_SYS_FIELDS, values, strict=False))
    if ctx.world.settings.sys_reports_msp_concurrency:
        row["msp_concurrency"] = (
            records.format_list(
                f"{v.name}/{v.lpar_id}/{msp_load(ctx.world, v)}/{v.msp_max_migrations}"
                for v in f.vioses()
                if v.msp
            )
            or "none"
        )
    return row


def _lpar_row(ctx: Context, p: SimPartition) -> dict[str, str]:
    job = p.job
    if job is None:
        return {"name": p.name, "lpar_id": str(p.lpar_id), "migration_state": "Not Migrating"}
    state = job.migration_state(ctx.world.settings.failed_migration_state)
    src, dst = job.source_msp, job.dest_msp
    values = (
        p.name,
        str(p.lpar_id),
        state,
        "inactive" if job.kind == "inactive" else "active",
        job.target.name,
        str(job.shell.lpar_id),
        src.name if src else "",
        str(src.lpar_id) if src else "",
        dst.name if dst else "",
        str(dst.lpar_id) if dst else "",
        str(int(job.transmitted)),
        str(int(job.remaining)),
        job.target_hmc.address if job.remote else "",
        job.remote_user,
    )
    return dict(zip(_LPAR_FIELDS, values, strict=True))


def _mobile(ctx: Context, opts: Options, frame: SimFrame) -> tuple[SimPartition, SimFrame]:
    """The partition (``--filter lpar_names=``) and target (``-t``) of msp/virtualio/procpool."""
    target_hmc, _ = target_hmc_for(ctx, opts)
    target = target_frame_for(ctx, opts, target_hmc)
    filters = ctx.filters(opts, {"lpar_names", "lpar_ids"})
    parts = ctx.select(frame, filters, include_shells=False) if filters else []
    if len(parts) != 1:
        raise bad_parameter("--filter")
    return parts[0], target


async def lslparmigr(ctx: Context) -> str:
    opts = ctx.options(_LSLPARMIGR)
    resource = opts.need("-r")
    if resource == "manager":
        row = {"remote_lpar_mobility_capable": "1" if ctx.hmc.remote_capable else "0"}
        if ctx.world.settings.manager_reports_concurrency:
            frames = ctx.world.frames_of(ctx.hmc.name)
            row["num_active_migrations_supported"] = str(sum(f.active_supported for f in frames))
            row["num_active_migrations_in_progress"] = str(
                sum(_in_progress(ctx, f, True) for f in frames)
            )
        return ctx.listing(opts, [row], row)
    frame = ctx.frame(opts)
    if resource == "sys":
        return ctx.listing(opts, [_sys_row(ctx, frame)], _SYS_FIELDS)
    if resource == "lpar":
        parts = ctx.select(frame, ctx.filters(opts, {"lpar_names", "lpar_ids"}))
        return ctx.listing(opts, [_lpar_row(ctx, p) for p in parts], _LPAR_FIELDS)
    if resource not in ("msp", "virtualio", "procpool"):
        raise bad_parameter("-r")
    p, target = _mobile(ctx, opts, frame)
    if resource == "msp":
        return ctx.listing(opts, _msp_rows(ctx, frame, target), _MSP_FIELDS)
    if resource == "procpool":
        row = {
            "shared_proc_pool_ids": records.format_list([str(x.pool_id) for x in target.pools]),
            "shared_proc_pool_names": records.format_list([x.name for x in target.pools]),
        }
        return ctx.listing(opts, [row], row)
    return ctx.listing(opts, [_virtualio_row(ctx, frame, p, target)], _VIO_FIELDS)


_MSP_FIELDS = (
    "source_msp_name",
    "source_msp_id",
    "dest_msp_names",
    "dest_msp_ids",
    "ipaddr_mappings",
)
_VIO_FIELDS = (
    "possible_virtual_scsi_mappings",
    "suggested_virtual_scsi_mappings",
    "possible_virtual_fc_mappings",
    "suggested_virtual_fc_mappings",
)


def _msp_rows(ctx: Context, source: SimFrame, target: SimFrame) -> list[dict[str, str]]:
    dests = [v for v in usable_msps(target) if msp_load(ctx.world, v) < v.msp_max_migrations]
    rows = []
    for src in usable_msps(source):
        if not dests or msp_load(ctx.world, src) >= src.msp_max_migrations:
            continue
        rows.append(
            {
                "source_msp_name": src.name,
                "source_msp_id": str(src.lpar_id),
                "dest_msp_names": records.format_list([d.name for d in dests]),
                "dest_msp_ids": records.format_list([str(d.lpar_id) for d in dests]),
                "ipaddr_mappings": records.format_list(
                    [f"{src.rmc_ipaddr}/{d.rmc_ipaddr}" for d in dests]
                ),
            }
        )
    return rows


def _virtualio_row(
    ctx: Context, source: SimFrame, p: SimPartition, target: SimFrame
) -> dict[str, str]:
    req = Request(ctx.hmc, ctx.hmc)
    plan = validate(ctx.world, source, p, target, req)
    row: dict[str, str] = {}
    for label, adapters, npiv in (("scsi", p.scsi, False), ("fc", p.fc, True)):
        candidates = hosts(target, npiv)
        possible = [f"{a.slot}/{v.name}/{v.lpar_id}" for a in adapters for v in candidates]
        suggested = []
        for a in adapters:
            vios = target.partitions.get(plan.vios_map.get(a.remote_id or -1, -1))
            if vios is not None:
                suggested.append(f"{a.slot}/{vios.name}/{vios.lpar_id}")
        row[f"possible_virtual_{label}_mappings"] = records.format_list(possible) or "none"
        row[f"suggested_virtual_{label}_mappings"] = records.format_list(suggested) or "none"
    return {name: row[name] for name in _VIO_FIELDS}


COMMANDS = {"lslparmigr": lslparmigr}
