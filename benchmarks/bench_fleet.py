"""Fleet collection benchmark (issue 4): lpmtui's first full snapshot vs. one ``ssh`` per command.

A generated fleet (default 8 HMCs, 64 frames, 4,000 partitions; ``lpmtui.sim.generate``) is served
over real SSH on loopback by ``lpmtui.sim.server.start_fleet`` with a fixed latency injected per
command (default 0.5 s). lpmtui (``Transport`` + ``Fleet``, Settings built in code, a key login,
the fleet's host keys in a temporary known_hosts) connects to every HMC and takes the first full
snapshot: HMC facts and peer trust, hot data of every frame, cold data of every frame. It then
runs one hot poll, to count the commands of the poll repeated every few seconds.

Baseline, measured in the same run: what admins' scripts do, a new OpenSSH ``ssh`` process per
command, one after another, running the same commands lpmtui ran. Sequential commands at 0.5 s
each for a whole fleet would take many minutes, so the baseline runs the commands of ONE HMC (the
one with the most commands; ``--baseline-sample N`` runs only its first N) and is extrapolated
linearly to all the commands of the snapshot. The output says which.

Floor: for the slowest HMC (most commands), its commands x latency / channels per connection.
Targets: at least 10x faster than the baseline, at most 1.5x the floor. They are meant for the
default scale: HMCs are polled in parallel, each over its channels, so the speedup over one
command at a time is bounded by about HMCs x channels (a 2-HMC quick run cannot reach 10x).
Exit status 0 when both targets are met, 1 otherwise.

Run: ``.venv/bin/python benchmarks/bench_fleet.py [--hmcs 8] [--frames 64] [--partitions 4000]
[--latency 0.5] [--baseline-sample N]``; a quick run: ``--hmcs 2 --frames 4 --partitions 100``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from lpmtui.common.clock import RealClock
from lpmtui.config.model import AuthConfig, HmcConfig, Settings
from lpmtui.fleet.fleet import Fleet
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.runner import CommandEvent
from lpmtui.model import ConnectionState, FleetSnapshot
from lpmtui.sim.generate import generate
from lpmtui.sim.server.fleet import Latency, SimFleet, start_fleet
from lpmtui.ssh.transport import Transport

SPEEDUP_TARGET = 10.0  # lpmtui at least this many times faster than the baseline
FLOOR_TARGET = 1.5  # lpmtui within this factor of the floor
SNAPSHOT_TIMEOUT = 1800.0  # give up on a first snapshot that takes longer than this
SSH_TIMEOUT = 120.0  # one baseline ssh process
USER = "hscroot"


@dataclass(frozen=True)
class Scale:
    hmcs: int = 8
    frames: int = 64
    partitions: int = 4000
    latency: float = 0.5


@dataclass
class Collection:
    """lpmtui's side: timings and the commands of each poll, per HMC."""

    connect_s: float = 0.0  # Transport.start() until every HMC is connected
    collect_s: float = 0.0  # Fleet.start() until the last HMC's first full snapshot
    per_hmc_s: dict[str, float] = field(default_factory=dict)  # Fleet.start() until its snapshot
    full: dict[str, list[CommandEvent]] = field(default_factory=dict)
    hot: dict[str, list[CommandEvent]] = field(default_factory=dict)
    hot_s: float = 0.0
    received: dict[str, int] = field(default_factory=dict)  # world.received during the full poll
    frames: dict[str, int] = field(default_factory=dict)  # frames in each HMC's snapshot
    partitions: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def total_s(self) -> float:
        return self.connect_s + self.collect_s


@dataclass
class Baseline:
    hmc: str
    available: int  # commands of that HMC in the snapshot
    ran: int
    seconds: float
    mismatches: list[str] = field(default_factory=list)  # rc differs from lpmtui's


@dataclass
class Result:
    scale: Scale
    channels: int
    collection: Collection
    baseline: Baseline
    world_partitions: int

    @property
    def full_commands(self) -> int:
        return sum(len(v) for v in self.collection.full.values())

    @property
    def baseline_s(self) -> float:
        """The baseline for all commands of the snapshot (linear in the commands measured)."""
        b = self.baseline
        return b.seconds / b.ran * self.full_commands if b.ran else float("nan")

    @property
    def slowest_hmc(self) -> str:
        return max(self.collection.full, key=lambda name: len(self.collection.full[name]))

    @property
    def floor_s(self) -> float:
        return len(self.collection.full[self.slowest_hmc]) * self.scale.latency / self.channels


# -- the machine ----------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ssh = "no ssh"
    if shutil.which("ssh"):
        done = subprocess.run(["ssh", "-V"], capture_output=True, text=True, check=False)
        ssh = (done.stderr or done.stdout).strip().split(",")[0]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"nproc {cpus}; {model}; Python {platform.python_version()}; "
        f"asyncssh {asyncssh.__version__}; {ssh}; load average {load}"
    )


