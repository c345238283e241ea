"""Mobility commands: migrlpar (v, m, s, r), lslparmigr and mkauthkeys (hmc-cli §5-7)."""

from __future__ import annotations

from lpmtui.hmc import records
from lpmtui.sim.commands.context import (
    CommandError,
    Context,
    Options,
    bad_parameter,
    fail,
    parse_attr_list,
)
from lpmtui.sim.validation import Plan, Request, validate
from lpmtui.sim.world.inflight import make_job
from lpmtui.sim.world.model import Phase, SimFrame, SimHmc, SimPartition

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


def target_hmc_for(ctx: Context, opts: Options) -> tuple[SimHmc, str]:
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


def target_frame_for(ctx: Context, opts: Options, hmc: SimHmc) -> SimFrame:
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
    found = []
    for item in items:
        shell = next(
            (
                p
                for p in frame.partitions.values()
                if p.is_shell
                and p.job is not None
                and item == (p.name if option == "-p" else str(p.lpar_id))
            ),
            None,
        )
        # An incoming migration's destination partition is listed and found, and validation
        # refuses it (HSCLSIM39).
        found.append(shell or ctx.partition(frame, Options({option: item})))
    return found


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


async def _validate_or_migrate(ctx: Context, opts: Options, migrate: bool) -> str:
    source = ctx.frame(opts)
    target_hmc, user = target_hmc_for(ctx, opts)
    target = target_frame_for(ctx, opts, target_hmc)
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
        job = make_job(source, p, target, plan, req, dest_id)
        ctx.world.start_job(job)
        jobs.append(job)
    for job in jobs:
        await ctx.world.wait(job)
    failed = [j.message for j in jobs if j.phase is not Phase.DONE]
    if failed:
        raise CommandError("\n".join(failed))
    return ""


def _migrating(ctx: Context, opts: Options):
    """The partition named by ``opts`` and its migration (HSCL error when it has none)."""
    frame = ctx.frame(opts)
    p = ctx.partition(frame, opts)
    job = ctx.world.job_for(frame, p)
    if job is None:
        raise fail("NOT_MIGRATING", name=p.name)
    return p, job


def _stop(ctx: Context, opts: Options) -> str:
    p, job = _migrating(ctx, opts)
    if job.phase is Phase.FAILED:
        return ""  # nothing moves any more; the partition still needs -o r
    if job.phase in (Phase.SUSPEND, Phase.FINISHING):
        raise fail("TOO_LATE_TO_STOP", name=p.name)
    ctx.world.stop_job(job)
    return ""


def _recover(ctx: Context, opts: Options) -> str:
    p, job = _migrating(ctx, opts)
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


# -- mkauthkeys -----------------------------------------------------------------------------------


async def mkauthkeys(ctx: Context) -> str:
    # -g: the form IBM's automation sends after --test reports HSCL3653 (real-hmc-facts;
    # issue 13); what -g changes on a real HMC is not documented here, the simulator exchanges
    # keys exactly as without it.
    opts = ctx.options({"--ip": True, "-u": True, "--passwd": True, "--test": False, "-g": False})
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


COMMANDS = {"migrlpar": migrlpar, "mkauthkeys": mkauthkeys}
