"""Analysts' edits as data: which fields may change, how a value is checked, and which edit wins.

Kept beside :mod:`incidents.store.tables` (the value coding it builds on) and
apart from the SQL: a PostgreSQL backend would reuse every rule here as is.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable

from incidents import schema
from incidents.countries import country_name
from incidents.store.tables import encode_weapons, is_missing, iso_date


def _check_event_type(value: Any) -> str:
    if value not in schema.EVENT_TYPES:
        raise ValueError(f"unknown event type {value!r}")
    return value


def _check_sub_event_type(value: Any) -> str:
    if value not in schema.SUB_TO_EVENT:
        raise ValueError(f"unknown sub-event type {value!r}")
    return value


def _check_range(low: float, high: float) -> Callable[[Any], float | None]:
    def check(value: Any) -> float | None:
        if is_missing(value):
            return None
        number = float(value)
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}..{high}")
        return number

    return check


def _check_choice(choices: tuple[Any, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if is_missing(value):
            return None
        if isinstance(choices[0], int):
            value = int(value)
        if value not in choices:
            raise ValueError(f"{value!r} is not one of {choices}")
        return value

    return check


def _check_count(value: Any) -> int:
    number = 0 if is_missing(value) else int(value)
    if number < 0:
        raise ValueError("a count cannot be negative")
    return number


def _check_optional_int(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def _check_text(value: Any) -> str | None:
    return None if is_missing(value) or str(value).strip() == "" else str(value)


def _check_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _check_date(value: Any) -> str | None:
    """An ISO date inside 1900..tomorrow: an analyst's typo must not move an incident to 9999."""
    day = iso_date(value)
    return None if day is None else schema.plausible_date(dt.date.fromisoformat(day), "date").isoformat()


def _check_weapons(value: Any) -> list[str]:
    return json.loads(encode_weapons(value))


EDITABLE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "event_type": _check_event_type,
    "sub_event_type": _check_sub_event_type,
    "event_date": _check_date,
    "date_start": _check_date,
    "date_end": _check_date,
    "time_precision": _check_choice(tuple(schema.TIME_PRECISION)),
    "actor1": _check_text,
    "actor2": _check_text,
    "claimed_by": _check_text,
    "source_type": _check_choice(schema.SOURCE_TYPES),
    "disputed": _check_bool,
    "civilian_targeting": _check_bool,
    "country": _check_text,
    "country_code": _check_text,
    "admin1": _check_text,
    "admin2": _check_text,
    "location": _check_text,
    "latitude": _check_range(-90.0, 90.0),
    "longitude": _check_range(-180.0, 180.0),
    "geo_precision": _check_choice(tuple(schema.GEO_PRECISION)),
    "geonameid": _check_optional_int,
    "geocoder": _check_text,
    "fatalities": _check_count,
    "injured": _check_count,
    "violation_count": _check_optional_int,
    "weapons": _check_weapons,
    "notes": _check_text,
    "review_status": _check_choice(schema.REVIEW_STATUSES),
}


def _span_precision(start: dt.date, end: dt.date) -> int:
    """ACLED's time_precision for a span of days: 1 a day, 2 up to a week, 3 longer."""
    days = (end - start).days + 1
    return 1 if days <= 1 else 2 if days <= 7 else 3


def _span_of(day: dt.date, precision: int) -> tuple[dt.date, dt.date]:
    """The days a precision allows around ``day``: the day, its week (Monday to Sunday), its month."""
    if precision == 2:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if precision == 3:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    return day, day


def date_edit(start: dt.date, end: dt.date, precision: int | None = None) -> dict[str, Any]:
    """The date fields of an analyst's date fix, kept consistent with each other.

    A new span sets the precision it implies (unless ``precision`` is given);
    a new precision for a single day widens it to that day's week or month.
    ``event_date`` is the middle of the span, as ACLED codes it.
    """
    start, end = min(start, end), max(start, end)
    if precision is None:
        precision = _span_precision(start, end)
    elif start == end and precision > 1:
        start, end = _span_of(start, precision)
    middle = start + dt.timedelta(days=(end - start).days // 2)
    return {"event_date": middle.isoformat(), "date_start": start.isoformat(), "date_end": end.isoformat(),
            "time_precision": int(precision)}


def check_edit(field: str, value: Any) -> Any:
    """The canonical value of an edit (JSON-able); ValueError names what is wrong."""
    if field not in EDITABLE_FIELDS:
        raise ValueError(f"field {field!r} cannot be edited (allowed: {', '.join(EDITABLE_FIELDS)})")
    try:
        return EDITABLE_FIELDS[field](value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad value for {field}: {exc}") from exc


def effective_edits(edits: list[tuple[str, str, Any]]) -> dict[str, dict[str, Any]]:
    """Latest value per (event_id, field) from (event_id, field, value) in edit order.

    review_status follows the latest action: an explicit status, else 'edited'
    after any field edit. A rejection stands until review_status itself is
    changed: correcting a typo in a rejected incident must not bring it back
    into every view.
    """
    result: dict[str, dict[str, Any]] = {}
    for event_id, field, value in edits:
        fields = result.setdefault(event_id, {})
        fields[field] = value
        if field != "review_status" and fields.get("review_status") != "rejected":
            fields["review_status"] = "edited"
    return result


def place_edit(candidate: dict[str, Any]) -> dict[str, Any]:
    """The edits that move an incident to a place candidate (a place_candidates dict).

    Every place field is rewritten, so nothing of the previous place (its
    country, its district) survives next to the new coordinates.
    """
    feature = candidate.get("feature") or "settlement"
    code = candidate.get("country_code")
    return {
        "location": candidate.get("name"), "latitude": candidate.get("lat"),
        "longitude": candidate.get("lon"), "geonameid": candidate.get("geonameid"),
        "geo_precision": 1 if feature in ("settlement", "user") else 3,
        "country_code": code, "country": country_name(code),
        "admin1": candidate.get("admin1"), "admin2": candidate.get("admin2"),
        "geocoder": "analyst",
    }
