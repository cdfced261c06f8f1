"""Case-insensitive regexes that run at case-sensitive speed.

Python's ``re.IGNORECASE`` makes the big word alternations of extraction three
to four times slower. :class:`FoldedRegex` compiles the pattern in lower case
and lowers the text before matching instead; offsets stay valid because the
lowering keeps the text's length (the rare characters whose lower case is
longer are left as they are). Match groups come back in lower case.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

_LETTER_OR_ESCAPE = re.compile(r"\\.|\(\?P|[A-Z]")


# The last text folded and its fold, swapped in as one tuple (thread-safe): a sentence
# meets many patterns in a row.
_last: tuple[str, str] = ("", "")


def lower_same_length(text: str) -> str:
    """Lower case with the same length as ``text`` (so match offsets carry over)."""
    global _last
    last = _last
    if text is last[0]:
        return last[1]
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    _last = (text, low)
    return low


def _lower_pattern(regex: str) -> str:
    # Lower literal letters only: "\S", "\W" and "(?P<name>" must keep their meaning.
    return _LETTER_OR_ESCAPE.sub(lambda m: m.group() if len(m.group()) > 1 else m.group().lower(), regex)


_WORD = re.compile(r"[a-z0-9\u00e0-\u024f]+")
_last_words: tuple[str, frozenset[str]] = ("", frozenset())


def alternation(words: list[str]) -> str:
    """``a|b|c`` with the longest words first, so a regex alternation prefers "armed forces" to "armed"."""
    return "|".join(sorted(words, key=len, reverse=True))


def words_of(text: str) -> frozenset[str]:
    """The folded words of a text (cached for the last text, like :func:`fold`)."""
    global _last_words
    last = _last_words
    if text is last[0]:
        return last[1]
    words = frozenset(_WORD.findall(lower_same_length(text)))
    _last_words = (text, words)
    return words


class FoldedRegex:
    """A compiled pattern, matched case-insensitively on folded text."""

    __slots__ = ("pattern", "_compiled", "_gate", "_scan", "_last")

    def __init__(self, regex: str, gate: frozenset[str] | None = None, scan: str | None = None) -> None:
        """``gate``: words one of which any match contains; a text with none of them is
        not scanned at all (big alternations cost ~100 us per sentence in ``re``).
        ``scan``: the same pattern without its groups, to find where it matches (see :func:`any_of`)."""
        self.pattern = regex
        self._compiled = re.compile(_lower_pattern(regex))
        self._gate = gate
        self._scan = re.compile(_lower_pattern(scan)) if scan is not None else None
        # (text, pos, match) of the last search: a sentence is often asked the same twice (a
        # screening before a closer reading), swapped in as one tuple (thread-safe).
        self._last: tuple[str, int, re.Match[str] | None] = ("", -1, None)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        last = self._last
        if last[0] is text and last[1] == pos:
            return last[2]
        gate = self._gate
        if gate is not None and gate.isdisjoint(words_of(text)):
            found = None
        elif self._scan is None:
            found = self._compiled.search(lower_same_length(text), pos)
        else:
            folded = lower_same_length(text)
            at = self._scan.search(folded, pos)
            found = None if at is None else self._compiled.match(folded, at.start())
        self._last = (text, pos, found)
        return found

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._compiled.match(lower_same_length(text), pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        gate = self._gate
        if gate is not None and gate.isdisjoint(words_of(text)):
            return iter(())
        if self._scan is None:
            return self._compiled.finditer(lower_same_length(text))
        return self._scanned(self._scan, lower_same_length(text))

    def _scanned(self, scan: re.Pattern[str], folded: str) -> Iterator[re.Match[str]]:
        """finditer by the group-free scan: each match found, then matched with the groups there."""
        position = 0
        while (found := scan.search(folded, position)) is not None:
            match = self._compiled.match(folded, found.start())
            if match is None:  # cannot happen: the scan and the pattern match the same texts
                return
            yield match
            position = max(match.end(), match.start() + 1)  # (alternatives of any_of never match empty)

    def sub(self, replacement: str, text: str) -> str:
        return self._compiled.sub(replacement, lower_same_length(text))


def any_of(alternatives: Sequence[str], tag: str, gate: frozenset[str] | None = None) -> FoldedRegex:
    """The leftmost match of several patterns, ``match.lastgroup`` naming which: ``tag`` and its index.

    A search for an alternation of named groups saves the group marks at every position for
    every alternative, which made these 5-10 times slower than the same alternation without
    groups. So it is scanned without them, and the grouped pattern is matched only where the
    scan found a match: the same match, as both try the alternatives in the same order.
    """
    return FoldedRegex("|".join(f"(?P<{tag}{i}>{a})" for i, a in enumerate(alternatives)), gate,
                       scan="|".join(f"(?:{a})" for a in alternatives))


_HOMOGLYPHS = str.maketrans("аеіорсухАВЕІКМНОРСТХ", "aeiopcyxABEIKMHOPCTX")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MIXED_SCRIPT = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0400-\u04ff])\w+")


def latin_homoglyphs(text: str) -> str:
    """Cyrillic letters that look Latin, inside Latin words ("Novoluhanskу" typed with a Cyrillic у),
    made Latin so the gazetteer knows the word; one letter for one, so offsets stay valid."""
    if not _CYRILLIC.search(text):
        return text
    return _MIXED_SCRIPT.sub(lambda m: m.group().translate(_HOMOGLYPHS), text)
