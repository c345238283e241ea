"""The ``/`` filter over the table's rows (no Textual here).

Each row's lower-cased match text is computed once and kept while the row's ``Located`` (the
same object as long as its partition and migration are unchanged) and its verdict text stay
the same. A filter that only grew (a character or a word appended) can only take rows away:
``narrows`` says when the rows shown before are the only ones worth looking at.
"""

from __future__ import annotations

from collections.abc import Iterable

from lpmtui.ui.rows import Located, match_texts, matches_texts


class RowFilter:
    def __init__(self) -> None:
        self._texts: dict[str, tuple[Located, str, tuple[str, str]]] = {}
        self._query = ""
        self._words: list[str] = []

    def shows(self, query: str, loc: Located, verdict: str) -> bool:
        """Whether the row matches ``query`` (``rows.matches``); an empty query shows all."""
        if not query:
            return True
        if query != self._query:
            self._query, self._words = query, query.lower().split()
        got = self._texts.get(loc.key)
        if got is None or got[0] is not loc or got[1] != verdict:
            got = self._texts[loc.key] = (loc, verdict, match_texts(loc, verdict))
        return matches_texts(self._words, got[2])

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
