"""The HMC record format, both ways.

Default listings print one record per line as ``name=value`` pairs joined by commas; a pair whose
value holds a comma, a quote or a line break is wrapped whole in double quotes with inner quotes
doubled (CSV style), so one record may span several physical lines (``lshmc -V``). ``-F`` output
prints bare values joined by the delimiter the user typed between the names, with the same
quoting for values that hold the delimiter. ``No results were found.`` is an empty listing.

Shared by the client (parsing) and the simulator (printing), so both sides agree byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

NO_RESULTS = "No results were found."

__all__ = [
    "NO_RESULTS",
    "RecordParseError",
    "format_fields",
    "format_list",
    "format_record",
    "format_records",
    "parse",
    "parse_fields",
    "parse_fields_tolerant",
    "parse_tolerant",
    "split_list",
]


class RecordParseError(ValueError):
    """Text that is not in the HMC record format; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.reason = message
        self.line = line


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    values: list[str]


def _is_no_results(text: str) -> bool:
    return text.strip() == NO_RESULTS


def _scan(text: str, delimiter: str) -> Iterator[_Row | RecordParseError]:
    """Split ``text`` into rows of fields, honouring quotes across line breaks.

    Yields a RecordParseError in place of a row that cannot be read, then carries on at the next
    physical line, so callers can keep the good rows.
    """
    if not delimiter:
        raise ValueError("delimiter must not be empty")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last record; it does not start a new one
    n = len(lines)
    i = 0
    dlen = len(delimiter)
    while i < n:
        line = lines[i]
        if '"' not in line:  # fast path: the vast majority of HMC lines
            if line.endswith("\r"):
                line = line[:-1]
            yield _Row(i + 1, line.split(delimiter))
            i += 1
            continue
        start = i
        values: list[str] = []
        buf: list[str] = []
        pos = 0
        error: str | None = None
        while True:
            # at the start of a field
            if line.startswith('"', pos):
                pos += 1
                closed = False
                while not closed:
                    q = line.find('"', pos)
                    if q < 0:
                        buf.append(line[pos:])
                        i += 1
                        if i >= n:
                            error = "unterminated quoted value"
                            break
                        buf.append("\n")
                        line = lines[i]
                        pos = 0
                        continue
                    buf.append(line[pos:q])
                    if line.startswith('"', q + 1):
                        buf.append('"')
                        pos = q + 2
                        continue
                    pos = q + 1
                    closed = True
                if error:
                    break
                values.append("".join(buf))
                buf.clear()
                rest = line[pos:]
                if rest in ("", "\r"):
                    break
                if rest.startswith(delimiter):
                    pos += dlen
                    if pos == len(line):
                        values.append("")
                        break
                    continue
                error = f"unexpected text after a closing quote: {rest[:20]!r}"
                break
            end = line.find(delimiter, pos)
            if end < 0:
                field = line[pos:]
                if field.endswith("\r"):
                    field = field[:-1]
                values.append(field)
                break
            values.append(line[pos:end])
            pos = end + dlen
            if pos == len(line):
                values.append("")
                break
        if error:
            yield RecordParseError(error, start + 1)
            i = start + 1
            continue
        yield _Row(start + 1, values)
        i += 1


def _pairs(row: _Row) -> dict[str, str]:
    record: dict[str, str] = {}
    for field in row.values:
        name, eq, value = field.partition("=")
        if not eq or not name:
            raise RecordParseError(f"expected name=value, found {field[:40]!r}", row.line)
        record[name] = value
    return record


def _records(text: str) -> Iterator[dict[str, str] | RecordParseError]:
    if _is_no_results(text):
        return
    for row in _scan(text, ","):
        if isinstance(row, RecordParseError):
            yield row
            continue
        if row.values == [""]:
            continue  # blank line between records
        try:
            yield _pairs(row)
        except RecordParseError as exc:
            yield exc


def parse(text: str) -> list[dict[str, str]]:
    """Parse a default (``name=value``) listing; raise RecordParseError on malformed text."""
    out: list[dict[str, str]] = []
    for item in _records(text):
        if isinstance(item, RecordParseError):
            raise item
        out.append(item)
    return out


