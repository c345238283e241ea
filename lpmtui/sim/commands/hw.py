"""``lshwres``: memory, processors, physical slots and virtual I/O (hmc-cli §4)."""

from __future__ import annotations

from lpmtui.sim.commands import render_sriov as sriov
from lpmtui.sim.commands.context import Context, Options, bad_parameter, fail
from lpmtui.sim.commands.render_hw import (
    ETH_FIELDS,
    FC_FIELDS,
    IO_SLOT_FIELDS,
    MEM_LPAR_FIELDS,
    PROC_LPAR_FIELDS,
    PROC_POOL_FIELDS,
    SCSI_FIELDS,
    SLOT_FIELDS,
    eth_records,
    fc_records,
    io_slot_records,
    mem_lpar_record,
    mem_sys_record,
    proc_lpar_record,
    proc_pool_records,
    proc_sys_record,
    scsi_records,
    slot_record,
)
from lpmtui.sim.world.model import SimFrame

_SPEC = {
    "-r": True,
    "-m": True,
    "--level": True,
    "--rsubtype": True,
    "--filter": True,
    "-F": True,
    "--header": False,
}
_LPAR_FILTERS = {"lpar_names", "lpar_ids"}


def _level(opts: Options, allowed: set[str]) -> str:
    level = opts.need("--level")
    if level not in allowed:
        raise bad_parameter("--level")
    return level


def _mem_proc(ctx: Context, opts: Options, frame: SimFrame, resource: str) -> str:
    level = _level(opts, {"sys", "lpar"})
    if level == "sys":
        if opts.has("--filter"):
            raise bad_parameter("--filter")
        row = mem_sys_record(frame) if resource == "mem" else proc_sys_record(frame)
        return ctx.listing(opts, [row], row)
    parts = ctx.select(frame, ctx.filters(opts, _LPAR_FILTERS))
    if resource == "mem":
        return ctx.listing(opts, [mem_lpar_record(p) for p in parts], MEM_LPAR_FIELDS)
    rows = [proc_lpar_record(frame, p) for p in parts]
    return ctx.listing(opts, rows, PROC_LPAR_FIELDS)


def _io(ctx: Context, opts: Options, frame: SimFrame) -> str:
    if opts.need("--rsubtype") != "slot":
        raise bad_parameter("--rsubtype")
    filters = ctx.filters(opts, _LPAR_FILTERS)
    rows = io_slot_records(frame)
    if "lpar_ids" in filters:
        rows = [r for r in rows if r["lpar_id"] in filters["lpar_ids"]]
    if "lpar_names" in filters:
        rows = [r for r in rows if r.get("lpar_name") in filters["lpar_names"]]
    return ctx.listing(opts, rows, IO_SLOT_FIELDS)


def _virtualio(ctx: Context, opts: Options, frame: SimFrame) -> str:
    subtype = opts.need("--rsubtype")
    if subtype not in ("scsi", "fc", "eth", "slot", "vnic", "vnicbkdev"):
        raise bad_parameter("--rsubtype")
    if subtype == "vnicbkdev":  # no --level (pcie-…-vnic--vnic-backing-readback)
        rows = sriov.vnic_backing_records(frame)
        return ctx.listing(opts, _by_lpar(ctx, opts, rows), sriov.attributes.VNIC_BACKING)
    _level(opts, {"lpar"})
    if subtype == "vnic":
        rows = _by_lpar(ctx, opts, sriov.vnic_records(frame))
        return ctx.listing(opts, rows, sriov.attributes.VNIC)
    parts = ctx.select(frame, ctx.filters(opts, _LPAR_FILTERS))
    if subtype == "slot":
        return ctx.listing(opts, [slot_record(p) for p in parts], SLOT_FIELDS)
    if subtype == "scsi":
        rows = [r for p in parts for r in scsi_records(frame, p)]
        return ctx.listing(opts, rows, SCSI_FIELDS)
    if subtype == "fc":
        rows = [r for p in parts for r in fc_records(frame, p)]
        return ctx.listing(opts, rows, FC_FIELDS)
    return ctx.listing(opts, [r for p in parts for r in eth_records(p)], ETH_FIELDS)


