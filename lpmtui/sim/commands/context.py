"""What every simulated HMC command sees and uses: its Context, option parsing, errors.

The command modules (ls, hw, migr, lslparmigr) import this; the shell imports them and this.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from lpmtui.hmc import messages as messages_ids
from lpmtui.hmc import records
from lpmtui.sim import messages
from lpmtui.sim.world.model import SimFrame, SimPartition
from lpmtui.sim.world.state import World


class CommandError(Exception):
    """Ends a command with ``text`` on stdout and ``rc``."""

    def __init__(self, text: str, rc: int = 1) -> None:
        super().__init__(text)
        self.text = text
        self.rc = rc


def bad_parameter(*params: str) -> CommandError:
    return CommandError(messages.text("BAD_PARAMETER", params=", ".join(params)))


def fail(key: str, **values: object) -> CommandError:
    return CommandError(messages.text(key, **values))


@dataclass
class Options:
    values: dict[str, str]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.values

    def need(self, name: str) -> str:
        value = self.values.get(name)
        if not value:
            raise bad_parameter(name)
        return value


def parse_options(argv: Sequence[str], spec: Mapping[str, bool]) -> Options:
    """Options per ``spec`` (name -> takes a value); ``-F`` takes an optional value.

    Unknown options, stray words and missing values give the HMC's missing-or-invalid
    parameter message naming the culprit.
    """
    values: dict[str, str] = {}
    i = 0
    while i < len(argv):
        token = argv[i]
        if token.startswith("-F") and len(token) > 2 and "-F" in spec:
            values["-F"] = token[2:]  # "-Fname,state" (a real 2017 script)
        elif token == "-F" and "-F" in spec:
            nxt = argv[i + 1] if i + 1 < len(argv) else None
            if nxt is not None and not nxt.startswith("-"):
                values["-F"] = nxt
                i += 1
            else:
                values["-F"] = ""
        elif token in spec:
            if spec[token]:
                if i + 1 >= len(argv):
                    raise bad_parameter(token)
                values[token] = argv[i + 1]
                i += 1
            else:
                values[token] = ""
        elif token.startswith("-"):
            # an option the command lacks (V10R3: "--gid", real-hmc-facts §1)
            raise CommandError(messages_ids.INVALID_PARAMETER_TEXT.format(params=token))
        else:
            raise bad_parameter(token)
        i += 1
    return Options(values)


def split_names(spec: str) -> tuple[list[str], str]:
    """``-F`` text -> (attribute names, delimiter): the delimiter is what separates the names."""
    if not spec:
        return [], ","
    m = re.match(r"[A-Za-z0-9_]+([^A-Za-z0-9_]+)", spec)
    if not m:
        return [spec], ","
    delimiter = m.group(1)
    return spec.split(delimiter), delimiter


def parse_attr_list(text: str, option: str) -> dict[str, str]:
    """``--filter``/``-i`` data: ``name=value`` pairs, list values wrapped in quotes."""
    try:
        rows = records.parse(text)
    except records.RecordParseError:
        raise bad_parameter(option) from None
    if len(rows) != 1:
        raise bad_parameter(option)
    return rows[0]


class Context:
    """What a command sees: the world, the HMC it runs on, its argv and output helpers."""

    def __init__(self, world: World, hmc_name: str, user: str, argv: list[str]) -> None:
        self.world = world
        self.hmc = world.hmcs[hmc_name]
        self.user = user
        self.argv = argv

    def options(self, spec: Mapping[str, bool]) -> Options:
        return parse_options(self.argv[1:], spec)

    def frame(self, opts: Options, option: str = "-m", operating: bool = True) -> SimFrame:
        name = opts.need(option)
        frame = self.world.find_frame(self.hmc.name, name)
        if frame is None:
            raise bad_parameter(option)
        if operating and not frame.operating:
            raise fail("NOT_OPERATING")
        return frame

    def filters(self, opts: Options, allowed: Iterable[str]) -> dict[str, list[str]]:
        text = opts.get("--filter")
        if text is None:
            return {}
        pairs = parse_attr_list(text, "--filter")
        allowed = set(allowed)
        out: dict[str, list[str]] = {}
        for name, value in pairs.items():
            if name not in allowed:
                raise bad_parameter("--filter")
            out[name] = records.split_list(value)
        return out

    def select(
        self,
        frame: SimFrame,
        filters: Mapping[str, list[str]],
        include_shells: bool = True,
        miss_is_error: bool = False,
    ) -> list[SimPartition]:
        parts = frame.listed_partitions()
        if not include_shells:
            parts = [p for p in parts if not p.is_shell]
        if "lpar_names" in filters:
            parts = [p for p in parts if p.name in filters["lpar_names"]]
            if not parts and miss_is_error:
                # rc 1 HSCL8012, not "No results were found." (real-hmc-facts §1,
                # cli-lpar-unknown.txt: one name). Which name a multi-name miss cites is
                # unknown; the simulator names the first.
                raise fail("LPAR_NOT_FOUND", name=filters["lpar_names"][0])
        if "lpar_ids" in filters:
            parts = [p for p in parts if str(p.lpar_id) in filters["lpar_ids"]]
        return parts

    def partition(self, frame: SimFrame, opts: Options) -> SimPartition:
        """The partition named by ``-p`` or ``--id``."""
        if opts.has("-p"):
            name = opts.need("-p")
            p = frame.by_name(name)
            if p is None or p.is_shell:
                raise fail("LPAR_NOT_FOUND", name=name)
            return p
        if opts.has("--id"):
            text = opts.need("--id")
            if not text.isdigit():
                raise bad_parameter("--id")
            p = frame.partitions.get(int(text))
            if p is None or p.is_shell:
                raise fail("ID_NOT_FOUND", id=text)
            return p
        raise bad_parameter("-p")

    def listing(
        self,
        opts: Options,
        rows: list[dict[str, str]],
        fields: Iterable[str],
    ) -> str:
        """Print rows as a default listing or, with ``-F``, as delimited values."""
        header = opts.has("--header")
        if not opts.has("-F"):
            if header:
                raise bad_parameter("--header")
            return records.format_records(rows)
        names, delimiter = split_names(opts.get("-F") or "")
        known = set(fields)
        for name in names:
            if name not in known:
                raise CommandError(self.world.settings.invalid_attribute_text.format(name=name))
        missing = self.world.settings.missing_attribute_value
        if not names:
            names = _merged_order(rows)  # every attribute these records print, default order
        full = [{n: row.get(n, missing) for n in names} for row in rows]
        if not full:
            return records.NO_RESULTS + "\n"
        return records.format_fields(full, names, delimiter, header)


def _merged_order(rows: list[dict[str, str]]) -> list[str]:
    """One attribute order consistent with every row (VIOS rows omit some attributes)."""
    order: list[str] = []
    for row in rows:
        previous = None
        for key in row:
            if key not in order:
                order.insert(order.index(previous) + 1 if previous else 0, key)
            previous = key
    return order


Command = Callable[[Context], Awaitable[str]]
