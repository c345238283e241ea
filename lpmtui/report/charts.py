"""Inline SVG for the HTML report: a timeline of migrations per source frame, and the
throughput of the window (the sum of the running migrations' average rates). Every label goes
through ``safe`` (visible, then HTML-escaped); no script, no external reference."""

from __future__ import annotations

import html

from lpmtui.common.visible import visible
from lpmtui.report import fmt
from lpmtui.report.model import Migration

WIDTH, LEFT, ROW, TOP = 960, 170, 26, 24
COLORS = {"succeeded": "#2e7d32", "failed": "#c62828", "stopped": "#ef6c00"}


def safe(value: object) -> str:
    return html.escape(visible(fmt.text(value)), quote=True)


def _span(migrations: list[Migration]) -> tuple[float, float] | None:
    times = [t.timestamp() for m in migrations for t in (m.started_at, m.ended_at) if t is not None]
    if not times:
        return None
    start, end = min(times), max(times)
    return start, max(end, start + 1.0)


def _x(t: float, span: tuple[float, float]) -> float:
    start, end = span
    return LEFT + (WIDTH - LEFT - 10) * (t - start) / (end - start)


def timeline(migrations: list[Migration]) -> str:
    """One row per source frame; a bar per migration from its start to its end."""
    timed = [m for m in migrations if m.started_at is not None]
    span = _span(timed)
    if span is None:
        return '<p class="none">No migration with a known start time.</p>'
    frames = sorted({fmt.text(m.source) for m in timed})
    height = TOP + ROW * len(frames) + 10
    parts = [
        f'<svg class="timeline" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f'<text x="{LEFT}" y="14" class="axis">{safe(fmt.when(timed[0].started_at))}</text>',
    ]
    for row, frame in enumerate(frames):
        y = TOP + row * ROW
        parts.append(f'<text x="4" y="{y + 16}" class="frame">{safe(frame)}</text>')
        for m in (m for m in timed if fmt.text(m.source) == frame):
            x0 = _x(m.started_at.timestamp(), span)
            end = m.ended_at.timestamp() if m.ended_at else span[1]
            x1 = max(_x(end, span), x0 + 3)
            color = COLORS.get(m.outcome, "#6a1b9a" if m.failed else "#1565c0")
            label = f"{fmt.text(m.partition)} → {fmt.text(m.target)}: {m.outcome}"
            parts.append(
                f'<rect class="migration" data-outcome="{safe(m.outcome)}" stroke="#fff" '
                f'x="{x0:.1f}" y="{y + 3}" width="{x1 - x0:.1f}" height="{ROW - 8}" fill="{color}">'
                f"<title>{safe(label)}</title></rect>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def throughput(migrations: list[Migration], steps: int = 120) -> str:
    """The summed average rate (MB/s) of the migrations running at each moment."""
    rated = [m for m in migrations if m.rate and m.started_at and m.ended_at]
    span = _span(rated)
    if span is None:
        return '<p class="none">No migration with a known rate.</p>'
    height, base = 180, 160
    start, end = span
    samples = []
    for i in range(steps + 1):
        t = start + (end - start) * i / steps
        total = sum(
            m.rate for m in rated if m.started_at.timestamp() <= t <= m.ended_at.timestamp()
        )
        samples.append((t, total / 1024**2))
    peak = max(v for _, v in samples) or 1.0
    points = " ".join(f"{_x(t, span):.1f},{base - (base - 20) * v / peak:.1f}" for t, v in samples)
    return (
        f'<svg class="throughput" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">'
        f'<text x="4" y="24" class="axis">{peak:.0f} MB/s</text>'
        f'<text x="4" y="{base}" class="axis">0</text>'
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#888"/>'
        f'<polyline fill="none" stroke="#1565c0" stroke-width="2" points="{points}"/>'
        "</svg>"
    )
