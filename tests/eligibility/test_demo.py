"""The demo fleet, collected in-process: local checks against the simulated HMC's own
validation for every partition x target pair, and the failures the demo shows."""

from __future__ import annotations

import pytest

from lpmtui.cli.check import collect
from lpmtui.eligibility import (
    RULES,
    AgreementKind,
    CheckStatus,
    compare,
    evaluate,
    frame_source_check,
    matrix,
)
from lpmtui.fleet.fleet import Fleet
from lpmtui.sim.world.state import World
from lpmtui.simlink import sim_links

# The source-frame rules show at frame level: a frame that is down lists no partitions, and the
# console shows the frame's one check when it is selected (frame_source_check).
NEVER_FAILS = {"lpar.console", "lpar.network_sea"}  # unknown / warn only


@pytest.fixture
async def demo():
    fleet = Fleet(sim_links(World.demo()))
    return fleet, await collect(fleet)


async def test_local_checks_agree_with_the_hmc_on_every_demo_pair(demo):
    fleet, snap = demo
    pairs = unknown = 0
    for (system, lpar_id), verdicts in matrix(snap).items():
        for v in verdicts:
            validation = await fleet.validate(system, lpar_id, v.target_system)
            agreements = compare(v, validation)
            bad = [
                (a.rule_id, a.kind.value, a.hmc, a.note)
                for a in agreements
                if a.kind in (AgreementKind.HMC_ONLY, AgreementKind.LOCAL_ONLY)
            ]
            assert not bad, (v, validation.raw, bad)
            # Where the local data cannot show a rule it says unknown (and why); accepted.
            for a in agreements:
                if a.kind is AgreementKind.UNKNOWN:
                    unknown += 1
                    assert a.note
            if v.migratable:  # the HMC objects only to what no listing shows (an open console)
                blind = {c.rule_id for c in v.checks if c.blind}
                assert validation.ok or all(a.rule_id in blind for a in agreements if a.hmc), (
                    v,
                    validation.raw,
                )
            pairs += 1
    assert pairs >= 250 and unknown > 0


async def test_the_demo_shows_every_failure_the_fleet_file_stages(demo):
    _, snap = demo
    failing = set()
    for verdicts in matrix(snap).values():
        for v in verdicts:
            failing |= {c.rule_id for c in v.checks if c.status is CheckStatus.FAIL}
    vios = next(p for h in snap.hmcs for f in h.frames for p in f.partitions if p.is_vios)
    other = next(
        f.system.name
        for h in snap.hmcs
        for f in h.frames
        if f.system.name != vios.system and f.system.operating
    )
    failing |= {
        c.rule_id for c in evaluate(snap, vios, other).checks if c.status is CheckStatus.FAIL
    }
    for frame in (f.system.name for h in snap.hmcs for f in h.frames):
        check = frame_source_check(snap, frame)
        if check is not None and check.status is CheckStatus.FAIL:
            failing.add(check.rule_id)
    every = {r.rule_id for r in RULES} - NEVER_FAILS
    assert every <= failing, sorted(every - failing)
    # the two that never fail show what they do say instead: a warning, and unknown (blind)
    shown = {
        (c.rule_id, c.status)
        for verdicts in matrix(snap).values()
        for v in verdicts
        for c in v.checks
        if c.rule_id in NEVER_FAILS
    }
    assert {("lpar.network_sea", CheckStatus.WARN), ("lpar.console", CheckStatus.UNKNOWN)} <= shown


async def test_the_target_vios_level_worked_out_per_frame_matches_the_vioses_it_stands_for(demo):
    from lpmtui.eligibility.checks import FAIL, PASS, UNKNOWN
    from lpmtui.eligibility.evaluate import partition_facts
    from lpmtui.eligibility.index import index_of
    from lpmtui.eligibility.rules_pair import _target_vioses, vios_level_status
    from lpmtui.eligibility.rules_vios import level_status

    _, snap = demo
    idx = index_of(snap)
    seen = set()
    for src in idx.frames.values():
        for lp in src.frame.partitions:
            if lp.is_vios:
                continue
            p = partition_facts(idx, src, lp)
            for t in idx.frames.values():
                found = _target_vioses(p, t) if p.adapters is not None else None
                spelled = UNKNOWN if found is None else level_status(found) if found else PASS
                assert vios_level_status(p, t) is spelled, (lp.name, t.name)
                seen.add(spelled)
    assert {PASS, FAIL} <= seen
