"""The filter's index shows exactly the rows ``rows.matches`` shows, and follows rows that
change, arrive, go or get a new verdict."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lpmtui.model import FrameSnapshot, ManagedSystem, Partition
from lpmtui.ui.filter_index import SCAN_FROM, FilterIndex
from lpmtui.ui.rows import Located, matches

FRAME = FrameSnapshot(ManagedSystem(name="p9a"), ())
# Few letters so words often match; case, a final sigma, a letter whose lower case is two
# characters, whitespace that is not a space, a newline, a NUL (the scan's separators),
# regular-expression characters.
TEXT = st.text(alphabet="abAB0 -Σσİi\x1c\n\x00.*", max_size=8)
ROW = st.tuples(*[TEXT] * 7)  # name, frame, HMC, site, OS, state, verdict
QUERY = st.text(alphabet="abAB0 Σσςİi̇\x1c\n\x00.*", max_size=7)


def _loc(key: str, name: str, system: str, hmc: str, site: str, os: str, state: str) -> Located:
    p = Partition(system=system, name=name, lpar_id=1, state=state, os_version=os)
    return Located(key, hmc, FRAME, p, None, site)


def _put(index: FilterIndex, key: str, row: tuple) -> None:
    index.put(key, *row)


def _expected(rows: dict[str, tuple], query: str) -> set[str]:
    return {k for k, r in rows.items() if matches(query, _loc(k, *r[:6]), r[6])}


@settings(max_examples=400, deadline=None)
@given(
    rows=st.lists(ROW, max_size=12),
    queries=st.lists(QUERY, min_size=1, max_size=4),
    changes=st.lists(st.tuples(st.integers(0, 14), st.one_of(st.none(), ROW, TEXT)), max_size=6),
    scan_from=st.sampled_from([0, 3, SCAN_FROM]),  # names tried one by one, or in one scan
)
def test_the_index_matches_exactly_as_rows_matches(rows, queries, changes, scan_from):
    index = FilterIndex(scan_from)
    now = {f"k{i}": row for i, row in enumerate(rows)}
    for key, row in now.items():
        _put(index, key, row)
    for query in queries:
        assert index.match(query) == _expected(now, query), query
    for i, change in changes:  # a row gone, a row changed or new, a verdict changed
        key = f"k{i}"
        if change is None:
            index.drop(key)
            now.pop(key, None)
        elif isinstance(change, tuple):
            _put(index, key, change)
            now[key] = change
        else:
            index.verdict(key, change)
            if key in now:
                now[key] = (*now[key][:6], change)
        for query in queries:  # remembered matches are forgotten when a row changes
            assert index.match(query) == _expected(now, query), (query, change)


def test_a_changed_row_is_found_and_dropped_and_an_empty_query_shows_all():
    index = FilterIndex()
    index.put("a/1", "db01", "p9a", "hmc07", "dc-east", "AIX 7.3", "Running", "pass")
    index.put("a/2", "web01", "p9a", "hmc07", "dc-east", "AIX 7.3", "Running", "pass")
    assert index.match("") == {"a/1", "a/2"} and index.match("  ") == {"a/1", "a/2"}
    assert index.match("d1") == {"a/1"} and index.match("fail") == set()
    index.verdict("a/2", "2 fail")
    assert index.match("fail") == {"a/2"} and index.match("d1") == {"a/1"}
    index.put("a/1", "db01", "p9a", "hmc08", "dc-east", "AIX 7.3", "Not Activated", "pass")
    assert index.match("hmc08 activated") == {"a/1"} and index.match("hmc07") == {"a/2"}
    index.drop("a/1")
    assert index.match("d1") == set() and index.match("") == {"a/2"}
    index.verdict("a/1", "fail")  # a row not indexed: nothing to change
    assert "a/1" not in index and len(index) == 1


def test_the_matches_of_a_cleared_filter_are_not_kept():
    index = FilterIndex()
    index.put("a/1", "db01", "p9a", "hmc07", "dc-east", "AIX 7.3", "Running", "pass")
    assert index.match("hmc07 db") == {"a/1"} and index._words and index._query
    index.forget_matches()
    assert not index._words and index._query is None
    assert index.match("hmc07 db") == {"a/1"}


def test_many_names_are_tried_in_one_scan_made_on_the_first_keystroke_and_after_a_rename():
    index = FilterIndex(scan_from=3)
    for i in range(4):
        index.put(f"a/{i}", f"db{i}", "p9a", "hmc07", "dc-east", "AIX 7.3", "Running", "pass")
    assert index._scan is None
    assert index.match("hmc") == {f"a/{i}" for i in range(4)}  # the context: no name tried
    assert index._scan is not None  # made now, before a keystroke that needs it
    searched: list[str] = []
    real = index._named
    index._named = lambda word: searched.append(word) or real(word)  # type: ignore[method-assign]
    # "d2": 4 names to try (scanned); "b" then only among the 1 row "d2" kept (searched).
    assert index.match("d2 b") == {"a/2"} and searched == ["d2"]
    index.put("a/1", "web1", "p9a", "hmc07", "dc-east", "AIX 7.3", "Running", "pass")
    assert index._scan is None  # a name changed
    assert index.match("b1") == {"a/1"} and index.match("db1") == set()
    index.verdict("a/1", "2 fail")  # a verdict: the names stand
    assert index._scan is not None
    index.forget_matches()
    assert index._scan is None  # the filter cleared: not kept
