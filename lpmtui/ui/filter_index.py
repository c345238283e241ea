"""The ``/`` filter's index of rows by field value (no Textual here).

``rows.matches`` wants every word to fuzzy-match the name or be a substring of the context
(frame, HMC, site, OS level, state, verdict joined by spaces). A word holds no whitespace, so a
substring of the joined context is a substring of one field: each field keeps value → row
keys, a word is tried against the few hundred distinct values and their key sets are joined
(set operations, in C). The name is fuzzy-matched only for the rows the context did not
already match (and, for a second word, only among the rows the first one kept), by a regular
expression equal to ``fmt.fuzzy_match`` (each character, then anything, lazily), in C.

A filter keystroke then costs the distinct values and the rows that match, not a Python-level
walk of every row. Matches are remembered per word (and the last query's) until a row changes.
Many names to try (17,000 when "hmc" becomes "hmc0") are tried in one regular-expression scan
of every name joined into one text (``_scan``, made again after a name changes): ~0.2 ms where
one search per name took ~12 ms.
"""

from __future__ import annotations

import re

CONTEXT = 6  # system, HMC, site, OS level, state, verdict: the context fields (match_texts')
VERDICT = 5  # the last one: a verdict-only change rebuilds the entry as entry[:-1] + verdict
Entry = tuple[str, str, str, str, str, str, str]  # the name, then the CONTEXT fields lower-cased
SCAN_FROM = 2000  # names to try from which one scan of every name is cheaper than a search each
_APART = "\n\x00"  # what separates the names in the scanned text: a name holding one is searched


