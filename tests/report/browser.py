"""Debian's chromium, headless, for the report's HTML: ``dump_dom`` (the page as the browser
parsed it) and ``screenshot``. Missing chromium fails the test under CI (``.ci/run`` installs
it) and skips it elsewhere, saying so, as the OpenSSH jump-host tests do."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TIMEOUT = 120  # seconds: a cold start on a loaded 2-core machine


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is missing (apt-get install chromium to test the HTML report)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI the real-browser proof must run, never skip
        pytest.skip(message)
    return found


def run(args: list[str], *, binary: str | None = None) -> str:
    binary = binary or chromium()
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",  # tests and CI run as root
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(page: Path, binary: str | None = None) -> str:
    return run(["--dump-dom", page.resolve().as_uri()], binary=binary)


def screenshot(page: Path, png: Path, *, size: str = "1200,1600", binary: str | None = None):
    run(
        [f"--screenshot={png.resolve()}", f"--window-size={size}", page.resolve().as_uri()],
        binary=binary,
    )
    return png
