"""``lsrefcode -r lpar``: each partition's latest reference code (cli-refcodes.txt).

The capture shows ``-F lpar_name,time_stamp,refcode`` with ``-n 3`` (the last three codes of
one partition, newest first, timestamps ``09/30/2026 20:41:31``). Which codes a running or an
inactive partition shows is not evidenced: the simulator prints one record per partition with
an empty ``refcode``. The default listing's attribute order is unknown; it prints the ``-F``
order of the capture with ``lpar_id`` after the name.
"""

from __future__ import annotations

import time

from lpmtui.sim.commands.context import Context, bad_parameter

FIELDS = ("lpar_name", "lpar_id", "time_stamp", "refcode")


async def lsrefcode(ctx: Context) -> str:
    opts = ctx.options(
        {"-r": True, "-m": True, "-n": True, "--filter": True, "-F": True, "--header": False}
    )
    if opts.need("-r") != "lpar":
        raise bad_parameter("-r")
    count = opts.get("-n", "1") or "1"
    if not count.isdigit() or int(count) < 1:
        raise bad_parameter("-n")
    frame = ctx.frame(opts)
    parts = ctx.select(frame, ctx.filters(opts, {"lpar_names", "lpar_ids"}), miss_is_error=True)
    stamp = time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(ctx.world.clock.now()))
    rows = [
        {"lpar_name": p.name, "lpar_id": str(p.lpar_id), "time_stamp": stamp, "refcode": ""}
        for p in parts
        if not p.is_shell
    ]
    return ctx.listing(opts, rows, FIELDS)


COMMANDS = {"lsrefcode": lsrefcode}
