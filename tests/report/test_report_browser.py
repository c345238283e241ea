"""The HTML report in a real headless browser (Debian's chromium): the DOM it builds has every
migration row, the failures table first, a bar per migration in the timeline and the throughput
line; a hostile name adds no element; the page renders to a PNG."""

from __future__ import annotations

import re

import pytest

from lpmtui.cli.report import main as report_main
from lpmtui.report import page
from lpmtui.report.model import build
from tests.report import browser
from tests.report.test_report_hostile import _records
from tests.report.window import record_window

pytestmark = pytest.mark.slow


async def test_the_browser_parses_the_report_as_written(stack, tmp_path, capsys):
    binary = browser.chromium()
    made = await record_window(stack)
    html = tmp_path / "report.html"
    assert report_main(["--format", "html", "-o", str(html)]) == 0
    dom = browser.dump_dom(html, binary)
    migrations = dom[dom.index('id="migrations"') :]
    migrations = migrations[: migrations.index("</table>")]
    assert len(re.findall(r"<tr[ >][^>]*data-job=", migrations)) == 7
    failures = dom[dom.index('id="failures"') : dom.index('id="migrations"')]
    assert len(re.findall(r'<tr class="failed"', failures)) == 1
    assert "p10-c" in failures
    assert len(re.findall(r'<rect class="migration"', dom)) == 7
    assert len(re.findall(r'data-outcome="failed"', dom)) == 1
    assert "<polyline" in dom and made["evacuation"].id in dom
    assert "<script" not in dom
    png = browser.screenshot(html, tmp_path / "report.png", binary=binary)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(head[16:20], "big") == 1200  # the window's width


def test_a_hostile_name_adds_no_element_in_the_browser(tmp_path):
    binary = browser.chromium()
    name = "<script>document.title='owned'</script><img src=x onerror=alert(1)>\x1b\u202e"
    html = tmp_path / "hostile.html"
    html.write_text(page.render(build(*_records(name, 0))), encoding="utf-8")
    dom = browser.dump_dom(html, binary)
    assert "<script" not in dom and "<img" not in dom
    assert "<title>LPM window report</title>" in dom
    assert "&lt;script&gt;document.title='owned'&lt;/script&gt;" in dom
