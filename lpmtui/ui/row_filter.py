"""The ``/`` filter over the table's rows (no Textual here).

Each row's lower-cased match text is computed once and kept while the row's partition (the
same object while it is unchanged), HMC and verdict text stay the same; the texts are dropped
when the filter is cleared. Only the partition is held, not its ``Located`` (whose frame
would keep an old snapshot's frame alive). A filter that only grew (a character or a word
appended) can only take rows away: ``narrows`` says when the rows shown before are the only
ones worth looking at.
"""

from __future__ import annotations

from collections.abc import Iterable

from lpmtui.model import Partition
from lpmtui.ui.rows import Located, match_texts, matches_texts


class RowFilter:
    def __init__(self) -> None:
        self._texts: dict[str, tuple[Partition, str, str, tuple[str, str]]] = {}
        self._query = ""
        self._words: list[str] = []

    def shows(self, query: str, loc: Located, verdict: str) -> bool:
        """Whether the row matches ``query`` (``rows.matches``); an empty query shows all."""
        if not query:
            return True
        if query != self._query:
            self._query, self._words = query, query.lower().split()
        got = self._texts.get(loc.key)
        if got is None or got[0] is not loc.partition or got[1] != loc.hmc or got[2] != verdict:
            got = (loc.partition, loc.hmc, verdict, match_texts(loc, verdict))
            self._texts[loc.key] = got
        return matches_texts(self._words, got[3])

    def clear(self) -> None:
        """The filter was cleared: no text is kept until one is typed again."""
        self._texts.clear()

    def forget(self, keys: Iterable[str]) -> None:
        """Rows that left the fleet."""
        for key in keys:
            self._texts.pop(key, None)

    @staticmethod
    def narrows(before: tuple | None, after: tuple) -> bool:
        """Whether the rows of view ``after`` are all among those of view ``before`` (views
        are ``(scope, filter text, ...)``): everything else equal and the filter only grew."""
        if before is None or before[0] != after[0] or before[2:] != after[2:]:
            return False
        return after[1].lower().startswith(before[1].lower())
