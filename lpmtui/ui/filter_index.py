"""The ``/`` filter's index of rows by field value (no Textual here).

``rows.matches`` wants every word to fuzzy-match the name or be a substring of the context
(frame, HMC, OS level, state, verdict joined by spaces). A word holds no whitespace, so a
substring of the joined context is a substring of one field: each field keeps value → row
keys, a word is tried against the few hundred distinct values and their key sets are joined
(set operations, in C). The name is pruned first: only the rows whose name holds every
character of the word, and that the context did not already match, are fuzzy-matched.

A filter keystroke then costs the distinct values and the rows that match, not every row.
Matches are remembered per word until a row changes.
"""

from __future__ import annotations

from lpmtui.ui import format as fmt

CONTEXT = 5  # system, HMC, OS level, state, verdict: the context fields, in match_texts' order
VERDICT = 4
Entry = tuple[str, str, str, str, str, str]  # lower-cased name, then the CONTEXT fields


class FilterIndex:
    def __init__(self) -> None:
        self._rows: dict[str, Entry] = {}
        self._fields: list[dict[str, set[str]]] = [{} for _ in range(CONTEXT)]
        self._chars: dict[str, set[str]] = {}  # a character of the name -> keys
        self._words: dict[str, set[str]] = {}  # a word's matches, until a row changes
        self._query: tuple[str, set[str]] | None = None  # the last query's, likewise
        self._all: set[str] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: str) -> bool:
        return key in self._rows

    def put(
        self, key: str, name: str, system: str, hmc: str, os: str, state: str, verdict: str
    ) -> None:
        """The row ``key`` now reads this (the texts as ``rows.match_texts`` takes them)."""
        entry = (
            name.lower(),
            f"{system}".lower(),
            f"{hmc}".lower(),
            f"{os}".lower(),
            f"{state}".lower(),
            f"{verdict}".lower(),
        )
        if self._rows.get(key) == entry:
            return
        self.drop(key)
        self._rows[key] = entry
        for field, value in zip(self._fields, entry[1:], strict=True):
            field.setdefault(value, set()).add(key)
        for ch in set(entry[0].lower()):  # fuzzy_match lowers the text again
            self._chars.setdefault(ch, set()).add(key)
        self._changed()

    def verdict_text(self, key: str) -> str:
        """The verdict the row is filed under ("" when it is not indexed)."""
        entry = self._rows.get(key)
        return entry[1 + VERDICT] if entry is not None else ""

    def verdict(self, key: str, verdict: str) -> None:
        """Only the row's verdict changed (the common case while judging)."""
        entry = self._rows.get(key)
        value = f"{verdict}".lower()
        if entry is None or entry[1 + VERDICT] == value:
            return
        self._unfile(self._fields[VERDICT], entry[1 + VERDICT], key)
        self._fields[VERDICT].setdefault(value, set()).add(key)
        self._rows[key] = (*entry[:-1], value)  # type: ignore[assignment]
        self._changed()

    def drop(self, key: str) -> None:
        entry = self._rows.pop(key, None)
        if entry is None:
            return
        for field, value in zip(self._fields, entry[1:], strict=True):
            self._unfile(field, value, key)
        for ch in set(entry[0].lower()):
            self._unfile(self._chars, ch, key)
        self._changed()

    def clear(self) -> None:
        self.__init__()

    @staticmethod
    def _unfile(where: dict[str, set[str]], value: str, key: str) -> None:
        keys = where[value]
        keys.discard(key)
        if not keys:
            del where[value]

    def _changed(self) -> None:
        if self._words:
            self._words = {}
        self._all = self._query = None

    def keys(self) -> set[str]:
        if self._all is None:
            self._all = set(self._rows)
        return self._all

    def match(self, query: str) -> set[str]:
        """The keys of the rows ``rows.matches(query, ...)`` shows (every row when empty).
        The set returned must not be changed."""
        if self._query is not None and self._query[0] == query:
            return self._query[1]
        found: set[str] | None = None
        for word in sorted(set(query.lower().split()), key=len, reverse=True):
            keys = self._word(word)
            found = keys if found is None else found & keys
            if not found:
                break
        found = self.keys() if found is None else found
        self._query = (query, found)
        return found

    def _word(self, word: str) -> set[str]:
        found = self._words.get(word)
        if found is None:
            context = self._context(word)
            found = self._words[word] = context | self._name(word, context)
        return found

    def _context(self, word: str) -> set[str]:
        found: set[str] = set()
        for field in self._fields:
            for value, keys in field.items():
                if word in value:
                    found |= keys
        return found

    def _name(self, word: str, context: set[str]) -> set[str]:
        """The rows whose name the word fuzzy-matches, among those the context did not."""
        chars = [ch for ch in word.lower() if not ch.isspace()]  # as fuzzy_match reads it
        if not chars:
            return self.keys()
        sets = sorted((self._chars.get(ch, set()) for ch in set(chars)), key=len)
        if not sets[0]:
            return set()
        candidates = sets[0].intersection(*sets[1:])
        if len(chars) == 1:
            return candidates  # one character: in the name is a fuzzy match
        rows, fuzzy = self._rows, fmt.fuzzy_match
        return {k for k in candidates - context if fuzzy(word, rows[k][0])}