class FilterIndex:
    def __init__(self, scan_from: int = SCAN_FROM) -> None:
        self.scan_from = scan_from
        self._scan: tuple[str, list[str], dict[str, str]] | None = None  # see _scanned
        self._rows: dict[str, Entry] = {}
        self._names: dict[str, str] = {}  # key -> the name as fuzzy_match reads it
        self._fields: list[dict[str, set[str]]] = [{} for _ in range(CONTEXT)]
        self._same: dict[str, str] = {}  # one string object per distinct value (memory)
        self._words: dict[str, set[str]] = {}  # a word's matches, until a row changes
        self._query: tuple[str, set[str]] | None = None  # the last query's, likewise
        self._all: set[str] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: str) -> bool:
        return key in self._rows

    def _value(self, text: object) -> str:
        value = f"{text}".lower()  # as match_texts formats and lower-cases it
        return self._same.setdefault(value, value)

    def put(
        self,
        key: str,
        name: str,
        system: str,
        hmc: str,
        site: str,
        os: str,
        state: str,
        verdict: str,
    ) -> None:
        """The row ``key`` now reads this (the texts as ``rows.match_texts`` takes them)."""
        entry = (name, *map(self._value, (system, hmc, site, os, state, verdict)))
        if self._rows.get(key) == entry:
            return
        named = self._names.get(key)
        self.drop(key)
        self._rows[key] = entry  # type: ignore[assignment]
        self._names[key] = name.lower().lower()  # match_texts lowers it, fuzzy_match again
        if named != self._names[key]:
            self._scan = None
        for field, value in zip(self._fields, entry[1:], strict=True):
            field.setdefault(value, set()).add(key)
        self._changed()

    def verdict_text(self, key: str) -> str:
        """The verdict the row is filed under ("" when it is not indexed)."""
        entry = self._rows.get(key)
        return entry[1 + VERDICT] if entry is not None else ""

    def verdict(self, key: str, verdict: str) -> None:
        """Only the row's verdict changed (the common case while judging)."""
        entry = self._rows.get(key)
        if entry is None:
            return
        value = self._value(verdict)
        if entry[1 + VERDICT] == value:
            return
        self._unfile(self._fields[VERDICT], entry[1 + VERDICT], key)
        self._fields[VERDICT].setdefault(value, set()).add(key)
        self._rows[key] = (*entry[:-1], value)  # type: ignore[assignment]
        self._changed()

    def drop(self, key: str) -> None:
        entry = self._rows.pop(key, None)
        if entry is None:
            return
        del self._names[key]
        self._scan = None
        for field, value in zip(self._fields, entry[1:], strict=True):
            self._unfile(field, value, key)
        self._changed()

    @staticmethod
    def _unfile(where: dict[str, set[str]], value: str, key: str) -> None:
        keys = where[value]
        keys.discard(key)
        if not keys:
            del where[value]

    def forget_matches(self) -> None:
        """The filter was cleared: its words' key sets (up to every row each) and the names'
        scan are not kept."""
        self._words, self._query, self._scan = {}, None, None

    def _changed(self) -> None:
        if self._words:
            self._words = {}
        self._all = self._query = None

    def keys(self) -> set[str]:
        """Every row's key (not to be changed)."""
        if self._all is None:
            self._all = set(self._rows)
        return self._all

    def match(self, query: str) -> set[str]:
        """The keys of the rows ``rows.matches(query, ...)`` shows (every row when empty).
        The set returned must not be changed."""
        if self._query is not None and self._query[0] == query:
            return self._query[1]
        if len(self._rows) >= self.scan_from:
            self._scanned()  # made on the first keystroke (usually a cheap one), not the widest
        words = dict.fromkeys(query.lower().split())
        # Words matched before first (the word being typed is usually the last); the others
        # only among the rows still in.
        found: set[str] | None = None
        for word in sorted(words, key=lambda w: w not in self._words):
            if found is None:
                found = self._word(word)
            elif word in self._words:
                found = found & self._words[word]
            else:
                found = self._within(word, found)
            if not found:
                break
        found = self.keys() if found is None else found
        self._query = (query, found)
        return found

    def _word(self, word: str) -> set[str]:
        found = self._words.get(word)
        if found is None:
            # A word that holds a word matched before matches only rows that one did (a
            # substring of a field, a subsequence of a name): "hmc07" looks among "hmc0"'s.
            rows = min(
                (keys for seen, keys in self._words.items() if seen in word),
                key=len,
                default=self.keys(),
            )
            found = self._words[word] = self._within(word, rows)
        return found

    def _within(self, word: str, rows: set[str]) -> set[str]:
        """The rows among ``rows`` that the word matches: in the context, else by name."""
        found = set()
        for field in self._fields:
            for value, keys in field.items():
                if word in value:
                    found |= keys
        found &= rows
        rest = rows - found
        if len(rest) >= self.scan_from:
            return found | (rest & self._named(word))
        search, names = _fuzzy(word).search, self._names
        return found | {k for k in rest if search(names[k])}

    def _named(self, word: str) -> set[str]:
        """The keys of every row whose name the word fuzzy-matches (``_fuzzy``)."""
        text, keys, odd = self._scanned()
        # Each line of the text is a name, a NUL and the name's place in keys. Between the
        # word's characters, anything but the line's end or the NUL: within the name.
        chars = [re.escape(ch) for ch in word.lower() if not ch.isspace()]
        line = re.compile("[^\n\x00]*?".join(chars) + "[^\n\x00]*\x00([0-9]+)")
        found = set(map(keys.__getitem__, map(int, line.findall(text))))
        search = _fuzzy(word).search
        return found.union(key for key, name in odd.items() if search(name))

    def _scanned(self) -> tuple[str, list[str], dict[str, str]]:
        """(every name with its place, a line each; the keys by place; the names holding a
        line end or a NUL, by key: searched one by one)."""
        if self._scan is None:
            names, odd, every = self._names, {}, "".join(self._names.values())
            if any(ch in every for ch in _APART):
                odd = {k: name for k, name in names.items() if any(c in name for c in _APART)}
                names = {k: name for k, name in names.items() if k not in odd}
            keys = list(names)
            at = map(str, range(len(keys)))
            text = "\n".join(map("\x00".join, zip(names.values(), at, strict=True)))
            self._scan = (text, keys, odd)
        return self._scan


def _fuzzy(word: str) -> re.Pattern[str]:
    """``fmt.fuzzy_match(word, text)`` is ``_fuzzy(word).search(text.lower())``: every
    character of the word (lower-cased, whitespace skipped), in order, anything between."""
    chars = [re.escape(ch) for ch in word.lower() if not ch.isspace()]
    return re.compile(".*?".join(chars), re.DOTALL)
