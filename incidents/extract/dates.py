"""Event dates from report text, resolved against the publication date.

Most date phrases in ceasefire reporting are few and formulaic ("on 10 March",
"on Thursday", "overnight", "between 8 and 10 March", "a fortnight ago"), so
precompiled regexes handle them in microseconds. dateparser is not used here:
it is about 100 times slower, builds a parser per publication day, and has
known traps for this use (ecosystem notes §4): ``PREFER_DATES_FROM='past'``
turns "Tuesday" said on a Tuesday into the previous week; it knows nothing of
"overnight"; its ``search_dates`` reads "May the ceasefire hold" as a date.

A resolved mention is a :class:`DateSpan`: the first and last day the text
allows, and ACLED's ``time_precision`` (1 day, 2 week, 3 month). The event
date is the middle of the span, as ACLED does.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Callable

from incidents.extract.regex import FoldedRegex, fold
from incidents.schema import EARLIEST_DATE, latest_date, plausible_date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "few": 3, "a few": 3,
}

DAY_PRECISION, WEEK_PRECISION, MONTH_PRECISION = 1, 2, 3


@dataclass(frozen=True)
class DateSpan:
    """The days a date phrase allows, with ACLED's time_precision."""

    start: date
    end: date
    precision: int = DAY_PRECISION
    explicit: bool = True  # False: nothing in the text, publication day assumed
    phrase: str = ""

    @property
    def middle(self) -> date:
        """The event date: the middle of the span (rounded down), but the later day of a
        two-day window ("overnight", "the past 24 hours"), as the coding conventions have it."""
        days = (self.end - self.start).days
        if days == 1:
            return self.end
        return self.start + timedelta(days=days // 2)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    span: DateSpan


def publication_day(published: str | date | None) -> date | None:
    """The day a report was published (its own local day when an offset is given).

    Raises ValueError naming the date when it lies outside 1900..tomorrow
    (:func:`incidents.schema.plausible_date`): every relative date counts from it.
    """
    if published is None:
        return None
    if isinstance(published, date):
        return plausible_date(published, "published")
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return None
    return plausible_date(day, "published")


def default_span(published: date) -> DateSpan:
    """No date in the text: the publication day, flagged as not explicit."""
    return DateSpan(published, published, DAY_PRECISION, explicit=False)


def _precision(start: date, end: date) -> int:
    days = (end - start).days
    if days <= 1:
        return DAY_PRECISION
    return WEEK_PRECISION if days <= 7 else MONTH_PRECISION


def _span(start: date, end: date, phrase: str, precision: int | None = None) -> DateSpan:
    if end < start:
        start, end = end, start
    return DateSpan(start, end, precision or _precision(start, end), True, phrase)


# Days an event date may lie after publication (time zones: a report dated in UTC
# may tell of the next local day). Anything later is a plan, a deadline or a misreading.
SLACK_DAYS = 1


def _not_future(day: date | None, published: date) -> date | None:
    return day if day is not None and (day - published).days <= SLACK_DAYS else None


def _past_date(year: int | None, month: int, day: int, published: date) -> date | None:
    """A day-month without a year is the latest one not after publication (1 day of slack);
    with a year, a day after publication is refused."""
    try:
        if year is not None:
            return _not_future(date(year, month, day), published)
        found = date(published.year, month, day)
        if (found - published).days > SLACK_DAYS:
            found = date(published.year - 1, month, day)
        return found
    except ValueError:
        return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _weekday_on_or_before(weekday: int, published: date, strictly_before: bool = False) -> date:
    delta = (published.weekday() - weekday) % 7
    if strictly_before and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


# ---------------------------------------------------------------------------
# Patterns: each a compiled regex and a function (match, published) -> DateSpan
# ---------------------------------------------------------------------------

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+((?:19|20)\d{2}))?"
_TO = r"\s*(?:-|/|\u2013|\u2014|to|and|until|till|through|into)\s*(?:the\s+)?"
_WD = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

Handler = Callable[[re.Match[str], date], "DateSpan | None"]
_PATTERNS: list[tuple[FoldedRegex, Handler, frozenset[str]]] = []
MONTH_GUARD = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAY_GUARD = tuple(WEEKDAYS)
# Words whose presence lets a pattern run; found in one scan per text (longest first,
# so "weekend" is not "week" and "tonight" is not "night").
_GUARD_WORDS = sorted(
    set(MONTH_GUARD) | set(WEEKDAY_GUARD) | {
        "yesterday", "today", "tonight", "night", "morning", "afternoon", "evening", "weekend", "week",
        "month", "ago", "past", "last", "previous", "recent", "24 hours", "-", "/19", "/20", ".19", ".20",
    },
    key=len, reverse=True,
)
_GUARD_RE = re.compile("|".join(re.escape(word) for word in _GUARD_WORDS))


