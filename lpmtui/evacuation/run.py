"""Run an evacuation or return-home plan through the migration manager, and remember it.

Safety is the manager's, with one confirmation for the whole plan: the user types the frame's
name (``confirmed_frame``); read-only consoles are refused before anything is recorded or
sent (the manager audits each refused move).
An evacuation is recorded (``evacuations.jsonl`` beside the journal, 0600) *before* its first
migration is queued, so "bring home" knows what left even if the console dies mid-way. Each
move is then an ordinary queued migration: journaled, audited (with the plan's confirmation),
limited, watched, stoppable. When every move of a bring-home has ended, what came home is
written down too (``evacuation.records``), so a closed evacuation is never planned again.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, replace
from typing import Any

from lpmtui.evacuation.plan import EVACUATE, EvacuationPlan, PastEvacuation, Stay
from lpmtui.evacuation.records import EvacuationLog, evacuation_ids, record_when_ended
from lpmtui.migration.types import (
    ConfirmationError,
    MigrationError,
    MigrationProgress,
    ReadOnlyError,
)
from lpmtui.model import HmcMessage, ValidationResult

__all__ = ["EvacuationLog", "RunResult", "drop_refused", "run_plan", "validate_plan"]


@dataclass(frozen=True, slots=True)
class RunResult:
    started: tuple[MigrationProgress, ...]
    refused: tuple[str, ...]  # one line per move the manager would not queue
    evacuation: PastEvacuation | None = None  # as written down before its moves were queued
    # A bring-home: done once its moves have all ended and what came home is written down
    # (the lines written; the OSError if they could not be).
    recorded: asyncio.Future[list[dict[str, Any]]] | None = None


async def validate_plan(
    manager: Any, plan: EvacuationPlan, *, parallel: int = 2
) -> dict[str, ValidationResult]:
    """The HMC's own ``migrlpar -o v`` for every move of the plan (partition name -> result),
    ``parallel`` at a time so the console's polls keep channels. Allowed read-only; each is
    audited by the manager like any validation, and its summary goes with the migration."""
    gate = asyncio.Semaphore(parallel)

    async def one(move) -> tuple[str, ValidationResult]:
        async with gate:
            try:
                return move.partition, await manager.validate(move.request)
            except MigrationError as exc:  # no link for the frame any more: say so
                r = move.request
                return move.partition, ValidationResult(
                    r.partition,
                    r.source,
                    r.target,
                    None,
                    errors=(HmcMessage("", str(exc)),),
                    raw=str(exc),
                )

    return dict(await asyncio.gather(*(one(m) for m in plan.moves)))


def drop_refused(plan: EvacuationPlan, validations: dict[str, ValidationResult]) -> EvacuationPlan:
    """The plan without the moves the HMC refused: they stay, with the HMC's words as the
    reason (starting them would only fail)."""
    refused = {name for name, r in validations.items() if not r.ok}
    if not refused:
        return plan
    return replace(
        plan,
        moves=tuple(m for m in plan.moves if m.partition not in refused),
        stays=(
            *(
                Stay(m.partition, m.lpar_id, validation_line(validations[m.partition]))
                for m in plan.moves
                if m.partition in refused
            ),
            *plan.stays,
        ),
    )


def validation_line(result: ValidationResult) -> str:
    """One line for a move: ok, or the HMC's first error (verbatim) and how many more."""
    if result.ok:
        extra = (
            f" ({len(result.warnings)} warning(s): {result.warnings[0].text})"
            if result.warnings
            else ""
        )
        return f"HMC validation: ok{extra}"
    if result.rc is None and not result.errors:
        return "HMC validation: outcome unknown (connection lost)"
    first = result.errors[0] if result.errors else None
    raw = result.raw.strip().splitlines()
    text = f"{first.id} {first.text}".strip() if first else (raw[0] if raw else f"rc {result.rc}")
    more = f" (+{len(result.errors) - 1} more)" if len(result.errors) > 1 else ""
    return f"HMC validation failed: {text}{more}"


async def run_plan(
    manager: Any, plan: EvacuationPlan, *, confirmed_frame: str, log: EvacuationLog | None = None
) -> RunResult:
    """Queue every move of ``plan`` (the manager starts them as its limits allow)."""
    if manager.read_only:
        for move in plan.moves:  # the manager refuses each one and audits the refusal
            with contextlib.suppress(ReadOnlyError):
                await manager.start(move.request, confirmed_name=move.partition)
        raise ReadOnlyError(f"read-only console: {plan.title.lower()} refused; nothing was sent")
    if confirmed_frame != plan.frame:
        raise ConfirmationError(
            f"the typed name {confirmed_frame!r} does not match frame "
            f"{plan.frame!r}; nothing was started"
        )
    if not plan.moves:
        raise MigrationError(f"{plan.title.lower()}: nothing can move; nothing was started")
    evacuation = None
    if plan.action == EVACUATE and log is not None:
        try:
            evacuation = log.append(plan)
        except OSError as exc:
            raise MigrationError(
                f"cannot write {log.path}: {exc.strerror or exc}; nothing was started"
            ) from None
    confirmation = f"frame name typed ({plan.title.lower()}, {len(plan.moves)} partitions)"
    belongs = evacuation_ids(plan, evacuation)
    started, refused = [], []
    for move in plan.moves:
        try:
            started.append(
                await manager.start(
                    move.request,
                    confirmed_name=move.partition,
                    confirmation=confirmation,
                    typed=confirmed_frame,
                    evacuation=belongs.get(move.partition, ""),
                )
            )
        except MigrationError as exc:
            refused.append(f"{move.partition}: {exc}")
    recorded = record_when_ended(manager, plan, started, log) if log is not None else None
    return RunResult(tuple(started), tuple(refused), evacuation, recorded)
