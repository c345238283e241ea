"""``lpmtui`` and ``lpmtui demo``: parse options, load the config, run the app.

Only argparse and the config loader run before the first paint; Textual is imported to paint,
and asyncssh, the transport, the fleet and the simulator once the screen is up.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace


def _notify_option(parser: argparse.ArgumentParser, default: str) -> None:
    from lpmtui.config.model import NOTIFY_MODES

    parser.add_argument(
        "--notify",
        metavar="MODE",
        choices=NOTIFY_MODES,
        help="announce a migration's or evacuation's end, failure or stall outside the window: "
        "off, bell, osc (desktop notification: OSC 9 and OSC 777) or both; unless off, the "
        f"terminal title shows what runs (default: {default})",
    )


def _low_bandwidth_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--low-bandwidth",
        action="store_true",
        help="for links below 64 kbit/s: table every 5 s, no animation, ASCII borders",
    )


def _console_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lpmtui", description="Live Partition Mobility console for the configured HMCs."
    )
    parser.add_argument("--config", metavar="FILE", help="config file (default: XDG config)")
    parser.add_argument(
        "--read-only", action="store_true", help="show everything, refuse migrate/stop/recover"
    )
    parser.add_argument(
        "--accept-new-host-keys",
        action="store_true",
        help="trust host keys seen for the first time (never changed ones)",
    )
    _notify_option(parser, "the config's notifications, else bell")
    _low_bandwidth_option(parser)
    return parser


def console_main(argv: list[str]) -> int:
    args = _console_parser().parse_args(argv)
    from lpmtui.config.loader import ConfigError, load

    try:
        settings = load(args.config)
    except ConfigError as error:
        print(f"lpmtui: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"lpmtui: {args.config or 'config'}: {error.strerror or error}", file=sys.stderr)
        return 2
    if args.read_only or args.accept_new_host_keys:
        settings = replace(
            settings,
            read_only=settings.read_only or args.read_only,
            accept_new_host_keys=settings.accept_new_host_keys or args.accept_new_host_keys,
        )
    if args.notify:
        settings = replace(settings, notifications=args.notify)
    from lpmtui.ui.app import LpmApp
    from lpmtui.wiring.backend import ConsoleBackend

    app = LpmApp(
        ConsoleBackend(settings),
        tune_gc=True,
        notify=settings.notifications,
        low_bandwidth=settings.low_bandwidth or args.low_bandwidth,
    )
    return _run(app)


def demo_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="lpmtui demo",
        description="The console on a simulated HMC fleet started in this process "
        "(reached over SSH through a simulated jump host).",
    )
    parser.add_argument(
        "--read-only", action="store_true", help="show everything, refuse migrate/stop/recover"
    )
    parser.add_argument(
        "--fleet",
        metavar="FILE",
        help="simulate this fleet file instead of the built-in demo fleet (docs/simulator.md)",
    )
    _notify_option(parser, "bell")
    _low_bandwidth_option(parser)
    args = parser.parse_args(argv)
    from lpmtui.config.model import DEFAULT_NOTIFY
    from lpmtui.ui.app import LpmApp
    from lpmtui.wiring.backend import DemoBackend

    # A bad fleet file is one line before the screen is taken.
    if args.fleet is not None and (error := DemoBackend.fleet_error(args.fleet)):
        print(f"lpmtui demo: --fleet: {error}", file=sys.stderr)
        return 2

    backend = DemoBackend(read_only=args.read_only, fleet=args.fleet)
    notify = args.notify or DEFAULT_NOTIFY
    app = LpmApp(
        backend, title="lpmtui demo", tune_gc=True, notify=notify, low_bandwidth=args.low_bandwidth
    )
    return _run(app)


def _run(app) -> int:
    result = app.run()
    return int(result or 0)