def _pattern(regex: str, guard: tuple[str, ...]) -> Callable[[Handler], Handler]:
    """Register a pattern; it only runs on texts holding one of the guard substrings
    (lower case), which skips most of the 20-odd scans on most sentences."""
    def register(handler: Handler) -> Handler:
        unknown = set(guard) - set(_GUARD_WORDS)
        assert not unknown, f"guard words missing from _GUARD_WORDS: {unknown}"
        _PATTERNS.append((FoldedRegex(regex), handler, frozenset(guard)))
        return handler
    return register


def _int_day(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


@_pattern(rf"\b({_DAY})(?:\s+of)?\s+({_MON}){_TO}({_DAY})(?:\s+of)?\s+({_MON}){_YEAR}\b", MONTH_GUARD)
def _range_day_month_day_month(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(5)) if m.group(5) else None
    end = _past_date(year, _month_number(m.group(4)), _int_day(m.group(3)), pub)
    if end is None:
        return None
    start = _past_date(end.year, _month_number(m.group(2)), _int_day(m.group(1)), pub)
    if start is not None and start > end:
        start = start.replace(year=start.year - 1)
    return _span(start, end, m.group(0)) if start else None


@_pattern(rf"\b({_MON})\s+({_DAY}){_TO}({_MON})\s+({_DAY}){_YEAR}\b", MONTH_GUARD)
def _range_month_day_month_day(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(5)) if m.group(5) else None
    end = _past_date(year, _month_number(m.group(3)), _int_day(m.group(4)), pub)
    if end is None:
        return None
    start = _past_date(end.year, _month_number(m.group(1)), _int_day(m.group(2)), pub)
    if start is not None and start > end:
        start = start.replace(year=start.year - 1)
    return _span(start, end, m.group(0)) if start else None


@_pattern(rf"\b(?<![:.]\d)(?<![:.])({_DAY}){_TO}({_DAY})(?:\s+of)?\s+({_MON}){_YEAR}\b", MONTH_GUARD)
def _range_days_month(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(4)) if m.group(4) else None
    month = _month_number(m.group(3))
    end = _past_date(year, month, _int_day(m.group(2)), pub)
    start = _past_date(end.year if end else year, month, _int_day(m.group(1)), pub)
    return _span(start, end, m.group(0)) if start and end else None


@_pattern(rf"\b({_MON})\s+({_DAY}){_TO}({_DAY}){_YEAR}\b(?![:.]\d)", MONTH_GUARD)
def _range_month_days(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(4)) if m.group(4) else None
    month = _month_number(m.group(1))
    if _int_day(m.group(3)) < _int_day(m.group(2)):
        return None  # "November 22 to 01:15": a time, not a day
    end = _past_date(year, month, _int_day(m.group(3)), pub)
    start = _past_date(end.year if end else year, month, _int_day(m.group(2)), pub)
    return _span(start, end, m.group(0)) if start and end else None


@_pattern(rf"\b({_DAY})(?:\s+of)?\s+({_MON}){_YEAR}\b", MONTH_GUARD)
def _day_month(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(3)) if m.group(3) else None
    day = _past_date(year, _month_number(m.group(2)), _int_day(m.group(1)), pub)
    return _span(day, day, m.group(0)) if day else None


@_pattern(rf"\b({_MON})\s+({_DAY}){_YEAR}(?![\d:]|\.\d)(?!\s*(?:km|kilomet|per\s*cent|%))", MONTH_GUARD)
def _month_day(m: re.Match[str], pub: date) -> DateSpan | None:
    # "May 5" and "on May 12" are dates: the modal verb is never followed by a day number.
    year = int(m.group(3)) if m.group(3) else None
    day = _past_date(year, _month_number(m.group(1)), _int_day(m.group(2)), pub)
    return _span(day, day, m.group(0)) if day else None


@_pattern(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b", ("-",))
def _iso(m: re.Match[str], pub: date) -> DateSpan | None:
    day = _not_future(_valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3))), pub)
    return _span(day, day, m.group(0)) if day else None


@_pattern(r"\b([0-3]?\d)[./]([01]?\d)[./]((?:19|20)\d{2})\b", ("/19", "/20", ".19", ".20"))
def _numeric_dmy(m: re.Match[str], pub: date) -> DateSpan | None:
    # Day first: the convention of the ministries and missions we read. When that reading
    # is impossible or lies after publication, the US order (month first) is tried:
    # "3/12/2024" in a report of 12 March 2024 is that day, not 3 December.
    first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    day = _not_future(_valid_date(year, second, first), pub) or _not_future(_valid_date(year, first, second), pub)
    return _span(day, day, m.group(0)) if day else None


