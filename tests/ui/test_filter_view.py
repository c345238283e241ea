"""The ``/`` filter in the dashboard on its index: each keystroke, refresh, verdict and target
change shows exactly the rows ``rows.matches`` shows (verdicts as they are now), and a
keystroke that changes no row leaves the table alone."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from lpmtui.model import FleetSnapshot
from lpmtui.ui.rows import matches
from lpmtui.ui.widgets.partition_table import PartitionTable
from tests.ui.test_estate_scale import loaded_estate, settle


def expected(view) -> set[str]:
    text = view.filter_text
    return {k for k, loc in view.located.items() if matches(text, loc, view._mobility(loc).text)}


def renamed(snapshot: FleetSnapshot, key: str, name: str) -> FleetSnapshot:
    """The snapshot with one partition renamed (a new object, as a poll hands out)."""
    hmcs = []
    for hmc in snapshot.hmcs:
        frames = tuple(
            replace(
                f,
                partitions=tuple(
                    replace(p, name=name) if f"{p.system}/{p.lpar_id}" == key else p
                    for p in f.partitions
                ),
            )
            for f in hmc.frames
        )
        hmcs.append(replace(hmc, frames=frames))
    return FleetSnapshot(tuple(hmcs), snapshot.taken_at + 2)


async def test_keystrokes_refreshes_verdicts_and_targets_keep_the_rows_matches_shows(monkeypatch):
    async with loaded_estate() as (app, pilot, snapshot):
        view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
        calls = []
        for name in ("patch", "apply"):
            real = getattr(table, name)

            def spy(*args, real=real, name=name, **kwargs):
                calls.append(name)
                return real(*args, **kwargs)

            monkeypatch.setattr(table, name, spy)
        hmc = snapshot.hmcs[1].hmc
        await pilot.press("slash", *hmc[:-1])  # every HMC's name starts alike
        await settle(app, pilot)
        assert set(table.keys) == expected(view) == set(view.located)
        calls.clear()
        await pilot.press(hmc[-1])
        await pilot.pause()
        assert set(table.keys) == expected(view) and calls == ["patch"]
        assert {view.located[k].hmc for k in table.keys} == {hmc}
        calls.clear()
        await pilot.press("space")  # the same rows: the table is not touched
        await pilot.pause()
        assert calls == [] and view.filter_text == hmc

        # A refresh renames a row of another HMC into the filter, then one out of it.
        outside = next(k for k, loc in view.located.items() if loc.hmc != hmc)
        inside = next(k for k in table.keys if not view.located[k].partition.is_vios)
        now = renamed(snapshot, outside, f"x{hmc}")
        view.apply(now)
        assert set(table.keys) == expected(view) and outside in table.keys
        view.apply(renamed(now, outside, "plain"))
        assert set(table.keys) == expected(view) and outside not in table.keys
        await pilot.press("ctrl+u", *"none")  # Input: ctrl+u deletes to the start
        await pilot.pause()
        assert view.filter_text == "none" and set(table.keys) == expected(view)

        # A verdict arrives that the filter finds: the row is added when it is shown.
        loc = view.located[inside]
        assert inside not in table.keys
        view._judged({loc.partition.key: SimpleNamespace(partition=loc.partition, best=None)})
        view.show_judged()
        assert view._mobility(loc).text == "none" and inside in table.keys
        assert set(table.keys) == expected(view)

        # Another target: the Mobility column's verdicts are the target's, and so is the match.
        target = loc.partition.system
        app.dashboard.set_target(target)
        await pilot.press("ctrl+u", *"source")
        await settle(app, pilot)
        shown = expected(view)
        assert set(table.keys) == shown and inside in shown
        app.dashboard.set_target(None)
        await settle(app, pilot)
        assert set(table.keys) == expected(view) != shown
        assert view.row_filter.index._words  # "source"'s rows, kept while it is typed
        app.dashboard.action_clear_filter()
        assert not view.row_filter.index._words  # not once it is cleared
        while table.filling:
            await pilot.pause()
        assert set(table.keys) == set(view.located)
