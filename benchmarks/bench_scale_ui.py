"""Benchmark: the console at estate scale (issue 16): 50 HMCs, 500 frames, 20,000 partitions.

Plain script: ``.venv/bin/python benchmarks/bench_scale_ui.py [--baseline TREE]``. The fleet is
``bench_scale.collected`` (lpmtui.sim.generate through Fleet + SimLink), pickled once; the
console then runs headless (``App.run_test`` at 120x40, no backend: snapshots are handed to it
as the app does) in a child process per code tree, so each tree is measured on the same
snapshots in the same run. ``--baseline`` names a tree of the previous code (e.g. ``git
archive`` of the commit this branch started from, unpacked); without it only this tree runs.

Each child prints one JSON line: app init to first paint; a snapshot handed over to its rows on
screen; every row's verdict (best target) shown; the selected partition's ranking; applying a
refresh with 1% of partitions changed (6 snapshots handed over with ``app.show_snapshot``, as
the backend's polls are; each ``FleetView.apply`` that results is timed; ``refresh_reparsed_ms``:
the same with each changed frame's partitions parsed anew, as the collector hands them out,
unchanged frames the objects on screen); each keystroke of
the filter ``hmc07`` and each backspace back (``filter_key_ms``: the press until the app is
idle, Pilot's waits included; ``*_painted_ms``: until the first screen update after the table
changed, see ``Painted``); key presses in the table (down, page down, page up); idle CPU with a
poll every 5 s (quiet: nothing changed; busy: 1% of partitions changed each poll) and RSS;
quitting while judging.

A console polls every 5 s whatever it is doing, so its data never turns 10 s old (two polls:
every HMC "stale", every row re-rendered dimmed) unless HMCs stop answering. The benchmark
polls while it waits for the verdicts, and hands over a fresh snapshot before each timed
phase (``settle``), so no such flip lands inside a measurement; ``stale_flips`` counts the
applies that changed the stale HMCs anyway.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, pickle, sys, time
T0 = time.perf_counter()
sys.path.insert(0, {tree!r})
from dataclasses import replace
from lpmtui.ui.app import LpmApp
snaps = pickle.load(open({path!r}, "rb"))
CAP, IDLE, POLL = {cap!r}, {idle!r}, 5.0
out = {{}}

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

try:  # the tree's collector hands out what reads the same as last poll (lpmtui.fleet.kept)
    from lpmtui.fleet.kept import kept
except ImportError:  # older trees: an unchanged frame was the same object, nothing within one
    def kept(was, f):
        same = f.partitions == was.partitions and f.migrations == was.migrations
        return was if same else f

def reparsed(snapshot, on_screen):
    # As the tree's collector hands a poll out: every partition parsed anew (equal objects,
    # not the same ones), then what reads the same as on screen kept as the tree's code does.
    shown = {{f.system.name: f for h in on_screen.hmcs for f in h.frames}}
    hmcs = []
    for h in snapshot.hmcs:
        frames = []
        for f in h.frames:
            fresh = replace(f, partitions=tuple(replace(p) for p in f.partitions))
            frames.append(kept(shown[f.system.name], fresh))
        hmcs.append(replace(h, frames=tuple(frames)))
    return replace(snapshot, hmcs=tuple(hmcs), index={{}})

def restamp(s):
    now = time.time()
    hmcs = tuple(replace(h, taken_at=now) for h in s.hmcs)
    return replace(s, hmcs=hmcs, taken_at=now, index={{}})

def pending(view):
    cells = {{"…", "judging…"}}
    return sum(1 for k in view.table.keys
               if str(view.table.get_cell(k, "mobility")).strip() in cells)

async def workers_done(app, pilot):
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()

APPLIED = []  # (ms, stale HMCs changed) of every FleetView.apply

def timed(view):
    apply = view.apply
    def timed_apply(snapshot):
        stale, s = set(view.stale), time.perf_counter()
        apply(snapshot)
        APPLIED.append(((time.perf_counter() - s) * 1000, set(view.stale) != stale))
    view.apply = timed_apply  # the instance's: receive, tick and apply_pending all call it

async def handed_over(app, pilot, snapshot):
    # A snapshot handed over as the backend's poll is, until the apply it results in (at
    # once, or on the next tick when within the 1 s pace): that apply's ms.
    n = len(APPLIED)
    app.show_snapshot(snapshot)
    while len(APPLIED) == n:
        await pilot.pause()
        await asyncio.sleep(0.05)
    return APPLIED[n][0]

async def settle(app, pilot):
    # A fresh quiet poll before a timed phase, so the data on screen does not turn 10 s old
    # inside it.
    await asyncio.sleep(1.0)  # past the apply pace
    await handed_over(app, pilot, restamp(snaps[0]))
    await pilot.pause()

class Painted:
    # When a key's work reaches the screen: the first screen update (App._display) after
    # the table's last change in the key's handling (or after the key, when the table did
    # not change). Pilot's own idle waits (>= 60 ms a press) are not counted in painted_ms.
    def __init__(self, app, table):
        self.paints, self.changed = [], 0.0
        display = app._display
        def on_display(screen, renderable):
            display(screen, renderable)
            self.paints.append(time.perf_counter())
        app._display = on_display
        for name in ("patch", "apply", "update_rows"):
            real = getattr(table, name, None)
            if real is not None:
                setattr(table, name, self._marking(real))

    def _marking(self, real):
        def marked(*args, **kw):
            try:
                return real(*args, **kw)
            finally:
                self.changed = time.perf_counter()
        return marked

    async def press(self, pilot, key):
        # The press, until the app is idle: wall ms (Pilot's waits included).
        self.paints.clear()
        self.start = self.changed = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        return (time.perf_counter() - self.start) * 1000

    @property
    def painted_ms(self):
        after = max(self.start, self.changed)
        first = next((t for t in self.paints if t >= after), None)
        return None if first is None else (first - self.start) * 1000

async def main():
    app = LpmApp(clock=time.time, tune_gc=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out["first_paint_s"] = app.first_paint
        view = app.dashboard.fleet_view
        timed(view)
        t = time.perf_counter()
        app.show_snapshot(restamp(snaps[0]))
        await pilot.pause()
        out["rows_on_screen_s"] = time.perf_counter() - t
        out["rows"] = view.table.row_count
        out["pending_at_rows"] = pending(view)
        # Every verdict shown, or the cap: the old code judges 10 M pairs on the loop. The
        # console polls meanwhile (quiet polls: the judge skips them).
        done, polled = None, time.perf_counter()
        while time.perf_counter() - t < CAP:
            await asyncio.sleep(0.5)
            if time.perf_counter() - polled >= POLL:
                app.show_snapshot(restamp(snaps[0]))
                polled = time.perf_counter()
            if not any(w.group in ("verdicts", "judge") for w in app.workers):
                view.tick()
                await pilot.pause()
                if pending(view) == 0:
                    done = time.perf_counter() - t
                    break
        out["verdicts_shown_s"] = done
        out["pending_at_cap"] = pending(view)
        out["rss_loaded_mb"] = rss()
        # The selected partition's ranking (the checks pane), 20 partitions.
        clients = [loc for loc in view.located.values() if not loc.partition.is_vios]
        times = []
        for loc in clients[:: max(1, len(clients) // 20)][:20]:
            s = time.perf_counter()
            view.verdicts.ranked(loc.partition)
            times.append((time.perf_counter() - s) * 1000)
        out["selected_ms"] = sorted(times)
        # Applying a refresh with 1% of partitions changed, handed over as a poll is.
        await settle(app, pilot)
        applies = []
        for i in range(6):
            applies.append(await handed_over(app, pilot, restamp(snaps[1 + i % 2])))
            await pilot.pause()
            if done is not None:
                await workers_done(app, pilot)
            else:
                await asyncio.sleep(1.0)
        out["refresh_ms"] = sorted(applies)
        # The same, each changed frame's partitions new objects (as parsed from the HMC): the
        # unchanged ones among them are compared, not recognised by identity.
        shown, applies = snaps[0], []
        for i in range(6):
            shown = reparsed(snaps[1 + i % 2], shown)
            applies.append(await handed_over(app, pilot, restamp(shown)))
            await pilot.pause()
            if done is not None:
                await workers_done(app, pilot)
            else:
                await asyncio.sleep(1.0)
        out["refresh_reparsed_ms"] = sorted(applies)
        # A filter keystroke: "/" opens the box; each letter applies the filter to the table.
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        keys_ms, painted_ms = [], []
        watch = Painted(app, view.table)
        for ch in "hmc07":  # every row has "hmc" until "hmc07" keeps one HMC's
            keys_ms.append(await watch.press(pilot, ch))
            painted_ms.append(watch.painted_ms)
        out["filter_key_ms"] = keys_ms
        out["filter_key_painted_ms"] = painted_ms
        out["filtered_rows"] = view.table.row_count
        painted_ms = []
        for _ in "hmc07":  # and back: each backspace brings rows back
            await watch.press(pilot, "backspace")
            painted_ms.append(watch.painted_ms)
        out["filter_backspace_painted_ms"] = painted_ms
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        if done is not None:
            await workers_done(app, pilot)
        while view.table.filling:  # the filter cleared: its rows come back a chunk a turn
            await pilot.pause()
        await settle(app, pilot)
        # A key press in the table at 21,000 rows: the cursor moves (and the checks pane
        # follows the selected partition).
        view.table.focus()
        await pilot.pause()
        moves = []
        for key in ("down", "down", "down", "pagedown", "pageup"):
            wall = await watch.press(pilot, key)
            moves.append((key, watch.painted_ms, wall))
        out["key_press_painted_ms"] = [m[1] for m in moves]
        out["key_press_wall_ms"] = [m[2] for m in moves]
        await settle(app, pilot)
        # Idle: a poll every 5 s (new objects, fresh stamps); quiet then busy (1% changed).
        import resource
        for phase, pick in (("quiet", lambda i: 0), ("busy", lambda i: 1 + i % 2)):
            c0, w0, i = time.process_time(), time.perf_counter(), 0
            while time.perf_counter() - w0 < IDLE:
                i += 1
                app.show_snapshot(restamp(snaps[pick(i)]))
                await asyncio.sleep(POLL)
            busy = time.process_time() - c0
            out[phase + "_cpu_percent"] = 100 * busy / (time.perf_counter() - w0)
            out["rss_" + phase + "_mb"] = rss()
        out["rss_idle_mb"] = rss()
        out["stale_flips"] = sum(flip for _, flip in APPLIED)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # Quitting while the fleet is being judged (a new snapshot: 1% changed, or the first).
        app.show_snapshot(restamp(snaps[1]))
        await pilot.pause()
        out["judging_at_quit"] = any(w.group in ("verdicts", "judge") for w in app.workers)
        global QUIT
        QUIT = time.perf_counter()
        await app.action_quit()
    out["quit_s"] = time.perf_counter() - QUIT

asyncio.run(main())
out["quit_with_loop_close_s"] = time.perf_counter() - QUIT
print(json.dumps(out))
"""

