"""The incremental judge: after any sequence of changes its best targets are those of judging
from scratch, and a one-frame change re-judges only the pairs it touches."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lpmtui.eligibility import rank_targets
from lpmtui.eligibility.incremental import IncrementalJudge
from lpmtui.eligibility.pair_counts import headroom, pack
from lpmtui.eligibility.rules_pair import counts_without_name
from lpmtui.model import FleetSnapshot, MigrationStatus
from tests.eligibility.caches import assert_caches_hold
from tests.eligibility.scratch import scratch_best


@functools.cache
def _base() -> FleetSnapshot:
    from lpmtui.cli.check import collect
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.sim.generate import generate
    from lpmtui.simlink import sim_links

    return asyncio.run(collect(Fleet(sim_links(generate(hmcs=3, frames=8, partitions=96)))))


def _judged(judge: IncrementalJudge) -> dict:
    return {k: (tuple(b) if (b := judge.best(k)) else None) for k in judge.partitions()}


def _assert_lowest_kept(judge: IncrementalJudge) -> None:
    """Every signature's lowest pair counts, and the targets that have them in headroom order
    (where walks end: kept, or dropped to be made again), are what counting them afresh on the
    frames that are up gives."""
    c = judge._counts
    assert c.lowest.keys() == c._lbn.keys() >= c._at.keys()
    for sig, lowest in c.lowest.items():
        every = [(pack(counts_without_name(c._rep[sig], t)), t) for t in judge._up]
        assert lowest == min(n for n, _ in every)
        at = [headroom(t) for n, t in every if n == lowest]
        assert c._lbn[sig] == len(at)
        assert c._at.get(sig, at) == at
        assert c.at_lowest(sig, judge._up) == at


# -- changes: each takes the fleet as [hmc, [frames]] lists and a draw ------------------------

STATES = ("Running", "Not Activated", "Suspended", "Error", "Migrating - Running", "Starting")
FRAME_STATES = ("Operating", "Operating", "Error", "Power Off", "No Connection", "")


def _clients(frame):
    return [i for i, p in enumerate(frame.partitions) if not p.is_vios]


def _with_partition(fleet, draw, change):
    frames = [(h, i) for h in range(len(fleet)) for i in range(len(fleet[h][1]))]
    frames = [(h, i) for h, i in frames if _clients(fleet[h][1][i])]
    if not frames:
        return
    h, i = draw(st.sampled_from(frames))
    f = fleet[h][1][i]
    j = draw(st.sampled_from(_clients(f)))
    parts = list(f.partitions)
    parts[j] = change(parts[j], draw)
    fleet[h][1][i] = replace(f, partitions=tuple(parts))


def partition_state(fleet, draw):
    _with_partition(fleet, draw, lambda p, d: replace(p, state=d(st.sampled_from(STATES))))


def partition_attributes(fleet, draw):
    def change(p, d):
        return replace(
            p,
            curr_mem=d(st.sampled_from((p.curr_mem, 1024, 65536, 10**7, None))),
            curr_proc_units=d(st.sampled_from((p.curr_proc_units, 0.1, 64.0, None))),
            lpar_env=d(st.sampled_from(("aixlinux", "aixlinux", "os400", ""))),
            curr_proc_compat_mode=d(st.sampled_from(("default", "POWER9", "POWER7", ""))),
            rmc_state=d(st.sampled_from(("active", "inactive"))),
        )

    _with_partition(fleet, draw, change)


def rename_onto_another_frame(fleet, draw):
    names = [p.name for _, frames in fleet for f in frames for p in f.partitions]
    _with_partition(fleet, draw, lambda p, d: replace(p, name=d(st.sampled_from(names))))


def frame_attributes(fleet, draw):
    h = draw(st.integers(0, len(fleet) - 1))
    if not fleet[h][1]:
        return
    i = draw(st.integers(0, len(fleet[h][1]) - 1))
    f = fleet[h][1][i]
    system = replace(
        f.system,
        state=draw(st.sampled_from(FRAME_STATES)),
        mem_available=draw(st.sampled_from((f.system.mem_available, 0, 10**7, None))),
        proc_units_available=draw(st.sampled_from((f.system.proc_units_available, 0.0, 500.0))),
        ibmi_mobility_capable=draw(st.sampled_from((True, False, None))),
        proc_compat_modes=draw(st.sampled_from((f.system.proc_compat_modes, ("default",)))),
    )
    cold = f.cold if draw(st.integers(0, 4)) else None
    fleet[h][1][i] = replace(f, system=system, cold=cold)


def remove_or_add_frame(fleet, draw, spare=[]):  # noqa: B006 - the removed frames, per run
    if spare and draw(st.booleans()):
        f = spare.pop()
        fleet[draw(st.integers(0, len(fleet) - 1))][1].append(f)
        return
    frames = [(h, i) for h in range(len(fleet)) for i in range(len(fleet[h][1]))]
    if len(frames) > 1:
        h, i = draw(st.sampled_from(frames))
        spare.append(fleet[h][1].pop(i))


def move_partition(fleet, draw):
    frames = [f for _, fs in fleet for f in fs]
    src = draw(st.sampled_from(frames))
    dst = draw(st.sampled_from(frames))
    if src is dst or not _clients(src):
        return
    j = draw(st.sampled_from(_clients(src)))
    moving = src.partitions[j]
    new_id = max(p.lpar_id for p in dst.partitions) + 1 if dst.partitions else 1
    moved = replace(moving, system=dst.system.name, lpar_id=new_id)
    for _, fs in fleet:
        for k, f in enumerate(fs):
            if f is src:
                fs[k] = replace(f, partitions=tuple(p for p in f.partitions if p is not moving))
            elif f is dst:
                fs[k] = replace(f, partitions=(*f.partitions, moved))


def hmc_attributes(fleet, draw):
    h = draw(st.integers(0, len(fleet) - 1))
    hmc = fleet[h][0]
    trust = tuple((peer, draw(st.sampled_from((True, False, None)))) for peer, _ in hmc.peer_trust)
    fleet[h][0] = replace(hmc, peer_trust=trust)


def source_facts(fleet, draw):
    """A source fact a partition reads changes, its partitions the same objects (source_key)."""
    h = draw(st.integers(0, len(fleet) - 1))
    if not fleet[h][1]:
        return
    i = draw(st.integers(0, len(fleet[h][1]) - 1))
    f = fleet[h][1][i]
    what = draw(st.sampled_from(("version", "service", "vios", "cold")))
    if what == "version":
        fleet[h][0] = replace(
            fleet[h][0], version=draw(st.sampled_from((None, _base().hmcs[h].version)))
        )
    elif what == "service" and _clients(f):
        lpar_id = f.partitions[draw(st.sampled_from(_clients(f)))].lpar_id
        fleet[h][1][i] = replace(f, system=replace(f.system, service_lpar_id=lpar_id))
    elif what == "vios":
        state = draw(st.sampled_from(("Running", "Not Activated")))
        parts = tuple(replace(p, state=state) if p.is_vios else p for p in f.partitions)
        fleet[h][1][i] = replace(f, partitions=parts)
    elif what == "cold" and f.cold is not None:
        cold = replace(f.cold, scsi=f.cold.scsi[1:], eth=f.cold.eth[1:])
        fleet[h][1][i] = replace(f, cold=cold)


def one_in_each_frame(fleet, draw):
    """The benchmark's 1%: a partition's memory in each of a few frames, the others the same
    objects."""
    for _ in range(draw(st.integers(1, 4))):
        _with_partition(fleet, draw, lambda p, d: replace(p, curr_mem=(p.curr_mem or 0) + 1024))


def processor_units_in_each_frame(fleet, draw):
    """The benchmark's 1% (sim.generate.with_new_units): a partition's processor units in
    each of a few frames, their systems, consoles and VIOSes the same objects (frame_key: each
    frame the same target as before, its other partitions keep their best targets)."""

    def change(p, d):
        return replace(p, curr_proc_units=round((p.curr_proc_units or 0.5) + 0.1, 2))

    for _ in range(draw(st.integers(1, 4))):
        _with_partition(fleet, draw, change)


def _one_frame(fleet, draw):
    frames = [(h, i) for h in range(len(fleet)) for i in range(len(fleet[h][1]))]
    return draw(st.sampled_from(frames)) if frames else (None, None)


def frame_rule_inputs(fleet, draw):
    """What only the frame rules read (frame_key.rules_key) changes with one of the frame's
    partitions: its firmware, region size or migrations in progress, a VIOS's MSP flag or RMC,
    or its console's trust. The frame reads the same to the pair rules, but is not the same
    target, and its other partitions do not keep their best targets."""
    h, i = _one_frame(fleet, draw)
    if h is None:
        return
    f = fleet[h][1][i]
    s = f.system
    what = draw(st.sampled_from(("firmware", "lmb", "running", "msp", "rmc", "trust")))
    if what == "firmware":
        f = replace(f, system=replace(s, firmware_level=draw(st.sampled_from(("", "FW1010.10")))))
    elif what == "lmb":
        f = replace(f, system=replace(s, mem_region_size=draw(st.sampled_from((None, 128, 1)))))
    elif what == "running":
        f = replace(f, system=replace(s, num_active_migrations_in_progress=draw(st.integers(0, 9))))
    elif what in ("msp", "rmc"):
        flip = {
            "msp": lambda v: replace(v, msp=not v.msp),
            "rmc": lambda v: replace(v, rmc_state=""),
        }
        f = replace(f, partitions=tuple(flip[what](p) if p.is_vios else p for p in f.partitions))
    else:
        hmc = fleet[h][0]
        trust = tuple((peer, not ok) for peer, ok in hmc.peer_trust)
        fleet[h][0] = replace(hmc, peer_trust=trust)
    if _clients(f) and draw(st.booleans()):
        j = draw(st.sampled_from(_clients(f)))
        parts = list(f.partitions)
        parts[j] = replace(parts[j], curr_mem=(parts[j].curr_mem or 0) + 1024)
        f = replace(f, partitions=tuple(parts))
    fleet[h][1][i] = f


def migration_listed(fleet, draw):
    """lslparmigr lists one of a frame's partitions migrating to another frame, maybe onto a
    namesake there (rules_name.own_shell reads FrameFacts.migrating_to), or the list empties;
    the frame's partitions the same objects."""
    h, i = _one_frame(fleet, draw)
    if h is None:
        return
    f = fleet[h][1][i]
    others = [
        (g, k) for g in range(len(fleet)) for k in range(len(fleet[g][1])) if (g, k) != (h, i)
    ]
    if f.migrations or not _clients(f) or not others:
        fleet[h][1][i] = replace(f, migrations=())
        return
    p = f.partitions[draw(st.sampled_from(_clients(f)))]
    g, k = draw(st.sampled_from(others))
    dest = fleet[g][1][k]
    status = MigrationStatus(p.name, p.lpar_id, "Migration Starting", "active", dest.system.name)
    fleet[h][1][i] = replace(f, migrations=(status,))
    if _clients(dest) and draw(st.booleans()):  # its namesake there: its own shell
        j = draw(st.sampled_from(_clients(dest)))
        parts = list(dest.partitions)
        parts[j] = replace(parts[j], name=p.name)
        fleet[g][1][k] = replace(dest, partitions=tuple(parts))


