"""Benchmark (issue 16): the first full snapshot over real SSH at estate scale, against its floor.

The generated fleet (``lpmtui.sim.generate``, default 50 HMCs, 500 frames, 20,000 partitions) is
served over real SSH on loopback by ``start_fleet`` in a CHILD process (so the simulator's CPU is
measured apart from the console's, and the two do not share one event loop), every command
answering after exactly ``--latency`` seconds (``Latency.fixed`` on a ``RealClock`` at speed 1:
wall seconds). The console's real path runs here: ``Transport`` (key logins,
``channels_per_connection`` = ``--channels``) + ``Fleet``, until every HMC has published its first
snapshot (hot data of every frame and partition, HMC facts, peer trust and the cold pass: the
first poll of ``Fleet``'s loop). It is checked complete: every frame of the world, every
partition, cold data on every Operating frame, no error line.

The floor. The simulator's command log (``world.received``, read back from the child) gives the
commands each HMC received during the collection. Per HMC, they cannot all go at once:

- at most ``channels`` run at a time, each taking ``latency``: ``ceil(commands / channels)``
  rounds;
- and some wait for others' answers (``dependency_level``): 1 ``lshmc -V`` (the level picks the
  ``-F`` names), ``lshmc`` manager facts, ``mkauthkeys --test``; 2 ``lssyscfg -r sys`` (asks
  -F names by level); 3 every per-frame listing (needs the frame list); 4 ``viosvrcmd`` (needs
  the partition list: which VIOSes run with RMC up) and SR-IOV logical ports / vNICs (asked
  only on frames whose physical-port listing found ports): a chain ``depth`` rounds long.

  floor(HMC) = max(ceil(commands / channels), depth) x latency
  floor      = connect + max over HMCs of floor(HMC)

where ``connect`` is the SSH connection time of the whole fleet (``Transport.start()``),
measured in the same run. Both bounds hold for any schedule, so no collector can beat the
floor; the target is measured (connect + collect) <= 1.5 x floor. Exit status 0 when met.

Baseline, same run (unless ``--no-baseline``): the same collection first with asyncssh's own
cipher order (chacha20-poly1305 first), as the console negotiated before it put AES-GCM first
(``lpmtui.ssh.hops.PREFERRED_CIPHERS``); each run has its own simulator child.

Run: ``.venv/bin/python benchmarks/bench_scale_ssh.py [--hmcs 50 --frames 500
--partitions 20000 --latency 0.5 --channels 4 --no-baseline]``;
``figures(argv)`` returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncssh  # noqa: E402

from lpmtui.config.model import AuthConfig, HmcConfig, Settings  # noqa: E402
from lpmtui.fleet.fleet import Fleet  # noqa: E402
from lpmtui.model import ConnectionState, FleetSnapshot  # noqa: E402
from lpmtui.ssh import hops  # noqa: E402
from lpmtui.ssh.transport import Transport  # noqa: E402

FLOOR_TARGET = 1.5
SNAPSHOT_TIMEOUT = 1800.0
# a listing's target options, dropped to name its kind (``lshwres -r virtualio --rsubtype scsi``)
_TARGET_OPTIONS = ("-m", "-F", "--filter", "--ip", "-u", "--id", "-p", "-c")


@dataclass(frozen=True)
class Scale:
    hmcs: int = 50
    frames: int = 500
    partitions: int = 20000
    latency: float = 0.5
    channels: int = 4


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the simulator, in a child process -------------------------------------------------------------


def _serve(scale: Scale, authorized: str, conn) -> None:
    asyncio.run(_serve_async(scale, authorized, conn))


async def _serve_async(scale: Scale, authorized: str, conn) -> None:
    from lpmtui.common.clock import RealClock
    from lpmtui.sim.generate import generate
    from lpmtui.sim.server.fleet import Latency, start_fleet

    t0 = time.perf_counter()
    world = generate(scale.hmcs, scale.frames, scale.partitions, clock=RealClock())
    latency = Latency.fixed(scale.latency) if scale.latency > 0 else None
    sim = await start_fleet(world, authorized_keys=authorized, latency=latency, jump_host=False)
    loop = asyncio.get_running_loop()
    expected: dict[str, dict[str, int]] = {name: {} for name in world.hmcs}
    for frame in world.frames.values():
        expected[frame.hmc][frame.name] = len(frame.partitions)
    eps = {n: (e.host, e.port, e.username) for n, e in sim.endpoints.items()}
    conn.send((eps, sim.known_hosts_text(), expected, time.perf_counter() - t0))
    try:
        await loop.run_in_executor(None, conn.recv)  # "mark": the collection starts
        before = {n: world.received[n].total for n in eps}
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        await loop.run_in_executor(None, conn.recv)  # "stop": it ended
        cpu, wall = cpu_seconds() - cpu0, time.perf_counter() - wall0
        received = {}
        for n in eps:
            log, count = world.received[n], world.received[n].total - before[n]
            received[n] = [tuple(a) for a in list(log)[len(log) - count :]] if count else []
        conn.send((received, cpu, wall))
    finally:
        await sim.close()


# -- the floor -------------------------------------------------------------------------------------


def command_kind(argv: Sequence[str]) -> str:
    kept, tokens = [], iter(argv)
    for token in tokens:
        if token in _TARGET_OPTIONS:
            next(tokens, None)
        else:
            kept.append(token)
    return " ".join(kept)


def dependency_level(argv: Sequence[str]) -> int:
    """How many answers must come, one after another, before this command can be sent
    (counting itself): see the module's docstring."""
    name = argv[0] if argv else ""
    if name in ("lshmc", "mkauthkeys"):
        return 1
    if name == "lssyscfg" and "sys" in argv and "-m" not in argv:
        return 2
    if name == "viosvrcmd":
        return 4
    if name == "lshwres" and ("logport" in argv or "vnic" in argv):
        return 4
    return 3


