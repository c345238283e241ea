"""The tree grouped by site (the config's), the table scoped to a site, and a quiet poll that
costs the tree nothing."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import ConnectionState, FleetSnapshot, HmcSnapshot
from lpmtui.ui.app import LpmApp
from lpmtui.ui.widgets.fleet_tree import LARGE_FLEET_HMCS, FleetTree, Scope
from lpmtui.ui.widgets.partition_table import PartitionTable
from tests.ui.factory import NOW, demo_snapshot, lpar, system
from tests.ui.test_dashboard import settle

SIZE = (120, 40)


def with_sites(snapshot: FleetSnapshot, **sites: str) -> FleetSnapshot:
    """hmc name -> site; the HMCs in reverse order, so the one without a site comes first."""
    hmcs = tuple(replace(h, site=sites.get(h.hmc, "")) for h in reversed(snapshot.hmcs))
    return replace(snapshot, hmcs=hmcs, index={})


def shown_systems(app) -> set[str]:
    view, table = app.dashboard.fleet_view, app.dashboard.query_one(PartitionTable)
    return {view.located[k].partition.system for k in table.keys}


async def test_without_sites_the_tree_is_hmc_then_frame_as_before():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(demo_snapshot())
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)
        assert [n.data for n in tree.root.children] == [Scope("hmc", "hmc1"), Scope("hmc", "hmc2")]
        hmc1 = tree.root.children[0]
        assert [n.data for n in hmc1.children] == [Scope("frame", "p9a"), Scope("frame", "p9b")]


async def test_sites_group_hmcs_no_site_last_and_a_site_scopes_the_table():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(with_sites(demo_snapshot(), hmc1="dc-east"))
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)
        # hmc2 (no site) came first in the snapshot: "(no site)" still goes last.
        assert [str(n.label) for n in tree.root.children] == [
            "dc-east  1 HMC · 2 frames",
            "(no site)  1 HMC · 1 frame",
        ]
        east, nowhere = tree.root.children
        assert [n.data for n in east.children] == [Scope("hmc", "hmc1")]
        assert [n.data for n in nowhere.children] == [Scope("hmc", "hmc2")]
        assert east.is_expanded and east.children[0].is_expanded  # a small fleet: open

        tree.select_scope(Scope("site", "dc-east"))
        await settle(app, pilot)
        assert shown_systems(app) == {"p9a", "p9b"}
        assert tree.cursor_node is east
        tree.select_scope(Scope("site", ""))
        await settle(app, pilot)
        assert shown_systems(app) == {"p10a"}
        assert Scope("site", "").label() == "HMCs without a site"
        assert Scope("site", "dc-east").label() == "site dc-east"


def large(n: int = LARGE_FLEET_HMCS + 1) -> FleetSnapshot:
    hmcs = []
    for i in range(n):
        frame = demo_snapshot().hmcs[1].frames[0]
        name = f"f{i}"
        frame = replace(frame, system=system(name), partitions=(lpar(name, f"lp{i}", 2),))
        site = "dc-east" if i % 2 else "dc-west"
        hmcs.append(
            HmcSnapshot(f"hmc{i}", state=ConnectionState.CONNECTED, frames=(frame,), site=site)
        )
    return FleetSnapshot(tuple(hmcs), taken_at=NOW)


async def test_a_large_fleet_starts_collapsed_and_what_the_user_opens_stays_open():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        snapshot = large()
        app.show_snapshot(snapshot)
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)
        sites = list(tree.root.children)
        assert [n.data for n in sites] == [Scope("site", "dc-west"), Scope("site", "dc-east")]
        assert not any(n.is_expanded for n in sites)
        assert not any(h.is_expanded for n in sites for h in n.children)
        sites[1].expand()
        sites[1].children[0].expand()
        changed = replace(snapshot.hmcs[1], frames=(replace(snapshot.hmcs[1].frames[0]),))
        tree.apply(replace(snapshot, hmcs=(snapshot.hmcs[0], changed, *snapshot.hmcs[2:])), {})
        await pilot.pause()
        assert sites[1].is_expanded and sites[1].children[0].is_expanded
        assert not sites[0].is_expanded
        # The palette's site opens it and scopes the table.
        tree.select_scope(Scope("site", "dc-west"))
        await settle(app, pilot)
        assert shown_systems(app) == {f"f{i}" for i in range(0, len(snapshot.hmcs), 2)}


async def test_a_quiet_poll_rebuilds_no_label_and_looks_at_no_frame(monkeypatch):
    """The collector hands out an unchanged frame as the same object: an HMC whose frames are
    all the same objects is skipped; a label is rebuilt only when what it shows changed."""
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        snapshot = with_sites(demo_snapshot(), hmc1="dc-east")
        app.show_snapshot(snapshot)
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)
        seen: list[str] = []
        for method in ("_apply_frame", "_hmc_label", "_site_label"):
            real = getattr(tree, method)
            monkeypatch.setattr(
                tree, method, lambda *a, _r=real, _m=method: seen.append(_m) or _r(*a)
            )

        def polled(s: FleetSnapshot, *hmcs: HmcSnapshot) -> FleetSnapshot:
            new = {h.hmc: h for h in hmcs}
            moved = tuple(new.get(h.hmc) or replace(h, taken_at=h.taken_at + 5) for h in s.hmcs)
            return replace(s, hmcs=moved, taken_at=s.taken_at + 5, index={})

        tree.apply(polled(snapshot), {})  # every HMC a new object, every frame the same
        assert seen == []
        hmc1 = next(h for h in snapshot.hmcs if h.hmc == "hmc1")
        # One frame read again (an equal, new object): that HMC's frames only, no label.
        again = replace(hmc1, frames=(replace(hmc1.frames[0]), hmc1.frames[1]))
        tree.apply(polled(snapshot, again), {})
        assert seen == ["_apply_frame", "_apply_frame"]


def test_the_palette_offers_each_site_once_before_the_hmcs():
    from types import SimpleNamespace

    from lpmtui.ui.providers import FleetProvider

    jumped: list[Scope] = []
    snapshot = with_sites(demo_snapshot(), hmc1="dc-east", hmc2="dc-east")
    dashboard = SimpleNamespace(snapshot=snapshot, jump_to_scope=jumped.append)
    places = list(FleetProvider._places(None, dashboard))
    assert [title for title, _, _ in places][:2] == ["site dc-east", "HMC hmc2"]
    places[0][2]()
    assert jumped == [Scope("site", "dc-east")]


async def test_a_site_says_how_many_of_its_hmcs_are_down_before_its_counts():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        snapshot = demo_snapshot(hmc2_state=ConnectionState.RECONNECTING)
        app.show_snapshot(with_sites(snapshot, hmc1="dc-east", hmc2="dc-east"))
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)
        assert [str(n.label) for n in tree.root.children] == ["dc-east  1 down  2 HMCs · 3 frames"]
        connecting = demo_snapshot(hmc2_state=ConnectionState.CONNECTING)
        tree.apply(with_sites(connecting, hmc1="dc-east", hmc2="dc-east"), {})
        assert [str(n.label) for n in tree.root.children] == ["dc-east  2 HMCs · 3 frames"]


async def test_a_frame_two_hmcs_manage_shows_once_under_the_first_and_stays_there():
    """A redundant HMC pair lists the same frame: it is shown under the first HMC, as the
    table places its partitions; a poll of the second alone does not move it; when the first
    stops listing it, it moves to the second."""
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        base = demo_snapshot()
        hmc1, hmc2 = base.hmcs
        pair = replace(hmc2, frames=(*hmc2.frames, hmc1.frames[0]))
        app.show_snapshot(replace(base, hmcs=(hmc1, pair)))
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)

        def frames_of(i: int) -> list[str]:
            return [n.data.name for n in tree.root.children[i].children]

        assert (frames_of(0), frames_of(1)) == (["p9a", "p9b"], ["p10a"])
        again = replace(pair, frames=(replace(pair.frames[0]), *pair.frames[1:]))
        tree.apply(replace(base, hmcs=(hmc1, again), index={}), {})
        assert (frames_of(0), frames_of(1)) == (["p9a", "p9b"], ["p10a"])
        tree.apply(replace(base, hmcs=(replace(hmc1, frames=hmc1.frames[1:]), again)), {})
        assert (frames_of(0), frames_of(1)) == (["p9b"], ["p10a", "p9a"])
        # At one site the pair's shared frame is counted once.
        tree.apply(with_sites(replace(base, hmcs=(hmc1, pair)), hmc1="dc", hmc2="dc"), {})
        assert [str(n.label) for n in tree.root.children] == ["dc  2 HMCs · 3 frames"]


async def test_the_filter_finds_a_site_and_keeps_to_the_site_in_scope():
    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(with_sites(demo_snapshot(), hmc1="dc-east", hmc2="dc-west"))
        await settle(app, pilot)
        await pilot.press("slash", *"west")  # a site's name typed: its partitions
        await settle(app, pilot)
        assert shown_systems(app) == {"p10a"}
        await pilot.press("escape")
        await settle(app, pilot)
        tree = app.dashboard.query_one(FleetTree)
        tree.select_scope(Scope("site", "dc-east"))
        await settle(app, pilot)
        everywhere = {k for k in app.dashboard.fleet_view.located}
        await pilot.press("slash", *"dc")  # every row matches "dc": the scope still holds
        await settle(app, pilot)
        assert shown_systems(app) == {"p9a", "p9b"}
        assert set(app.dashboard.query_one(PartitionTable).keys) < everywhere


async def test_the_help_names_the_tree_with_its_sites():
    from textual.widgets import Static

    from lpmtui.ui.screens.help import HelpScreen

    app = LpmApp(clock=lambda: NOW + 1)
    async with app.run_test(size=SIZE) as pilot:
        app.show_snapshot(with_sites(demo_snapshot(), hmc1="dc-east"))
        await settle(app, pilot)
        app.dashboard.query_one(FleetTree).focus()
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        assert "Keys — site, HMC and frame tree" in text
