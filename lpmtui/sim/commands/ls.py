"""List and housekeeping commands: lshmc, lssyscfg, lslic, viosvrcmd, rmvterm."""

from __future__ import annotations

import shlex
import time

from lpmtui.hmc import vocabulary
from lpmtui.sim.commands.context import Context, Options, bad_parameter, fail
from lpmtui.sim.commands.render_cfg import (
    LPAR_EXTRA,
    LPAR_FIELDS,
    PROF_FIELDS,
    SYS_FIELDS,
    lpar_record,
    prof_record,
    sys_record,
)
from lpmtui.sim.world.model import SimFrame, SimHmc, SimPartition, firmware_key

_LIST = {"-r": True, "-m": True, "-F": True, "--header": False, "--filter": True}


async def lshmc(ctx: Context) -> str:
    opts = ctx.options({"-V": False, "-v": False, "-F": True, "--header": False})
    if opts.has("-V"):
        v = ctx.hmc.version
        lines = [f" Version: {v.version}", f" Release: {v.release}"]
        lines += [f" Service Pack: {v.service_pack}", f"HMC Build level {v.build_level}"]
        lines += v.fixes
        record = {"version": "\n".join(lines) + "\n", "base_version": v.base + "\n"}
        return ctx.listing(opts, [record], record)
    if opts.has("-v"):
        v = ctx.hmc.version
        serial = sum(map(ord, ctx.hmc.name)) % 10**5
        return (
            f"*FC ????????\n*VC 20.0\n*N2 {ctx.hmc.name}\n*TM 7063-CR2\n*SE SIM{serial:05d}\n"
            f"*RM {v.base}.{v.service_pack}\n*DS Hardware Management Console\n"
        )
    raise bad_parameter("-V")


def _sys_time(ctx: Context) -> str:
    return time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(ctx.world.clock.now()))


def _lpar_row(frame: SimFrame, p: SimPartition, extra: bool) -> dict[str, str]:
    row = lpar_record(frame, p)
    if extra:
        row.update({name: fn(frame, p) for name, fn in LPAR_EXTRA.items()})
    return row


def _level_set(hmc: SimHmc, resource: str, generation: int | None) -> frozenset[str] | None:
    """The names this HMC's level prints (lpmtui.hmc.vocabulary): V10R1-R3 print the V10R3
    set and V11R1-R2 the V11R2 set (only V10R3 and V11R2 are evidenced); None for other
    levels, which print the simulator's full records."""
    release = {10: "3", 11: "2"}.get(hmc.version.version)
    if release is None:
        return None
    return vocabulary.evidenced(hmc.version.version, release, resource, generation)


def _at_level(
    ctx: Context, resource: str, rows: list[tuple[int, dict[str, str]]], fields: tuple[str, ...]
) -> tuple[list[dict[str, str]], tuple[str, ...]]:
    """Rows (generation, record) cut to what the level prints, and the names -F may ask: a
    name of the level the simulator does not model prints ``null``; others are refused."""
    out, known = [], set()
    for generation, row in rows:
        names = _level_set(ctx.hmc, resource, generation)
        if names is None:
            return [r for _, r in rows], fields
        out.append({k: v for k, v in row.items() if k in names})
        known |= names
    if not rows:
        known = set(_level_set(ctx.hmc, resource, None) or fields)
    return out, tuple(sorted(known))


async def lssyscfg(ctx: Context) -> str:
    opts = ctx.options(_LIST)
    resource = opts.need("-r")
    if resource == "sys":
        frames = ctx.world.frames_of(ctx.hmc.name)
        if opts.has("-m"):
            frames = [ctx.frame(opts, operating=False)]
        filters = ctx.filters(opts, {"names"})
        if "names" in filters:
            frames = [f for f in frames if f.name in filters["names"]]
        now = _sys_time(ctx)
        rows = [(f.generation, sys_record(f, now)) for f in frames]
        return ctx.listing(opts, *_at_level(ctx, "sys", rows, SYS_FIELDS))
    if resource == "lpar":
        frame = ctx.frame(opts)
        filters = ctx.filters(opts, {"lpar_names", "lpar_ids", "work_groups"})
        parts = ctx.select(frame, filters, miss_is_error=True)
        extra = opts.has("-F")
        rows = [(frame.generation, _lpar_row(frame, p, extra)) for p in parts]
        return ctx.listing(opts, *_at_level(ctx, "lpar", rows, LPAR_FIELDS))
    if resource == "prof":
        frame = ctx.frame(opts)
        filters = ctx.filters(opts, {"lpar_names", "lpar_ids", "profile_names"})
        rows = []
        for p in ctx.select(frame, filters, include_shells=False):
            for name in p.profiles:
                if "profile_names" not in filters or name in filters["profile_names"]:
                    rows.append((frame.generation, prof_record(frame, p, name)))
        return ctx.listing(opts, *_at_level(ctx, "prof", rows, PROF_FIELDS))
    raise bad_parameter("-r")