def hmc_floor(received: Sequence[Sequence[str]], scale: Scale) -> tuple[float, int, int]:
    """(floor seconds, channel rounds, dependency depth) of one HMC's commands."""
    rounds = math.ceil(len(received) / scale.channels)
    depth = max((dependency_level(a) for a in received), default=0)
    return max(rounds, depth) * scale.latency, rounds, depth


# -- the console -----------------------------------------------------------------------------------


def settings_for(eps: dict, known_hosts: Path, key: Path, workdir: Path, channels: int) -> Settings:
    auth = AuthConfig(method="key", key_files=(str(key),))
    hmcs = tuple(
        HmcConfig(name=name, host=host, port=port, user=user, auth=auth)
        for name, (host, port, user) in eps.items()
    )
    return Settings(
        hmcs=hmcs,
        hot_interval=3600.0,  # one poll per HMC: the loops must not start a second one
        cold_interval=3600.0,
        channels_per_connection=channels,
        known_hosts_file=known_hosts,
        user_known_hosts_file=workdir / "none",
        ssh_config_file=workdir / "none",
        state_dir=workdir / "state",
        log_dir=workdir / "logs",
        audit_file=workdir / "audit.jsonl",
        journal_file=workdir / "journal.jsonl",
    )


def problems_of(snapshot: FleetSnapshot, expected: dict) -> list[str]:
    """What keeps the snapshot from being full: missing frames or partitions, errors."""
    out: list[str] = []
    for hmc in snapshot.hmcs:
        out += [f"{hmc.hmc}: {e}" for e in hmc.errors]
        frames = {f.system.name: f for f in hmc.frames}
        for name, count in expected[hmc.hmc].items():
            f = frames.get(name)
            if f is None:
                out.append(f"{hmc.hmc}: {name} missing")
                continue
            out += [f"{hmc.hmc}: {name}: {e}" for e in f.errors]
            if f.system.operating and (f.cold is None or len(f.partitions) < count):
                out.append(f"{hmc.hmc}: {name}: {len(f.partitions)}/{count} partitions, cold "
                           f"{'missing' if f.cold is None else 'there'}")  # fmt: skip
    return out


