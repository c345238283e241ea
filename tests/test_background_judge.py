"""wiring.judging.BackgroundJudge: the incremental judge in a worker thread, its results reported
on the loop in batches, the newest waiting snapshot judged next, closing stops it."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import FleetSnapshot
from lpmtui.wiring.judging import BackgroundJudge
from tests.eligibility.scratch import scratch_best

_BASE: list[FleetSnapshot] = []


async def _base() -> FleetSnapshot:
    if not _BASE:
        from lpmtui.cli.check import collect
        from lpmtui.fleet.fleet import Fleet
        from lpmtui.sim.generate import generate
        from lpmtui.simlink import sim_links

        fleet = Fleet(sim_links(generate(hmcs=3, frames=8, partitions=96)))
        _BASE.append(await collect(fleet))
    return _BASE[0]


def _less_memory(snapshot: FleetSnapshot, frame: str) -> FleetSnapshot:
    hmcs = []
    for h in snapshot.hmcs:
        frames = tuple(
            replace(f, system=replace(f.system, mem_available=0)) if f.system.name == frame else f
            for f in h.frames
        )
        hmcs.append(replace(h, frames=frames))
    return FleetSnapshot(tuple(hmcs), snapshot.taken_at)


class Recorder:
    def __init__(self) -> None:
        self.batches: list[dict] = []
        self.bests: dict = {}

    def __call__(self, batch) -> None:
        self.batches.append(dict(batch))
        for key, judged in batch.items():
            if judged is None:
                self.bests.pop(key, None)
            else:
                self.bests[key] = tuple(judged.best) if judged.best else None


async def test_reports_every_best_target_in_batches_and_then_only_what_changed():
    snapshot = await _base()
    seen = Recorder()
    judge = BackgroundJudge(seen)
    assert judge.submit(snapshot)
    await judge.run()
    assert seen.bests == scratch_best(snapshot)
    assert len(seen.batches) > 1  # a changed frame's partitions at a time, not all at the end
    assert judge.judged is snapshot and judge.generation == 1

    busiest = max(seen.bests.values(), key=lambda b: b is not None)[0]
    changed = _less_memory(snapshot, busiest)
    seen.batches.clear()
    assert judge.submit(changed)
    await judge.run()
    assert seen.bests == scratch_best(changed)
    reported = {k for batch in seen.batches for k in batch}
    assert reported and len(reported) < len(seen.bests)  # only the partitions that changed

    # A quiet poll (the same frames, new stamps) is not judged at all: nothing can change.
    updates = judge.updates
    restamped = tuple(replace(h, taken_at=h.taken_at + 5) for h in changed.hmcs)
    quiet = FleetSnapshot(restamped, changed.taken_at + 5)
    seen.batches.clear()
    assert not judge.submit(quiet)
    assert seen.batches == [] and judge.updates == updates and judge.generation == 2
    # Equal frames in new objects are quiet too; an HMC whose own facts changed is not.
    copied = tuple(replace(h, frames=tuple(replace(f) for f in h.frames)) for h in changed.hmcs)
    assert not judge.submit(FleetSnapshot(copied, changed.taken_at + 6))
    renamed = (replace(changed.hmcs[0], peer_address="10.99.0.1"), *changed.hmcs[1:])
    moved = FleetSnapshot(renamed, changed.taken_at + 7)
    assert judge.submit(moved)
    await judge.run()
    assert judge.updates == updates + 1 and judge.generation == 3
    assert seen.bests == scratch_best(moved)


async def test_the_newest_waiting_snapshot_is_judged_next_and_submits_do_not_start_twice():
    snapshot = await _base()
    seen = Recorder()
    judge = BackgroundJudge(seen)
    assert judge.submit(snapshot)
    frame = snapshot.hmcs[0].frames[0].system.name
    assert not judge.submit(_less_memory(snapshot, "nothing"))  # waiting: run() takes it
    newest = _less_memory(snapshot, frame)
    assert not judge.submit(newest)
    await judge.run()
    assert judge.judged is newest and judge.updates == 1
    assert seen.bests == scratch_best(newest)


async def test_close_stops_judging_between_frames(monkeypatch):
    snapshot = await _base()
    seen = Recorder()
    judge = BackgroundJudge(seen)
    judging = judge._update

    def quit_meanwhile(snapshot, loop):
        judge.close()  # quitting while the worker thread judges
        return judging(snapshot, loop)

    monkeypatch.setattr(judge, "_update", quit_meanwhile)
    assert judge.submit(snapshot)
    await judge.run()
    assert seen.batches == [] and judge.judged is None and not judge.busy
    frames = sum(len(h.frames) for h in snapshot.hmcs)
    assert 0 < len(judge.judge.partitions()) < 96 // frames + 1  # stopped after one frame
    assert not judge.submit(snapshot)  # closed: nothing more is judged


async def test_a_rule_that_raises_is_reported_not_raised(monkeypatch):
    seen = Recorder()
    judge = BackgroundJudge(seen)

    def broken(snapshot):
        raise ValueError("bad data")

    monkeypatch.setattr(judge.judge, "update", broken)
    assert judge.submit(await _base())
    await judge.run()
    assert judge.error == "ValueError: bad data" and seen.batches == [{}]


async def test_the_first_judging_can_be_stopped_while_its_targets_are_counted_in():
    """Counting 500 new targets in (before any partition is judged) took ~0.8 s at 20,000
    partitions, and quitting waited for it: it reports progress every 16 targets too."""
    from lpmtui.cli.check import collect
    from lpmtui.eligibility.incremental import IncrementalJudge
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.sim.generate import generate
    from lpmtui.simlink import sim_links

    snapshot = await collect(Fleet(sim_links(generate(hmcs=2, frames=40, partitions=80))))
    judge, calls = IncrementalJudge(), []

    class Stop(Exception):
        pass

    def progress(keys):
        calls.append((list(keys), judge.judged))
        raise Stop

    judge.progress = progress
    try:
        judge.update(snapshot)
    except Stop:
        pass
    assert calls == [([], 0)]  # stopped before a single pair was compared
