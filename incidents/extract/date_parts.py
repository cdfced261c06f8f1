"""Dates of a text's parts: each clause's own date, and the day a heading gives its statement.

Kept apart from :mod:`incidents.extract.dates` (the date phrases and their resolution), which
they read.
"""

from __future__ import annotations

import re
from datetime import date

from incidents.extract.date_spans import DateSpan
from incidents.extract.dates import ANCHOR_DAYS, find_dates, resolve_date
from incidents.extract.regex import FoldedRegex


def clause_dates(sentence: str, published: date) -> list[tuple[int, int, DateSpan]]:
    """(start, end, date) of each clause with a date of its own, when a sentence's clauses
    (split at semicolons) state different dates: "mortars hit A on 12 May; snipers fired near
    B on 11 May" has an incident on each day. Empty when the sentence has one date."""
    bounds = [0] + [m.end() for m in re.finditer(";", sentence)] + [len(sentence) + 1]
    if len(bounds) < 3:
        return []
    found = [(a, b, resolve_date(sentence[a:b - 1], published)) for a, b in zip(bounds, bounds[1:])]
    dated = [(a, b, span) for a, b, span in found if span is not None]
    return dated if len({(s.start, s.end) for _, _, s in dated}) > 1 else []


# A heading naming the statement and its day: "Statement of the Ministry of Defence, 10 March 2022".
_STATEMENT_HEADING = FoldedRegex(r"^[ \t]*(?:statement|press\s+release|bulletin|briefing|report|update|"
                                 r"communiqu[eé]|information)\b[^\n]{0,120}$")


def heading_day(line: str, published: date) -> date | None:
    """The day a heading line gives its statement ("Statement of the Ministry of Defence, 10 March
    2022"), when it lies shortly before publication: the day the whole text's relative dates count from."""
    if len(line) > 160 or not _STATEMENT_HEADING.match(line):
        return None
    mentions = find_dates(line, published)
    day = mentions[0].span.end if mentions else None
    return day if day is not None and 0 < (published - day).days <= ANCHOR_DAYS else None