async def collect(settings: Settings, conn) -> dict:
    transport = Transport(settings)
    fleet = Fleet(transport.links(), hot_interval=3600.0, cold_interval=3600.0)
    per_hmc: dict[str, float] = {}
    done = asyncio.Event()
    initial = {n: c.snapshot for n, c in fleet.collectors.items()}
    conn.send("mark")
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    try:
        await transport.start()
        connect = time.perf_counter() - t0
        down = [c.name for c in transport.links() if c.state is not ConnectionState.CONNECTED]
        if down:
            raise RuntimeError(f"not connected: {', '.join(down)}")

        def on_snapshot(_snapshot: FleetSnapshot) -> None:
            for name, c in fleet.collectors.items():
                if name not in per_hmc and c.snapshot is not initial[name]:
                    per_hmc[name] = time.perf_counter() - t1
            if len(per_hmc) == len(fleet.collectors):
                done.set()

        fleet.subscribe(on_snapshot)
        t1 = time.perf_counter()
        await fleet.start()
        async with asyncio.timeout(SNAPSHOT_TIMEOUT):
            await done.wait()
        collect_s = time.perf_counter() - t1
        cpu = cpu_seconds() - cpu0
        wall = time.perf_counter() - t0
    finally:
        await fleet.stop()
        await transport.close()
        conn.send("stop")  # after closing: the simulator's close is not a lost connection
    return dict(connect_s=connect, collect_s=collect_s, per_hmc_s=per_hmc, console_cpu_s=cpu,
                console_wall_s=wall, snapshot=fleet.snapshot)  # fmt: skip


def measure(scale: Scale, workdir: Path) -> dict:
    """Serve, collect, and return the figures (a dict: see ``report``)."""
    key = asyncssh.generate_private_key("ssh-ed25519")
    private, authorized = workdir / "id_ed25519", workdir / "authorized_keys"
    key.write_private_key(str(private))
    private.chmod(0o600)
    authorized.write_bytes(key.export_public_key("openssh"))
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(scale, str(authorized), child), daemon=True)
    proc.start()
    child.close()  # a child that dies ends recv() with EOFError instead of a hang
    try:
        eps, known_text, expected, sim_setup_s = parent.recv()
        known = workdir / "known_hosts"
        known.write_text(known_text)
        settings = settings_for(eps, known, private, workdir, scale.channels)
        got = asyncio.run(collect(settings, parent))
        received, sim_cpu, sim_wall = parent.recv()
    finally:
        proc.join(timeout=60)
        if proc.is_alive():
            proc.kill()
    snapshot = got.pop("snapshot")
    floors = {n: hmc_floor(received[n], scale) for n in received}
    slowest = max(floors, key=lambda n: floors[n][0])
    floor = got["connect_s"] + floors[slowest][0]
    measured = got["connect_s"] + got["collect_s"]
    commands = {n: len(a) for n, a in received.items()}
    return dict(
        scale=asdict(scale),
        sim_setup_s=sim_setup_s,
        **got,
        commands_per_hmc=commands,
        hmc_floor_s={n: f[0] for n, f in floors.items()},
        slowest_hmc=slowest,
        rounds=floors[slowest][1],
        depth=floors[slowest][2],
        floor_s=floor,
        measured_s=measured,
        ratio=measured / floor if floor else float("inf"),
        sim_cpu_s=sim_cpu,
        sim_wall_s=sim_wall,
        kinds=dict(Counter(command_kind(a) for a in received[slowest]).most_common()),
        frames=sum(len(h.frames) for h in snapshot.hmcs),
        partitions=sum(len(f.partitions) for h in snapshot.hmcs for f in h.frames),
        problems=problems_of(snapshot, expected),
        load=os.getloadavg(),
    )