def copy_everything(fleet, draw):
    """Equal but new objects everywhere (a collector that does not reuse unchanged frames)."""
    for entry in fleet:
        entry[1] = [
            replace(f, partitions=tuple(replace(p) for p in f.partitions)) for f in entry[1]
        ]


CHANGES = (
    partition_state,
    partition_attributes,
    rename_onto_another_frame,
    frame_attributes,
    remove_or_add_frame,
    move_partition,
    hmc_attributes,
    source_facts,
    one_in_each_frame,
    processor_units_in_each_frame,
    frame_rule_inputs,
    migration_listed,
    copy_everything,
)


def _snapshot(fleet, taken: float) -> FleetSnapshot:
    return FleetSnapshot(tuple(replace(h, frames=tuple(fs)) for h, fs in fleet), taken)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_incremental_verdicts_equal_judging_fromscratch_best(data):
    base = _base()
    fleet = [[h, list(h.frames)] for h in base.hmcs]
    remove_or_add_frame.__defaults__[0].clear()
    judge = IncrementalJudge()
    judge._counts.keep_lists = data.draw(st.sampled_from((0, 1, 16)))  # kept or made again
    before = scratch_best(base)
    judge.update(base)
    assert _judged(judge) == before
    parts = {k: judge.partition(k) for k in judge.partitions()}
    for step in range(data.draw(st.integers(1, 6))):
        for change in data.draw(st.lists(st.sampled_from(CHANGES), min_size=1, max_size=3)):
            change(fleet, data.draw)
        snapshot = _snapshot(fleet, 2.0 + step)
        changed = judge.update(snapshot)
        now = scratch_best(snapshot)
        assert _judged(judge) == now
        _assert_lowest_kept(judge)
        assert_caches_hold(judge)
        # reported: exactly the partitions whose best target or counts changed, that came,
        # went, or now read otherwise; not the others of a changed frame
        now_parts = {k: judge.partition(k) for k in judge.partitions()}
        assert changed == {
            k
            for k in now.keys() | before.keys()
            if now.get(k) != before.get(k) or now_parts.get(k) != parts.get(k)
        }
        before, parts = now, now_parts


