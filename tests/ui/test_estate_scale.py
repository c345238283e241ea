"""The console at estate scale (issue 16), on a generated fleet: best targets judged in the
background ("judging…" until a partition is judged), a refresh touching only the rows of
partitions that changed, the tree collapsed for a large fleet, filtering by verdict."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from dataclasses import replace

from lpmtui.model import FleetSnapshot
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.fleet_tree import FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from tests.ui.test_dashboard import settle

SIZE = (120, 40)
_BASE: list[FleetSnapshot] = []


async def generated() -> FleetSnapshot:
    """36 frames (above the tree's LARGE_FLEET) under 4 HMCs, 720 partitions."""
    if not _BASE:
        from lpmtui.cli.check import collect
        from lpmtui.fleet.fleet import Fleet
        from lpmtui.sim.generate import generate
        from lpmtui.simlink import sim_links

        fleet = Fleet(sim_links(generate(hmcs=4, frames=36, partitions=720)))
        _BASE.append(await collect(fleet))
    return _BASE[0]


def held_judge(view, monkeypatch) -> threading.Event:
    """The view's judge waits in its worker thread, before judging, until the event is set."""
    gate, judging = threading.Event(), view.judge._update

    def held(snapshot, loop):
        gate.wait(timeout=30)
        return judging(snapshot, loop)

    monkeypatch.setattr(view.judge, "_update", held)
    return gate


@asynccontextmanager
async def held_estate(monkeypatch):
    """The generated estate shown in the console with its judge held before judging (the
    table as it is meanwhile): (app, pilot, view, the gate that lets it judge, snapshot)."""
    snapshot = await generated()
    app = LpmApp(clock=lambda: snapshot.taken_at + 1)
    async with app.run_test(size=SIZE) as pilot:
        view = app.dashboard.fleet_view
        gate = held_judge(view, monkeypatch)
        app.show_snapshot(snapshot)
        await pilot.pause()
        yield app, pilot, view, gate, snapshot


@asynccontextmanager
async def loaded_estate():
    """The generated estate shown in the console and settled: (app, pilot, snapshot)."""
    snapshot = await generated()
    app = LpmApp(clock=lambda: snapshot.taken_at + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(snapshot)
        await settle(app, pilot)
        yield app, pilot, snapshot


def cells(app, column: str) -> dict[str, str]:
    table = app.dashboard.query_one(PartitionTable)
    return {k: str(table.get_cell(k, column)).strip() for k in table.keys}


async def test_judging_then_verdicts_then_only_changed_rows_on_refresh(monkeypatch):
    # The worker thread held before it judges, to see what the table says meanwhile.
    async with held_estate(monkeypatch) as (app, pilot, view, gate, snapshot):
        now = snapshot.taken_at
        mobility = cells(app, "mobility")
        clients = {k for k, loc in view.located.items() if not loc.partition.is_vios}
        assert len(mobility) == len(view.located) == 720 + 72
        assert {mobility[k] for k in clients} == {"judging…"}  # the screen tells the truth
        gate.set()
        await settle(app, pilot)
        mobility = cells(app, "mobility")
        assert "judging…" not in mobility.values()
        best = view.judge.judge
        for key in clients:
            loc = view.located[key]
            b = best.best(loc.partition.key)
            assert mobility[key] in ("pass", f"{b.fails} fail", f"{b.warns} warn")

        # A refresh with one partition changed touches its row only.
        frame = snapshot.hmcs[0].frames[0]
        victim = next(p for p in frame.partitions if not p.is_vios)
        changed = replace(victim, curr_mem=(victim.curr_mem or 0) + 1024)
        frames = (
            replace(
                frame, partitions=tuple(changed if p is victim else p for p in frame.partitions)
            ),
            *snapshot.hmcs[0].frames[1:],
        )
        hmcs = (replace(snapshot.hmcs[0], frames=frames), *snapshot.hmcs[1:])
        patched = []
        table = app.dashboard.query_one(PartitionTable)
        real_patch = table.patch
        monkeypatch.setattr(
            table,
            "patch",
            lambda rows, removed: (patched.append((set(rows), removed)), real_patch(rows, removed)),
        )
        key = f"{victim.system}/{victim.lpar_id}"
        memory = cells(app, "mem")[key]
        view.apply(FleetSnapshot(hmcs, now + 2))
        assert patched == [({key}, [])]
        assert cells(app, "mem")[key] != memory
        await settle(app, pilot)
        assert view.judge.judged is view.snapshot


async def test_a_large_fleet_tree_starts_collapsed_and_filters_by_verdict():
    async with loaded_estate() as (app, pilot, snapshot):
        tree = app.dashboard.query_one(FleetTree)
        (site,) = tree.root.children  # the generator's 4 HMCs are all at one site
        assert site.data == Scope("site", "dc-east") and not site.is_expanded
        hmcs = list(site.children)
        assert len(hmcs) == 4 and not any(node.is_expanded for node in hmcs)
        assert all(not frame.is_expanded for node in hmcs for frame in node.children)
        # Picking a frame (palette) opens its site and HMC and shows its rows.
        name = snapshot.hmcs[2].frames[1].system.name
        tree.select_scope(Scope("frame", name))
        await settle(app, pilot)
        assert site.is_expanded and hmcs[2].is_expanded
        assert tree.cursor_node is not None and tree.cursor_node.data == Scope("frame", name)
        view = app.dashboard.fleet_view
        assert {view.located[k].partition.system for k in cells(app, "name")} == {name}

        app.dashboard.action_show_all()
        await settle(app, pilot)
        verdicts = cells(app, "mobility")
        wanted = {v for v in verdicts.values() if v.endswith("fail") or v.endswith("warn")}
        word = "fail" if any(v.endswith("fail") for v in wanted) else "pass"
        await pilot.press("slash", *word, "enter")
        await settle(app, pilot)
        shown = cells(app, "mobility")
        assert shown and all(word in v for v in shown.values())


async def test_a_growing_filter_narrows_the_rows_shown_and_a_shorter_one_brings_them_back():
    """Typed a character at a time: each step shows exactly the rows a from-scratch match
    shows, in the table's order, the selected partition kept; many rows go in one pass."""
    from lpmtui.ui.rows import matches

    async with loaded_estate() as (app, pilot, snapshot):
        view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
        everything = list(table.keys)
        hmc = snapshot.hmcs[1].hmc
        keep = next(k for k in everything if view.located[k].hmc == hmc)
        table.select_key(keep)
        await pilot.press("slash")

        verdict = {k: str(table.get_cell(k, "mobility")).strip() for k in everything}

        def expected(text: str) -> list[str]:
            return [k for k in everything if matches(text, view.located[k], verdict[k])]

        typed = ""
        for ch in hmc:
            typed += ch
            await pilot.press(ch)
            await pilot.pause()
            assert table.keys == expected(typed)
            assert table.current_key() == keep and table.row_count == len(table.keys)
        assert {view.located[k].hmc for k in table.keys} == {hmc}
        await pilot.press("backspace")
        await pilot.pause()
        while table.filling:
            await pilot.pause()
        assert table.keys == expected(typed[:-1]) and table.current_key() == keep