# -- set-up ---------------------------------------------------------------------------------------


def write_client_key(workdir: Path) -> tuple[Path, Path]:
    """An ed25519 key pair for both clients: (private key file, authorized_keys file)."""
    key = asyncssh.generate_private_key("ssh-ed25519")
    private = workdir / "id_ed25519"
    key.write_private_key(str(private))
    private.chmod(0o600)
    authorized = workdir / "authorized_keys"
    authorized.write_bytes(key.export_public_key("openssh"))
    return private, authorized


def settings_for(sim: SimFleet, key: Path, workdir: Path) -> Settings:
    """Direct key logins to every simulated HMC; host keys from a temporary known_hosts."""
    known = workdir / "known_hosts"
    known.write_text(sim.known_hosts_text())
    auth = AuthConfig(method="key", key_files=(str(key),))
    hmcs = tuple(
        HmcConfig(name=name, host=ep.host, port=ep.port, user=ep.username, auth=auth)
        for name, ep in sim.endpoints.items()
    )
    return Settings(
        hmcs=hmcs,
        hot_interval=3600.0,  # one poll per HMC: the loops must not start a second one
        cold_interval=3600.0,
        known_hosts_file=known,
        user_known_hosts_file=workdir / "no_user_known_hosts",
        ssh_config_file=workdir / "no_ssh_config",
        state_dir=workdir / "state",
        log_dir=workdir / "logs",
        audit_file=workdir / "audit.jsonl",
        journal_file=workdir / "journal.jsonl",
    )


def snapshot_problems(snapshot: FleetSnapshot) -> list[str]:
    problems: list[str] = []
    for hmc in snapshot.hmcs:
        problems.extend(f"{hmc.hmc}: {e}" for e in hmc.errors)
        for frame in hmc.frames:
            problems.extend(f"{hmc.hmc}: {frame.system.name}: {e}" for e in frame.errors)
            if frame.system.operating and frame.cold is None:
                problems.append(f"{hmc.hmc}: {frame.system.name}: no cold data")
    return problems


# -- lpmtui ---------------------------------------------------------------------------------------


async def collect(sim: SimFleet, settings: Settings) -> Collection:
    """Connect, take the first full snapshot of every HMC, then one hot poll."""
    out = Collection()
    phase: dict[str, list[CommandEvent]] = {}

    def on_command(event: CommandEvent) -> None:
        phase.setdefault(event.hmc, []).append(event)

    received_before = {name: sim.world.received[name].total for name in sim.endpoints}
    transport = Transport(settings, on_command=on_command)
    fleet = Fleet(
        transport.links(),
        hot_interval=settings.hot_interval,
        cold_interval=settings.cold_interval,
    )
    try:
        t0 = time.perf_counter()
        await transport.start()
        out.connect_s = time.perf_counter() - t0
        down = [f"{c.name}: {c.state.value} {c.last_error}" for c in transport.links()
                if c.state is not ConnectionState.CONNECTED]  # fmt: skip
        if down:
            out.problems.extend(down)
            return out

        initial = {name: c.snapshot for name, c in fleet.collectors.items()}
        all_done = asyncio.Event()

        def on_snapshot(_snapshot: FleetSnapshot) -> None:
            now = time.perf_counter()
            for name, c in fleet.collectors.items():
                if name not in out.per_hmc_s and c.snapshot is not initial[name]:
                    out.per_hmc_s[name] = now - t1
            if len(out.per_hmc_s) == len(fleet.collectors):
                all_done.set()

        fleet.subscribe(on_snapshot)
        phase = out.full
        t1 = time.perf_counter()
        await fleet.start()
        try:
            async with asyncio.timeout(SNAPSHOT_TIMEOUT):
                await all_done.wait()
        except TimeoutError:
            missing = sorted(set(fleet.collectors) - set(out.per_hmc_s))
            raise RuntimeError(
                f"no first snapshot within {SNAPSHOT_TIMEOUT:g} s from {', '.join(missing)}"
            ) from None
        out.collect_s = time.perf_counter() - t1
        await fleet.stop()
        out.received = {
            name: sim.world.received[name].total - received_before[name] for name in sim.endpoints
        }
        snapshot = fleet.snapshot
        out.problems.extend(snapshot_problems(snapshot))
        out.frames = {h.hmc: len(h.frames) for h in snapshot.hmcs}
        out.partitions = sum(len(f.partitions) for h in snapshot.hmcs for f in h.frames)

        phase = out.hot
        t2 = time.perf_counter()
        await fleet.refresh_now()
        out.hot_s = time.perf_counter() - t2
    finally:
        await fleet.stop()
        await transport.close()
    return out


