"""Regenerate ``screenshots/report.png``: a window recorded through the in-process simulator
(a refused validation, a failed migration, an evacuation of p9-a and its bring-home, as
tests/report/window.py records it), reported as HTML and rendered by headless chromium.

    PYTHONPATH=$PWD .venv/bin/python scripts/report_screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def _record() -> None:
    from tests.migration.stacks import open_stack
    from tests.report.window import record_window

    stack = await open_stack("inprocess", Path(tempfile.mkdtemp()))
    try:
        await record_window(stack)
    finally:
        await stack.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as state:
        os.environ["XDG_STATE_HOME"] = state
        asyncio.run(_record())
        from lpmtui.cli.report import main as report_main
        from tests.report import browser

        html = Path(state) / "report.html"
        if report_main(["--format", "html", "-o", str(html)]) != 0:
            return 1
        png = browser.screenshot(html, ROOT / "screenshots" / "report.png", size="1200,1500")
    print(f"wrote {png.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
