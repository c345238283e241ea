"""Hostile partition names (quotes, ESC, newline, an RTL override, ``<script>``) come out safe
in all three formats: Markdown and HTML show them with control characters spelled out and
their markup escaped; JSON keeps them exact (and ASCII)."""

from __future__ import annotations

import json

import pytest

from lpmtui.report import data, markdown, page
from lpmtui.report.model import build

NAMES = [
    "<script>alert(1)</script>",
    "quote\"and'apostrophe",
    "esc\x1b[31mred",
    "line\nbreak",
    "rtl\u202eevil",
    "pipe|and`tick`*star*[link](x)",
]
RAW = ["\x1b", "\u202e", "<script>", "\r"]


def _records(name: str, n: int):
    job = f"j{n}"
    request = {"partition": name, "lpar_id": 7, "source": "A<b>", "target": "B\x1b"}
    journal = [
        {
            "at": "2026-12-01T22:00:00Z",
            "job": job,
            "event": "queued",
            "request": request,
            "hmc": "hmc\u202e1",
        },
        {"at": "2026-12-01T22:00:01Z", "job": job, "event": "sent", "argv": ["migrlpar"]},
        {
            "at": "2026-12-01T22:10:01Z",
            "job": job,
            "event": "state",
            "state": "failed",
            "message": name,
        },
    ]
    audit = [
        {
            "at": "2026-12-01T22:00:01Z",
            "user": name,
            "console_host": name,
            "op": "migrate",
            "phase": "sent",
            "job": job,
            "partition": name,
            "typed": name,
            "confirmation": "partition name typed",
            "evacuation": "e1",
        },
        {
            "at": "2026-12-01T22:10:01Z",
            "op": "migrate",
            "phase": "done",
            "job": job,
            "outcome": "failed",
            "duration": 600,
            "bytes_moved": 2**30,
            "message": f"HSCL365A {name}\nsecond <i>line</i>",
        },
        {
            "at": "2026-12-01T21:59:00Z",
            "op": "validate",
            "phase": "done",
            "partition": name,
            "outcome": "failed",
            "message": name,
        },
    ]
    evacuations = [
        {
            "id": "e1",
            "frame": name,
            "hmc": "h",
            "at": "2026-12-01T22:00:00Z",
            "moves": [[name, "B"]],
            "stays": [[name, f"because {name}"]],
        },
        {
            "id": "e1",
            "frame": name,
            "at": "2026-12-01T23:00:00Z",
            "returned": [name],
            "closed": True,
        },
    ]
    return audit, journal, evacuations


@pytest.mark.parametrize("n,name", list(enumerate(NAMES)))
def test_hostile_names_are_safe_in_every_format(n, name):
    window = build(*_records(name, n))
    assert window.migrations[0].partition == name and window.evacuations[0].frame == name
    md = markdown.render(window)
    html = page.render(window)
    for raw in RAW:
        assert raw not in md and raw not in html
    assert "<script" not in html and "<i>" not in html and "<i>" not in md
    for text in (md, html):  # the ESC and RTL override spelled out, never sent
        if "\x1b" in name:
            assert "\\x1b" in text
        if "\u202e" in name:
            assert "\\u202e" in text
    # Markdown: a name cannot add a table cell or a line
    rows = [line for line in md.splitlines() if line.startswith("| ") and "id 7" in line]
    assert rows and all(line.count(" | ") == 10 for line in rows)
    if "\n" in name:
        assert "line\\x0abreak" in md.replace("\\\\", "\\") and "line\\x0abreak" in html
    if "<script>" in name:
        assert "&lt;script&gt;" in html and "\\<script\\>" in md
    out = data.render(window)
    assert out.isascii()
    again = json.loads(out)
    assert again["migrations"][0]["partition"] == name
    assert again["migrations"][0]["typed"] == name
    assert again["evacuations"][0]["stays"] == [{"partition": name, "why": f"because {name}"}]
    assert again["validations"][0]["message"] == name
