"""``lpmtui sim``: run the simulated HMC fleet in the foreground until Ctrl-C or SIGTERM.

HMC number i of the fleet listens on 127.0.0.1:N+i with ``--port-base N`` (free ports without
it), the jump host on N+<number of HMCs>. Host keys are kept per fleet under
``$XDG_STATE_HOME/lpmtui/sim-keys/<fleet>/`` (or ``--key-dir``), together with a known_hosts file
for the current ports, so restarting the simulator does not change any host key.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import asyncssh

from lpmtui.sim.server.fleet import SimFleet, start_fleet
from lpmtui.sim.server.latency import Latency

PROG = "lpmtui sim"
USAGE_ERROR = 2


class _OneLineFormatter(logging.Formatter):
    """Log records as one line each on the simulator's console: never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{PROG}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            line += f": {record.exc_info[1]!r}"
        return line.splitlines()[0]


@contextlib.contextmanager
def _log_to_console() -> Iterator[None]:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter())
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


class UsageError(Exception):
    """A bad argument or fleet file: one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Run the simulated HMC fleet over SSH on 127.0.0.1.")
    parser.add_argument("--fleet", metavar="FILE", help="fleet YAML file (default: the demo)")
    parser.add_argument("--port-base", metavar="N", type=int, help="HMC i listens on N+i")
    parser.add_argument(
        "--authorized-keys", metavar="FILE", help="public keys allowed to log in to every host"
    )
    parser.add_argument(
        "--speed", metavar="X", type=float, default=1.0, help="sim time runs X times wall time"
    )
    parser.add_argument("--key-dir", metavar="DIR", help="where the host keys are kept")
    parser.add_argument(
        "--no-latency", action="store_true", help="answer at once instead of like a real HMC"
    )
    parser.add_argument("--no-jump-host", action="store_true", help="do not start the jump host")
    parser.add_argument(
        "--faults", metavar="SPEC", help="fault commands to apply at start, ';'-separated"
    )
    parser.add_argument(
        "--control", metavar="PATH", help="UNIX socket taking fault commands, one per line"
    )
    return parser


def _state_home() -> Path:
    env = os.environ.get("XDG_STATE_HOME")
    return Path(env) if env else Path.home() / ".local" / "state"


def _check_args(args: argparse.Namespace) -> None:
    if args.speed <= 0:
        raise UsageError(f"--speed: found {args.speed:g}; expected a number above 0")
    if args.port_base is not None and not 1 <= args.port_base <= 65000:
        raise UsageError(f"--port-base: found {args.port_base}; expected 1-65000")
    if args.fleet is not None and not Path(args.fleet).is_file():
        raise UsageError(f"--fleet: {args.fleet}: no such file")
    if args.authorized_keys is not None:
        path = Path(args.authorized_keys)
        try:
            asyncssh.read_authorized_keys(str(path))
        except OSError as exc:
            raise UsageError(f"--authorized-keys: {path}: {exc.strerror or exc}") from None
        except (ValueError, asyncssh.KeyImportError) as exc:
            raise UsageError(
                f"--authorized-keys: {path}: not an authorized_keys file: {exc}"
            ) from None


def _load_world(fleet: str | None, clock: Any) -> Any:
    from lpmtui.sim.world.state import World

    try:
        return World.demo(clock) if fleet is None else World.from_yaml(Path(fleet), clock)
    except Exception as exc:
        # Whatever the loader objects to, the user gets one line naming the file.
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if fleet is None:
            raise UsageError(f"the demo fleet cannot be loaded: {reason}") from None
        prefix = "" if reason.startswith(fleet) else f"{fleet}: "
        raise UsageError(f"--fleet: {prefix}{reason}") from None


def _table(fleet: SimFleet, world: Any) -> str:
    rows = [("NAME", "KIND", "HMC ADDRESS", "LISTENS ON", "USER", "PASSWORD", "HOST KEY")]
    for name, ep in fleet.endpoints.items():
        hmc = world.hmcs[name]
        peer = getattr(hmc, "address", "") or name
        rows.append(
            (
                name,
                getattr(hmc, "kind", "hmc"),
                peer,
                f"{ep.host}:{ep.port}",
                ep.username,
                ep.password,
                ep.fingerprint,
            )
        )
    if fleet.jump is not None:
        jump = fleet.jump
        rows.append(
            (
                "(jump host)",
                "-",
                "-",
                f"{jump.host}:{jump.port}",
                jump.username,
                jump.password,
                jump.fingerprint,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _write_known_hosts(key_dir: Path, fleet: SimFleet) -> Path | None:
    path = key_dir / "known_hosts"
    try:
        key_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(fleet.known_hosts_text(), encoding="utf-8")
    except OSError:
        return None
    return path


async def _serve(args: argparse.Namespace) -> int:
    from lpmtui.common.clock import RealClock

    clock = RealClock(speed=args.speed)
    world = _load_world(args.fleet, clock)
    fleet_id = Path(args.fleet).stem if args.fleet else "demo"
    key_dir = Path(args.key_dir) if args.key_dir else _state_home() / "lpmtui" / "sim-keys"
    if not args.key_dir:
        key_dir = key_dir / fleet_id
    try:
        fleet = await start_fleet(
            world,
            port_base=args.port_base,
            authorized_keys=args.authorized_keys,
            key_dir=key_dir,
            latency=None if args.no_latency else Latency.realistic(),
            jump_host=not args.no_jump_host,
            clock=clock,
        )
    except OSError as exc:
        print(f"{PROG}: cannot listen: {exc.strerror or exc}", file=sys.stderr)
        return 1
    from lpmtui.sim.server.control import (
        ControlError,
        apply_spec,
        remove_socket,
        serve_control,
    )

    control = None
    try:
        for answer in await apply_spec(fleet, args.faults or ""):
            print(f"{PROG}: --faults: {answer}")
        if args.control:
            control = await serve_control(fleet, args.control)
    except (ControlError, OSError) as exc:
        await fleet.close()
        flag = "--control" if isinstance(exc, OSError) else "--faults"
        raise UsageError(f"{flag}: {getattr(exc, 'strerror', None) or exc}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        known_hosts = _write_known_hosts(key_dir, fleet)
        print(f"Simulated HMC fleet '{fleet_id}' (speed x{args.speed:g}); Ctrl-C stops it.")
        print(_table(fleet, world))
        first = next(iter(fleet.endpoints.values()), None)
        if first is not None:
            kh = f"-o UserKnownHostsFile={known_hosts} " if known_hosts else ""
            print(
                f"Try: ssh {kh}-p {first.port} {first.username}@{first.host} "
                "'lssyscfg -r sys -F name,state'"
            )
        if control is not None:
            print(f"Fault commands: one per line on the UNIX socket {args.control}")
        sys.stdout.flush()
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        if control is not None:
            control.close()
            remove_socket(args.control)
        await fleet.close()
    print(f"{PROG}: stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    try:
        args = _parser().parse_args(args_in)
        _check_args(args)
        with contextlib.suppress(KeyboardInterrupt), _log_to_console():
            return asyncio.run(_serve(args))
        return 0
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