def test_ranked_is_rank_targets_on_the_judged_snapshot():
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    key = next(iter(judge.partitions()))
    fresh = rank_targets(FleetSnapshot(base.hmcs, base.taken_at), key)
    assert [(v.target_system, v.fails, v.rank) for v in judge.ranked(key)] == [
        (v.target_system, v.fails, v.rank) for v in fresh
    ]
    assert judge.ranked(key)[0].target_system == judge.best(key).target_system


def test_a_one_frame_change_rejudges_only_the_pairs_it_touches():
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    frames = [f for h in base.hmcs for f in h.frames]
    first = judge.judged
    changed = frames[3]
    on_it = sum(1 for p in changed.partitions if not p.is_vios)
    best_there = sum(
        1 for k in judge.partitions() if judge.best(k).target_system == changed.system.name
    )
    mobile = len(list(judge.partitions()))
    system = replace(changed.system, mem_available=changed.system.mem_available - 1024)
    hmcs = [
        replace(h, frames=tuple(replace(f, system=system) if f is changed else f for f in h.frames))
        for h in base.hmcs
    ]
    judge.judged = 0
    judge.update(FleetSnapshot(tuple(hmcs), 2.0))
    others = len(frames) - 1
    # its own partitions walk again (at most every target), every other partition compares its
    # best with the changed frame once, and those whose best it was walk again
    assert judge.judged <= on_it * others + (mobile - on_it) + best_there * others
    assert judge.judged < mobile * others / 2 < first * 4
    assert _judged(judge) == scratch_best(FleetSnapshot(tuple(hmcs), 2.0))
    judge.judged = 0
    assert judge.update(FleetSnapshot(tuple(hmcs), 3.0)) == set()  # nothing changed
    assert judge.judged == 0


