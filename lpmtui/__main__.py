"""Command line entry: ``lpmtui [console options] | demo | check | sim | audit | report``.

Each subcommand lives in its own module and is imported only when used, so ``lpmtui sim`` does not
pay for Textual and ``lpmtui check`` does not pay for the UI.
"""

from __future__ import annotations

import importlib
import os
import sys

SUBCOMMANDS = {
    "demo": "lpmtui.ui.launch:demo_main",
    "check": "lpmtui.cli.check:main",
    "sim": "lpmtui.sim.main:main",
    "audit": "lpmtui.cli.audit:main",
    "report": "lpmtui.cli.report:main",
}
CONSOLE = "lpmtui.ui.launch:console_main"

USAGE = """usage: lpmtui [--config FILE] [--read-only] [--accept-new-host-keys] [--notify MODE]
                     [--low-bandwidth]
       lpmtui demo [--read-only] [--notify MODE] [--low-bandwidth] [--fleet FILE]
       lpmtui check [--config FILE | --demo] PARTITION [--target FRAME] [--validate] [--json]
       lpmtui check [--config FILE | --demo] --all [--json]
       lpmtui check [--config FILE | --demo] --evacuate FRAME [--avoid FRAME ...] [--home]
                    [--validate] [--json]
       lpmtui sim [--fleet FILE] [--port-base N] [--authorized-keys FILE] [--speed X]
                  [--faults SPEC] [--control SOCKET]
       lpmtui audit [--config FILE | --demo | --file PATH] [--json] [--last N]
       lpmtui report [--config FILE | --demo] [--since T] [--until T] [--format md|html|json]
                     [-o FILE]
"""


def _load(target: str):
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand. A reader that closed the pipe (``lpmtui audit | head -2``) has what
    it wanted: that ends quietly with status 0, for every subcommand."""
    try:
        status = _dispatch(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
    except BrokenPipeError:
        _discard_stdout()
        return 0
    return status


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _dispatch(args: list[str]) -> int:
    if args and args[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0
    if args and args[0] in ("--version", "-V"):
        from lpmtui import __version__

        print(f"lpmtui {__version__}")
        return 0
    if args and args[0] in SUBCOMMANDS:
        return int(_load(SUBCOMMANDS[args[0]])(args[1:]) or 0)
    return int(_load(CONSOLE)(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
