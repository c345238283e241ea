"""Fault soak: migrations and an evacuation over SSH through the jump host while faults rain.

    python benchmarks/soak.py [--seed S] [--minutes M] [--migrations N]

It injects faults for M minutes (default 0.5) and starts migrations all along; N, when given,
ends it sooner, once N migrations have started (no cap by default: --minutes 30 runs 30).

The console (Transport + Fleet + MigrationManager, as in tests/migration/stacks.py) runs against
the simulated fleet (sim time = wall x SPEED). One task keeps up to three migrations going
between the two frames of hmc-a and evacuates the fuller frame halfway; another injects, at
seeded random, through the simulator's control commands (lpmtui/sim/server/control.py): HMC and
bastion connection drops, HMC restarts, hangs, truncated and garbage answers, a lockout (of
hmc-b, so the 5-minute lock does not starve the migrations' HMC), migration failures (recovered
by the operator), stops, and a console killed with SIGKILL mid-migration whose job this console
re-attaches from the shared journal. Then the faults stop and every job must settle.

Invariants (exit 1 when one breaks): every migration sent at most once and every sent one
received once (soak_ledger.py), every outcome known and true to the simulator when it was
claimed, no false "needs recovery", no traceback (log records with exceptions, unhandled task
errors, the killed console's stderr), RSS growth after warm-up under 64 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from soak_ledger import ENDING, Ledger  # noqa: E402
from soak_setup import (  # noqa: E402
    FLEET,
    FRAMES,
    MAX_LIVE,
    PARTITIONS,
    SETTLE_WALL,
    WEIGHTS,
    Tracebacks,
    child_config,
    report,
    rss_mb,
)


def _refusal(last_line: str) -> bool:
    return last_line.startswith(("lpmtui.migration.types.MigrationError", "SystemExit"))


class Soak:
    def __init__(self, args: argparse.Namespace, state: Path) -> None:
        self.args = args
        self.state = state
        self.rng = random.Random(args.seed)
        self.faults: Counter = Counter()
        self.started = 0
        self.refused = 0  # manager.start refused (e.g. the HMC not connected): nothing sent
        self.evacuated = 0
        self.forced: set[str] = set()  # partitions whose failure needs --force
        self.child_stderr: list[str] = []
        self.recovering: set[str] = set()  # job ids the operator asked to recover (once each)
        self.done = asyncio.Event()

    async def run(self) -> dict:
        from lpmtui.common.clock import RealClock
        from lpmtui.fleet.fleet import Fleet
        from lpmtui.migration.manager import MigrationManager
        from lpmtui.sim.server.fleet import start_fleet
        from lpmtui.sim.world.state import World
        from lpmtui.ssh.transport import Transport
        from tests.migration.stacks import SPEED, ssh_settings, wait_wall

        loop = asyncio.get_running_loop()
        self.tracebacks = Tracebacks()
        logging.getLogger().addHandler(self.tracebacks)
        loop.set_exception_handler(self.tracebacks.loop_handler)
        t0 = time.monotonic()
        self.clock = RealClock(speed=SPEED)
        self.speed = SPEED
        self.world = World.from_yaml(FLEET, self.clock)
        self.sim = await start_fleet(self.world)
        self.settings = ssh_settings(self.sim, self.world, self.state)
        self.transport = Transport(self.settings)
        self.fleet = Fleet(self.transport.links())
        self.ledger = Ledger(self.world, "hmc-a")
        self.wait_wall = wait_wall
        try:
            await self.transport.start()
            await wait_wall(lambda: self._connected("hmc-a"), 20.0)
            await self.fleet.refresh_now()
            self.manager = MigrationManager.for_settings(
                self.fleet, self.settings, clock=self.clock
            )
            self.manager.subscribe(self._on_progress)
            self.child_config = child_config(self.sim, self.state)
            rss = [rss_mb()]
            deadline = loop.time() + self.args.minutes * 60
            injector = asyncio.create_task(self._inject(deadline))
            await self._drive(deadline, rss)
            # Not cancelled: a restart cut short in its downtime would leave the HMC down.
            self.done.set()
            await injector
            await self._settle()
            rss.append(rss_mb())
            return self._figures(time.monotonic() - t0, rss)
        finally:
            if getattr(self, "manager", None) is not None:
                await self.manager.close()
            await self.transport.close()
            await self.sim.close()
            logging.getLogger().removeHandler(self.tracebacks)

    # -- the operator ---------------------------------------------------------------------------

    def _connected(self, hmc: str) -> bool:
        from lpmtui.model import ConnectionState

        return any(
            link.name == hmc and link.state is ConnectionState.CONNECTED
            for link in self.transport.links()
        )

    def _on_progress(self, p) -> None:
        self.ledger.on_progress(p)
        if p.state.value == "needs recovery" and p.job_id not in self.recovering:
            self.recovering.add(p.job_id)  # an operator tries once, then looks closer
            asyncio.get_running_loop().create_task(self._recover(p.job_id, p.partition))

    async def _recover(self, job_id: str, partition: str) -> None:
        from lpmtui.migration.manager import MigrationError

        for _ in range(50):  # bounded: the link may be down a while
            try:
                await self.manager.recover(job_id, confirmed=True, force=partition in self.forced)
                return
            except MigrationError:
                await asyncio.sleep(0.3)

    def _busy(self) -> set[str]:
        return {p.partition for p in self.manager.jobs() if not p.state.terminal} | {
            p.partition for p in self.ledger.progress.values() if not p.state.terminal
        }

    def _moving(self) -> set[str]:
        """Partitions whose job has not reached an ending state (needs recovery is one)."""
        return {p.partition for p in self.manager.jobs() if p.state not in ENDING} | {
            p.partition for p in self.ledger.unknown()
        }

    def _home(self, partition: str) -> str | None:
        for frame in FRAMES:
            _, fs = self.fleet.snapshot.frame(frame)
            if any(p.name == partition for p in fs.partitions):
                return frame
        return None

    async def _start_one(self, partition: str) -> None:
        from lpmtui.migration.manager import MigrationError, MigrationRequest

        source = self._home(partition)
        if source is None:
            return
        target = FRAMES[1 - FRAMES.index(source)]
        mark = self.ledger.mark(partition)
        try:
            job = await self.manager.start(
                MigrationRequest(partition, source, target), confirmed_name=partition
            )
        except MigrationError:
            self.ledger.unmark(mark)
            self.refused += 1
            return
        self.ledger.bind(mark, job.job_id)
        self.started += 1

    async def _drive(self, deadline: float, rss: list[float]) -> None:
        loop = asyncio.get_running_loop()
        cap = self.args.migrations or float("inf")  # no --migrations: the minutes only
        half = max(1, cap // 2)
        kills_at = loop.time() + (deadline - loop.time()) / 3
        halfway = loop.time() + (deadline - loop.time()) / 2
        evacuated = False
        while loop.time() < deadline and self.started < cap:
            if len(rss) == 1 and self.ledger.outcomes:
                rss.append(rss_mb())  # warm: the first migration has ended
            if loop.time() >= kills_at:
                await self._kill_console()
                kills_at = loop.time() + 300
            if not evacuated and (self.started >= half or loop.time() >= halfway):
                await self._evacuate()
                evacuated = True
                continue
            busy = self._busy()
            free = [p for p in PARTITIONS if p not in busy]
            if len(busy) < MAX_LIVE and free:
                await self._start_one(self.rng.choice(free))
            await asyncio.sleep(0.1)
        if not evacuated:
            await self._evacuate()
        if len(rss) == 1:
            rss.append(rss[0])

    async def _quiet(self, limit: float = 30.0) -> bool:
        return await self.wait_wall(lambda: not self._moving(), limit)

    async def _evacuate(self) -> None:
        from lpmtui.evacuation.plan import plan_evacuation
        from lpmtui.evacuation.run import EvacuationLog, run_plan
        from lpmtui.migration.manager import MigrationError

        await self._quiet()
        for _ in range(20):  # the inventory refresh fails while the HMC link is down
            try:
                await self.fleet.refresh_now()
                break
            except Exception:
                await asyncio.sleep(0.3)
        counts = {f: len(self.fleet.snapshot.frame(f)[1].partitions) for f in FRAMES}
        frame = max(FRAMES, key=lambda f: counts[f])
        plan = plan_evacuation(self.fleet.snapshot, frame)
        for _ in range(10):  # bounded: refused while the HMC link is down
            marks = {m.partition: self.ledger.mark(m.partition, by_id=True) for m in plan.moves}
            try:
                log = EvacuationLog(self.state / "evacuations.jsonl")
                result = await run_plan(self.manager, plan, confirmed_frame=frame, log=log)
                break
            except MigrationError:
                for m in marks.values():
                    self.ledger.unmark(m)
                self.refused += 1
                await asyncio.sleep(0.5)
        else:
            return
        for p in result.started:
            self.ledger.bind(marks[p.partition], p.job_id)
        self.evacuated = len(result.started)
        self.started += len(result.started)

    async def _kill_console(self) -> None:
        """A second console starts a migration and is killed (-9) mid-way; this one takes over."""
        await self._quiet(10.0)
        busy = self._busy()
        free = [p for p in PARTITIONS if p not in busy and self._home(p)]
        if not free:
            return
        partition = self.rng.choice(free)
        source = self._home(partition)
        target = FRAMES[1 - FRAMES.index(source)]
        mark = self.ledger.mark(partition)
        child = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "tests" / "migration" / "killed_console.py"),
            str(self.child_config), partition, source, target, str(self.speed),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        try:
            async with asyncio.timeout(30):
                line = await child.stdout.readline()
        except TimeoutError:
            line = b""
        if child.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it may have given up by itself
                os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        self.child_stderr.append((await child.stderr.read()).decode(errors="replace"))
        self.faults["console kill -9"] += 1
        if not line.startswith(b"STARTED "):
            self.ledger.unmark(mark)
            return
        job_id = line.split()[1].decode()
        self.ledger.bind(mark, job_id)
        self.started += 1
        await self.manager.reattach()
        if job_id not in self.ledger.progress:
            self.ledger.on_progress(self.manager.job(job_id))

    # -- the faults -----------------------------------------------------------------------------

    async def _inject(self, deadline: float) -> None:
        from lpmtui.sim.server.control import apply_line

        loop = asyncio.get_running_loop()
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        # Every kind once first (in a seeded order), so even a short run meets each of them;
        # then at random by weight. A kind that cannot apply yet (no live migration) waits.
        unmet = self.rng.sample(kinds, len(kinds))
        while loop.time() < deadline and not self.done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.done.wait(), self.rng.uniform(0.3, 1.0))
            if self.done.is_set():
                return
            kind = unmet[0] if unmet else self.rng.choices(kinds, weights)[0]
            live = [p for p in self.manager.jobs() if p.state.value == "in progress"]
            if kind in ("hang", "truncate", "garbage"):
                await apply_line(self.sim, f"{kind} {self.rng.choice(['hmc-a', 'hmc-b'])} 1")
            elif kind == "drop":
                await apply_line(self.sim, "drop hmc-a")
            elif kind == "drop-jump":
                await apply_line(self.sim, "drop-jump")
            elif kind == "restart":
                await apply_line(self.sim, f"restart hmc-a {self.rng.uniform(0, 20):.1f}")
            elif kind == "lock":
                await apply_line(self.sim, "lock hmc-b")
                await apply_line(self.sim, "drop hmc-b")
            elif kind == "fail" and live:
                victim = self.rng.choice(live).partition
                force = self.rng.random() < 0.3
                if force:
                    self.forced.add(victim)
                self.world.inject_failure(victim, self.rng.uniform(0.2, 0.8), needs_force=force)
            elif kind == "stop" and live:
                job = self.rng.choice(live)
                try:
                    await self.manager.stop(job.job_id, confirmed=True)
                except Exception:  # e.g. it ended meanwhile, or the link is down: no stop
                    if unmet:
                        unmet.append(unmet.pop(0))
                    continue
            else:
                if unmet and kind in ("fail", "stop"):  # nothing live now: another kind first
                    unmet.append(unmet.pop(0))
                continue
            self.faults[kind] += 1
            if kind in unmet:
                unmet.remove(kind)

    async def _settle(self) -> None:
        for name in ("hmc-a", "hmc-b"):
            faults = self.sim.faults(name)
            faults.clear()
        self.world.failures.clear()
        await self.wait_wall(lambda: not self._moving(), SETTLE_WALL)

    # -- the figures ----------------------------------------------------------------------------

    def _figures(self, wall: float, rss: list[float]) -> dict:
        from lpmtui.store.journal import Journal

        journal = Journal(self.settings.journal_file).jobs()
        broken, swallowed = self.ledger.send_problems(journal)
        # The killed console is a bare script (tests/migration/killed_console.py): when the
        # faults keep it from starting its migration it ends with the manager's refusal,
        # which is a refusal, not a crash.
        child_tb = [
            e for e in self.child_stderr
            if "Traceback" in e and not _refusal(e.strip().splitlines()[-1])
        ]  # fmt: skip
        return {
            "seed": self.args.seed,
            "faults": dict(sorted(self.faults.items())),
            "started": self.started,
            "evacuated": self.evacuated,
            "refused": self.refused,
            "outcomes": dict(sorted(self.ledger.outcomes.items())),
            "reattached": len(self.ledger.reattached),
            "unknown": [
                f"{p.partition} ({p.job_id}) {p.state.value}: {p.message}"
                for p in self.ledger.unknown()
            ],
            "links": {link.name: str(link.state) for link in self.transport.links()},
            "sends": Counter(self.ledger.sends(journal).values()),
            "sent_wrong": broken,
            "swallowed": swallowed,
            "false_claims": self.ledger.false_claims,
            "false_needs_recovery": list(self.ledger.false_needs_recovery.values()),
            "tracebacks": self.tracebacks.seen + [e.strip().splitlines()[-1] for e in child_tb],
            "rss": rss,
            "wall": wall,
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--minutes", type=float, default=0.5, help="injecting faults (default 0.5)")
    ap.add_argument(
        "--migrations", type=int, default=None, help="at most this many (default: no cap)"
    )
    args = ap.parse_args(argv)
    if args.minutes <= 0 or (args.migrations is not None and args.migrations < 1):
        ap.error("--minutes must be above 0 and --migrations at least 1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="lpmtui-soak-") as tmp:
        os.environ["XDG_STATE_HOME"] = tmp  # journal, audit, login ledger: this run's only
        fig = asyncio.run(Soak(args, Path(tmp)).run())
    return 1 if report(fig) else 0


if __name__ == "__main__":
    sys.exit(main())