def _compat_fleet(frame_of) -> FleetSnapshot:
    """The base fleet with every partition in POWER7 mode and every frame equally roomy (so
    frames rank by name), but for what ``frame_of(name)`` gives: (processor modes, memory)."""
    base = _base()
    hmcs = []
    for h in base.hmcs:
        frames = []
        for f in h.frames:
            modes, mem = frame_of(f.system.name)
            system = replace(
                f.system, mem_available=mem, proc_units_available=500.0, proc_compat_modes=modes
            )
            parts = tuple(
                p
                if p.is_vios
                else replace(p, curr_proc_compat_mode="POWER7", desired_proc_compat_mode="POWER7")
                for p in f.partitions
            )
            frames.append(replace(f, system=system, partitions=parts))
        hmcs.append(replace(h, frames=tuple(frames)))
    return FleetSnapshot(tuple(hmcs), 1.0)


def test_a_changed_frame_that_becomes_the_only_passing_target_is_found_by_every_walk():
    names = sorted(f.system.name for h in _base().hmcs for f in h.frames)
    # full and last: no memory free, so they never hold a partition's lowest counts
    last, full = names[-1], names[2]
    roomy = 10**7

    def before(n):
        return ("default", "POWER8"), 0 if n in (full, last) else roomy

    judge = IncrementalJudge()
    judge.update(_compat_fleet(before))
    assert {judge.best(k).target_system for k in judge.partitions()} <= {names[0], names[1]}

    # the last frame by name takes POWER7 and room: it lowers the partitions' lowest counts;
    # the full frame changes at the same time, and its partitions walking again must find it
    def after(n):
        if n == last:
            return ("default", "POWER7"), roomy
        return (("default", "POWER8", "POWER9"), 0) if n == full else before(n)

    snap = _compat_fleet(after)
    judge.update(snap)
    assert _judged(judge) == scratch_best(snap)
    assert {judge.best(k).target_system for k in judge.partitions() if k[0] != last} == {last}

    # and gives it up: its lowest counts go with it, so the walks stop at the first frame again
    on_last = {k for k in judge.partitions() if k[0] == last}
    mobile = len(list(judge.partitions()))
    judge.judged = 0
    snap = _compat_fleet(before)
    judge.update(snap)
    assert _judged(judge) == scratch_best(snap)
    assert judge.judged <= 2 * mobile + (len(on_last) + 12) * (len(names) - 1)


