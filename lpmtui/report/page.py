"""The window as one self-contained HTML file: inline CSS and SVG, no script, no network.
Every string is shown through ``visible`` and HTML-escaped (``charts.safe``)."""

from __future__ import annotations

from lpmtui.report import charts, fmt
from lpmtui.report.charts import safe
from lpmtui.report.model import Evacuation, Migration, Window

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
tr.failed td { background: #fdecea; }
.axis, .frame { font: 11px monospace; fill: #333; }
.none { color: #777; }
pre { white-space: pre-wrap; margin: 0; font-size: 12px; }
"""


def _migration_row(m: Migration) -> str:
    tds = "".join(f"<td>{safe(c)}</td>" for c in fmt.migration_cells(m))
    message = "\n".join(safe(line) for line in m.message.splitlines())
    css = ' class="failed"' if m.failed else ""
    return f'<tr{css} data-job="{safe(m.job)}">{tds}<td><pre>{message}</pre></td></tr>'


def _table(migrations, css_id: str) -> str:
    head = "".join(f"<th>{safe(c)}</th>" for c in fmt.COLUMNS)
    rows = "\n".join(_migration_row(m) for m in migrations)
    return f'<table id="{css_id}"><thead><tr>{head}</tr></thead><tbody>\n{rows}\n</tbody></table>'


def _evacuation(e: Evacuation) -> str:
    state = "closed (all home)" if e.closed else "open"
    moves = "".join(f"<li>{safe(p)} → {safe(t)}</li>" for p, t in e.moves)
    if e.stays is None:
        stays = "<li>unknown (not recorded by this console's version)</li>"
    else:
        stays = "".join(f"<li>{safe(p)}: {safe(w)}</li>" for p, w in e.stays) or "<li>nothing</li>"
    home = "".join(
        f"<li>{safe(p)} (written down {safe(fmt.when(at))})</li>" for p, at in e.returned
    )
    runs = _table(e.migrations, f"evacuation-{safe(e.id)}-moves") if e.migrations else ""
    return (
        f'<section class="evacuation" data-id="{safe(e.id)}">'
        f"<h3>Evacuation of {safe(e.frame)} at {safe(fmt.when(e.at))} "
        f"(id {safe(e.id)}, {state})</h3>"
        f"<p>Moves:</p><ul>{moves}</ul><p>Stayed:</p><ul>{stays}</ul>"
        f"<p>Came home:</p><ul>{home or '<li>nothing yet</li>'}</ul>{runs}</section>"
    )


def render(window: Window) -> str:
    migrations = list(window.migrations)
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        "<title>LPM window report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>LPM window report</h1>",
        f'<p id="summary">Window: {safe(fmt.when(window.span[0]))} to '
        f"{safe(fmt.when(window.span[1]))}. {len(migrations)} migrations, "
        f"{len(window.failures)} failed or unresolved, {len(window.evacuations)} evacuation(s), "
        f"{len(window.validations)} HMC validation(s).</p>",
    ]
    if window.failures:
        parts += ["<h2>Failures</h2>", _table(window.failures, "failures")]
    parts += [
        "<h2>Timeline per frame</h2>",
        charts.timeline(migrations),
        "<h2>Throughput</h2>",
        charts.throughput(migrations),
        "<h2>Migrations</h2>",
        _table(migrations, "migrations"),
        "<h2>Evacuations and bring-homes</h2>",
        "".join(_evacuation(e) for e in window.evacuations) or '<p class="none">None.</p>',
        "<h2>HMC validations</h2>",
        '<ul id="validations">',
    ]
    for v in window.validations:
        parts.append(
            f"<li>{safe(fmt.when(v.at))} {safe(fmt.partition(v.partition, v.lpar_id))} "
            f"{safe(v.source)} → {safe(v.target)} by {safe(v.user)}: "
            f"<b>{safe(v.outcome)}</b> <pre>{safe(v.message)}</pre></li>"
        )
    parts.append("</ul>")
    parts += [f'<p class="none">Note: {safe(p)}</p>' for p in window.problems]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
