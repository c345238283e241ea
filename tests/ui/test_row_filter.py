"""The filter's row texts (kept per row) and when a new filter can only take rows away."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import FrameSnapshot, ManagedSystem, Partition
from lpmtui.ui.row_filter import RowFilter
from lpmtui.ui.rows import Located, matches
from lpmtui.ui.widgets.fleet_tree import ALL, Scope


def _loc(name: str, state: str = "Running") -> Located:
    p = Partition(system="p9a", name=name, lpar_id=3, state=state, os_version="AIX 7.3")
    frame = FrameSnapshot(ManagedSystem(name="p9a"), (p,))
    return Located("p9a/3", "hmc07", frame, p, None)


def test_shows_matches_as_rows_matches_and_follows_a_changed_row_or_verdict():
    f = RowFilter()
    db = _loc("db01")
    for query in ("db", "d1", "p9a running", "hmc07 pass", "web", "db p10a", "DB"):
        assert f.shows(query, db, "pass") == matches(query, db, "pass"), query
    assert f.shows("", db, "")
    assert not f.shows("fail", db, "pass") and f.shows("fail", db, "fail")  # the verdict now
    stopped = replace(db, partition=replace(db.partition, state="Not Activated"))
    assert f.shows("activated", stopped, "pass") and not f.shows("activated", db, "pass")
    moved = replace(db, hmc="hmc08")  # the same partition, seen through another HMC
    assert f.shows("hmc08", moved, "pass") and not f.shows("hmc08", db, "pass")
    f.forget(["p9a/3"])
    assert f.shows("db", db, "pass")
    f.clear()
    assert f.shows("db", db, "pass")


def test_narrows_only_when_the_filter_grew_and_nothing_else_changed():
    frame = Scope("frame", "p9a")
    view = (ALL, "hmc0", None, frozenset())
    assert RowFilter.narrows(view, (ALL, "hmc07", None, frozenset()))
    assert RowFilter.narrows(view, (ALL, "hmc0 fail", None, frozenset()))
    assert RowFilter.narrows(view, view)
    assert RowFilter.narrows((ALL, "", None, frozenset()), view)
    assert RowFilter.narrows((ALL, "HMC", None, frozenset()), view)
    assert not RowFilter.narrows(None, view)
    assert not RowFilter.narrows(view, (ALL, "hmc", None, frozenset()))  # shorter
    assert not RowFilter.narrows(view, (ALL, "hmc1", None, frozenset()))
    assert not RowFilter.narrows(view, (frame, "hmc07", None, frozenset()))
    assert not RowFilter.narrows(view, (ALL, "hmc07", "p9a", frozenset()))
    assert not RowFilter.narrows(view, (ALL, "hmc07", None, frozenset({"hmc01"})))
