"""The window as JSON for tools: times ISO 8601 with zone, strings exact (JSON escapes them;
``ensure_ascii`` keeps control and direction characters as ``\\u`` escapes), missing values
as null."""

from __future__ import annotations

import json
from typing import Any

from lpmtui.report.model import Evacuation, Migration, Validation, Window, iso


def migration_dict(m: Migration) -> dict[str, Any]:
    return {
        "job": m.job,
        "partition": m.partition,
        "lpar_id": m.lpar_id,
        "source": m.source,
        "target": m.target,
        "hmc": m.hmc,
        "user": m.user,
        "console_host": m.console_host,
        "queued_at": iso(m.queued_at),
        "started_at": iso(m.started_at),
        "ended_at": iso(m.ended_at),
        "duration_s": m.duration,
        "bytes_moved": m.bytes_moved,
        "rate_bytes_per_s": None if m.rate is None else round(m.rate),
        "outcome": m.outcome,
        "failed": m.failed,
        "message": m.message,
        "evacuation": m.evacuation,
        "confirmation": m.confirmation,
        "typed": m.typed,
        "actions": list(m.actions),
    }


def evacuation_dict(e: Evacuation) -> dict[str, Any]:
    return {
        "id": e.id,
        "frame": e.frame,
        "hmc": e.hmc,
        "at": iso(e.at),
        "moves": [{"partition": p, "target": t} for p, t in e.moves],
        "stays": None if e.stays is None else [{"partition": p, "why": w} for p, w in e.stays],
        "returned": [{"partition": p, "at": iso(at)} for p, at in e.returned],
        "closed": e.closed,
        "migrations": [m.job for m in e.migrations],
    }


def validation_dict(v: Validation) -> dict[str, Any]:
    return {
        "at": iso(v.at),
        "partition": v.partition,
        "lpar_id": v.lpar_id,
        "source": v.source,
        "target": v.target,
        "hmc": v.hmc,
        "user": v.user,
        "outcome": v.outcome,
        "message": v.message,
    }


def render(window: Window) -> str:
    return json.dumps(
        {
            "since": iso(window.since),
            "until": iso(window.until),
            "failures": len(window.failures),
            "migrations": [migration_dict(m) for m in window.migrations],
            "evacuations": [evacuation_dict(e) for e in window.evacuations],
            "validations": [validation_dict(v) for v in window.validations],
            "problems": list(window.problems),
        },
        indent=1,
        ensure_ascii=True,
    )
