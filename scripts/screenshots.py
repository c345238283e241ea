"""Regenerate screenshots/*.svg from the demo fleet (the same World.demo as ``lpmtui demo``),
run in-process so the pictures do not depend on ports or timing.

    .venv/bin/python scripts/screenshots.py [--out screenshots]

Writes dashboard.svg, failing-checks.svg, help.svg, evacuation.svg, migration.svg and
evacuation-view.svg (an evacuation under way, ``E``) at 120x40.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lpmtui.common.clock import RealClock  # noqa: E402
from lpmtui.eligibility.checks import CheckStatus  # noqa: E402
from lpmtui.migration.types import MigrationRequest  # noqa: E402
from lpmtui.sim.world.state import World  # noqa: E402
from lpmtui.ui.app import LpmApp  # noqa: E402
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope  # noqa: E402
from lpmtui.ui.widgets.partition_table import PartitionTable  # noqa: E402
from lpmtui.wiring.backend import InProcessBackend  # noqa: E402

SIZE = (120, 40)
SIM_SPEED = 20.0  # a 30 GB migration reaches mid-way in a few seconds


async def _until(pilot, predicate, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if predicate():
            return
        await pilot.pause(0.1)
    raise SystemExit("screenshots: the demo did not reach the expected state in time")


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause(0.3)


def _save(app, out: Path, name: str) -> None:
    path = out / f"{name}.svg"
    path.write_text(app.export_screenshot(title=f"lpmtui demo: {name}"))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _most_failing(dashboard) -> str:
    """The non-VIOS partition whose best target still fails the most prerequisites."""

    def fails(key: str) -> int:
        ranked = dashboard.fleet_view.verdicts.ranked(dashboard.fleet_view.located[key].partition)
        return ranked[0].fails if ranked else 0

    keys = [k for k, loc in dashboard.fleet_view.located.items() if not loc.partition.is_vios]
    return max(keys, key=fails)


def _mobile(dashboard) -> MigrationRequest:
    """A running partition that passes every check towards its best target."""
    for loc in dashboard.fleet_view.located.values():
        p = loc.partition
        if p.is_vios or p.state != "Running":
            continue
        ranked = dashboard.fleet_view.verdicts.ranked(p)
        if ranked and CheckStatus(ranked[0].status) is CheckStatus.PASS:
            return MigrationRequest(
                partition=p.name,
                source=p.system,
                target=ranked[0].target_system,
                lpar_id=p.lpar_id,
                kind=ranked[0].kind,
            )
    raise SystemExit("screenshots: no partition in the demo passes every check")


async def capture(out: Path, state_dir: Path) -> None:
    backend = InProcessBackend(
        World.demo(clock=RealClock(speed=SIM_SPEED)),
        hot_interval=2.0,
        poll_interval=1.0,
        state_dir=state_dir,
    )
    app = LpmApp(backend, title="lpmtui demo")
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        await _until(pilot, lambda: len(table.keys) > 20)
        await _settle(app, pilot)
        _save(app, out, "dashboard")

        table.select_key(_most_failing(app.dashboard))
        await _settle(app, pilot)
        _save(app, out, "failing-checks")

        await pilot.press("question_mark")
        await _settle(app, pilot)
        _save(app, out, "help")
        await pilot.press("escape")

        app.dashboard.query_one(FleetTree).select_scope(Scope("frame", "P10-S1022-B"))
        await _settle(app, pilot)
        await pilot.press("e")
        await _settle(app, pilot)
        _save(app, out, "evacuation")
        await pilot.press("escape")
        table.focus()

        request = _mobile(app.dashboard)
        manager = backend.migration_manager
        await manager.validate(request)
        job = await manager.start(request, confirmed_name=request.partition)
        table.select_key(
            next(
                k
                for k, loc in app.dashboard.fleet_view.located.items()
                if loc.partition.name == request.partition
            )
        )

        def halfway() -> bool:
            percent = manager.job(job.job_id).percent
            return percent is not None and percent >= 30

        await _until(pilot, halfway, seconds=60)
        await _settle(app, pilot)
        _save(app, out, "migration")

        await _evacuation_view(app, pilot, out)
        await app.close_backend()


async def _evacuation_view(app, pilot, out: Path) -> None:
    """Evacuate P10-S1022-B (its name typed to confirm) and show its own view once moves ended."""
    frame = "P10-S1022-B"
    app.dashboard.query_one(FleetTree).select_scope(Scope("frame", frame))
    await _settle(app, pilot)
    await pilot.press("e")
    await _until(pilot, lambda: type(app.screen).__name__ == "EvacuateDialog")
    await pilot.press(*frame, "enter")
    await _until(pilot, lambda: type(app.screen).__name__ != "EvacuateDialog")
    tracker = app.dashboard.evacuations

    def some_done() -> bool:
        progress = tracker.progress()
        return bool(progress) and progress[-1].moved >= 2

    await _until(pilot, some_done, seconds=120)
    await pilot.press("E")
    await _until(pilot, lambda: type(app.screen).__name__ == "EvacuationView")
    app.clear_notifications()
    await _settle(app, pilot)
    _save(app, out, "evacuation-view")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lpmtui-shots-") as state:
        asyncio.run(capture(args.out, Path(state)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
