"""Which of a sentence's dates is its event's: not the statement's ("the ministry said on
Sunday"), not an agreement's ("the Sept. 5 ceasefire"); each clause's own date; and the day a
statement was made, which its "yesterday" and "last night" count from.

:mod:`incidents.extract.dates` finds the date phrases and resolves each; this module reads them
in their sentence.
"""

from __future__ import annotations

import re
from datetime import date

from incidents.extract.date_spans import DateSpan, make_span
from incidents.extract.dates import find_dates
from incidents.extract.regex import FoldedRegex

_STATEMENT_BEFORE = FoldedRegex(
    r"(?:said|says|stated|statement|reported|announced|told\s+\w+|added|published|issued|"
    r"briefing|press\s+release|report)\s+(?:in\s+a\s+statement\s+)?(?:\w+\s+)?"
    r"(?:late\s+|early\s+)?on\s*$|"
    r"\b(?:statement|report|release|bulletin|briefing|update|communiqu[eé])\s+(?:of|dated|for)\s*$",
)
_AGREEMENT_AFTER = re.compile(r"(?i)\s*(?:cease-?fire|truce|agreements?|accords?|deal|protocol|memorandum|"
                              r"arrangement|understanding)\b")
# "the ceasefire agreed on 1 March", "the truce that took effect on Sunday": the agreement's date too.
_AGREED_BEFORE = FoldedRegex(r"\b(?:agreed|signed|brokered|took\s+effect|came\s+into\s+(?:force|effect)|"
                             r"went\s+into\s+effect|entered\s+into\s+force)\s+(?:up\s*)?(?:on\s+|in\s+|since\s+)?$")
ANCHOR_DAYS = 7  # a statement's day this close before publication anchors its relative dates
# Dates counted from the day they are said ("last night", "over the past 24 hours", "yesterday").
RELATIVE_TO_STATEMENT = re.compile(
    r"(?i)\b(?:night|overnight|24\s+hours|past\s+day|previous\s+day|last\s+day|yesterday|today|tonight|"
    r"this\s+(?:morning|afternoon|evening))\b")


def resolve_date(sentence: str, published: date) -> DateSpan | None:
    """The event date a sentence states, or None when it states none."""
    return read_dates(sentence, published)[0]


def read_dates(sentence: str, published: date) -> tuple[DateSpan | None, date | None]:
    """The event date a sentence states (or None), and the day it says a statement was made
    when that lies shortly before publication (its "yesterday" and "last night" count from it).

    A date that belongs to the statement ("the ministry said on Sunday") is
    passed over when the sentence has another one.
    """
    mentions = find_dates(sentence, published)
    if not mentions:
        return None, None
    statement = [m for m in mentions if _STATEMENT_BEFORE.search(sentence[max(0, m.start - 60):m.start])]
    said = statement[0].span.end if statement else None
    said_before = said if said is not None and 0 < (published - said).days <= ANCHOR_DAYS else None
    # "the Sept. 5 ceasefire", "the 27 July truce": the agreement's date, never the event's
    agreed = [m for m in mentions if _AGREEMENT_AFTER.match(sentence, m.end)
              or _AGREED_BEFORE.search(sentence[max(0, m.start - 40):m.start])]
    event_dates = [m for m in mentions if m not in statement and m not in agreed] or [
        m for m in mentions if m not in agreed]
    if not event_dates:
        return None, said_before
    first = event_dates[0]
    if said is not None and first is not statement[0] and RELATIVE_TO_STATEMENT.search(first.span.phrase):
        # "said in a statement on 10 March: 'Last night ...'": the night before the statement's day
        again = [m for m in find_dates(sentence, said) if m.start == first.start]
        if said != published and again:
            return again[0].span, said_before
    if len(event_dates) > 1:
        second = event_dates[1]
        gap = (second.span.start - first.span.end).days
        # "On 12 September, from 23:55 until 02:30 on 13 September": one span over both days
        if 0 < gap <= 2 and _UNTIL.search(sentence[first.end:second.start]):
            return make_span(first.span.start, second.span.end, sentence[first.start:second.end]), said_before
    return first.span, said_before


_UNTIL = re.compile(r"\b(?:until|till|to|through)\b|-|\u2013", re.IGNORECASE)


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


def covered_period(text: str, published: date) -> DateSpan | None:
    """The period a periodic report says it covers in its first lines ("Report of the
    Secretary-General, 1 September to 30 November 2024"): the events it dates inside it are its
    news, however long before publication."""
    heading = [line.strip() for line in text[:600].split("\n") if line.strip()][:3]
    for line in heading:
        if len(line) > 200 or line.endswith("."):
            continue  # a sentence of the body, not a heading
        for mention in find_dates(line, published):
            if (mention.span.end - mention.span.start).days >= 7 and mention.span.end <= published:
                return mention.span
    return None
