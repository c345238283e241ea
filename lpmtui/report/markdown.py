"""The window as Markdown that pastes into a ticket: failures first, one table row per
migration. Every string is shown through ``visible`` (control and direction characters spelled
out) and Markdown's punctuation is backslash-escaped, so a name cannot break a table, start a
link or carry HTML."""

from __future__ import annotations

import re

from lpmtui.common.visible import visible
from lpmtui.report import fmt
from lpmtui.report.model import Evacuation, Migration, Window

_PUNCT = re.compile(r"([\\`*_\[\]<>#|&])")


def md(value: object) -> str:
    """Safe inside a Markdown table cell: visible, punctuation escaped, on one line."""
    return _PUNCT.sub(r"\\\1", visible(fmt.text(value)))


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _migration_row(m: Migration) -> str:
    *cells, outcome = (md(c) for c in fmt.migration_cells(m))
    outcome = f"**{outcome}**" if m.failed else outcome
    message = md(m.message.replace("\n", " / ")) if m.message else ""
    return _row([*cells, outcome, message])


def _table(migrations) -> list[str]:
    lines = [_row(fmt.COLUMNS), _row(["---"] * len(fmt.COLUMNS))]
    return lines + [_migration_row(m) for m in migrations]


def _evacuation(e: Evacuation) -> list[str]:
    state = "closed (all home)" if e.closed else "open"
    lines = [
        f"### Evacuation of {md(e.frame)} at {md(fmt.when(e.at))} (id {md(e.id)}, {state})",
        "",
        f"Moves ({len(e.moves)}):",
        "",
    ]
    lines += [f"- {md(p)} → {md(t)}" for p, t in e.moves]
    lines += ["", "Stayed:", ""]
    if e.stays is None:
        lines.append("- unknown (not recorded by this console's version)")
    else:
        lines += [f"- {md(p)}: {md(w)}" for p, w in e.stays] or ["- nothing"]
    lines += ["", "Came home:", ""]
    lines += [f"- {md(p)} (written down {md(fmt.when(at))})" for p, at in e.returned] or [
        "- nothing yet"
    ]
    if e.migrations:
        lines += ["", *_table(e.migrations)]
    return [*lines, ""]


def render(window: Window) -> str:
    lines = [
        "# LPM window report",
        "",
        f"Window: {md(fmt.when(window.span[0]))} to {md(fmt.when(window.span[1]))}. "
        f"{len(window.migrations)} migrations, {len(window.failures)} failed or unresolved, "
        f"{len(window.evacuations)} evacuation(s), {len(window.validations)} HMC validation(s).",
        "",
    ]
    if window.failures:
        lines += ["## Failures", "", *_table(window.failures), ""]
    lines += ["## Migrations", "", *(_table(window.migrations) if window.migrations else ["None."])]
    lines.append("")
    confirmed = [m for m in window.migrations if m.confirmation or m.typed or m.actions]
    if confirmed:
        lines += ["Confirmations and operator actions:", ""]
        for m in confirmed:
            extra = f"; {', '.join(m.actions)}" if m.actions else ""
            lines.append(f"- {md(m.partition)}: {md(fmt.confirmed(m) + extra)}")
        lines.append("")
    lines += ["## Evacuations and bring-homes", ""]
    for e in window.evacuations:
        lines += _evacuation(e)
    if not window.evacuations:
        lines += ["None.", ""]
    lines += ["## HMC validations", ""]
    for v in window.validations:
        said = f": {md(v.message.replace(chr(10), ' / '))}" if v.message else ""
        lines.append(
            f"- {md(fmt.when(v.at))} {md(fmt.partition(v.partition, v.lpar_id))} "
            f"{md(v.source)} → {md(v.target)} by {md(v.user)}: **{md(v.outcome)}**{said}"
        )
    if not window.validations:
        lines.append("None.")
    for problem in window.problems:
        lines += ["", f"Note: {md(problem)}"]
    return "\n".join(lines) + "\n"
