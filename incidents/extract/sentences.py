"""Sentence spans of a report: a regex split that keeps hard-wrapped statements whole.

Report prose needs no parser: end punctuation, blank lines, and a few abbreviation
and line-length rules (below) give sentences good enough for incident rules, at a
small fraction of a millisecond per report.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?;])[\"'”’)]?[ \t]+(?=[\"'“‘(]?[A-Z0-9])|[ \t]*\n(?:[ \t]*\n)*[ \t]*")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st no nos lt col gen maj capt sgt cpl pvt jr sr vs etc approx km a.m p.m u.s u.n e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig art".split()
)
_LAST_WORD = re.compile(r"([\w.]+)\W*$")
SHORT_LINE = 60  # a line this short before a single line break is a heading, a list item or a letterhead


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) by regex: fast, and good enough for report prose.

    Blank lines always end a sentence; a single line break only after end punctuation
    or a short line not carried on in lower case, so hard-wrapped text (statements pasted
    from e-mail) stays whole.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    line_start = 0
    for match in _BOUNDARY.finditer(text):
        gap = match.group(0)
        if "\n" in gap:
            if gap.count("\n") == 1:
                before = text[line_start:match.start()].rstrip()
                line_start = match.end()
                after = text[match.end():match.end() + 1]
                if before and before[-1] not in ".!?:;\"”" and (len(before) >= SHORT_LINE or after.islower()) \
                        and after not in "-*•":
                    continue  # a hard-wrapped line (or one its next word carries on): the sentence goes on
            line_start = match.end()
        else:
            word = _LAST_WORD.search(text, max(start, match.start() - 20), match.start() + 1)
            if word and word.group(1).rstrip(".").lower() in _ABBREVIATIONS:
                continue
            if word and len(word.group(1)) <= 2 and word.group(1)[:1].isupper():
                continue  # an initial: "J. Smith"
        _add_span(spans, text, start, match.start())
        start = match.end()
    _add_span(spans, text, start, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
