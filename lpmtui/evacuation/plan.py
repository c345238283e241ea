"""Evacuate a frame and bring its partitions home: the plan (no Textual, no I/O).

``plan_evacuation(snapshot, frame)`` places every client partition of a frame on another frame:
largest memory first, each on a target whose checks pass (``lpmtui.eligibility.rank_targets``)
and that still has room (memory, processor units, VIOS virtual slots) once the partitions placed
before it are counted; among those, one that need not wait for a slot, then the one with the
most memory left, so the moves spread. Concurrency limits do not block a placement: they only
make a migration wait in the manager's queue. A partition that cannot go anywhere stays, with
the reason in one line.

``plan_return(snapshot, evacuation)`` reverses a recorded evacuation: every partition still on the
frame it was moved to (by name, on that frame) goes back to its home frame, checked the same way;
one that is home already, has moved on since, or was never moved, is left alone and says so.
Partitions an earlier bring-home brought back (``PastEvacuation.returned``) are not planned again.

Running a plan (confirmation, read-only, the evacuation written down before anything is sent) is
``lpmtui.evacuation.run``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lpmtui.eligibility import CheckStatus, EligibilityError, Verdict, evaluate, rank_targets
from lpmtui.migration.types import MigrationRequest
from lpmtui.model import FleetSnapshot, FrameSnapshot, Partition

EVACUATE = "evacuate"
RETURN = "return home"

# Failures that only mean "not now": the manager's queue waits for a free slot. (Frame rules,
# so Verdict.fails_only can answer for them cheaply.)
WAITS = frozenset({"console.concurrency.source", "console.concurrency.target"})


@dataclass(frozen=True, slots=True)
class PlannedMove:
    partition: str
    lpar_id: int
    source: str
    target: str
    target_hmc: str
    kind: str
    mem_mb: int
    proc_units: float
    request: MigrationRequest
    notes: tuple[str, ...] = ()  # warnings, and why it may wait (a concurrency limit)


@dataclass(frozen=True, slots=True)
class Stay:
    partition: str
    lpar_id: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class EvacuationPlan:
    """What would move where (``moves``, in the order they are queued) and what stays."""

    action: str  # EVACUATE or RETURN
    frame: str  # the frame being emptied, or the home frame partitions return to
    hmc: str
    moves: tuple[PlannedMove, ...] = ()
    stays: tuple[Stay, ...] = ()
    made_at: float = field(default_factory=time.time)
    # A bring-home only: each evacuation it reverses (id, its partitions not yet returned), and
    # those of them found home already: when its moves have ended, what is home is written down.
    reverses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    found_home: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{'Evacuate' if self.action == EVACUATE else 'Bring home to'} {self.frame}"


@dataclass(frozen=True, slots=True)
class PastEvacuation:
    """An evacuation as written down before its first migration was queued (``evacuation.run``)."""

    id: str
    frame: str
    hmc: str
    at: str
    moves: tuple[tuple[str, str], ...]  # (partition name, the frame it was sent to)
    returned: tuple[str, ...] = ()  # brought home since (``evacuation.records``)

    @property
    def open_moves(self) -> tuple[tuple[str, str], ...]:
        """The moves not yet reversed: what a bring-home still has to look for."""
        return tuple(m for m in self.moves if m[0] not in self.returned)

    @property
    def closed(self) -> bool:
        return not self.open_moves


def _frame_or_fail(snapshot: FleetSnapshot, frame: str) -> tuple[str, FrameSnapshot]:
    found = snapshot.frame(frame)
    if found is None:
        raise EligibilityError(f"no frame {frame!r} in the fleet")
    return found


def _migrating(frame: FrameSnapshot, p: Partition) -> bool:
    if p.state.startswith("Migrating"):
        return True
    return any(m.lpar_id == p.lpar_id and m.migrating for m in frame.migrations)


RemoteUser = str | Mapping[str, str]  # one user for every remote HMC, or per HMC name


def _request(snapshot: FleetSnapshot, v: Verdict, remote_user: RemoteUser) -> MigrationRequest:
    remote, user = "", ""
    if v.remote:
        hmc = next((h for h in snapshot.hmcs if h.hmc == v.target_hmc), None)
        remote = (hmc.peer_address or hmc.host) if hmc else v.target_hmc
        user = (
            remote_user
            if isinstance(remote_user, str)
            else remote_user.get(v.target_hmc) or "hscroot"
        )
    return MigrationRequest(
        partition=v.partition_name,
        source=v.source_system,
        target=v.target_system,
        lpar_id=v.partition[1],
        kind=v.kind,
        remote_hmc=remote,
        remote_user=user,
    )


def _acceptable(v: Verdict) -> bool:
    """Passes once running migrations leave room: no failure beyond the concurrency limits and
    nothing counted unknown. The counts decide most verdicts without assembling their checks."""
    if v.unknowns or v.fails > len(WAITS):
        return False
    return v.fails == 0 or v.fails_only(WAITS)


def _notes(v: Verdict) -> tuple[str, ...]:
    notes = []
    for c in v.checks:
        if c.status is CheckStatus.FAIL:  # a concurrency limit (see _acceptable)
            notes.append(f"waits: {c.reason}")
        elif c.status is CheckStatus.WARN:
            notes.append(f"{c.title}: {c.reason}")
    return tuple(notes)


def _why_not(verdicts: list[Verdict]) -> str:
    """One line: the best target and what fails there."""
    if not verdicts:
        return "no other frame in the fleet"
    best = verdicts[0]
    bad = [
        c
        for c in best.checks
        if (c.status is CheckStatus.FAIL and c.rule_id not in WAITS)
        or (c.status is CheckStatus.UNKNOWN and not c.blind)
    ]
    bad.sort(key=lambda c: c.rule_id != "lpar.state")  # a state no mobility fits says it all
    shown = "; ".join(f"{c.title}: {c.reason}" for c in bad[:2])
    more = f" (+{len(bad) - 2} more)" if len(bad) > 2 else ""
    return f"best target {best.target_system}: {shown}{more}"


class _Room:
    """Free memory (MB), processor units and VIOS virtual slots per target, less what this
    plan has placed there already."""

    def __init__(self) -> None:
        self.used: dict[str, tuple[int, float, int]] = {}

    def fits(self, v: Verdict) -> bool:
        mem_left, proc_left = v.headroom  # after this partition alone
        slots_left = v.slots_left
        mem, proc, slots = self.used.get(v.target_system, (0, 0.0, 0))
        return (
            (mem_left is None or mem_left - mem >= 0)
            and (proc_left is None or proc_left - proc >= -1e-9)
            and (slots_left is None or slots_left - slots >= 0)
        )

    def preference(self, v: Verdict) -> tuple:
        """Targets that need not wait for a slot first, then fewest warnings, then the most
        memory (then processors) left once this plan's earlier moves are counted: the moves
        spread over the targets instead of filling the emptiest one first."""
        mem_left, proc_left = v.headroom
        mem, proc, _ = self.used.get(v.target_system, (0, 0.0, 0))
        return (
            v.fails,
            v.warns,
            -((mem_left or 0) - mem),
            -((proc_left or 0.0) - proc),
            v.target_system,
        )

    def take(self, v: Verdict) -> tuple[int, float]:
        mem, proc, slots = (x or 0 for x in v.need)
        m, p, s = self.used.get(v.target_system, (0, 0.0, 0))
        self.used[v.target_system] = (m + mem, p + proc, s + slots)
        return mem, proc


def _place(
    snapshot: FleetSnapshot, room: _Room, ranked: list[Verdict], remote_user: RemoteUser
) -> tuple[PlannedMove | None, str]:
    usable = sorted((v for v in ranked if _acceptable(v)), key=room.preference)
    for v in usable:
        if room.fits(v):
            mem, proc = room.take(v)
            return PlannedMove(
                partition=v.partition_name,
                lpar_id=v.partition[1],
                source=v.source_system,
                target=v.target_system,
                target_hmc=v.target_hmc,
                kind=v.kind or "",
                mem_mb=mem,
                proc_units=proc,
                request=_request(snapshot, v, remote_user),
                notes=_notes(v),
            ), ""
    if usable:
        mem, proc, slots = (x or 0 for x in usable[0].need)
        return None, (
            f"no target has room left once the other partitions are placed (needs "
            f"{mem // 1024} GB, {proc:g} processor units, {slots} virtual slots)"
        )
    return None, _why_not(ranked)


def plan_evacuation(
    snapshot: FleetSnapshot,
    frame: str,
    *,
    remote_user: RemoteUser = "hscroot",
    exclude: tuple[str, ...] = (),
) -> EvacuationPlan:
    """Every client partition of ``frame`` placed on another frame, or told why it stays.
    ``exclude`` names frames not to use as targets (e.g. the next one in maintenance)."""
    hmc, fs = _frame_or_fail(snapshot, frame)
    moves, stays = [], []
    room = _Room()
    clients = [p for p in fs.partitions if not p.is_vios]
    if not fs.system.operating:
        reason = f"{frame} is {fs.system.state or 'not reported'}, not Operating"
        return EvacuationPlan(
            EVACUATE, frame, hmc, stays=tuple(Stay(p.name, p.lpar_id, reason) for p in clients)
        )
    for p in sorted(clients, key=lambda p: (-(p.curr_mem or 0), p.name)):
        if _migrating(fs, p):
            stays.append(Stay(p.name, p.lpar_id, f"already migrating ({p.state})"))
            continue
        ranked = [v for v in rank_targets(snapshot, p) if v.target_system not in exclude]
        move, why = _place(snapshot, room, ranked, remote_user)
        if move is None:
            stays.append(Stay(p.name, p.lpar_id, why))
        else:
            moves.append(move)
    return EvacuationPlan(EVACUATE, frame, hmc, tuple(moves), tuple(stays))


def plan_return(
    snapshot: FleetSnapshot,
    evacuation: PastEvacuation,
    *,
    older: Sequence[PastEvacuation] = (),
    remote_user: RemoteUser = "hscroot",
) -> EvacuationPlan:
    """The partitions an evacuation moved, back to their home frame where they can go.

    ``older`` evacuations of the same frame (newest first; one that a console restart cut
    short, then a second run for the rest) add the partitions still on the frame they were
    sent to; their others (home already, or moved on since) are history and not listed.
    Partitions already returned, and closed evacuations, are not looked for at all."""
    hmc, home = _frame_or_fail(snapshot, evacuation.frame)
    moves, stays, found_home = [], [], []
    room = _Room()
    at_home = {p.name for p in home.partitions}
    records = [evacuation, *(old for old in older if not old.closed)]
    seen: set[str] = set()
    wanted = []
    for record in records:
        for name, went_to in record.open_moves:
            if name not in seen:
                seen.add(name)
                wanted.append((name, went_to, record is evacuation))
    for name, went_to, newest in wanted:
        found = snapshot.frame(went_to)
        there = next((p for p in found[1].partitions if p.name == name), None) if found else None
        if there is None:  # only a partition where the record says it went is ever moved
            if name in at_home:
                found_home.append(name)
            if newest:
                where = "already home" if name in at_home else f"not on {went_to} any more"
                stays.append(Stay(name, None, where))
            continue
        if _migrating(found[1], there):
            stays.append(Stay(name, there.lpar_id, f"migrating on {went_to} ({there.state})"))
            continue
        try:
            verdict = evaluate(snapshot, there, evacuation.frame)
        except EligibilityError as exc:
            stays.append(Stay(name, there.lpar_id, str(exc)))
            continue
        move, why = _place(snapshot, room, [verdict], remote_user)
        if move is None:
            stays.append(Stay(name, there.lpar_id, why.replace("best target ", "home ")))
        else:
            moves.append(move)
    return EvacuationPlan(
        RETURN,
        evacuation.frame,
        hmc,
        tuple(moves),
        tuple(stays),
        reverses=tuple((r.id, tuple(n for n, _ in r.open_moves)) for r in records),
        found_home=tuple(found_home),
    )


def plan_lines(plan: EvacuationPlan, command_line: Any = None) -> list[str]:
    """The plan as text for ``lpmtui evacuate`` and change tickets (commands when given a
    ``command_line(request)`` function)."""
    lines = [f"{plan.title} ({plan.hmc}): {len(plan.moves)} to move, {len(plan.stays)} stay"]
    for m in plan.moves:
        lines.append(
            f"  move  {m.partition[:24]:24} {m.kind:9} {m.mem_mb // 1024:>5} GB "
            f"{m.proc_units:>5g}u -> {m.target} ({m.target_hmc})"
        )
        lines.extend(f"        {n}" for n in m.notes)
        if command_line is not None:
            lines.append(f"        $ {command_line(m.request)}")
    for s in plan.stays:
        lines.append(f"  stay  {s.partition[:24]:24} {s.reason}")
    return lines


def plan_dict(plan: EvacuationPlan, command_line: Any = None) -> dict[str, Any]:
    return {
        "action": plan.action,
        "frame": plan.frame,
        "hmc": plan.hmc,
        "moves": [
            {
                "partition": m.partition,
                "lpar_id": m.lpar_id,
                "source": m.source,
                "target": m.target,
                "target_hmc": m.target_hmc,
                "kind": m.kind,
                "mem_mb": m.mem_mb,
                "proc_units": m.proc_units,
                "notes": list(m.notes),
                **({"command": command_line(m.request)} if command_line else {}),
            }
            for m in plan.moves
        ],
        "stays": [
            {"partition": s.partition, "lpar_id": s.lpar_id, "reason": s.reason} for s in plan.stays
        ],
    }