QUIT_FIRST = r"""
import asyncio, json, pickle, sys, time
sys.path.insert(0, {tree!r})
from lpmtui.ui.app import LpmApp
snap = pickle.load(open({path!r}, "rb"))[0]
out = {{}}
async def main():
    app = LpmApp(clock=time.time)
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_snapshot(snap)
        # In the middle of the first judging: its worker has run for 0.5 s (a small fleet's
        # may be over before it is seen: then it quits after it).
        t = time.perf_counter()
        while not any(w.group in ("verdicts", "judge") for w in app.workers):
            if time.perf_counter() - t > 5.0:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.5)
        out["judging_at_quit"] = any(w.group in ("verdicts", "judge") for w in app.workers)
        global T
        T = time.perf_counter()
        await app.action_quit()
    out["quit_s"] = time.perf_counter() - T
asyncio.run(main())
out["quit_with_loop_close_s"] = time.perf_counter() - T
print(json.dumps(out))
"""


def run_child(code: str, tree: Path, **kw) -> dict:
    script = code.format(tree=str(tree), **kw)
    env = dict(os.environ, TEXTUAL_ANIMATIONS="none", PYTHONPATH=str(tree))
    with tempfile.TemporaryDirectory(prefix="bench-scale-ui-") as tmp:
        env.update(XDG_STATE_HOME=tmp, XDG_CONFIG_HOME=tmp)
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp
        )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-5:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def evacuation_plans(snapshot, frames: int = 8) -> None:
    """``check --evacuate FRAME``'s planning (after the fleet is collected): each frame on a
    snapshot whose index is not built yet (a copy), so the index build is counted."""
    from dataclasses import replace

    from lpmtui.evacuation.plan import plan_evacuation

    names = [f.system.name for h in snapshot.hmcs for f in h.frames]
    picked = names[:: max(1, len(names) // frames)][:frames]
    times = []
    for name in picked:
        fresh = replace(snapshot, index={})
        t = time.perf_counter()
        plan = plan_evacuation(fresh, name)
        times.append((time.perf_counter() - t, name, len(plan.moves), len(plan.stays)))
    times.sort()
    print(
        "check --evacuate FRAME, planning alone (index build included), "
        f"{len(times)} frames: median {times[len(times) // 2][0]:.2f} s, worst "
        f"{times[-1][0]:.2f} s ({times[-1][1]}: {times[-1][2]} moves, {times[-1][3]} stay)"
        "   target <= 1 s"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hmcs", type=int, default=50)
    ap.add_argument("--frames", type=int, default=500)
    ap.add_argument("--partitions", type=int, default=20000)
    ap.add_argument("--baseline", type=Path, help="a tree of the previous code")
    ap.add_argument("--cap", type=float, default=60.0, help="seconds to wait for every verdict")
    ap.add_argument("--idle-seconds", type=float, default=30.0)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from bench_scale import collected
    from bench_ui import machine, variant

    t = time.perf_counter()
    first = collected(args.hmcs, args.frames, args.partitions)
    snaps = (first, variant(first), first)
    print(f"machine: {machine()}; load average {os.getloadavg()}")
    count = sum(len(f.partitions) for h in first.hmcs for f in h.frames)
    print(
        f"fleet: {count} partitions, {args.frames} frames, {args.hmcs} HMCs "
        f"(collected in {time.perf_counter() - t:.1f} s)"
    )
    trees = [("this tree", ROOT)] + ([("baseline", args.baseline)] if args.baseline else [])
    with tempfile.TemporaryDirectory(prefix="bench-scale-ui-") as tmp:
        path = Path(tmp) / "snaps.pickle"
        path.write_bytes(pickle.dumps(snaps))
        for label, tree in trees:
            r = run_child(CHILD, tree, path=str(path), cap=args.cap, idle=args.idle_seconds)
            q = run_child(QUIT_FIRST, tree, path=str(path))
            print(f"== {label} ({tree}); load average {os.getloadavg()}")
            print(json.dumps({**r, "quit_during_first_judging": q}, indent=1))
    evacuation_plans(first)
    return 0


if __name__ == "__main__":
    sys.exit(main())
