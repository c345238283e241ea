"""The two quoting layers of an HMC command line, and the checked argv pieces builders use.

- the shell layer: the HMC's restricted bash parses the command string, so each argv token is
  ``shlex.quote``-d by :func:`command_line`;
- the HMC attribute-record layer: ``-i`` and ``--filter`` values are records in the HMC's own
  format (a pair whose value holds a comma is quoted whole, list elements that hold commas get
  doubled quotes), built with :mod:`lpmtui.hmc.records` so the simulator decodes them exactly as
  it prints them (``records.parse`` then ``records.split_list``).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lpmtui.hmc import records

Lpar = int | str  # a partition id (preferred) or its name


class UnsafeArgumentError(ValueError):
    """An argument that cannot be sent safely (a NUL byte cannot cross an SSH exec request)."""


def command_line(argv: Sequence[str]) -> str:
    """Join argv into the one string the HMC's restricted bash parses back into the same argv."""
    for arg in argv:
        if "\x00" in arg:
            raise UnsafeArgumentError(f"argument contains a NUL byte: {arg!r}")
    return " ".join(shlex.quote(a) for a in argv)


@dataclass(frozen=True, slots=True)
class Command:
    """One HMC command: its argv, the ``-F`` names it asks for (empty = default listing)."""

    argv: tuple[str, ...]
    fields: tuple[str, ...] = ()
    delimiter: str = ","

    def __post_init__(self) -> None:
        command_line(self.argv)  # refuse unsendable arguments when built, not when sent

    @property
    def line(self) -> str:
        return command_line(self.argv)

    def default_listing(self) -> Command:
        """The same command without ``-F``: for HMC levels that reject one of the names asked.

        Parsers are key-based, so they read the full default listing just as well.
        """
        if not self.fields:
            return self
        argv = list(self.argv)
        i = argv.index("-F")
        del argv[i : i + 2]
        return Command(tuple(argv))


def text_arg(value: str, what: str) -> str:
    """A non-empty argument without NUL bytes."""
    if not value:
        raise ValueError(f"{what} must not be empty")
    if "\x00" in value:
        raise UnsafeArgumentError(f"{what} contains a NUL byte: {value!r}")
    return value


def id_arg(value: int, what: str) -> str:
    """A non-negative integer argument (bool refused: it is an int to Python, not to the HMC)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")
    return str(value)


def _f_args(fields: Iterable[str], delimiter: str) -> tuple[list[str], tuple[str, ...]]:
    names = tuple(fields)
    if not names:
        return [], ()
    for name in names:
        if not name or delimiter in name or "\x00" in name:
            raise ValueError(f"bad -F attribute name {name!r}")
    return ["-F", delimiter.join(names)], names


def listing(argv: list[str], fields: Iterable[str] = (), delimiter: str = ",") -> Command:
    """A listing command asking for ``fields`` with ``-F`` (none: the default listing)."""
    f_args, names = _f_args(fields, delimiter)
    return Command(tuple(argv + f_args), names, delimiter)


def list_value(elements: Iterable[str]) -> str:
    """A list value for ``-i``/``--filter``: ``records.format_list`` plus two extra cases.

    An element holding a line break, and the element ``none``, are quoted too: unquoted,
    ``records.split_list`` would split the first at the line break and read the second as an
    empty list.
    """
    elements = [text_arg(e, "a list element") for e in elements]
    if any("\n" in e or "\r" in e or e == "none" for e in elements):
        return ",".join('"' + e.replace('"', '""') + '"' for e in elements)
    return records.format_list(elements)


def filter_value(lpars: Lpar | Sequence[Lpar]) -> str:
    """``--filter`` for partitions: ``lpar_ids=N[,M]`` (ids) or ``lpar_names=...`` (names)."""
    items = [lpars] if isinstance(lpars, int | str) else list(lpars)
    if not items:
        raise ValueError("a partition filter needs at least one partition")
    if all(isinstance(i, int) for i in items):
        ids = list_value(id_arg(i, "lpar id") for i in items)  # type: ignore[arg-type]
        return records.format_record([("lpar_ids", ids)])
    if all(isinstance(i, str) for i in items):
        return records.format_record([("lpar_names", list_value(items))])  # type: ignore[arg-type]
    raise ValueError("filter by ids or by names, not a mix")


def filter_args(lpar: Lpar | Sequence[Lpar] | None) -> list[str]:
    return [] if lpar is None else ["--filter", filter_value(lpar)]


def select_args(lpar: Lpar) -> list[str]:
    """``--id N`` for an id (preferred), ``-p NAME`` for a name."""
    if isinstance(lpar, int):
        return ["--id", id_arg(lpar, "lpar id")]
    return ["-p", text_arg(lpar, "partition name")]


def remote_args(remote_ip: str | None, remote_user: str | None) -> list[str]:
    """``--ip H [-u U]`` for a partner on another HMC; a user without an address is refused."""
    if remote_ip is None:
        if remote_user is not None:
            raise ValueError("a remote user needs a remote HMC (--ip)")
        return []
    out = ["--ip", text_arg(remote_ip, "remote HMC address")]
    if remote_user is not None:
        out += ["-u", text_arg(remote_user, "remote user")]
    return out