def parse_tolerant(text: str) -> tuple[list[dict[str, str]], list[RecordParseError]]:
    """Parse a default listing, keeping the good records and the errors of the bad lines."""
    good: list[dict[str, str]] = []
    bad: list[RecordParseError] = []
    for item in _records(text):
        (bad if isinstance(item, RecordParseError) else good).append(item)  # type: ignore[arg-type]
    return good, bad


def _fields(
    text: str, names: Sequence[str], delimiter: str, header: bool
) -> Iterator[dict[str, str] | RecordParseError]:
    if _is_no_results(text):
        return
    names = list(names)
    rows = _scan(text, delimiter)
    if header:
        first = next(rows, None)
        if first is None:
            return
        if isinstance(first, RecordParseError):
            yield first
        elif not names:
            names = first.values
        elif first.values != names:
            yield RecordParseError(
                f"header {delimiter.join(first.values)!r} does not match the requested names",
                first.line,
            )
    if not names:
        raise ValueError("names are needed when the output has no header")
    width = len(names)
    for row in rows:
        if isinstance(row, RecordParseError):
            yield row
        elif len(row.values) == width:
            yield dict(zip(names, row.values, strict=True))
        elif width > 1 and row.values == [""]:
            continue
        else:
            yield RecordParseError(f"expected {width} values, found {len(row.values)}", row.line)


def parse_fields(
    text: str, names: list[str], delimiter: str = ",", header: bool = False
) -> list[dict[str, str]]:
    """Parse ``-F`` output into dicts keyed by ``names`` (taken from the header when empty)."""
    out: list[dict[str, str]] = []
    for item in _fields(text, names, delimiter, header):
        if isinstance(item, RecordParseError):
            raise item
        out.append(item)
    return out


def parse_fields_tolerant(
    text: str, names: list[str], delimiter: str = ",", header: bool = False
) -> tuple[list[dict[str, str]], list[RecordParseError]]:
    good: list[dict[str, str]] = []
    bad: list[RecordParseError] = []
    for item in _fields(text, names, delimiter, header):
        (bad if isinstance(item, RecordParseError) else good).append(item)  # type: ignore[arg-type]
    return good, bad


# -- formatting (what the simulator prints) ------------------------------------------------------


def _quote(field: str) -> str:
    return '"' + field.replace('"', '""') + '"'


def _needs_quotes(value: str, delimiter: str) -> bool:
    return delimiter in value or '"' in value or "\n" in value or "\r" in value


def format_record(record: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """One record as the HMC prints it, without the trailing newline."""
    items = record.items() if isinstance(record, Mapping) else record
    parts = []
    for name, value in items:
        pair = f"{name}={value}"
        parts.append(_quote(pair) if _needs_quotes(value, ",") else pair)
    return ",".join(parts)


def format_records(records: Iterable[Mapping[str, str]]) -> str:
    """A whole default listing, newline-terminated; ``No results were found.`` when empty."""
    lines = [format_record(r) for r in records]
    if not lines:
        return NO_RESULTS + "\n"
    return "\n".join(lines) + "\n"


def format_fields(
    records: Iterable[Mapping[str, str]],
    names: Sequence[str],
    delimiter: str = ",",
    header: bool = False,
) -> str:
    """``-F`` output: the values of ``names`` joined by ``delimiter``, one record per line."""
    lines = [delimiter.join(names)] if header else []
    for record in records:
        values = (record[name] for name in names)
        lines.append(
            delimiter.join(_quote(v) if _needs_quotes(v, delimiter) else v for v in values)
        )
    if not lines:
        return NO_RESULTS + "\n"
    return "\n".join(lines) + "\n"


def format_list(elements: Iterable[str]) -> str:
    """A list value: elements that hold a comma are wrapped in quotes (printed doubled)."""
    return ",".join(_quote(e) if _needs_quotes(e, ",") else e for e in elements)


def split_list(value: str) -> list[str]:
    """The elements of a list value (``a,b`` or ``"a,b","c"``); ``none`` and empty give []."""
    if value in ("", "none"):
        return []
    out: list[str] = []
    for row in _scan(value, ","):
        if isinstance(row, RecordParseError):
            raise row
        out.extend(row.values)
    return out