_LIC_FIELDS = (
    "lic_type",
    "management_status",
    "disabled_reason",
    "activated_level",
    "accepted_level",
    "installed_level",
    "platform_ipl_level",
    "ecnumber",
    "mtms",
    "deferred_level",
    "activated_spname",
    "installed_spname",
    "accepted_spname",
)
_EC_PREFIX = {6: "01EL", 7: "01AL", 8: "01SV", 9: "01VL", 10: "01ML", 11: "01NL"}


async def lslic(ctx: Context) -> str:
    opts = ctx.options({"-t": True, "-m": True, "-F": True, "--header": False})
    if opts.need("-t") != "sys":
        raise bad_parameter("-t")
    frame = ctx.frame(opts)
    key = firmware_key(frame.firmware) or (0, 0)
    level = str(key[1])
    row = dict(
        zip(
            _LIC_FIELDS,
            (
                "Managed System",
                "Enabled",
                "",
                level,
                level,
                level,
                level,
                f"{_EC_PREFIX.get(frame.generation, '01XX')}{key[0]}",
                frame.mtms,
                "None",
                frame.firmware,
                frame.firmware,
                frame.firmware,
            ),
            strict=True,
        )
    )
    return ctx.listing(opts, [row], _LIC_FIELDS)


def _vios(ctx: Context, frame: SimFrame, opts: Options) -> SimPartition:
    p = ctx.partition(frame, opts)
    if not p.is_vios or p.state != "Running" or p.rmc_state != "active":
        raise fail("VIOS_CMD_FAILED", name=p.name)
    return p


def _lsmap(frame: SimFrame, vios: SimPartition, file_opt_only: bool) -> str:
    lines = []
    loc = f"U{frame.type_model.replace('-', '.')}.{frame.serial}-V{vios.lpar_id}"
    servers = [a for a in vios.scsi if a.adapter_type == "server"]
    for n, adapter in enumerate(servers):
        client = "0x00000000" if adapter.remote_id is None else f"0x{adapter.remote_id:08x}"
        fields = [f"vhost{n}", f"{loc}-C{adapter.slot}", client]
        opticals = [o for o in vios.optical if o.vhost_slot == adapter.slot]
        if file_opt_only and not opticals:
            continue
        if not file_opt_only and adapter.remote_id is not None:
            fields += [f"vtscsi{n}", "Available", "0x8100000000000000", f"hdisk{n + 2}", ""]
        for o in opticals:
            backing = f"/var/vio/VMLibrary/{o.image}"
            fields += [o.vtd, "Available", "0x8200000000000000", backing, ""]
        lines.append(":".join(fields))
    return "".join(line + "\n" for line in lines)


def _lsnports(frame: SimFrame, vios: SimPartition, delimiter: list[str]) -> str:
    """An NPIV VIOS has two NPIV-capable ports on a fabric that supports NPIV, each with 64
    virtual ports less those its vFC server adapters use; any other VIOS lists none. [M]"""
    if not vios.npiv:
        return ""
    used = len([a for a in vios.fc if a.adapter_type == "server"])
    loc = f"U{frame.type_model.replace('-', '.')}.{frame.serial}-P1-C{vios.lpar_id}"
    lines = []
    for n in range(2):
        mine = (used + 1 - n) // 2  # the server adapters, spread over the two ports
        fields = [
            f"fcs{n}",
            f"{loc}-T{n + 1}",
            "1",
            "64",
            str(64 - mine),
            "2048",
            str(2048 - 2 * mine),
        ]
        lines.append(delimiter[0].join(fields))
    return "".join(line + "\n" for line in lines)


async def viosvrcmd(ctx: Context) -> str:
    opts = ctx.options({"-m": True, "-p": True, "--id": True, "-c": True})
    frame = ctx.frame(opts)
    vios = _vios(ctx, frame, opts)
    command = shlex.split(opts.need("-c"))
    if command[:1] == ["ioslevel"]:
        return vios.os_version.removeprefix("VIOS ") + "\n"
    if command[:2] == ["lsmap", "-all"] and "-fmt" in command:
        file_opt = "-type" in command and "file_opt" in command
        return _lsmap(frame, vios, file_opt)
    if command[:1] == ["lsnports"] and "-fmt" in command:
        return _lsnports(frame, vios, command[command.index("-fmt") + 1 :][:1] or [":"])
    raise fail("VIOS_CMD_UNKNOWN", command=" ".join(command[:1]) or '""')


async def rmvterm(ctx: Context) -> str:
    opts = ctx.options({"-m": True, "-p": True, "--id": True})
    frame = ctx.frame(opts)
    ctx.partition(frame, opts).console_open = False
    return ""


COMMANDS = {
    "lshmc": lshmc,
    "lssyscfg": lssyscfg,
    "lslic": lslic,
    "viosvrcmd": viosvrcmd,
    "rmvterm": rmvterm,
}
