"""Benchmark: bytes per second ``lpmtui demo`` writes to a terminal, at 120×40 (issue #14).

Runs ``python -m lpmtui demo`` in a pseudo-terminal (TERM=xterm-256color, the size set with
TIOCSWINSZ), lets it connect and load the fleet, then counts every byte it writes for
``--seconds`` per case:

- quiet: a fleet with nothing migrating (the demo fleet without its in-flight migration);
- one migration: the untouched demo (archive-db migrating, started by another console);
- evacuation: the demo fleet with a tenth client partition on P10-S1022-B, whose evacuation
  (10 moves) is started with the keys an admin would type (palette, ``e``, the frame's name).

Plain script: ``.venv/bin/python benchmarks/bench_terminal.py [--seconds 25] [--size 120x40]
[--cases quiet,one,evacuation] [--low-bandwidth]``. The demo's state goes to a temporary
XDG_STATE_HOME, never yours.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "lpmtui" / "sim" / "fleets" / "demo.yaml"
FRAME = "P10-S1022-B"
WARM_UP = 12.0  # seconds after the first paint: SSH through the jump host, first full load
READY = b"Partitions"  # the partition table's title: the dashboard is painted


def fleet_file(case: str, directory: Path) -> Path | None:
    """The fleet file a case runs (None: the built-in demo)."""
    if case == "one":
        return None
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    if case == "quiet":
        data.pop("migrations", None)
    else:  # evacuation: ten client partitions that can all leave P10-S1022-B
        for hmc in data["hmcs"]:
            for frame in hmc.get("frames", []):
                if frame["name"] == FRAME:
                    frame["partitions"].append({"name": "b-app-04", "mem": 8192, "vlans": [100]})
    path = directory / f"{case}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


class Terminal:
    """``lpmtui demo`` on the slave side of a pty; everything it writes is read here."""

    def __init__(self, args: list[str], size: tuple[int, int], state: Path) -> None:
        self.master, slave = pty.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", XDG_STATE_HOME=str(state))
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env.pop("TMUX", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lpmtui", "demo", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.seen = bytearray()

    def read_for(self, seconds: float) -> int:
        """Read everything written during ``seconds``; the number of bytes."""
        total, end = 0, time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                total += len(chunk)
                self.seen += chunk
                del self.seen[:-262144]
        return total

    def wait_for(self, needle: bytes, timeout: float) -> None:
        end = time.monotonic() + timeout
        while needle not in self.seen:
            if time.monotonic() > end or self.proc.poll() is not None:
                raise SystemExit(f"bench_terminal: no {needle!r} within {timeout:.0f} s")
            self.read_for(0.2)
        self.seen.clear()

    def type(self, text: str | bytes, pause: float = 0.5) -> None:
        data = text.encode() if isinstance(text, str) else text
        for byte in data:
            os.write(self.master, bytes([byte]))
            self.read_for(0.03)
        self.read_for(pause)

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def start_evacuation(term: Terminal) -> None:
    """Select the frame through the palette, press e, type its name to start the moves."""
    term.type(b"\x10", 1.0)  # ctrl+p: the command palette
    term.type(FRAME, 1.5)
    term.type(b"\r", 2.0)  # jump to the frame
    term.type("e", 1.0)
    term.wait_for(b"Type", 30)  # the plan is shown with its name field
    term.read_for(3.0)
    term.type(FRAME, 0.5)
    term.type(b"\r", 2.0)


def run_case(case: str, seconds: float, size: tuple[int, int], extra: list[str]) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-terminal-") as tmp:
        fleet = fleet_file(case, Path(tmp))
        args = [*extra, *(["--fleet", str(fleet)] if fleet else [])]
        term = Terminal(args, size, Path(tmp) / "state")
        try:
            term.wait_for(READY, 60)
            term.read_for(WARM_UP)
            if case == "evacuation":
                start_evacuation(term)
            written = term.read_for(seconds)
        finally:
            term.close()
    return written / seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=25.0, help="measured per case")
    parser.add_argument("--size", default="120x40", help="COLSxROWS (default 120x40)")
    parser.add_argument("--cases", default="quiet,one,evacuation")
    parser.add_argument("--low-bandwidth", action="store_true", help="run lpmtui --low-bandwidth")
    args = parser.parse_args(argv)
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    extra = ["--low-bandwidth"] if args.low_bandwidth else []
    labels = {
        "quiet": "nothing migrating",
        "one": "one migration (untouched demo)",
        "evacuation": "evacuation of 10 moves",
    }
    print(
        f"lpmtui demo at {cols}x{rows}{' --low-bandwidth' if extra else ''}, "
        f"{args.seconds:.0f} s per case after a {WARM_UP:.0f} s warm-up"
    )
    for case in args.cases.split(","):
        rate = run_case(case, args.seconds, (cols, rows), extra)
        print(f"  {labels[case]:<32} {rate / 1024:7.2f} KB/s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
