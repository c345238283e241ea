"""``lpmtui`` and ``lpmtui demo``: parse options, load the config, run the app.

Only argparse and the config loader run before the first paint; Textual is imported to paint,
and asyncssh, the transport, the fleet and the simulator once the screen is up.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace


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
    from lpmtui.ui.app import LpmApp
    from lpmtui.wiring.backend import ConsoleBackend

    return _run(LpmApp(ConsoleBackend(settings), tune_gc=True))


def demo_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="lpmtui demo",
        description="The console on a simulated HMC fleet started in this process "
        "(reached over SSH through a simulated jump host).",
    )
    parser.add_argument(
        "--read-only", action="store_true", help="show everything, refuse migrate/stop/recover"
    )
    args = parser.parse_args(argv)
    from lpmtui.ui.app import LpmApp
    from lpmtui.wiring.backend import DemoBackend

    return _run(LpmApp(DemoBackend(read_only=args.read_only), title="lpmtui demo", tune_gc=True))


def _run(app) -> int:
    result = app.run()
    return int(result or 0)
