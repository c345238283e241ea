"""What every HMC output parser shares: the result type, value converters, record reading.

Parsers are key-based: a table maps HMC attribute names to model fields and converters.
Unknown attributes are ignored, absent ones leave the model's default, and ``null``,
``unavailable`` and empty values mean "the HMC did not say" (None) -- for values only: a name
(``as_name``) is kept verbatim, since ``null`` and ``unavailable`` are legal partition names.
A malformed line or value becomes a problem string (with its line or record number) while the
good records are kept; no input makes a parser raise. Problems are capped per output
(``MAX_PROBLEMS``, then one summary line) so garbage costs little.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from lpmtui.hmc import records

T = TypeVar("T")

# Values that say "unknown". "none" is a real value for ids and lists (no pool, no slots).
UNKNOWN_VALUES = frozenset({"", "null", "unavailable", "Unknown"})

# At most this many problems are kept per output; the rest are counted in one last line.
MAX_PROBLEMS = 50

# Numbers as the HMC prints them: ASCII digits only (``int`` would take "²"-free Unicode digits,
# underscores and spaces) and short (no HMC number has 30 digits; Python refuses 4,300).
_INT = re.compile(r"[+-]?[0-9]{1,30}", re.ASCII)
_HEX = re.compile(r"0[xX][0-9a-fA-F]{1,30}", re.ASCII)
_FLOAT = re.compile(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})", re.ASCII)

Update = Mapping[str, object]  # model field name -> value, to merge into a model object


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """Parsed items, plus one line per problem met on the way (``line 3: ...``)."""

    items: tuple[T, ...] = ()
    problems: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def one(self) -> T | None:
        """The single item of a one-record listing (``lshmc -V``, ``-r sys -m S``), or None."""
        return self.items[0] if self.items else None


# -- value converters (raise ValueError on a value they cannot read) -------------------------


def as_text(value: str) -> str:
    """A value as printed; ``null``/``unavailable`` become "" (unknown)."""
    return "" if value in ("null", "unavailable") else value


def as_name(value: str) -> str:
    """A name (partition, system, profile, pool, MSP, vswitch) or free text: kept verbatim.

    ``null``, ``unavailable`` and ``none`` are legal names, never "no value"."""
    return value


def number(value: str) -> int:
    """An ASCII decimal integer of at most 30 digits; ValueError otherwise (never another
    exception, whatever the text)."""
    if not _INT.fullmatch(value):
        raise ValueError(f"not a number: {value[:40]!r}")
    return int(value)


def as_int(value: str) -> int | None:
    """An integer (decimal or ``0x`` hex); ``none``/``any`` and unknown values give None."""
    if value in UNKNOWN_VALUES or value in ("none", "any"):
        return None
    if _HEX.fullmatch(value):
        return int(value, 16)
    return number(value)


def as_float(value: str) -> float | None:
    if value in UNKNOWN_VALUES or value == "none":
        return None
    if not _FLOAT.fullmatch(value):
        raise ValueError(f"not a number: {value[:40]!r}")
    return float(value)


def as_bool(value: str) -> bool | None:
    if value == "1":
        return True
    if value == "0":
        return False
    if value in UNKNOWN_VALUES or value == "none":
        return None
    raise ValueError("not 0 or 1")


def as_list(value: str) -> tuple[str, ...]:
    if value in UNKNOWN_VALUES:
        return ()
    return tuple(records.split_list(value))


def as_name_list(value: str) -> tuple[str, ...]:
    """A list of names: only ``none`` and "" are the empty list (``null`` is a name)."""
    return tuple(records.split_list(value))


def as_int_list(value: str) -> tuple[int, ...]:
    return tuple(number(v) for v in as_list(value) if v not in ("none", "any"))


Converter = Callable[[str], object]
Table = Mapping[str, tuple[str, Converter]]  # HMC attribute -> (model field, converter)


def same_names(**converters: Converter) -> Table:
    """A table whose model fields carry the HMC attribute names unchanged."""
    return {name: (name, conv) for name, conv in converters.items()}


def with_defaults(make: Callable[..., T], **defaults: object) -> Callable[[dict[str, object]], T]:
    """A ``build`` factory: ``make(**values)`` with ``defaults`` for the fields not listed."""
    return lambda values: make(**{**defaults, **values})


_KIND = {
    as_int: "a number",
    as_float: "a number",
    as_bool: "0 or 1",
    as_list: "a list",
    as_name_list: "a list",
    as_int_list: "a list of numbers",
}


# -- reading -----------------------------------------------------------------------------------


def read(
    text: str, fields: Sequence[str] = (), delimiter: str = ","
) -> tuple[list[dict[str, str]], list[str]]:
    """Records of a default listing (no ``fields``) or of ``-F`` output, and the bad lines."""
    if fields:
        good, bad = records.parse_fields_tolerant(text, list(fields), delimiter)
    else:
        good, bad = records.parse_tolerant(text)
    return good, [f"line {e.line}: {e.reason}" for e in bad]


def convert(
    record: Mapping[str, str], table: Table, problems: list[str], where: str
) -> dict[str, object]:
    """The model fields ``table`` maps from ``record``; an unreadable value is a problem."""
    out: dict[str, object] = {}
    for attr, (name, conv) in table.items():
        if attr not in record:
            continue
        value = record[attr]
        try:
            out[name] = conv(value)
        except (ValueError, records.RecordParseError):
            problems.append(f"{where}: {attr}={value[:40]!r} is not {_KIND.get(conv, 'valid')}")
    return out


def missing(values: Mapping[str, object], required: Sequence[str]) -> list[str]:
    """The required model fields that are absent, unknown or empty (a name is never "")."""
    return [name for name in required if values.get(name) is None or values.get(name) == ""]


def capped(problems: Sequence[str], limit: int = MAX_PROBLEMS) -> tuple[str, ...]:
    """The first ``limit`` problems, then one line counting the rest."""
    if len(problems) <= limit:
        return tuple(problems)
    return (*problems[:limit], f"{len(problems) - limit} more problem(s) not listed")


def build(
    text: str,
    fields: Sequence[str],
    delimiter: str,
    table: Table,
    required: Sequence[str],
    make: Callable[[dict[str, object]], T],
    what: str,
) -> Parsed[T]:
    """The common loop: read records, convert each, skip (and report) incomplete ones."""
    rows, problems = read(text, fields, delimiter)
    items: list[T] = []
    for n, record in enumerate(rows, 1):
        values = convert(record, table, problems, f"{what} {n}")
        lacking = missing(values, required)
        if lacking:
            problems.append(f"{what} {n}: no {', '.join(lacking)}; skipped")
            continue
        items.append(make(values))
    return Parsed(tuple(items), capped(problems))


def updates(
    text: str, fields: Sequence[str], delimiter: str, table: Table, what: str
) -> Parsed[Update]:
    """Records converted to field updates (for merging into objects parsed elsewhere)."""
    rows, problems = read(text, fields, delimiter)
    items = [convert(r, table, problems, f"{what} {n}") for n, r in enumerate(rows, 1)]
    return Parsed(tuple(items), capped(problems))
