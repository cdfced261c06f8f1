"""Event dates from report text, resolved against the publication date.

Most date phrases in ceasefire reporting are few and formulaic ("on 10 March",
"on Thursday", "overnight", "between 8 and 10 March", "a fortnight ago"), so
precompiled regexes handle them in microseconds. dateparser is not used here:
it is about 100 times slower, builds a parser per publication day, and has
known traps for this use (ecosystem notes §4): ``PREFER_DATES_FROM='past'``
turns "Tuesday" said on a Tuesday into the previous week; it knows nothing of
"overnight"; its ``search_dates`` reads "May the ceasefire hold" as a date.

A resolved mention is a :class:`~incidents.extract.date_spans.DateSpan`: the
first and last day the text allows, and ACLED's ``time_precision``.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Callable

from incidents.extract.date_spans import (
    DAY_PRECISION,
    WEEK_PRECISION,
    MONTH_PRECISION,
    DateSpan,
    DateMention,
    make_span,
    not_future,
    past_date,
    valid_date,
    weekday_on_or_before,
)
from incidents.extract.regex import FoldedRegex, lower_same_length
from incidents.text.calendar import WEEKDAYS, month_number
from incidents.text.numbers import number_value
from incidents.schema import EARLIEST_DATE, latest_date

# ---------------------------------------------------------------------------
# Patterns: each a compiled regex and a function (match, published) -> DateSpan
# ---------------------------------------------------------------------------

_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MON = _MONTH_NAME + r"\.?"
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
        "before", "earlier", "preceding", "on the",
    },
    key=len, reverse=True,
)
_GUARD_RE = re.compile("|".join(re.escape(word) for word in _GUARD_WORDS))
# Every month pattern reads a month as a word of its own: "summary", "decided" and "Novoluhanske"
# hold a month's letters, not a month, and need not run them.
_MONTH_WORD = re.compile(r"\b" + _MONTH_NAME.lower() + r"\b")


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
    end = past_date(year, month_number(m.group(4)), _int_day(m.group(3)), pub)
    if end is None:
        return None
    start = past_date(end.year, month_number(m.group(2)), _int_day(m.group(1)), pub)
    if start is not None and start > end:
        start = start.replace(year=start.year - 1)
    return make_span(start, end, m.group(0)) if start else None


@_pattern(rf"\b({_MON})\s+({_DAY}){_TO}({_MON})\s+({_DAY}){_YEAR}\b", MONTH_GUARD)
def _range_month_day_month_day(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(5)) if m.group(5) else None
    end = past_date(year, month_number(m.group(3)), _int_day(m.group(4)), pub)
    if end is None:
        return None
    start = past_date(end.year, month_number(m.group(1)), _int_day(m.group(2)), pub)
    if start is not None and start > end:
        start = start.replace(year=start.year - 1)
    return make_span(start, end, m.group(0)) if start else None


@_pattern(rf"\b(?<![:.]\d)(?<![:.])({_DAY}){_TO}({_DAY})(?:\s+of)?\s+({_MON}){_YEAR}\b", MONTH_GUARD)
def _range_days_month(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(4)) if m.group(4) else None
    month = month_number(m.group(3))
    end = past_date(year, month, _int_day(m.group(2)), pub)
    start = past_date(end.year if end else year, month, _int_day(m.group(1)), pub)
    return make_span(start, end, m.group(0)) if start and end else None


@_pattern(rf"\b({_MON})\s+({_DAY}){_TO}({_DAY}){_YEAR}\b(?![:.]\d)", MONTH_GUARD)
def _range_month_days(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(4)) if m.group(4) else None
    month = month_number(m.group(1))
    if _int_day(m.group(3)) < _int_day(m.group(2)):
        return None  # "November 22 to 01:15": a time, not a day
    end = past_date(year, month, _int_day(m.group(3)), pub)
    start = past_date(end.year if end else year, month, _int_day(m.group(2)), pub)
    return make_span(start, end, m.group(0)) if start and end else None


@_pattern(rf"\b({_DAY})(?:\s+of)?\s+({_MON}){_YEAR}\b", MONTH_GUARD)
def _day_month(m: re.Match[str], pub: date) -> DateSpan | None:
    year = int(m.group(3)) if m.group(3) else None
    day = past_date(year, month_number(m.group(2)), _int_day(m.group(1)), pub)
    return make_span(day, day, m.group(0)) if day else None


@_pattern(rf"\b({_MON})\s+({_DAY}){_YEAR}(?![\d:]|\.\d)(?!\s*(?:km|kilomet|per\s*cent|%))", MONTH_GUARD)
def _month_day(m: re.Match[str], pub: date) -> DateSpan | None:
    # "May 5" and "on May 12" are dates: the modal verb is never followed by a day number.
    year = int(m.group(3)) if m.group(3) else None
    day = past_date(year, month_number(m.group(1)), _int_day(m.group(2)), pub)
    return make_span(day, day, m.group(0)) if day else None


@_pattern(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b", ("-",))
def _iso(m: re.Match[str], pub: date) -> DateSpan | None:
    day = not_future(valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3))), pub)
    return make_span(day, day, m.group(0)) if day else None


@_pattern(r"\b([0-3]?\d)[./]([01]?\d)[./]((?:19|20)\d{2})\b", ("/19", "/20", ".19", ".20"))
def _numeric_dmy(m: re.Match[str], pub: date) -> DateSpan | None:
    # Day first: the convention of the ministries and missions we read. When that reading
    # is impossible or lies after publication, the US order (month first) is tried:
    # "3/12/2024" in a report of 12 March 2024 is that day, not 3 December.
    first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    day = not_future(valid_date(year, second, first), pub) or not_future(valid_date(year, first, second), pub)
    return make_span(day, day, m.group(0)) if day else None


@_pattern(rf"\b(?:overnight|(?:in|during|on)\s+the\s+night\s+(?:of|from))\s+{_WD}\s*(?:into|to|and|-|/|\u2013)\s*{_WD}\b|"
          rf"\b{_WD}\s*(?:-|/|\u2013)\s*{_WD}\s+night\b", ("night",))
def _night_weekday_to_weekday(m: re.Match[str], pub: date) -> DateSpan:
    # "overnight Sunday into Monday", "the night from Saturday to Sunday", "Sunday-Monday night":
    # coded to the later day.
    day = weekday_on_or_before(WEEKDAYS[(m.group(2) or m.group(4)).lower()], pub)
    return make_span(day - timedelta(days=1), day, m.group(0), DAY_PRECISION)


@_pattern(rf"\bovernight\s+{_WD}\b(?!\s+(?:into|to)\b)", ("night",))
def _overnight_weekday(m: re.Match[str], pub: date) -> DateSpan:
    # "overnight Saturday": the night of Saturday, into Sunday (never past publication).
    day = weekday_on_or_before(WEEKDAYS[m.group(1).lower()], pub)
    return make_span(day, min(day + timedelta(days=1), max(day, pub)), m.group(0), DAY_PRECISION)


@_pattern(rf"\b(?:overnight|(?:on\s+)?the\s+night)\s+(?:on|into|to|before)\s+{_WD}\b", ("night",))
def _night_into_weekday(m: re.Match[str], pub: date) -> DateSpan:
    day = weekday_on_or_before(WEEKDAYS[m.group(1).lower()], pub)
    return make_span(day - timedelta(days=1), day, m.group(0), DAY_PRECISION)


@_pattern(rf"\b(?:(last|past|previous)\s+)?{_WD}\s+night\b|\bnight\s+of\s+(?:(last|past|previous)\s+)?{_WD}\b",
          ("night",))
def _weekday_night(m: re.Match[str], pub: date) -> DateSpan:
    # "Sunday night", "the night of Sunday" run into Monday: an overnight window, coded to its later day.
    strictly = (m.group(1) or m.group(3) or "").lower() in ("last", "past", "previous")
    day = weekday_on_or_before(WEEKDAYS[(m.group(2) or m.group(4)).lower()], pub, strictly)
    return make_span(day, min(day + timedelta(days=1), max(day, pub)), m.group(0), DAY_PRECISION)


@_pattern(rf"\bnight\s+of\s+(?:the\s+)?(?:({_DAY})(?:\s+of)?\s+({_MON})|({_MON})\s+({_DAY})){_YEAR}\b|"
          rf"\b(?:({_DAY})(?:\s+of)?\s+({_MON})|({_MON})\s+({_DAY})){_YEAR}\s+night\b", ("night",))
def _night_of_date(m: re.Match[str], pub: date) -> DateSpan | None:
    # "the night of 9 March" ("9 March night") runs into 10 March ("the night of 9-10 March" is a range).
    groups = m.groups()
    day_a, month_a, month_b, day_b, year = groups[:5] if any(groups[:4]) else groups[5:]
    day = past_date(int(year) if year else None, month_number(month_a or month_b), _int_day(day_a or day_b), pub)
    return make_span(day, min(day + timedelta(days=1), max(day, pub)), m.group(0), DAY_PRECISION) if day else None


@_pattern(rf"\b(?:overnight|(?:on|in|during)\s+the\s+night)\s+(?:in)?to\s+(?:the\s+)?(?:({_DAY})(?:\s+of)?\s+({_MON})|"
          rf"({_MON})\s+({_DAY})){_YEAR}\b", ("night",))
def _night_into_date(m: re.Match[str], pub: date) -> DateSpan | None:
    # "in the night to 10 March", "overnight into March 10": the night before that day, coded to it.
    day = past_date(int(m.group(5)) if m.group(5) else None, month_number(m.group(2) or m.group(3)),
                    _int_day(m.group(1) or m.group(4)), pub)
    return make_span(day - timedelta(days=1), day, m.group(0), DAY_PRECISION) if day else None


@_pattern(rf"\b(?:between|from)\s+{_WD}\s+(?:and|to|until|till|through)\s+{_WD}\b|\b{_WD}\s+(?:and|through)\s+{_WD}\b",
          WEEKDAY_GUARD)
def _weekday_range(m: re.Match[str], pub: date) -> DateSpan:
    # "on Saturday and Sunday", "between Saturday and Monday": the days from the first to the second.
    first, second = (WEEKDAYS[g.lower()] for g in (m.groups()[:2] if m.group(1) else m.groups()[2:]))
    end = weekday_on_or_before(second, pub)
    return make_span(end - timedelta(days=(second - first) % 7), end, m.group(0))


@_pattern(rf"\bsince\s+(?:(last|past|previous)\s+)?{_WD}\b", WEEKDAY_GUARD)
def _since_weekday(m: re.Match[str], pub: date) -> DateSpan:
    # "since Monday": from that Monday to the publication day, not Monday alone.
    day = weekday_on_or_before(WEEKDAYS[m.group(2).lower()], pub, bool(m.group(1)))
    return make_span(day, pub, m.group(0))


@_pattern(rf"\b(?:(last|past|previous|this)\s+)?{_WD}(?:'s)?\b", WEEKDAY_GUARD)
def _weekday(m: re.Match[str], pub: date) -> DateSpan:
    # "on Thursday" is the latest Thursday on or before publication; the
    # publication weekday is the publication day itself ("last" excludes it).
    strictly = (m.group(1) or "").lower() in ("last", "past", "previous")
    day = weekday_on_or_before(WEEKDAYS[m.group(2).lower()], pub, strictly)
    return make_span(day, day, m.group(0))


@_pattern(r"\bthe\s+day\s+before\s+yesterday\b", ("yesterday",))
def _day_before_yesterday(m: re.Match[str], pub: date) -> DateSpan:
    day = pub - timedelta(days=2)
    return make_span(day, day, m.group(0))


@_pattern(r"\b(?:(?:a|one)\s+day\s+(?:earlier|before)|(?:on\s+)?the\s+(?:previous|preceding)\s+day|"
          r"(?:on\s+)?the\s+day\s+before)\b(?!\s+(?:yesterday|the|a|an)\b)",
          ("previous", "preceding", "before", "earlier"))
def _day_before(m: re.Match[str], pub: date) -> DateSpan:
    # "a day earlier": the day before the date the text last gave (the extractor re-reads it
    # against that date); alone, the day before publication.
    day = pub - timedelta(days=1)
    return make_span(day, day, m.group(0))


@_pattern(r"\bon\s+the\s+([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?:\s+of\s+(?:the\s+)?(this|current|last|previous)\s+month\b)?"
          r"(?!\s+(?:of\s+)?[a-z])", ("on the",))
def _day_of_month(m: re.Match[str], pub: date) -> DateSpan | None:
    # "on the 10th" ("of this month"): of the publication's month, or of the month before when that
    # day is still to come or "of last month" is said.
    number = int(m.group(1))
    day = None if m.group(2) in ("last", "previous") else not_future(valid_date(pub.year, pub.month, number), pub)
    if day is None and m.group(2) not in ("this", "current"):
        previous = pub.replace(day=1) - timedelta(days=1)
        day = valid_date(previous.year, previous.month, number)
    return make_span(day, day, m.group(0)) if day else None


@_pattern(r"\byesterday\b|\blast\s+evening\b", ("yesterday", "last"))
def _yesterday(m: re.Match[str], pub: date) -> DateSpan:
    day = pub - timedelta(days=1)
    return make_span(day, day, m.group(0))


@_pattern(
    # ("during the night of 9-10 March", "overnight Sunday": the night named, read by the patterns above)
    r"\b(?:(?:last\s+night|overnight|during\s+the\s+night|at\s+night)(?!\s+(?:of|from|on|into|to|before)\b)(?!\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))|"
    r"(?:(?:in|over|during|within)\s+)?the\s+(?:past|last|previous)\s+24\s+(?:hours|hrs)|"
    r"(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+day|(?:the\s+)?previous\s+night)\b",
    ("night", "24 hours", "past", "last", "previous"),
)
def _last_night(m: re.Match[str], pub: date) -> DateSpan:
    # A night spans two days: from the evening before publication to its morning.
    return make_span(pub - timedelta(days=1), pub, m.group(0), DAY_PRECISION)


@_pattern(r"\b(?:today|this\s+(?:morning|afternoon|evening)|earlier\s+today|tonight)\b",
          ("today", "morning", "afternoon", "evening", "tonight"))
def _today(m: re.Match[str], pub: date) -> DateSpan:
    return make_span(pub, pub, m.group(0))


@_pattern(r"\b(?:(?:over|at|during|on)\s+the|this)\s+(?:past\s+|last\s+)?weekend\b", ("weekend",))
def _weekend(m: re.Match[str], pub: date) -> DateSpan:
    saturday = weekday_on_or_before(5, pub)
    return make_span(saturday, min(saturday + timedelta(days=1), pub), m.group(0), DAY_PRECISION)


@_pattern(r"\blast\s+week\b", ("week",))
def _last_week(m: re.Match[str], pub: date) -> DateSpan:
    monday = pub - timedelta(days=pub.weekday() + 7)
    return make_span(monday, monday + timedelta(days=6), m.group(0), WEEK_PRECISION)


@_pattern(r"\b(?:earlier\s+)?this\s+week\b", ("week",))
def _this_week(m: re.Match[str], pub: date) -> DateSpan:
    return make_span(pub - timedelta(days=pub.weekday()), pub, m.group(0), WEEK_PRECISION)


@_pattern(
    r"\b(?:(?:in|over|during)\s+(?:the\s+)?(?:past|last|previous)\s+(?:week|seven\s+days|7\s+days|"
    r"few\s+days|several\s+days|couple\s+of\s+days)|in\s+recent\s+days)\b",
    ("past", "last", "previous", "recent"),
)
def _recent_days(m: re.Match[str], pub: date) -> DateSpan:
    return make_span(pub - timedelta(days=7), pub, m.group(0), WEEK_PRECISION)


@_pattern(r"\b(?:in|over|during)\s+the\s+(?:past|last|previous)\s+(\d{1,2}|two|three|four|five|six|48|72)\s+"
          r"(days|hours)\b", ("past", "last", "previous"))
def _past_days(m: re.Match[str], pub: date) -> DateSpan | None:
    # "over the past 48 hours", "in the last three days": that many days back from the statement.
    count = number_value(m.group(1))
    if count is None or count < 1:
        return None
    days = count // 24 if m.group(2).lower() == "hours" else count
    return make_span(pub - timedelta(days=max(days, 1)), pub, m.group(0))


@_pattern(r"\b(?:earlier\s+)?this\s+month\b", ("month",))
def _this_month(m: re.Match[str], pub: date) -> DateSpan:
    return make_span(pub.replace(day=1), pub, m.group(0), MONTH_PRECISION)


@_pattern(r"\blast\s+month\b", ("month",))
def _last_month(m: re.Match[str], pub: date) -> DateSpan:
    end = pub.replace(day=1) - timedelta(days=1)
    return make_span(end.replace(day=1), end, m.group(0), MONTH_PRECISION)


@_pattern(rf"\b(?:in|during|throughout|early|late|mid-?|end\s+of|beginning\s+of|this|last)\s+({_MON})"
          rf"(?:\s+((?:19|20)\d{{2}}))?\b", MONTH_GUARD)
def _month(m: re.Match[str], pub: date) -> DateSpan | None:
    month = month_number(m.group(1))
    year = int(m.group(2)) if m.group(2) else (pub.year if month <= pub.month else pub.year - 1)
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    return make_span(start, min(end, max(pub, start)), m.group(0), MONTH_PRECISION)


@_pattern(r"\b(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+(days?|weeks?)\s+ago\b",
          ("ago",))
def _ago(m: re.Match[str], pub: date) -> DateSpan | None:
    count = number_value(m.group(1).replace("  ", " "))
    if count is None:
        return None
    if m.group(2).lower().startswith("week"):
        day = pub - timedelta(days=7 * count)
        return make_span(day - timedelta(days=3), day + timedelta(days=3), m.group(0), WEEK_PRECISION)
    day = pub - timedelta(days=count)
    return make_span(day, day, m.group(0))


@_pattern(r"\b(?:(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+"
          r"(hours?|months?)|a\s+(fortnight))\s+ago\b", ("ago",))
def _hours_months_ago(m: re.Match[str], pub: date) -> DateSpan | None:
    # Resolved here rather than by dateparser: it builds a parser per publication day, about
    # 0.2 s each, which was most of the extraction time on reports of many different days.
    if m.group(3):  # "a fortnight ago"
        day = pub - timedelta(days=14)
        return make_span(day, day, m.group(0), WEEK_PRECISION)
    count = number_value(m.group(1).replace("  ", " "))
    if count is None:
        return None
    if m.group(2).lower().startswith("hour"):
        day = pub - timedelta(days=count // 24)
        return make_span(day, day, m.group(0))
    month_index = pub.year * 12 + pub.month - 1 - count
    year, month = divmod(month_index, 12)
    day = date(year, month + 1, min(pub.day, calendar.monthrange(year, month + 1)[1]))
    return make_span(day, day, m.group(0), MONTH_PRECISION)


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def _plausible(latest: date, resolve: Callable[..., DateSpan | None], *args: Any) -> DateSpan | None:
    """``resolve(*args)``, or None when its span leaves 1900..``latest`` ("40000 days ago")."""
    try:
        span = resolve(*args)
    except OverflowError:  # before year 1 or after 9999
        return None
    if span is None or span.start < EARLIEST_DATE or span.end > latest:
        return None
    return span


_VERB_MONTH = re.compile(r"\b(?:may|march)\b")  # case-sensitive: the verbs, not the months


def find_dates(text: str, published: date) -> list[DateMention]:
    """Every date phrase in a text, resolved; overlapping matches keep the longest."""
    return list(_dates_in(text, published, latest_date()))


# A sentence is read for its event date, for the day of a statement it reports and for its
# clauses' dates: the same text and day, the same answer (tomorrow is part of the question).
@functools.lru_cache(maxsize=16)
def _dates_in(text: str, published: date, latest: date) -> tuple[DateMention, ...]:
    found: list[DateMention] = []
    lowered = lower_same_length(text)
    present = set(_GUARD_RE.findall(lowered))
    if not present:
        return ()
    if not present.isdisjoint(MONTH_GUARD) and not _MONTH_WORD.search(lowered):
        present.difference_update(MONTH_GUARD)
    for regex, handler, guard in _PATTERNS:
        if guard.isdisjoint(present):
            continue
        for match in regex.finditer(lowered):
            if _VERB_MONTH.search(text, match.start(), match.end()):
                continue  # "peace may 5 times fail": a month that is also a word is written capitalised
            span = _plausible(latest, handler, match, published)
            if span is not None:  # the phrase as written, not folded
                span = replace(span, phrase=text[match.start():match.end()])
                found.append(DateMention(match.start(), match.end(), span))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        if kept and _WEEKDAY_ONLY.fullmatch(lowered, kept[-1].start, kept[-1].end) \
                and _APPOSITION.fullmatch(lowered, kept[-1].end, mention.start):
            kept.pop()  # "on Friday, 1 March", "Sunday (Feb. 25)": the calendar day says which Friday
        kept.append(mention)
    return tuple(kept)


_WEEKDAY_ONLY = re.compile(_WD, re.IGNORECASE)
_APPOSITION = re.compile(r",?\s*\(?\s*(?:the\s+)?")
