"""A report's publication date, inferred from its own text when nothing gives it.

Relative dates ("yesterday", "on Thursday") are counted back from the
publication date, so a pasted archive article read against today's date
lands its incidents in the wrong year without a word. When a report comes
with no date, the text's own explicit dates are the best evidence, in this
order:

1. its dateline or letterhead ("BAKU, 10 March 2024 -", "Yerevan, 24 March 2026");
2. the statement's own date ("statement of 12 March 2024", "as of 12 March 2024");
3. the latest date on which the text says something happened.

A date announced for the future ("talks will be held on 20 March 2024",
"the truce runs until 1 April 2024") is never used: publication comes after
the events it reports, not after the plans it mentions. Dates without a year
take the year of a dated mention in the same text (and are skipped when there
is none). The answer carries its evidence, so the dashboard can show it as
inferred and let the analyst correct it; when nothing fits, it is None (never today).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from incidents.reports.datelines import find_dateline
from incidents.text.calendar import MONTH_PATTERN, month_number

_DAY_MONTH = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>" + MONTH_PATTERN + r")"
_MONTH_DAY = r"(?P<m2>" + MONTH_PATTERN + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
DATE_RE = re.compile(
    r"\b(?:(?:" + _DAY_MONTH + r"|" + _MONTH_DAY + r")(?:,?\s+(?P<y1>(?:19|20)\d{2}))?"
    r"|(?P<y2>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})"
    r"|(?P<d4>\d{1,2})\.(?P<m4>\d{1,2})\.(?P<y4>(?:19|20)\d{2}))\b",  # month names capitalised: "may" is a verb
)
# Said of the future, anywhere earlier in the clause: a plan, not an event.
FUTURE_CLAUSE = re.compile(
    r"\b(?:will|shall|scheduled|planned|plans?\s+to|due\s+to|expected|to\s+be\s+held|is\s+set\s+to|are\s+set\s+to|"
    r"upcoming|intends?|would|next)\b",
    re.IGNORECASE,
)
# Said of the future just before the date: "until 1 April", "by 5 May", "as from 1 June".
FUTURE_BEFORE = re.compile(r"\b(?:until|till|by|as\s+from|starting|effective|deadline\s+of)\s*(?:on\s+)?$",
                           re.IGNORECASE)
STATEMENT_BEFORE = re.compile(
    r"\b(?:statement|report|release|bulletin|briefing|update|communiqu[eé])\s+(?:of|dated|issued\s+on|for)\s*$"
    r"|\b(?:as\s+of|dated|issued\s+on|published\s+on)\s*$",
    re.IGNORECASE,
)
CLAUSE_START = re.compile(r"[.;!?\n]|,\s+(?:and|but|while)\s|\bwhile\b")


@dataclass(frozen=True)
class Mention:
    """An explicit date in the text: where, the day (year possibly missing) and its phrase."""

    start: int
    end: int
    year: int | None
    month: int
    day: int

    def on(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def mentions(text: str) -> list[Mention]:
    """Every explicit date in ``text`` ("10 March 2024", "March 10", "2024-03-10", "10.03.2024")."""
    found = []
    for m in DATE_RE.finditer(text):
        if m.group("y2"):
            year, month, day = int(m.group("y2")), int(m.group("m3")), int(m.group("d3"))
        elif m.group("y4"):
            year, month, day = int(m.group("y4")), int(m.group("m4")), int(m.group("d4"))
        else:
            name = m.group("m1") or m.group("m2")
            year = int(m.group("y1")) if m.group("y1") else None
            month, day = month_number(name), int(m.group("d1") or m.group("d2"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append(Mention(m.start(), m.end(), year, month, day))
    return found


def _clause_before(text: str, start: int) -> str:
    """The text from the start of the date's clause up to the date."""
    head = text[max(0, start - 200):start]
    cuts = [m.end() for m in CLAUSE_START.finditer(head)]
    return head[cuts[-1]:] if cuts else head


def is_future(text: str, mention: Mention) -> bool:
    """Whether the text announces this date as still to come (a plan, a deadline, an end)."""
    before = _clause_before(text, mention.start)
    return bool(FUTURE_CLAUSE.search(before) or FUTURE_BEFORE.search(before))


def infer_published(text: str) -> tuple[date, str] | None:
    """The publication date the text itself implies, with the evidence; None when it gives none.

    Pure: the same text always gives the same answer (today's date plays no part).
    """
    found = mentions(text)
    years = [m.year for m in found if m.year and not is_future(text, m)]
    line = find_dateline(text)
    if line is not None and line.month and line.day:
        year = line.year or (max(years) if years else None)
        day = _valid(year, line.month, line.day)
        if day is not None:
            return day, f"dateline: {text[line.start:line.end].strip(' -–—')!r}"
    if not years:
        return None
    anchor = max(years)
    statement = [m for m in found if STATEMENT_BEFORE.search(text[max(0, m.start - 40):m.start])]
    for mention in statement:
        day = mention.on(mention.year or anchor)
        if day is not None:
            return day, f"the statement's date: {text[mention.start:mention.end]!r}"
    events = [(day, m) for m in found if not is_future(text, m)
              for day in [m.on(m.year or anchor)] if day is not None]
    if not events:
        return None
    day, mention = max(events, key=lambda pair: pair[0])
    return day, f"the latest date an event is reported on: {text[mention.start:mention.end]!r}"


def yearless_dateline(text: str, read_on: date) -> tuple[date, str] | None:
    """A dateline with a day and month but no year anywhere in the text ("KYIV, April 22 -").

    Wires drop the year of the current year's datelines, so the report is taken as
    published on the latest such day up to the day it is read: an inference that
    says so, instead of counting "on Tuesday" back from the reading day.
    """
    line = find_dateline(text)
    if line is None or not (line.month and line.day) or line.year:
        return None
    for year in range(read_on.year, read_on.year - 8, -1):  # 29 February waits for a leap year
        day = _valid(year, line.month, line.day)
        if day is not None and day <= read_on:
            phrase = text[line.start:line.end].strip(" -–—")
            return day, f"dateline without a year: {phrase!r}, taken as the latest such day up to {read_on}"
    return None


def _valid(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