def test_a_frame_nobody_would_pick_is_compared_with_its_own_partitions_only():
    base = _base()
    judge = IncrementalJudge()
    judge.update(base)
    frames = [f for h in base.hmcs for f in h.frames]
    chosen = {judge.best(k).target_system for k in judge.partitions()}
    # the frame with the least free memory, which nobody picks: less memory keeps it last
    last = min(
        (f for f in frames if f.system.name not in chosen),
        key=lambda f: (f.system.mem_available, f.system.name),
    )
    on_it = sum(1 for p in last.partitions if not p.is_vios)
    system = replace(last.system, mem_available=last.system.mem_available - 1024)
    hmcs = [
        replace(h, frames=tuple(replace(f, system=system) if f is last else f for f in h.frames))
        for h in base.hmcs
    ]
    judge.judged = 0
    changed = judge.update(FleetSnapshot(tuple(hmcs), 2.0))
    assert judge.judged <= on_it * (len(frames) - 1) + len(judge._unsettled)
    assert changed == set()  # its partitions are the same and so are their best targets
    assert _judged(judge) == scratch_best(FleetSnapshot(tuple(hmcs), 2.0))


def test_the_best_target_of_most_changing_rewalks_from_the_targets_at_the_lowest_counts():
    names = sorted(f.system.name for h in _base().hmcs for f in h.frames)
    # the first five frames by name lack POWER7: no partition's lowest counts, looked at by
    # every walk that passes them; the sixth is everyone's best
    best, roomy = names[5], 10**7

    def before(n):
        return (("default", "POWER8") if n < best else ("default", "POWER7")), roomy

    judge = IncrementalJudge()
    judge.update(_compat_fleet(before))
    best_there = {k for k in judge.partitions() if judge.best(k).target_system == best}
    assert len(best_there) == len(list(judge.partitions())) - sum(
        1 for k in judge.partitions() if k[0] == best
    )

    def after(n):  # a little less memory: last in headroom order, still every rule passed
        return before(n)[0], roomy - 1024 if n == best else roomy

    snap = _compat_fleet(after)
    judge.judged = 0
    judge.update(snap)
    assert _judged(judge) == scratch_best(snap)
    on_it = len(list(judge.partitions())) - len(best_there)
    # its own partitions walk anew; each whose best it was looks at the next frame with its
    # lowest counts and is done (not at the five that cannot have them)
    assert judge.judged <= on_it * (len(names) - 1) + len(best_there)
