"""`q` while migrations run or wait: the console says what becomes of them and asks first;
with nothing in flight it quits at once."""

from __future__ import annotations

from lpmtui.migration.types import MigrationProgress, MigrationRequest, MigrationState
from lpmtui.ui.app import LpmApp
from lpmtui.ui.screens.quit_confirm import QuitScreen
from lpmtui.wiring.backend import ConsoleBackend, DemoBackend, InProcessBackend
from lpmtui.wiring.quit_notice import quit_notice
from tests.ui.test_with_simulator import SIZE, wait_for

S = MigrationState


def progress(n: int, state: MigrationState) -> MigrationProgress:
    return MigrationProgress(f"j{n}", f"lpar{n}", "A", "B", "active", state)


def test_real_hmcs_keep_migrating_and_the_next_start_re_attaches():
    jobs = [progress(1, S.IN_PROGRESS), progress(2, S.STARTING), progress(3, S.STOPPING)]
    jobs += [progress(4, S.SUCCEEDED), progress(5, S.QUEUED), progress(6, S.WAITING)]
    assert quit_notice(jobs, in_process=False) == (
        "3 migrations keep running on their HMCs; lpmtui re-attaches at its next start.\n"
        "2 migrations not sent yet (queued or waiting for a channel) were never sent to an HMC "
        "and will not be started.\n\nQuit lpmtui?"
    )
    assert quit_notice(jobs[:1], in_process=False) == (
        "1 migration keeps running on its HMC; lpmtui re-attaches at its next start."
        "\n\nQuit lpmtui?"
    )
    assert quit_notice([progress(1, S.SUCCEEDED), progress(2, S.FAILED)], in_process=False) is None
    assert not ConsoleBackend.migrations_end_on_quit
    assert DemoBackend.migrations_end_on_quit and InProcessBackend.migrations_end_on_quit


async def test_q_with_a_demo_migration_running_asks_and_says_quitting_ends_it(tmp_path):
    backend = InProcessBackend(state_dir=tmp_path)
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        manager = backend.migration_manager
        await wait_for(pilot, lambda: manager.fleet.snapshot.frame("P10-E1080-A") is not None)
        request = MigrationRequest(partition="app-01", source="P10-E1080-A", target="P10-S1022-B")
        job = await manager.start(request, confirmed_name="app-01")
        await wait_for(pilot, lambda: manager.job(job.job_id).state.running)

        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitScreen))
        text = str(app.screen.query_one("#quit-text").render())
        assert text == (
            "1 migration running on the demo's simulated HMCs. They live in this process: "
            "quitting ends the simulated HMCs and these migrations with them.\n\nQuit lpmtui?"
        )
        assert app.screen.focused.id == "stay"
        await pilot.press("escape")  # stay: nothing closed, the migration goes on
        await wait_for(pilot, lambda: not isinstance(app.screen, QuitScreen))
        assert app.backend is backend and app.is_running
        assert manager.job(job.job_id).state.running

        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitScreen))
        await pilot.click("#quit")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 0 and app.backend is None


async def test_q_with_nothing_in_flight_quits_at_once(tmp_path):
    backend = InProcessBackend(state_dir=tmp_path)
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 0 and app.backend is None