# -- the baseline ---------------------------------------------------------------------------------


def ssh_argv(sim: SimFleet, hmc: str, key: Path, known_hosts: Path, line: str) -> list[str]:
    """One OpenSSH process for one command, as an admin's script runs it."""
    ep = sim.endpoints[hmc]
    return [
        "ssh", "-F", "/dev/null",
        "-o", "BatchMode=yes",
        "-o", f"UserKnownHostsFile={known_hosts}",
        "-o", "IdentitiesOnly=yes",  # offer only -i: every refused key counts towards lockout
        "-i", str(key),
        "-p", str(ep.port),
        f"{USER}@{ep.host}",
        line,
    ]  # fmt: skip


async def baseline(
    sim: SimFleet,
    hmc: str,
    events: Sequence[CommandEvent],
    key: Path,
    known_hosts: Path,
    sample: int | None,
) -> Baseline:
    """Run ``events``' commands (the first ``sample``) one ssh process after another."""
    chosen = list(events)[: sample if sample is not None else len(events)]
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    mismatches: list[str] = []
    t0 = time.perf_counter()
    for event in chosen:
        line = command_line(event.argv)
        proc = await asyncio.create_subprocess_exec(
            *ssh_argv(sim, hmc, key, known_hosts, line),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        try:
            async with asyncio.timeout(SSH_TIMEOUT):
                _, err = await proc.communicate()
        except TimeoutError:
            proc.kill()
            await proc.wait()
            mismatches.append(f"{line}: ssh still running after {SSH_TIMEOUT:g} s; killed")
            continue
        if proc.returncode != event.rc:
            reason = err.decode(errors="replace").strip().splitlines()[-1:] or [""]
            mismatches.append(f"{line}: ssh rc {proc.returncode}, lpmtui rc {event.rc} {reason[0]}")
    return Baseline(hmc, len(events), len(chosen), time.perf_counter() - t0, mismatches)


# -- the whole run --------------------------------------------------------------------------------


async def measure(scale: Scale, workdir: Path, *, baseline_sample: int | None = None) -> Result:
    world = generate(
        hmcs=scale.hmcs, frames=scale.frames, partitions=scale.partitions, clock=RealClock()
    )
    key, authorized = write_client_key(workdir)
    latency = Latency.fixed(scale.latency) if scale.latency > 0 else None
    sim = await start_fleet(world, authorized_keys=authorized, latency=latency, jump_host=False)
    try:
        settings = settings_for(sim, key, workdir)
        collection = await collect(sim, settings)
        if not collection.full:
            raise RuntimeError("no HMC answered: " + "; ".join(collection.problems))
        hmc = max(collection.full, key=lambda name: len(collection.full[name]))
        measured = await baseline(
            sim, hmc, collection.full[hmc], key, settings.known_hosts_file, baseline_sample
        )
    finally:
        await sim.close()
    return Result(
        scale=scale,
        channels=settings.channels_per_connection,
        collection=collection,
        baseline=measured,
        world_partitions=sum(len(f.partitions) for f in world.frames.values()),
    )


TARGET_OPTIONS = ("-m", "-F", "--filter", "--ip", "-u", "--id", "-p", "-c")


def command_kind(argv: Sequence[str]) -> str:
    """``lshwres -r virtualio --rsubtype scsi`` etc.: the command without its targets/fields."""
    kept: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token in TARGET_OPTIONS:
            next(tokens, None)
            continue
        kept.append(token)
    return " ".join(kept)


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def report(result: Result) -> list[str]:
    c, b, s = result.collection, result.baseline, result.scale
    hmcs = sorted(c.full)
    full = {h: len(c.full[h]) for h in hmcs}
    hot = {h: len(c.hot.get(h, ())) for h in hmcs}
    slowest = result.slowest_hmc
    speedup = result.baseline_s / c.total_s
    to_floor = c.total_s / result.floor_s if result.floor_s else float("inf")
    how = "measured"
    if b.ran != result.full_commands:
        how = (
            f"extrapolated: {b.ran} of {b.hmc}'s {b.available} commands measured in "
            f"{b.seconds:.1f} s = {b.seconds / b.ran:.3f} s/command, x {result.full_commands} "
            "commands"
        )
    near = "no floor without latency"
    if result.floor_s:
        near = (
            f"lpmtui = {to_floor:.2f}x floor  [{_verdict(to_floor <= FLOOR_TARGET)}: "
            f"target <= {FLOOR_TARGET:g}x]"
        )
    lines = [
        f"fleet: {s.hmcs} HMCs, {sum(c.frames.values())} frames, "
        f"{c.partitions} partitions in the snapshot "
        f"({result.world_partitions} in the world); latency {s.latency:g} s per command; "
        f"{result.channels} channels per connection",
        "",
        f"{'':<44}{'seconds':>10}  ratio",
        f"{'lpmtui first full snapshot (connect+collect)':<44}{c.total_s:>10.2f}  "
        f"(connect {c.connect_s:.2f} + collect {c.collect_s:.2f})",
        f"{'baseline, one ssh per command':<44}{result.baseline_s:>10.2f}  "
        f"{speedup:.1f}x lpmtui  [{_verdict(speedup >= SPEEDUP_TARGET)}: "
        f"target >= {SPEEDUP_TARGET:g}x]",
        f"  ({how})",
        f"{'floor (slowest HMC: cmds x latency / ch)':<44}{result.floor_s:>10.2f}  {near}",
        f"  ({slowest}: {full[slowest]} commands x {s.latency:g} s / {result.channels})",
        "",
        f"commands per poll: first full snapshot {result.full_commands} "
        f"(per HMC {_spread(full.values())}); hot poll {sum(hot.values())} "
        f"(per HMC {_spread(hot.values())}) in {c.hot_s:.2f} s "
        f"(floor {max(hot.values(), default=0) * s.latency / result.channels:.2f} s)",
        "",
        f"{'HMC':<12}{'frames':>7}{'full cmds':>10}{'hot cmds':>9}{'snapshot s':>11}"
        f"{'own floor s':>12}{'received':>9}",
    ]
    for h in hmcs:
        lines.append(
            f"{h:<12}{c.frames.get(h, 0):>7}{full[h]:>10}{hot[h]:>9}"
            f"{c.per_hmc_s.get(h, float('nan')):>11.2f}"
            f"{full[h] * s.latency / result.channels:>12.2f}{c.received.get(h, 0):>9}"
        )
    kinds = Counter(command_kind(e.argv) for e in c.full[slowest])
    lines.append("")
    lines.append(f"first full snapshot of {slowest}, commands by kind:")
    lines.extend(f"  {n:>4}  {kind}" for kind, n in kinds.most_common())
    durations = [e.duration for e in c.full[slowest]]
    lines.append(
        f"command durations on {slowest} (queueing for a channel included): median "
        f"{statistics.median(durations):.3f} s, max {max(durations):.3f} s"
    )
    mismatch = sum(1 for h in hmcs if c.received.get(h) != full[h])
    if mismatch:
        lines.append(f"WARNING: {mismatch} HMC(s) whose CommandEvents differ from world.received")
    if b.mismatches:
        lines.append(f"WARNING: {len(b.mismatches)} baseline commands ended differently:")
        lines.extend(f"  {m}" for m in b.mismatches[:5])
    if c.problems:
        lines.append(f"WARNING: {len(c.problems)} problems in the snapshot:")
        lines.extend(f"  {p}" for p in c.problems[:5])
    return lines


def _spread(values) -> str:
    v = sorted(values)
    return f"min {v[0]}, median {statistics.median(v):g}, max {v[-1]}" if v else "none"


def met_targets(result: Result) -> bool:
    """Both targets met (without latency there is no floor to be near)."""
    c = result.collection
    near_floor = not result.floor_s or c.total_s <= FLOOR_TARGET * result.floor_s
    return result.baseline_s / c.total_s >= SPEEDUP_TARGET and near_floor


def parse_args(argv: Sequence[str] | None = None) -> tuple[Scale, int | None]:
    """(scale, baseline sample) from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hmcs", type=int, default=Scale.hmcs)
    parser.add_argument("--frames", type=int, default=Scale.frames)
    parser.add_argument("--partitions", type=int, default=Scale.partitions)
    parser.add_argument("--latency", type=float, default=Scale.latency, help="seconds/command")
    parser.add_argument(
        "--baseline-sample", type=int, default=None, metavar="N",
        help="run only the first N commands of the HMC in the baseline (default: all of them)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if min(args.hmcs, args.frames) < 1 or args.partitions < 0 or args.latency < 0:
        parser.error("--hmcs and --frames must be at least 1, the others not negative")
    if args.baseline_sample is not None and args.baseline_sample < 1:
        parser.error("--baseline-sample must be at least 1")
    return Scale(args.hmcs, args.frames, args.partitions, args.latency), args.baseline_sample


def main(argv: Sequence[str] | None = None) -> int:
    scale, sample = parse_args(argv)
    if shutil.which("ssh") is None:
        print("error: the baseline needs OpenSSH's ssh client on PATH", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_fleet.") as tmp:
        try:
            result = asyncio.run(measure(scale, Path(tmp), baseline_sample=sample))
        except (RuntimeError, OSError, TimeoutError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    for line in report(result):
        print(line)
    print(f"benchmark wall time {time.perf_counter() - started:.1f} s")
    return 0 if met_targets(result) else 1


if __name__ == "__main__":
    sys.exit(main())
