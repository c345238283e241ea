"""Verdicts as JSON-ready dicts and as plain-text tables (for ``lpmtui check``).

The text shows every HMC-supplied string (names, reasons that quote them, HMC messages) through
``visible``: no control character reaches the terminal and a table row stays one line. The dicts
keep the values exact (JSON escapes control characters by itself)."""

from __future__ import annotations

import textwrap

from lpmtui.common.visible import visible
from lpmtui.eligibility.checks import Agreement, Check
from lpmtui.eligibility.evaluate import Verdict
from lpmtui.model import ValidationResult

WIDTH = 100


def check_dict(c: Check) -> dict:
    return {
        "rule_id": c.rule_id,
        "title": c.title,
        "status": c.status.value,
        "reason": c.reason,
        "fix": c.fix,
        "seed": c.seed,
        "source": c.source,
        "blind": c.blind,
    }


def verdict_dict(v: Verdict, *, checks: bool = True) -> dict:
    out = {
        "partition": v.partition_name,
        "lpar_id": v.partition[1],
        "source_system": v.source_system,
        "source_hmc": v.source_hmc,
        "target_system": v.target_system,
        "target_hmc": v.target_hmc,
        "kind": v.kind,
        "kind_reason": v.kind_reason,
        "status": v.status.value,
        "migratable": v.migratable,
        "fails": v.fails,
        "warns": v.warns,
        "unknowns": v.unknowns,
        # Unknown checks no HMC listing settles: only `migrlpar -o v` judges them.
        "left_to_hmc": [c.rule_id for c in v.left_to_hmc],
    }
    if checks:
        out["checks"] = [check_dict(c) for c in v.checks]
    return out


def validation_dict(result: ValidationResult, agreements: list[Agreement]) -> dict:
    return {
        "rc": result.rc,
        "ok": result.ok,
        "errors": [f"{m.id} {m.text}".strip() for m in result.errors],
        "warnings": [f"{m.id} {m.text}".strip() for m in result.warnings],
        "details": list(result.details),
        "raw": result.raw,
        "taken_at": result.taken_at,
        "agreement": [
            {
                "rule_id": a.rule_id,
                "local": a.local.value if a.local else None,
                "hmc": list(a.hmc),
                "kind": a.kind.value,
                "note": a.note,
            }
            for a in agreements
        ],
    }


def _wrapped(label: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(
        visible(text), WIDTH, initial_indent=pad + label, subsequent_indent=pad + " " * len(label)
    ) or [pad + label]


def counts_text(v: Verdict) -> str:
    """ "1 failed, 0 warnings, 0 unknown, 1 left to the HMC's validation" (the last only when
    some check is blind, so an unknown is never reported as zero)."""
    text = f"{v.fails} failed, {v.warns} warnings, {v.unknowns} unknown"
    blind = len(v.left_to_hmc)
    return text + (f", {blind} left to the HMC's validation" if blind else "")


def verdict_text(v: Verdict) -> list[str]:
    """A heading and one block per check: status, rule id, reason, and the fix when not met."""
    summary = f"{v.status.value.upper()}: {counts_text(v)}"
    lines = [
        visible(
            f"{v.partition_name} ({v.source_system}, id {v.partition[1]}) -> "
            f"{v.target_system} ({v.target_hmc}{', remote' if v.remote else ''}): {summary}"
        )
    ]
    lines += _wrapped("mobility: ", v.kind_reason, 2)
    for c in v.checks:
        lines += _wrapped(f"{c.status.value:8} {c.rule_id:28} ", c.reason, 2)
        if c.fix and c.status.value != "pass":
            lines += _wrapped("fix: ", c.fix, 41)
    return lines


def ranking_text(verdicts: list[Verdict]) -> list[str]:
    """One line per target, best first, naming the rules that fail."""
    lines = [f"  {'TARGET':24} {'HMC':12} {'STATUS':8} FAILING RULES"]
    for v in verdicts:
        failing = ", ".join(c.rule_id for c in v.checks if c.status.value == "fail") or "-"
        lines += textwrap.wrap(
            f"  {visible(v.target_system):24} {visible(v.target_hmc):12} {v.status.value:8} "
            f"{failing}",
            WIDTH,
            subsequent_indent=" " * 48,
        )
    return lines


def validation_text(result: ValidationResult, agreements: list[Agreement]) -> list[str]:
    lines = [
        f"HMC validation (migrlpar -o v, rc {result.rc}): "
        f"{'no errors' if result.ok else f'{len(result.errors)} errors'}"
        + (f", {len(result.warnings)} warnings" if result.warnings else "")
    ]
    for m in (*result.errors, *result.warnings):
        lines += _wrapped("", f"{m.id} {m.text}".strip(), 2)
    differ = [a for a in agreements if a.kind.value in ("hmc-only", "local-only")]
    for a in differ:
        lines += _wrapped(
            f"{a.kind.value:10} {a.rule_id or '(no rule)':28} ",
            a.note + (f": {a.hmc[0]}" if a.hmc else ""),
            2,
        )
    if not differ:
        lines.append("  the local checks and the HMC agree")
    return lines


def matrix_text(rows: list[tuple[str, str, int, str | None, list[Verdict]]]) -> list[str]:
    """``lpmtui check --all``: one line per partition with its best target."""
    lines = [
        f"{'PARTITION':24} {'SOURCE':16} {'KIND':9} {'BEST TARGET':16} {'STATUS':8} MIGRATABLE TO"
    ]
    for name, source, _lpar_id, kind, verdicts in rows:
        best = verdicts[0] if verdicts else None
        ok = [v.target_system for v in verdicts if v.migratable]
        target = visible(best.target_system) if best else "-"
        lines.append(
            f"{visible(name)[:24]:24} {visible(source)[:16]:16} {kind or '-':9} "
            f"{target[:16]:16} "
            f"{best.status.value if best else '-':8} {len(ok)} of {len(verdicts)}"
        )
    return lines
