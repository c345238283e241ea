"""``lpmtui check``: the LPM eligibility checks without the UI, for scripts and change tickets.

    lpmtui check [--config F | --demo] PARTITION [--target FRAME] [--validate] [--json]
    lpmtui check [--config F | --demo] --all [--json [--detail]]
    lpmtui check [--config F | --demo] --evacuate FRAME [--avoid FRAME ...] [--home] [--validate]
                 [--json]

``--evacuate`` prints the plan the console's ``e`` would start (every client partition of
FRAME on its target, the exact commands, what stays and why); with ``--home`` the plan that
brings the last recorded evacuation of FRAME back; with ``--validate`` the HMC validates each
move first and what it refuses stays, with its message. Nothing is started.

Exit status: 0 migratable (every partition, with --all; everything can move, with --evacuate),
1 not, 2 usage, config or connection errors (one line on stderr). Headless: no prompts, so an
HMC whose host key is not known yet, or that needs a password typed in, is a connection error
saying so.

Text output and error lines show HMC-supplied strings through ``visible`` (control characters
spelled out, one line per row); ``--json`` keeps them exact, escaped by JSON itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import time
from collections.abc import AsyncIterator

from lpmtui.cli.matrix import run_all
from lpmtui.common.visible import visible
from lpmtui.eligibility import compare, evaluate, rank_targets
from lpmtui.eligibility import report as rpt
from lpmtui.eligibility.evaluate import EligibilityError
from lpmtui.fleet.fleet import Fleet
from lpmtui.model import ConnectionState, FleetSnapshot, Partition

EXIT_MIGRATABLE, EXIT_NOT_MIGRATABLE, EXIT_ERROR = 0, 1, 2

_STATE_HINT = {
    ConnectionState.HOST_KEY_UNKNOWN: "its host key is not known yet: accept it once in the "
    "console (lpmtui) or add it to the known_hosts_file of the config",
    ConnectionState.HOST_KEY_CHANGED: "its host key has CHANGED since it was accepted: check "
    "with the HMC's administrator before trusting the new key",
    ConnectionState.AUTH_FAILED: "authentication failed (check the auth settings; lpmtui check "
    "cannot ask for a password)",
    ConnectionState.UNREACHABLE: "unreachable",
}


def _print_text(lines: list[str]) -> None:
    """The text report, every line with its control characters made visible."""
    print("\n".join(visible(line) for line in lines))


class CheckError(Exception):
    """Usage, config or connection trouble: the message is the one line the user sees."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit
        raise CheckError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lpmtui check",
        add_help=True,
        description="LPM eligibility of a partition (or of every partition).",
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument("--config", metavar="FILE", help="config file (default: the usual one)")
    source.add_argument("--demo", action="store_true", help="the built-in simulated fleet")
    p.add_argument(
        "partition",
        nargs="?",
        metavar="PARTITION",
        help="partition name, or FRAME/NAME when the name is on several frames",
    )
    p.add_argument("--all", action="store_true", help="every partition x every target")
    p.add_argument("--target", metavar="FRAME", help="check this target frame only")
    p.add_argument(
        "--validate",
        action="store_true",
        help="also run the HMC's own validation (migrlpar -o v) and compare",
    )
    p.add_argument(
        "--evacuate",
        metavar="FRAME",
        help="the plan for moving every partition off FRAME (nothing is started)",
    )
    p.add_argument(
        "--home",
        action="store_true",
        help="with --evacuate: the plan that brings FRAME's last evacuation back",
    )
    p.add_argument(
        "--avoid",
        metavar="FRAME",
        action="append",
        default=[],
        help="with --evacuate: keep partitions off FRAME (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="JSON instead of a table")
    p.add_argument(
        "--detail", action="store_true", help="with --all --json: every target's checks too"
    )
    return p


def _arguments(argv: list[str]) -> argparse.Namespace:
    args = _parser().parse_args(argv)
    if args.evacuate is not None:
        if args.all or args.partition or args.target:
            raise CheckError("--evacuate takes no PARTITION, --all or --target")
        if args.home and args.avoid:
            raise CheckError("--avoid plans an evacuation; --home brings partitions home")
        return args
    if args.home or args.avoid:
        raise CheckError(f"{'--home' if args.home else '--avoid'} goes with --evacuate FRAME")
    if args.all and (args.partition or args.target or args.validate):
        raise CheckError("--all takes no PARTITION, --target or --validate")
    if args.detail and not (args.all and args.json):
        raise CheckError("--detail goes with --all --json")
    if not args.all and not args.partition:
        raise CheckError("name a PARTITION, or use --all, or --evacuate FRAME")
    return args


# -- getting a snapshot ------------------------------------------------------------------------


def _link_problem(link) -> str:
    hint = _STATE_HINT.get(link.state, link.state.value)
    if link.state is ConnectionState.HOST_KEY_CHANGED and link.last_error:
        return f"HMC {link.name}: {link.last_error}"  # it names the key, the file and the line
    detail = f" ({link.last_error})" if link.last_error and link.last_error not in hint else ""
    return f"HMC {link.name} ({link.host}): {hint}{detail}"


def _problems(links) -> str:
    """One entry per failed hop: the HMCs a jump host stopped are named once, after it."""
    own: list[str] = []
    behind: dict[str, list[str]] = {}  # a jump host's error -> the HMCs it stopped
    for link in links:
        if getattr(link, "failed_hop", ""):
            behind.setdefault(link.last_error, []).append(link.name)
        else:
            own.append(_link_problem(link))
    hops = [f"{text} (HMCs behind it: {', '.join(names)})" for text, names in behind.items()]
    return "; ".join(hops + own)


@contextlib.asynccontextmanager
async def _fleet(args: argparse.Namespace) -> AsyncIterator[Fleet]:
    if args.demo:
        from lpmtui.simlink import demo_links  # only the demo pulls in the simulator

        yield Fleet(demo_links())
        return
    from lpmtui.config import loader as config
    from lpmtui.ssh.transport import Transport

    try:
        settings = config.load(args.config)
    except config.ConfigError as exc:
        raise CheckError(str(exc)) from None
    from lpmtui.store.logfile import log_command, open_log

    open_log(settings.log_dir)  # the transport's warnings go there, not onto the terminal
    for warning in settings.warnings:  # the config's own warnings are the user's to see
        print(f"lpmtui check: warning: {visible(warning)}", file=sys.stderr)
    transport = Transport(settings, prompter=None, on_command=log_command)
    try:
        await transport.start()
        down = [link for link in transport.links() if link.state != ConnectionState.CONNECTED]
        if down:
            raise CheckError(_problems(down))
        yield Fleet(
            transport.links(),
            hot_interval=settings.hot_interval,
            cold_interval=settings.cold_interval,
        )
    finally:
        await transport.close()


async def collect(fleet: Fleet) -> FleetSnapshot:
    """Poll every HMC once with its cold data and SSH trust: everything the rules read."""
    await asyncio.gather(*(c.poll(cold_due=True) for c in fleet.collectors.values()))
    return FleetSnapshot(tuple(c.snapshot for c in fleet.collectors.values()), time.time())


def find_partition(snapshot: FleetSnapshot, spec: str) -> Partition:
    """A partition by name, or by FRAME/NAME when several frames have that name."""
    found = [p for h in snapshot.hmcs for f in h.frames for p in f.partitions if p.name == spec]
    if not found and "/" in spec:
        frame, _, name = spec.partition("/")
        found = [
            p
            for h in snapshot.hmcs
            for f in h.frames
            if f.system.name == frame
            for p in f.partitions
            if p.name == name
        ]
    if not found:
        raise CheckError(f"no partition named {spec!r} on any connected HMC")
    if len(found) > 1:
        frames = ", ".join(f"{p.system}/{p.name}" for p in found)
        raise CheckError(f"{spec!r} is on several frames; name one of: {frames}")
    return found[0]


# -- one partition -----------------------------------------------------------------------------


async def _one(args: argparse.Namespace, fleet: Fleet, snapshot: FleetSnapshot) -> int:
    lp = find_partition(snapshot, args.partition)
    try:
        verdicts = (
            [evaluate(snapshot, lp, args.target)] if args.target else rank_targets(snapshot, lp)
        )
    except EligibilityError as exc:
        raise CheckError(str(exc)) from None
    if not verdicts:
        raise CheckError(f"no other frame to move {lp.name} to")
    best = verdicts[0]
    validation = None
    if args.validate:  # the chosen target, or the best-ranked one
        result = await fleet.validate(best.source_system, lp.lpar_id, best.target_system)
        validation = (result, compare(best, result))
    if args.json:
        out = {
            "partition": lp.name,
            "source_system": lp.system,
            "lpar_id": lp.lpar_id,
            "targets": [rpt.verdict_dict(v) for v in verdicts],
        }
        if validation:
            out["validation"] = {
                "target_system": best.target_system,
                **rpt.validation_dict(*validation),
            }
        print(json.dumps(out, indent=2))
    else:
        lines = []
        if len(verdicts) > 1:
            lines += [f"Targets for {lp.name}, best first:", *rpt.ranking_text(verdicts), ""]
        lines += rpt.verdict_text(best)
        if validation:
            lines += ["", *rpt.validation_text(*validation)]
        _print_text(lines)
    return EXIT_MIGRATABLE if best.migratable else EXIT_NOT_MIGRATABLE


# -- the whole fleet ---------------------------------------------------------------------------


def _all(args: argparse.Namespace, snapshot: FleetSnapshot) -> int:
    everywhere = run_all(snapshot, as_json=args.json, detail=args.detail)
    return EXIT_MIGRATABLE if everywhere else EXIT_NOT_MIGRATABLE


# -- evacuation plans ---------------------------------------------------------------------------


def _evacuation_log(args: argparse.Namespace):
    from lpmtui.config.model import demo_state_dir
    from lpmtui.evacuation.run import EvacuationLog

    if args.demo:
        return EvacuationLog(demo_state_dir() / EvacuationLog.FILENAME)
    from lpmtui.config import loader as config

    try:
        return EvacuationLog.beside(config.load(args.config).journal_file)
    except config.ConfigError as exc:
        raise CheckError(str(exc)) from None


class _FleetValidator:
    """What ``evacuation_run.validate_plan`` asks of a manager, answered by the fleet (a check
    changes nothing, so, like ``check --validate``, it writes no audit record)."""

    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet

    async def validate(self, request):
        return await self.fleet.validate(request.source, request.lpar_id, request.target)


async def _evacuation(args: argparse.Namespace, fleet: Fleet, snapshot: FleetSnapshot) -> int:
    from lpmtui.evacuation.plan import plan_dict, plan_evacuation, plan_lines, plan_return
    from lpmtui.evacuation.run import drop_refused, validate_plan
    from lpmtui.hmc.commands import command_line
    from lpmtui.migration.hmc_io import migrate_argv

    try:
        if args.home:
            log = _evacuation_log(args)
            try:
                record, *older = log.of_frame(args.evacuate) or [None]
            except OSError as exc:
                raise CheckError(f"cannot read {log.path}: {exc.strerror or exc}") from None
            if record is None:
                raise CheckError(f"no evacuation of {args.evacuate} is recorded in {log.path}")
            plan = plan_return(snapshot, record, older=older)
        else:
            unknown = [f for f in args.avoid if snapshot.frame(f) is None]
            if unknown:
                raise CheckError(f"--avoid: no frame {unknown[0]!r} in the fleet")
            plan = plan_evacuation(snapshot, args.evacuate, exclude=tuple(args.avoid))
    except EligibilityError as exc:
        raise CheckError(str(exc)) from None
    if args.validate:  # what the HMC refuses stays, with its message
        plan = drop_refused(plan, await validate_plan(_FleetValidator(fleet), plan))

    def show(request) -> str:
        return command_line(migrate_argv(request))

    if args.json:
        print(json.dumps(plan_dict(plan, show), indent=2))
    else:
        _print_text(plan_lines(plan, show))
    return EXIT_MIGRATABLE if plan.moves and not plan.stays else EXIT_NOT_MIGRATABLE


async def _run(args: argparse.Namespace) -> int:
    async with _fleet(args) as fleet:
        snapshot = await collect(fleet)
        if args.evacuate is not None:
            return await _evacuation(args, fleet, snapshot)
        if args.all:
            return _all(args, snapshot)
        return await _one(args, fleet, snapshot)


def main(argv: list[str] | None = None) -> int:
    # Stdout is the report and stderr its one-line error: library warnings must not add lines.
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        args = _arguments(sys.argv[1:] if argv is None else argv)
        return asyncio.run(_run(args))
    except CheckError as exc:
        print(f"lpmtui check: {visible(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("lpmtui check: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `lpmtui check ... | head`: lpmtui.__main__ ends it quietly
        raise
    except OSError as exc:
        print(f"lpmtui check: {visible(exc.strerror or exc)}", file=sys.stderr)
        return EXIT_ERROR