def _procpool(ctx: Context, opts: Options, frame: SimFrame) -> str:
    for option in ("--level", "--rsubtype", "--filter"):
        if opts.has(option):
            raise bad_parameter(option)
    return ctx.listing(opts, proc_pool_records(frame), PROC_POOL_FIELDS)


def _by_lpar(ctx: Context, opts: Options, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    filters = ctx.filters(opts, _LPAR_FILTERS)
    if "lpar_ids" in filters:
        rows = [r for r in rows if r["lpar_id"] in filters["lpar_ids"]]
    if "lpar_names" in filters:
        rows = [r for r in rows if r["lpar_name"] in filters["lpar_names"]]
    return rows


def _by_adapter(ctx: Context, opts: Options, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``--filter adapter_ids=…`` (cli-sriov-physport-*-v11r2-p9.txt), and partitions."""
    filters = ctx.filters(opts, {"adapter_ids", *_LPAR_FILTERS})
    if "adapter_ids" in filters:
        rows = [r for r in rows if r["adapter_id"] in filters["adapter_ids"]]
    if "lpar_ids" in filters:
        rows = [r for r in rows if r.get("lpar_id") in filters["lpar_ids"]]
    if "lpar_names" in filters:
        rows = [r for r in rows if r.get("lpar_name") in filters["lpar_names"]]
    return rows


def _sriov(ctx: Context, opts: Options, frame: SimFrame) -> str:
    """``-r sriov --rsubtype adapter|physport|logport`` (real-hmc-facts §4)."""
    subtype = opts.need("--rsubtype")
    if subtype == "adapter":
        rows = _by_adapter(ctx, opts, sriov.adapter_records(frame))
        return ctx.listing(opts, rows, sriov.ADAPTER_FIELDS)
    if subtype == "physport":
        if _level(opts, {"eth", "ethc", "roce"}) != "eth":
            return ctx.listing(opts, [], sriov.PHYSPORT_FIELDS)  # only eth ports modelled
        rows = _by_adapter(ctx, opts, sriov.physport_records(frame))
        return ctx.listing(opts, rows, sriov.PHYSPORT_FIELDS)
    if subtype == "logport":
        if not opts.has("--level"):
            raise bad_parameter("--level")  # the unconfigured-port listing is not modelled
        if _level(opts, {"eth", "roce"}) != "eth":
            return ctx.listing(opts, [], sriov.LOGPORT_FIELDS)
        v11 = ctx.hmc.version.at_least(11)
        rows = _by_adapter(ctx, opts, sriov.logport_records(frame, v11))
        fields = sriov.LOGPORT_FIELDS if v11 else sriov.attributes.SRIOV_LOGPORT_ETH
        return ctx.listing(opts, rows, fields)
    raise bad_parameter("--rsubtype")


def _mempool(ctx: Context, opts: Options, frame: SimFrame) -> str:
    """No Active Memory Sharing is modelled: an empty listing (V10R3/POWER9,
    cli-mempool-empty), HSCLA4A0 on POWER11 (cli-mempool-ams-unsupported)."""
    if frame.generation >= 11:
        raise fail("NO_AMS")
    return ctx.listing(opts, [], ())


async def lshwres(ctx: Context) -> str:
    opts = ctx.options(_SPEC)
    resource = opts.need("-r")
    if resource not in ("mem", "proc", "io", "virtualio", "procpool", "sriov", "mempool"):
        raise bad_parameter("-r")
    frame = ctx.frame(opts)
    if resource == "procpool":
        return _procpool(ctx, opts, frame)
    if resource == "sriov":
        return _sriov(ctx, opts, frame)
    if resource == "mempool":
        return _mempool(ctx, opts, frame)
    if resource in ("mem", "proc"):
        return _mem_proc(ctx, opts, frame, resource)
    if resource == "io":
        return _io(ctx, opts, frame)
    return _virtualio(ctx, opts, frame)


COMMANDS = {"lshwres": lshwres}
