"""The filter's rows kept up to date: a changed, new or gone row, a verdict read again only when
marked (or every one when the target changes, or a poll arrives while a target is shown)."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import FrameSnapshot, ManagedSystem, Partition
from lpmtui.ui.row_filter import RowFilter
from lpmtui.ui.rows import Located, matches


def _loc(name: str, lpar_id: int = 3, state: str = "Running") -> Located:
    p = Partition(system="p9a", name=name, lpar_id=lpar_id, state=state, os_version="AIX 7.3")
    frame = FrameSnapshot(ManagedSystem(name="p9a"), (p,))
    return Located(f"p9a/{lpar_id}", "hmc07", frame, p, None)


def test_keys_follow_rows_that_change_arrive_and_go():
    verdicts = {"p9a/3": "pass", "p9a/4": "pass"}
    f = RowFilter(lambda loc: verdicts[loc.key])
    located = {"p9a/3": _loc("db01"), "p9a/4": _loc("web01", 4)}
    f.located(located, list(located), [])
    for query in ("db", "d1", "p9a running", "hmc07 pass", "web", "db p10a", "DB", ""):
        want = {k for k, loc in located.items() if matches(query, loc, verdicts[k])}
        assert f.keys(located, query) == want, query
    located["p9a/3"] = replace(
        located["p9a/3"], partition=replace(located["p9a/3"].partition, state="Not Activated")
    )
    assert f.keys(located, "activated") == set()  # not told yet
    f.located(located, ["p9a/3"], [])
    assert f.keys(located, "activated") == {"p9a/3"}
    del located["p9a/4"]
    f.located(located, [], ["p9a/4"])
    assert f.keys(located, "web") == set() and f.keys(located, "") == {"p9a/3"}


def test_a_verdict_is_read_again_when_marked_or_when_the_target_changes():
    verdicts = {"p9a/3": "pass"}
    f = RowFilter(lambda loc: verdicts[loc.key])
    located = {"p9a/3": _loc("db01")}
    f.located(located, ["p9a/3"], [])
    assert f.keys(located, "pass") == {"p9a/3"}
    verdicts["p9a/3"] = "2 fail"
    assert f.keys(located, "fail") == set()  # a verdict is read when it is said to change
    f.verdicts_changed(["p9a/3"])
    assert f.keys(located, "fail") == {"p9a/3"}
    verdicts["p9a/3"] = "pass"
    f.use_target("p10b")
    assert f.keys(located, "fail") == set()  # another target: every verdict read again
    verdicts["p9a/3"] = "1 warn"
    f.located(located, [], [])  # a poll while a target is shown: any verdict may change
    assert f.keys(located, "warn", every=False) == set()  # ... read for a keystroke, not a poll
    assert f.keys(located, "warn") == {"p9a/3"}
