"""Mobility commands: migrlpar (v, m, s, r), lslparmigr and mkauthkeys (hmc-cli §5-7)."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.hmc import records
from lpmtui.sim.physics import MigrationJob, Phase
from lpmtui.sim.shell import CommandError, Context, Options, bad_parameter, fail, parse_attr_list
from lpmtui.sim.validation import Plan, Request, hosts, msp_load, usable_msps, validate
from lpmtui.sim.world_model import SimFrame, SimHmc, SimPartition

_MIGRLPAR = {
    **{
        name: True
        for name in (
            "-o",
            "-m",
            "-t",
            "--ip",
            "-u",
            "-p",
            "--id",
            "-n",
            "--redundantvios",
            "--mpio",
            "--vlanbridge",
            "--vsi",
            "--npivval",
            "--uuid",
            "--protectstorage",
            "--requirerr",
            "--redundantvnicbkdev",
            "--vniccfg",
            "--redundantmsps",
            "--migsriov",
            "-f",
            "-i",
            "-w",
            "-d",
            "--steps",
        )
    },
    **{
        name: False
        for name in ("--all", "--affinity", "--usecurrdata", "--force", "-v", "--nodetails")
    },
}
_CHOICES = {
    "--redundantvios": {"0", "1", "2"},
    "--redundantmsps": {"0", "1", "2"},
    "--steps": {"0", "1", "2"},
    "--npivval": {"port", "portdisk"},
    "-d": {"1", "2", "3", "4", "5"},
    **{
        name: {"1", "2"}
        for name in (
            "--mpio",
            "--vlanbridge",
            "--vsi",
            "--uuid",
            "--protectstorage",
            "--requirerr",
            "--redundantvnicbkdev",
            "--vniccfg",
            "--migsriov",
        )
    },
}


def _check_choices(opts: Options) -> None:
    for name, allowed in _CHOICES.items():
        if opts.has(name) and opts.get(name) not in allowed:
            raise bad_parameter(name)
    if opts.has("-w") and not (opts.get("-w") or "").isdigit():
        raise bad_parameter("-w")
    if opts.has("-f"):
        raise bad_parameter("-f")  # the simulated HMC has no files to read


def _target_hmc(ctx: Context, opts: Options) -> tuple[SimHmc, str]:
    """The HMC managing the target (``--ip``) and the remote user; HSCL3653 without trust."""
    user = opts.get("-u") or ctx.user
    if not opts.has("--ip"):
        if opts.has("-u"):
            raise bad_parameter("-u")
        return ctx.hmc, user
    address = opts.need("--ip")
    target = ctx.world.hmc_by_address(address)
    if target is None:
        raise fail("UNKNOWN_REMOTE_HMC", address=address)
    if target is not ctx.hmc and not ctx.world.trusted(ctx.hmc.name, target.name):
        raise fail("NO_TRUST", user=user)
    return target, user


def _target_frame(ctx: Context, opts: Options, hmc: SimHmc) -> SimFrame:
    frame = ctx.world.find_frame(hmc.name, opts.need("-t"))
    if frame is None:
        raise bad_parameter("-t")
    return frame


def _partitions(ctx: Context, frame: SimFrame, opts: Options) -> list[SimPartition]:
    if opts.has("--all"):
        return [p for p in frame.sorted_partitions() if not p.is_vios and not p.is_shell]
    if opts.has("-p") and opts.has("--id"):
        raise bad_parameter("-p", "--id")
    option = "-p" if opts.has("-p") else "--id"
    try:
        items = records.split_list(opts.need(option))
    except records.RecordParseError:
        raise bad_parameter(option) from None
    return [ctx.partition(frame, Options({option: item})) for item in items]


def _request(ctx: Context, opts: Options, target_hmc: SimHmc, user: str) -> Request:
    extra = parse_attr_list(opts.get("-i") or "", "-i") if opts.get("-i") else {}
    return Request(
        source_hmc=ctx.hmc,
        target_hmc=target_hmc,
        remote_user=user,
        vlanbridge=opts.get("--vlanbridge") or "1",
        redundantvios=opts.get("--redundantvios") or "2",
        source_msp_name=extra.get("source_msp_name", ""),
        dest_msp_name=extra.get("dest_msp_name", ""),
    )


def _dest_id(opts: Options) -> int | None:
    extra = parse_attr_list(opts.get("-i") or "", "-i") if opts.get("-i") else {}
    text = extra.get("dest_lpar_id")
    if text is None:
        return None
    if not text.isdigit():
        raise bad_parameter("-i")
    return int(text)


def _report(plans: list[Plan]) -> Plan:
    merged = Plan(None)
    for plan in plans:
        merged.errors += plan.errors
        merged.warnings += plan.warnings
    return merged


def _new_job(
    ctx: Context,
    source: SimFrame,
    p: SimPartition,
    target: SimFrame,
    plan: Plan,
    req: Request,
    dest_id: int | None,
) -> MigrationJob:
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


async def _validate_or_migrate(ctx: Context, opts: Options, migrate: bool) -> str:
    source = ctx.frame(opts)
    target_hmc, user = _target_hmc(ctx, opts)
    target = _target_frame(ctx, opts, target_hmc)
    req = _request(ctx, opts, target_hmc, user)
    parts = _partitions(ctx, source, opts)
    plans = [validate(ctx.world, source, p, target, req) for p in parts]
    merged = _report(plans)
    if merged.errors:
        raise CommandError(merged.report().rstrip("\n"))
    if not migrate:
        return merged.report()
    dest_id = _dest_id(opts) if len(parts) == 1 else None
    jobs = []
    for p, plan in zip(parts, plans, strict=True):
        job = _new_job(ctx, source, p, target, plan, req, dest_id)
        ctx.world.start_job(job)
        jobs.append(job)
    for job in jobs:
        await ctx.world.wait(job)
    failed = [j.message for j in jobs if j.phase is not Phase.DONE]
    if failed:
        raise CommandError("\n".join(failed))
    return ""


def _stop(ctx: Context, opts: Options) -> str:
    frame = ctx.frame(opts)
    p = ctx.partition(frame, opts)
    job = ctx.world.job_for(frame, p)
    if job is None:
        raise fail("NOT_MIGRATING", name=p.name)
    if job.phase is Phase.FAILED:
        return ""  # nothing moves any more; the partition still needs -o r
    if job.phase in (Phase.SUSPEND, Phase.FINISHING):
        raise fail("TOO_LATE_TO_STOP", name=p.name)
    ctx.world.stop_job(job)
    return ""


def _recover(ctx: Context, opts: Options) -> str:
    frame = ctx.frame(opts)
    p = ctx.partition(frame, opts)
    job = ctx.world.job_for(frame, p)
    if job is None:
        raise fail("NOT_MIGRATING", name=p.name)
    if job.live:
        raise fail("STILL_MIGRATING", name=p.name)
    if job.needs_force and not opts.has("--force"):
        raise fail("NEEDS_FORCE", name=p.name)
    ctx.world.recover_job(job)
    return ""


async def migrlpar(ctx: Context) -> str:
    opts = ctx.options(_MIGRLPAR)
    _check_choices(opts)
    op = opts.need("-o")
    if op in ("v", "m"):
        return await _validate_or_migrate(ctx, opts, migrate=op == "m")
    if op == "s":
        return _stop(ctx, opts)
    if op == "r":
        return _recover(ctx, opts)
    raise bad_parameter("-o")


# -- lslparmigr -----------------------------------------------------------------------------------

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
    return dict(zip(_SYS_FIELDS, values, strict=True))


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
    target_hmc, _ = _target_hmc(ctx, opts)
    target = _target_frame(ctx, opts, target_hmc)
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


# -- mkauthkeys -----------------------------------------------------------------------------------


async def mkauthkeys(ctx: Context) -> str:
    opts = ctx.options({"--ip": True, "-u": True, "--passwd": True, "--test": False})
    address = opts.need("--ip")
    user = opts.get("-u") or ctx.user
    target = ctx.world.hmc_by_address(address)
    if target is None:
        raise fail("UNKNOWN_REMOTE_HMC", address=address)
    if opts.has("--test"):
        if user not in target.users or not ctx.world.trusted(ctx.hmc.name, target.name):
            raise fail("NO_TRUST", user=user)
        return ""
    if user not in target.users or (
        opts.has("--passwd") and opts.get("--passwd") != target.users[user]
    ):
        raise fail("BAD_REMOTE_PASSWORD", user=user, address=address)
    ctx.world.trust(ctx.hmc.name, target.name)
    return ""


COMMANDS = {"migrlpar": migrlpar, "lslparmigr": lslparmigr, "mkauthkeys": mkauthkeys}
