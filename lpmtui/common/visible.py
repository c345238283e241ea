"""``visible(text)``: an HMC-supplied string made safe to show on a terminal or in a log line.

Every character a terminal would act on instead of print becomes printable text, in the escape
Python's ``repr`` uses: C0 controls (tab, newline, CR, ESC, ...), DEL and the C1 controls as
``\\xHH`` (ESC -> ``\\x1b``, newline -> ``\\x0a``), and the invisible direction controls that
reorder what follows them (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069) and the Unicode line and
paragraph separators (U+2028/9) as ``\\uHHHH`` (RTL override -> ``\\u202e``). Everything else
(accents, emoji, quotes, ``[/]``, ``$(...)``) is left alone.

So a shown name is one line, moves no cursor, colours nothing and reverses nothing, and two
names that differ only by such a character are shown differently. ``visible`` is idempotent
(its output has no control character left), so layers may apply it again without harm; the one
price is that a name literally spelling ``\\x1b`` looks like one holding ESC.

Only what is *shown* goes through it: argv sent to the HMC keeps names byte-exact, and JSON
output escapes control characters by itself.
"""

from __future__ import annotations

import re

_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` (``str()`` of it) with every control or direction character spelled out."""
    text = text if isinstance(text, str) else str(text)
    return _UNSAFE.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """True when ``visible`` would change ``text``."""
    return _UNSAFE.search(text) is not None
