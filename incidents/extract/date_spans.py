"""Date spans: the days a date phrase allows, and the calendar arithmetic that finds them.

A resolved mention is a :class:`DateSpan`: the first and last day the text
allows, and ACLED's ``time_precision`` (1 day, 2 week, 3 month). The event
date is the middle of the span, as ACLED does. :mod:`incidents.extract.dates`
finds the phrases; this module holds what they resolve to, and never looks
past the publication day (plus a day of slack for time zones).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from incidents.schema import plausible_date

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


def precision_of(start: date, end: date) -> int:
    days = (end - start).days
    if days <= 1:
        return DAY_PRECISION
    return WEEK_PRECISION if days <= 7 else MONTH_PRECISION


def make_span(start: date, end: date, phrase: str, precision: int | None = None) -> DateSpan:
    if end < start:
        start, end = end, start
    return DateSpan(start, end, precision or precision_of(start, end), True, phrase)


# Days an event date may lie after publication (time zones: a report dated in UTC
# may tell of the next local day). Anything later is a plan, a deadline or a misreading.
SLACK_DAYS = 1


def not_future(day: date | None, published: date) -> date | None:
    return day if day is not None and (day - published).days <= SLACK_DAYS else None


def past_date(year: int | None, month: int, day: int, published: date) -> date | None:
    """A day-month without a year is the latest one not after publication (1 day of slack);
    with a year, a day after publication is refused."""
    try:
        if year is not None:
            return not_future(date(year, month, day), published)
        found = date(published.year, month, day)
        if (found - published).days > SLACK_DAYS:
            found = date(published.year - 1, month, day)
        return found
    except ValueError:
        return None


def valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def weekday_on_or_before(weekday: int, published: date, strictly_before: bool = False) -> date:
    delta = (published.weekday() - weekday) % 7
    if strictly_before and delta == 0:
        delta = 7
    return published - timedelta(days=delta)
