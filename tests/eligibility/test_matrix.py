"""The fleet matrix: every pair, ranked, and its shortcuts agreeing with the full checks."""

from __future__ import annotations

import importlib.util
import itertools
import random
from dataclasses import replace
from pathlib import Path

from lpmtui.eligibility import CheckStatus, evaluate, matrix, rank_targets
from lpmtui.model import FleetSnapshot, FrameSnapshot, HmcSnapshot

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_eligibility.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_eligibility", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _varied(seed: int = 7) -> FleetSnapshot:
    """The benchmark's synthetic fleet, small, with some IBM i, failed and cold-less frames."""
    snap = _bench_module().synthetic(240, 8, hmcs=2, seed=seed)
    rng = random.Random(seed)
    hmcs = []
    for h in snap.hmcs:
        frames = []
        for f in h.frames:
            parts = tuple(
                replace(p, lpar_env="os400", os_version="IBM i 7.3")
                if not p.is_vios and rng.random() < 0.1
                else p
                for p in f.partitions
            )
            system = f.system
            if rng.random() < 0.2:
                system = replace(system, ibmi_mobility_capable=rng.choice((False, None)))
            cold = f.cold if rng.random() < 0.8 else None
            frames.append(FrameSnapshot(system, parts, f.migrations, cold))
        hmcs.append(replace(h, frames=tuple(frames)))
    first = hmcs[0]
    failed = replace(first.frames[0], system=replace(first.frames[0].system, state="Error"))
    hmcs[0] = replace(first, frames=(failed, *first.frames[1:]))
    return FleetSnapshot(tuple(hmcs), 1.0)


def test_matrix_counts_match_the_full_checks():
    snap = _varied()
    result = matrix(snap)
    assert len(result) == 240
    seen = set()
    for verdicts in result.values():
        assert len(verdicts) == 7
        for v in verdicts:
            checks = v.checks
            fails = sum(c.status is CheckStatus.FAIL for c in checks)
            warns = sum(c.status is CheckStatus.WARN for c in checks)
            unknowns = sum(c.status is CheckStatus.UNKNOWN and not c.blind for c in checks)
            assert (v.fails, v.warns, v.unknowns) == (fails, warns, unknowns), v
            seen.add(v.status)
    assert {CheckStatus.FAIL, CheckStatus.UNKNOWN} <= seen


def test_matrix_ranks_passing_targets_first_then_fewest_failures_then_headroom():
    snap = _varied(3)
    for verdicts in matrix(snap).values():
        keys = [(v.target_down, v.fails, v.unknowns, v.warns) for v in verdicts]
        assert keys == sorted(keys)
        for a, b in itertools.pairwise(verdicts):
            if (a.target_down, a.fails, a.unknowns, a.warns) == (
                b.target_down,
                b.fails,
                b.unknowns,
                b.warns,
            ):
                ha, hb = a.headroom, b.headroom
                assert (ha[0] or 0) >= (hb[0] or 0)


def test_matrix_verdicts_equal_evaluate():
    snap = _varied(5)
    for key, verdicts in list(matrix(snap).items())[:40]:
        for v in verdicts:
            single = evaluate(snap, key, v.target_system)
            assert [(c.rule_id, c.status, c.reason) for c in single.checks] == [
                (c.rule_id, c.status, c.reason) for c in v.checks
            ]


def test_rank_targets_skips_the_source_and_covers_remote_hmcs(fleet):
    ranked = rank_targets(fleet.snapshot(), ("A", 3))
    assert [v.target_system for v in ranked] == ["B", "C"] or [v.target_system for v in ranked] == [
        "C",
        "B",
    ]
    assert {v.target_hmc for v in ranked} == {"hmc1", "hmc2"}
    assert any(v.remote for v in ranked)


def test_ranking_prefers_passing_then_headroom(fleet):
    fleet.system("C", mem_available=1 << 20)
    assert [v.target_system for v in rank_targets(fleet.snapshot(), ("A", 3))] == ["C", "B"]
    fleet.system("C", mem_region_size=128)
    assert [v.target_system for v in rank_targets(fleet.snapshot(), ("A", 3))] == ["B", "C"]


def test_matrix_leaves_out_vioses(fleet):
    keys = set(matrix(fleet.snapshot()))
    assert keys == {("A", 3), ("B", 3), ("C", 3)}


def test_empty_and_single_frame_fleets():
    assert matrix(FleetSnapshot()) == {}
    snap = _bench_module().synthetic(5, 1, hmcs=1)
    assert all(v == [] for v in matrix(snap).values())
    assert isinstance(snap.hmcs[0], HmcSnapshot)