@_pattern(rf"\b(?:overnight|(?:on\s+)?the\s+night)\s+(?:on|into|to|before)\s+{_WD}\b", ("night",))
def _night_into_weekday(m: re.Match[str], pub: date) -> DateSpan:
    day = _weekday_on_or_before(WEEKDAYS[m.group(1).lower()], pub)
    return _span(day - timedelta(days=1), day, m.group(0), DAY_PRECISION)


@_pattern(rf"\bsince\s+(?:(last|past|previous)\s+)?{_WD}\b", WEEKDAY_GUARD)
def _since_weekday(m: re.Match[str], pub: date) -> DateSpan:
    # "since Monday": from that Monday to the publication day, not Monday alone.
    day = _weekday_on_or_before(WEEKDAYS[m.group(2).lower()], pub, bool(m.group(1)))
    return _span(day, pub, m.group(0))


@_pattern(rf"\b(?:(last|past|previous|this)\s+)?{_WD}(?:'s)?\b", WEEKDAY_GUARD)
def _weekday(m: re.Match[str], pub: date) -> DateSpan:
    # "on Thursday" is the latest Thursday on or before publication; the
    # publication weekday is the publication day itself ("last" excludes it).
    strictly = (m.group(1) or "").lower() in ("last", "past", "previous")
    day = _weekday_on_or_before(WEEKDAYS[m.group(2).lower()], pub, strictly)
    return _span(day, day, m.group(0))


@_pattern(r"\bthe\s+day\s+before\s+yesterday\b", ("yesterday",))
def _day_before_yesterday(m: re.Match[str], pub: date) -> DateSpan:
    day = pub - timedelta(days=2)
    return _span(day, day, m.group(0))


@_pattern(r"\byesterday\b", ("yesterday",))
def _yesterday(m: re.Match[str], pub: date) -> DateSpan:
    day = pub - timedelta(days=1)
    return _span(day, day, m.group(0))


@_pattern(
    r"\b(?:last\s+night|overnight|during\s+the\s+night|at\s+night|"
    r"(?:in|over|during)\s+the\s+(?:past|last|previous)\s+(?:24\s+hours|day)|"
    r"(?:in|over|during)\s+the\s+previous\s+(?:24\s+hours|day))\b",
    ("night", "24 hours", "past", "last", "previous"),
)
def _last_night(m: re.Match[str], pub: date) -> DateSpan:
    # A night spans two days: from the evening before publication to its morning.
    return _span(pub - timedelta(days=1), pub, m.group(0), DAY_PRECISION)


@_pattern(r"\b(?:today|this\s+(?:morning|afternoon|evening)|earlier\s+today|tonight)\b",
          ("today", "morning", "afternoon", "evening", "tonight"))
def _today(m: re.Match[str], pub: date) -> DateSpan:
    return _span(pub, pub, m.group(0))


@_pattern(r"\b(?:over|at|during)\s+the\s+(?:past\s+|last\s+)?weekend\b", ("weekend",))
def _weekend(m: re.Match[str], pub: date) -> DateSpan:
    saturday = _weekday_on_or_before(5, pub)
    return _span(saturday, min(saturday + timedelta(days=1), pub), m.group(0), DAY_PRECISION)


@_pattern(r"\blast\s+week\b", ("week",))
def _last_week(m: re.Match[str], pub: date) -> DateSpan:
    monday = pub - timedelta(days=pub.weekday() + 7)
    return _span(monday, monday + timedelta(days=6), m.group(0), WEEK_PRECISION)


@_pattern(r"\b(?:earlier\s+)?this\s+week\b", ("week",))
def _this_week(m: re.Match[str], pub: date) -> DateSpan:
    return _span(pub - timedelta(days=pub.weekday()), pub, m.group(0), WEEK_PRECISION)


@_pattern(
    r"\b(?:(?:in|over|during)\s+(?:the\s+)?(?:past|last|previous)\s+(?:week|seven\s+days|7\s+days|"
    r"few\s+days|several\s+days|couple\s+of\s+days)|in\s+recent\s+days)\b",
    ("past", "last", "previous", "recent"),
)
def _recent_days(m: re.Match[str], pub: date) -> DateSpan:
    return _span(pub - timedelta(days=7), pub, m.group(0), WEEK_PRECISION)


@_pattern(r"\b(?:earlier\s+)?this\s+month\b", ("month",))
def _this_month(m: re.Match[str], pub: date) -> DateSpan:
    return _span(pub.replace(day=1), pub, m.group(0), MONTH_PRECISION)


