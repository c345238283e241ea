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
