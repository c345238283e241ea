"""Command line entry: ``lpmtui [console options] | demo | check | sim | audit``.

Each subcommand lives in its own module and is imported only when used, so ``lpmtui sim`` does not
pay for Textual and ``lpmtui check`` does not pay for the UI.
"""

from __future__ import annotations

import importlib
import sys

SUBCOMMANDS = {
    "demo": "lpmtui.ui.launch:demo_main",
    "check": "lpmtui.cli.check:main",
    "sim": "lpmtui.sim.main:main",
    "audit": "lpmtui.store.audit:main",
}
CONSOLE = "lpmtui.ui.launch:console_main"

USAGE = """usage: lpmtui [--config FILE] [--read-only] [--accept-new-host-keys]
       lpmtui demo [--read-only]
       lpmtui check [--config FILE | --demo] PARTITION [--target FRAME] [--validate] [--json]
       lpmtui check [--config FILE | --demo] --all [--json]
       lpmtui sim [--fleet FILE] [--port-base N] [--authorized-keys FILE] [--speed X]
       lpmtui audit [--config FILE | --demo | --file PATH] [--json] [--last N]
"""


def _load(target: str):
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
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