@_pattern(r"\blast\s+month\b", ("month",))
def _last_month(m: re.Match[str], pub: date) -> DateSpan:
    end = pub.replace(day=1) - timedelta(days=1)
    return _span(end.replace(day=1), end, m.group(0), MONTH_PRECISION)


@_pattern(rf"\b(?:in|during|throughout|early|late|mid-?|end\s+of|beginning\s+of)\s+({_MON})(?:\s+((?:19|20)\d{{2}}))?\b",
          MONTH_GUARD)
def _month(m: re.Match[str], pub: date) -> DateSpan | None:
    month = _month_number(m.group(1))
    year = int(m.group(2)) if m.group(2) else (pub.year if month <= pub.month else pub.year - 1)
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    return _span(start, min(end, max(pub, start)), m.group(0), MONTH_PRECISION)


@_pattern(r"\b(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+(days?|weeks?)\s+ago\b",
          ("ago",))
def _ago(m: re.Match[str], pub: date) -> DateSpan | None:
    count = _number(m.group(1).replace("  ", " "))
    if count is None:
        return None
    if m.group(2).lower().startswith("week"):
        day = pub - timedelta(days=7 * count)
        return _span(day - timedelta(days=3), day + timedelta(days=3), m.group(0), WEEK_PRECISION)
    day = pub - timedelta(days=count)
    return _span(day, day, m.group(0))


@_pattern(r"\b(?:(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+"
          r"(hours?|months?)|a\s+(fortnight))\s+ago\b", ("ago",))
def _hours_months_ago(m: re.Match[str], pub: date) -> DateSpan | None:
    # Resolved here rather than by dateparser: it builds a parser per publication day, about
    # 0.2 s each, which was most of the extraction time on reports of many different days.
    if m.group(3):  # "a fortnight ago"
        day = pub - timedelta(days=14)
        return _span(day, day, m.group(0), WEEK_PRECISION)
    count = _number(m.group(1).replace("  ", " "))
    if count is None:
        return None
    if m.group(2).lower().startswith("hour"):
        day = pub - timedelta(days=count // 24)
        return _span(day, day, m.group(0))
    month_index = pub.year * 12 + pub.month - 1 - count
    year, month = divmod(month_index, 12)
    day = date(year, month + 1, min(pub.day, calendar.monthrange(year, month + 1)[1]))
    return _span(day, day, m.group(0), MONTH_PRECISION)


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def _plausible(resolve: Callable[..., DateSpan | None], *args: Any) -> DateSpan | None:
    """``resolve(*args)``, or None when its span leaves 1900..tomorrow ("40000 days ago")."""
    try:
        span = resolve(*args)
    except OverflowError:  # before year 1 or after 9999
        return None
    if span is None or span.start < EARLIEST_DATE or span.end > latest_date():
        return None
    return span


def find_dates(text: str, published: date) -> list[DateMention]:
    """Every date phrase in a text, resolved; overlapping matches keep the longest."""
    found: list[DateMention] = []
    lowered = fold(text)
    present = set(_GUARD_RE.findall(lowered))
    if not present:
        return []
    for regex, handler, guard in _PATTERNS:
        if guard.isdisjoint(present):
            continue
        for match in regex.finditer(lowered):
            span = _plausible(handler, match, published)
            if span is not None:  # the phrase as written, not folded
                span = replace(span, phrase=text[match.start():match.end()])
                found.append(DateMention(match.start(), match.end(), span))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


_STATEMENT_BEFORE = FoldedRegex(
    r"(?:said|says|stated|statement|reported|announced|told\s+\w+|added|published|issued|"
    r"briefing|press\s+release|report)\s+(?:in\s+a\s+statement\s+)?(?:\w+\s+)?"
    r"(?:late\s+|early\s+)?on\s*$",
)


def resolve_date(sentence: str, published: date) -> DateSpan | None:
    """The event date a sentence states, or None when it states none.

    A date that belongs to the statement ("the ministry said on Sunday") is
    passed over when the sentence has another one.
    """
    mentions = find_dates(sentence, published)
    if not mentions:
        return None
    event_dates = [
        m for m in mentions
        if not _STATEMENT_BEFORE.search(sentence[max(0, m.start - 60):m.start])
    ] or mentions
    first = event_dates[0]
    if len(event_dates) > 1:
        second = event_dates[1]
        gap = (second.span.start - first.span.end).days
        # "On 12 September, from 23:55 until 02:30 on 13 September": one span over both days
        if 0 < gap <= 2 and _UNTIL.search(sentence[first.end:second.start]):
            return _span(first.span.start, second.span.end, sentence[first.start:second.end])
    return first.span


_UNTIL = re.compile(r"\b(?:until|till|to|through)\b|-|\u2013", re.IGNORECASE)
