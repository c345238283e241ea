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


# The tolerant parsers keep at most MAX_ERRORS bad lines (then one line counting the rest), and
# stop reading an output whose bad lines reach GIVE_UP_AFTER while outnumbering its good records:
# garbage costs little and never floods the problems list.
MAX_ERRORS = 50
GIVE_UP_AFTER = 200


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    values: list[str]


@dataclass(frozen=True, slots=True)
class _Bad:
    """A line that cannot be read (cheap: a RecordParseError is made only for those kept)."""

    line: int
    reason: str

    def error(self) -> RecordParseError:
        return RecordParseError(self.reason, self.line)


def _is_no_results(text: str) -> bool:
    return text.strip() == NO_RESULTS


def _scan(text: str, delimiter: str) -> Iterator[_Row | _Bad]:
    """Split ``text`` into rows of fields, honouring quotes across line breaks.

    Yields a _Bad in place of a row that cannot be read, then carries on at the next physical
    line, so callers can keep the good rows. Linear in the text: a quoted value that failed
    fails the same way for any later row that is inside a quote at a line break it crossed, so
    such rows fail at once instead of re-reading the rest of the output.
    """
    if not delimiter:
        raise ValueError("delimiter must not be empty")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last record; it does not start a new one
    n = len(lines)
    i = 0
    dlen = len(delimiter)
    doomed_before = -1  # a quote still open at the end of a line before this one fails...
    doomed_reason = ""  # ...for this reason
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
                        if i < doomed_before:
                            error = doomed_reason
                            break
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
                size = len(line)
                if pos == size or (pos == size - 1 and line[pos] == "\r"):
                    break
                if line.startswith(delimiter, pos):
                    pos += dlen
                    if pos == size:
                        values.append("")
                        break
                    continue
                error = f"unexpected text after a closing quote: {line[pos : pos + 20]!r}"
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
            if i > start and i > doomed_before:
                doomed_before, doomed_reason = i, error
            yield _Bad(start + 1, error)
            i = start + 1
            continue
        yield _Row(start + 1, values)
        i += 1


def _pairs(row: _Row) -> dict[str, str] | _Bad:
    record: dict[str, str] = {}
    for field in row.values:
        name, eq, value = field.partition("=")
        if not eq or not name:
            return _Bad(row.line, f"expected name=value, found {field[:40]!r}")
        record[name] = value
    return record


def _records(text: str) -> Iterator[dict[str, str] | _Bad]:
    if _is_no_results(text):
        return
    for row in _scan(text, ","):
        if isinstance(row, _Bad):
            yield row
        elif row.values != [""]:  # a blank line between records is nothing
            yield _pairs(row)


def _tolerant(
    items: Iterator[dict[str, str] | _Bad],
) -> tuple[list[dict[str, str]], list[RecordParseError]]:
    """Good records and the first MAX_ERRORS bad lines (then a count, or why reading stopped)."""
    good: list[dict[str, str]] = []
    bad: list[RecordParseError] = []
    unlisted: _Bad | None = None
    nbad = 0
    for item in items:
        if not isinstance(item, _Bad):
            good.append(item)
            continue
        nbad += 1
        if nbad <= MAX_ERRORS:
            bad.append(item.error())
            continue
        unlisted = unlisted or item
        if nbad >= GIVE_UP_AFTER and nbad > len(good):
            reason = (
                f"mostly unreadable ({nbad} bad lines, {len(good)} good records): "
                "the rest of the output was not read"
            )
            bad.append(RecordParseError(reason, item.line))
            return good, bad
    if unlisted is not None:
        bad.append(
            RecordParseError(f"{nbad - MAX_ERRORS} more bad line(s) not listed", unlisted.line)
        )
    return good, bad


def parse(text: str) -> list[dict[str, str]]:
    """Parse a default (``name=value``) listing; raise RecordParseError on malformed text."""
    out: list[dict[str, str]] = []
    for item in _records(text):
        if isinstance(item, _Bad):
            raise item.error()
        out.append(item)
    return out


def parse_tolerant(text: str) -> tuple[list[dict[str, str]], list[RecordParseError]]:
    """Parse a default listing, keeping the good records and the errors of the bad lines
    (at most MAX_ERRORS of them, then one counting the rest; see GIVE_UP_AFTER)."""
    return _tolerant(_records(text))


def _fields(
    text: str, names: Sequence[str], delimiter: str, header: bool
) -> Iterator[dict[str, str] | _Bad]:
    if _is_no_results(text):
        return
    names = list(names)
    rows = _scan(text, delimiter)
    if header:
        first = next(rows, None)
        if first is None:
            return
        if isinstance(first, _Bad):
            yield first
            if not names:  # no header to name the values: nothing more can be read
                return
        elif not names:
            names = first.values
        elif first.values != names:
            yield _Bad(
                first.line,
                f"header {delimiter.join(first.values)[:60]!r} does not match the requested names",
            )
    if not names:
        raise ValueError("names are needed when the output has no header")
    width = len(names)
    for row in rows:
        if isinstance(row, _Bad):
            yield row
        elif len(row.values) == width:
            yield dict(zip(names, row.values, strict=True))
        elif width > 1 and row.values == [""]:
            continue
        else:
            yield _Bad(row.line, f"expected {width} values, found {len(row.values)}")


def parse_fields(
    text: str, names: list[str], delimiter: str = ",", header: bool = False
) -> list[dict[str, str]]:
    """Parse ``-F`` output into dicts keyed by ``names`` (taken from the header when empty)."""
    out: list[dict[str, str]] = []
    for item in _fields(text, names, delimiter, header):
        if isinstance(item, _Bad):
            raise item.error()
        out.append(item)
    return out


def parse_fields_tolerant(
    text: str, names: list[str], delimiter: str = ",", header: bool = False
) -> tuple[list[dict[str, str]], list[RecordParseError]]:
    return _tolerant(_fields(text, names, delimiter, header))


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
    """``-F`` output: the values of ``names`` joined by ``delimiter``, one record per line;
    ``No results were found.`` when empty, with ``--header`` too (no header line then:
    cli-lsviosbk-empty.txt, cli-sriov-physport-roce-v11r2-p9.txt)."""
    records = list(records)
    if not records:
        return NO_RESULTS + "\n"
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
        if isinstance(row, _Bad):
            raise row.error()
        out.extend(row.values)
    return out
