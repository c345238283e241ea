"""Run ``python -m lpmtui ...`` (this tree's code) into a pipe whose reader stops early."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_into_closed_pipe(
    *argv: str, lines: int = 2, timeout: float = 120
) -> tuple[list[str], int, str]:
    """Start ``lpmtui argv``, read ``lines`` lines of its stdout, close the pipe (as ``head``
    does), and return (those lines, exit status, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lpmtui", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdout is not None
    got = [proc.stdout.readline() for _ in range(lines)]
    proc.stdout.close()
    try:
        _, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return got, proc.returncode, err
