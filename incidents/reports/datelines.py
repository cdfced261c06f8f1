"""Datelines: "KYIV, March 10 (Reuters) -", "BAKU, 10 March 2024 -", a letterhead line.

A dateline's place is never an event place, and its date is the report's
own. Kept apart from the report model so that the publication-date inference
(:mod:`incidents.reports.published`) can read them too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from incidents.text.calendar import MONTH_PATTERN, month_number


DATELINE_RE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Za-z\u00C0-\u024F'.\- ]{1,40}?(?:/[A-Z][A-Za-z'.\- ]{1,30})?)"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.\- ]{1,25}))??"
    r"(?:,[ \t]*(?:(?P<m1>" + MONTH_PATTERN + r")[ \t]+(?P<d1>\d{1,2})|(?P<d2>\d{1,2})[ \t]+(?P<m2>"
    + MONTH_PATTERN + r"))(?:,?[ \t]+(?P<year>\d{4}))?)?"
    r"(?:[ \t]*\((?P<agency>[A-Za-z][A-Za-z0-9 .&/\-]{1,30}?)(?:[ \t]*(?:-|\u2013|\u2014|,)[ \t]*"
    r"(?:(?P<d3>\d{1,2})(?:st|nd|rd|th)?[ \t]+(?P<m3>" + MONTH_PATTERN + r")|(?P<m4>" + MONTH_PATTERN
    + r")[ \t]+(?P<d4>\d{1,2})(?:st|nd|rd|th)?)(?:,?[ \t]+(?P<year2>\d{4}))?)?\))?"
    r"(?:[ \t]*(?:-{1,2}|\u2013|\u2014)[ \t]+|(?<=\d)[.:][ \t]+(?=[A-Z])"  # "JAMMU, Feb 22: Troops ..."
    r"|\.?[ \t]*/(?P<agency2>[A-Za-z][A-Za-z\- ]{1,20})/\.?[ \t]+"  # "MOSCOW, September 14. /TASS/. "
    r"|(?P<bare>(?<=\))[ \t]+(?=[A-Z])))",  # "SRINAGAR, Feb 22 (PTI) Troops ..."
    re.MULTILINE,
)
# "Baku / 02.24.20 / Agency: ...": a place, a numeric date (day or month first) and an agency, in slashes.
SLASHED_RE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Za-z\u00C0-\u024F'.\- ]{1,40}?)[ \t]*/[ \t]*\d{1,2}[./]\d{1,2}[./]\d{2,4}[ \t]*/[ \t]*"
    r"(?P<agency>[A-Za-z][A-Za-z0-9 .&\-]{1,30}?)[ \t]*[:\-\u2013\u2014][ \t]+",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Dateline:
    """A wire-style opening: its place (never an event place) and its date, if any."""

    start: int
    end: int
    place: str
    month: int | None = None
    day: int | None = None
    year: int | None = None
    agency: str | None = None


# A letterhead line of its own: "Yerevan, 24 March 2026", "Kyiv, March 10, 2015." (statements, press releases).
LETTERHEAD_RE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Za-z\u00C0-\u024F'.\- ]{1,40}?),[ \t]*(?:(?P<m1>" + MONTH_PATTERN
    + r")[ \t]+(?P<d1>\d{1,2}),?|(?P<d2>\d{1,2})[ \t]+(?P<m2>" + MONTH_PATTERN + r"))[ \t]+(?P<year>\d{4})\.?[ \t]*$",
    re.MULTILINE,
)


def _letterhead(text: str) -> Dateline | None:
    head = "\n".join(text.split("\n", 8)[:8])
    match = LETTERHEAD_RE.search(head)
    if match is None:
        return None
    month_name = match.group("m1") or match.group("m2")
    return Dateline(
        start=match.start("place"), end=match.end(), place=match.group("place").strip(),
        month=month_number(month_name), day=int(match.group("d1") or match.group("d2")),
        year=int(match.group("year")),
    )


def _opens(head: str, position: int) -> bool:
    """Whether a dateline found here opens the article or its first paragraph after a title (and a lede)."""
    before = head[:position]
    return before.count("\n") <= 4 and len(before.strip()) <= 400


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of the text (first non-empty line or paragraph), if any."""
    head = text[:500]
    match = DATELINE_RE.search(head)
    if match is None:
        slashed = SLASHED_RE.search(head)
        if slashed is not None and _opens(head, slashed.start()):
            return Dateline(start=slashed.start("place"), end=slashed.end(), place=slashed.group("place").strip(),
                            agency=slashed.group("agency"))
        return _letterhead(text)
    if not _opens(head, match.start()):
        return None
    month_name = match.group("m1") or match.group("m2") or match.group("m3") or match.group("m4")
    place = match.group("place").strip()
    # "Two soldiers - ..." is not a dateline; "YEREVAN — ..." (a capitalised city alone) is.
    agency = match.group("agency") or match.group("agency2")
    if not (month_name or agency or (place.isupper() and len(place) >= 3)):
        return None
    if match.group("bare") is not None and not (month_name or place.isupper()):
        return None  # "The ministry (MoD) Said" is no dateline
    day = match.group("d1") or match.group("d2") or match.group("d3") or match.group("d4")
    month = month_number(month_name) if month_name else None
    year = match.group("year") or match.group("year2")
    return Dateline(
        start=match.start("place"),
        end=match.end(),
        place=place,
        month=month,
        day=int(day) if day else None,
        year=int(year) if year else None,
        agency=agency,
    )


def dateline_published(text: str, fallback: str | None) -> str | None:
    """A date from the dateline; a missing year comes from the fallback, never the future.

    Without a year and without a fallback it gives None: the year is then
    inferred from the text's other dates (reports.published), never today's.
    """
    line = find_dateline(text)
    if line is None or line.month is None or line.day is None:
        return None
    if line.year is None and not fallback:
        return None
    reference = date.fromisoformat(fallback[:10]) if fallback else date(line.year or 1, 1, 1)
    year = line.year or reference.year
    try:
        found = date(year, line.month, line.day)
        if line.year is None and (found - reference).days > 1:
            found = date(year - 1, line.month, line.day)
    except ValueError:
        return None
    return found.isoformat()
