"""Values of a report as plain text (not escaped: each renderer escapes for its format)."""

from __future__ import annotations

from lpmtui.report.model import Migration, iso

UNKNOWN = "unknown"


def when(value) -> str:
    return iso(value) or UNKNOWN


def text(value) -> str:
    return UNKNOWN if value is None or value == "" else str(value)


def seconds(value: float | None) -> str:
    if value is None:
        return UNKNOWN
    total = round(value)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


def gb(m: Migration) -> str:
    return UNKNOWN if m.gb is None else f"{m.gb:.1f}"


def rate(m: Migration) -> str:
    return UNKNOWN if m.rate is None else f"{m.rate / 1024**2:.0f} MB/s"


def partition(name, lpar_id) -> str:
    return f"{text(name)} (id {text(lpar_id)})"


def started_by(m: Migration) -> str:
    return f"{text(m.user)}@{text(m.console_host)} via {text(m.hmc)}"


def confirmed(m: Migration) -> str:
    how = text(m.confirmation)
    return how if m.typed is None else f"{how}: typed {m.typed!r}"


# The migration tables' columns (the HMC's message is the last, shown apart by each renderer).
COLUMNS = (
    "partition",
    "source → target",
    "started by",
    "queued",
    "started",
    "ended",
    "on the HMC",
    "GB",
    "avg rate",
    "outcome",
    "HMC message",
)


def migration_cells(m: Migration) -> tuple[str, ...]:
    """A migration's row as plain text, every column but the HMC's message."""
    return (
        partition(m.partition, m.lpar_id),
        f"{text(m.source)} → {text(m.target)}",
        started_by(m),
        when(m.queued_at),
        when(m.started_at),
        when(m.ended_at),
        seconds(m.duration),
        gb(m),
        rate(m),
        m.outcome,
    )
