"""Every HMC command line lpmtui sends is built here, from argv, with all quoting in one place."""

from __future__ import annotations

import shlex
from collections.abc import Sequence


class UnsafeArgumentError(ValueError):
    """An argument that cannot be sent safely (a NUL byte cannot cross an SSH exec request)."""


def command_line(argv: Sequence[str]) -> str:
    """Join argv into the one string the HMC's restricted bash parses back into the same argv."""
    for arg in argv:
        if "\x00" in arg:
            raise UnsafeArgumentError(f"argument contains a NUL byte: {arg!r}")
    return " ".join(shlex.quote(a) for a in argv)