def report(fig: dict) -> list[str]:
    s, cmds = Scale(**fig["scale"]), sorted(fig["commands_per_hmc"].values())
    ok = fig["ratio"] <= FLOOR_TARGET and not fig["problems"]
    per = sorted(fig["per_hmc_s"].values())
    lines = [
        f"fleet: {s.hmcs} HMCs, {fig['frames']} frames, {fig['partitions']} partitions+VIOS in "
        f"the snapshot; {s.latency:g} s per command, {s.channels} channels per HMC; "
        f"load average {' '.join(f'{x:.2f}' for x in fig['load'])}",
        f"simulator start (child process): {fig['sim_setup_s']:.1f} s",
        f"commands per HMC: min {cmds[0]}, max {cmds[-1]}, total {sum(cmds)}",
        f"floor: connect {fig['connect_s']:.2f} s + {fig['slowest_hmc']}: max(ceil("
        f"{fig['commands_per_hmc'][fig['slowest_hmc']]}/{s.channels}) = {fig['rounds']} rounds, "
        f"depth {fig['depth']}) x {s.latency:g} s = {fig['floor_s']:.2f} s",
        f"measured: connect {fig['connect_s']:.2f} + collect {fig['collect_s']:.2f} = "
        f"{fig['measured_s']:.2f} s (HMCs done after {per[0]:.2f}..{per[-1]:.2f} s)",
        f"ratio: {fig['ratio']:.2f} x floor [{'OK' if ok else 'MISSED'}: target <= "
        f"{FLOOR_TARGET:g}]",
        f"CPU during the collection: console {fig['console_cpu_s']:.1f} s in "
        f"{fig['console_wall_s']:.1f} s ({fig['console_cpu_s'] / fig['console_wall_s']:.0%} of a "
        f"core), simulator {fig['sim_cpu_s']:.1f} s in {fig['sim_wall_s']:.1f} s "
        f"({fig['sim_cpu_s'] / fig['sim_wall_s']:.0%})",
        f"commands of {fig['slowest_hmc']} by kind:",
        *(f"  {n:>4}  {k}" for k, n in fig["kinds"].items()),
    ]
    if fig["problems"]:
        lines.append(f"NOT FULL: {len(fig['problems'])} problems, e.g.")
        lines += [f"  {p}" for p in fig["problems"][:5]]
    return lines


def parse_args(argv: Sequence[str] | None) -> tuple[Scale, bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hmcs", type=int, default=Scale.hmcs)
    parser.add_argument("--frames", type=int, default=Scale.frames)
    parser.add_argument("--partitions", type=int, default=Scale.partitions)
    parser.add_argument("--latency", type=float, default=Scale.latency, help="s per command")
    parser.add_argument("--channels", type=int, default=Scale.channels)
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline run")
    a = parser.parse_args(argv)
    if min(a.hmcs, a.frames, a.channels) < 1 or a.partitions < 0 or a.latency < 0:
        parser.error("--hmcs, --frames, --channels at least 1; the others not negative")
    return Scale(a.hmcs, a.frames, a.partitions, a.latency, a.channels), not a.no_baseline


def figures(argv: Sequence[str] | None = None) -> dict:
    """The figures of this code (for bench_scale.py); ``"baseline"``: the same figures with
    asyncssh's own cipher order, measured first in the same run (None with --no-baseline)."""
    scale, with_baseline = parse_args(argv)
    base = None
    if with_baseline:
        kept, hops.PREFERRED_CIPHERS = hops.PREFERRED_CIPHERS, ()
        try:
            with tempfile.TemporaryDirectory(prefix="bench_scale_ssh.") as tmp:
                base = measure(scale, Path(tmp))
        finally:
            hops.PREFERRED_CIPHERS = kept
    with tempfile.TemporaryDirectory(prefix="bench_scale_ssh.") as tmp:
        fig = measure(scale, Path(tmp))
    fig["baseline"] = base
    return fig


def main(argv: Sequence[str] | None = None) -> int:
    fig = figures(argv)
    if fig["baseline"] is not None:
        print("== baseline: asyncssh's cipher order (chacha20-poly1305 first)")
        print("\n".join(report(fig["baseline"])[:7]))
        print(f"== now: {hops.encryption_algs()[0]} first")
    for line in report(fig):
        print(line)
    return 0 if fig["ratio"] <= FLOOR_TARGET and not fig["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
