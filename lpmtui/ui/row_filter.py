"""The ``/`` filter over the table's rows, kept up to date as rows change (no Textual here).

Every row is in a ``FilterIndex`` from the moment it is located, so a keystroke costs the
index's distinct values and the rows that match, not a walk of every row. A row is filed again
when its partition or HMC changes (the view's ``relocate`` says which); its verdict text (the
Mobility column) is only marked as maybe changed when a verdict arrives or the target changes,
and read again (``verdict_of``) before the next match, once per marked row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import filterfalse
from operator import itemgetter

from lpmtui.ui.filter_index import FilterIndex
from lpmtui.ui.rows import Located

_ROW = itemgetter(1)  # a made row's cells, of (inputs, cells)


class RowFilter:
    def __init__(self, verdict_of: Callable[[Located], str]) -> None:
        self.index = FilterIndex()
        self._verdict_of = verdict_of
        self._dirty: set[str] = set()  # rows whose verdict text may have changed
        self._every = False  # ... every row's (a target's verdicts: any frame may change them)
        self._target: str | None = None
        # Rows hidden by the filter and not changed since (their row may be shown as it was).
        self.unchanged: set[str] = set()

    def located(
        self, located: Mapping[str, Located], touched: Iterable[str], gone: Iterable[str]
    ) -> None:
        """``located`` changed: ``touched`` rows are new or changed, ``gone`` rows left it."""
        index, dirty, unchanged = self.index, self._dirty, self.unchanged
        for key in touched:
            unchanged.discard(key)
            loc = located[key]
            p = loc.partition
            verdict = index.verdict_text(key)  # kept until it is read again
            index.put(key, p.name, p.system, loc.hmc, loc.site, p.os_version, p.state, verdict)
            dirty.add(key)
        for key in gone:
            unchanged.discard(key)
            if key not in located:
                index.drop(key)
        if self._target is not None:
            self._every = True  # the target's frame may have changed: every verdict may
            unchanged.clear()

    def verdicts_changed(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        self._dirty |= keys
        self.unchanged -= keys

    def hidden(self, keys: Iterable[str]) -> None:
        """The filter hid these rows, as they are now (until ``located`` or a verdict says)."""
        self.unchanged.update(keys)

    def rows_back(
        self, added: set[str], made: Mapping[str, tuple], make: Callable[[str], tuple]
    ) -> dict[str, tuple]:
        """The rows for the keys ``added`` (shown again): one hidden and unchanged since as it
        was made (``made``: key -> (inputs, cells)), the others made now (``make``). Looked up
        in C: 17,000 rows on a backspace (each made again: ~45 ms)."""
        back = added & self.unchanged
        rows = dict(zip(back, map(_ROW, map(made.__getitem__, back)), strict=True))
        rows.update((key, make(key)) for key in filterfalse(back.__contains__, added))
        return rows

    def use_target(self, target: str | None) -> None:
        """The Mobility column shows this target's verdicts (None: each row's best)."""
        if target != self._target:
            self._target, self._every = target, True
            self.unchanged.clear()

    def refresh(self, located: Mapping[str, Located], *, every: bool = True) -> None:
        """Read again the verdicts marked as changed; ``every``: also when every row's is."""
        if self._every and every:
            keys: Iterable[str] = located
            self._every, self._dirty = False, set()
        else:
            keys, self._dirty = self._dirty, set()
        verdict_of, index = self._verdict_of, self.index
        for key in keys:
            loc = located.get(key)
            if loc is not None:
                index.verdict(key, verdict_of(loc))

    def keys(self, located: Mapping[str, Located], text: str, *, every: bool = True) -> set[str]:
        """The keys of the rows that ``rows.matches(text, row, its verdict now)``; every row
        when ``text`` is empty. The set returned must not be changed. ``every=False`` (a
        refresh asking about the rows it touched, whose verdicts are read again anyway): the
        other rows' verdicts may be as they were, which spares a target's 21,000 verdicts on
        every poll."""
        if not text:
            return self.index.keys()
        self.refresh(located, every=every)
        return self.index.match(text)
