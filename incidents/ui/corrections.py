"""The correction form shared by the ingest preview and the review queue.

It returns only the fields the analyst changed, so that what is stored is an
edit beside the extracted value (with the analyst's name), never an overwrite.
A date fix keeps the date fields consistent (the span, its precision and the
event date in its middle: :func:`incidents.store.edit_rules.date_edit`). The
place part lists the geocoder's candidates; placing by search, map pick or
coordinates is :mod:`incidents.ui.place_picker`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from incidents.schema import SUB_TO_EVENT, TIME_PRECISION
from incidents.store.edit_rules import date_edit
from incidents.views import filters

TEXT_FIELDS = (
    ("actor1", "Actor 1 (fired)", "The side said to have fired or attacked."),
    ("actor2", "Actor 2 (targeted)", None),
    ("claimed_by", "Claimed by", "Who states it: a ministry, a monitoring mission, an outlet."),
)


def place_fields(candidate: dict[str, Any]) -> dict[str, Any]:
    """Incident fields for choosing a place candidate (as Store.choose_place records them)."""
    feature = candidate.get("feature") or "settlement"
    return {
        "location": candidate.get("name"), "latitude": candidate.get("lat"), "longitude": candidate.get("lon"),
        "geonameid": candidate.get("geonameid"), "geo_precision": 1 if feature in ("settlement", "user") else 3,
        "country_code": candidate.get("country_code"), "admin1": candidate.get("admin1"), "geocoder": "analyst",
    }


def _candidate_label(candidate: dict[str, Any]) -> str:
    parts = [str(candidate.get("name") or "?"), str(candidate.get("admin1") or ""),
             str(candidate.get("country_code") or ""), str(candidate.get("feature") or "")]
    return " · ".join(p for p in parts if p) + f" (score {float(candidate.get('score') or 0):.2f})"


def _as_date(value: Any) -> dt.date | None:
    """The incident's date, or None when missing or outside what the date widget accepts."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return day if filters.DATE_MIN <= day <= filters.DATE_MAX else None


def correction_form(incident: dict[str, Any], candidates: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Every field an analyst fixes: place, type, date (with its precision and span), sides,
    claimant, disputed, casualties. Returns {field: new value} for what changed."""
    changes: dict[str, Any] = {}
    left, right = st.columns(2)
    with left:
        changes.update(_place_part(incident, candidates, key))
        changes.update(_type_part(incident, key))
        for field, label, help_text in TEXT_FIELDS:
            current = incident.get(field) or ""
            value = st.text_input(label, value=current, key=f"{key}_{field}", max_chars=120, help=help_text)
            if value.strip() != current:
                changes[field] = value.strip() or None
    with right:
        changes.update(_date_part(incident, key))
        disputed = st.checkbox("Disputed (the other side denies or counter-claims)",
                               value=bool(incident.get("disputed")), key=f"{key}_disputed")
        if disputed != bool(incident.get("disputed")):
            changes["disputed"] = disputed
        killed, hurt = st.columns(2)
        for column, field, label in ((killed, "fatalities", "Killed"), (hurt, "injured", "Injured")):
            current = _count(incident.get(field))
            value = column.number_input(label, min_value=0, max_value=1_000_000, step=1, value=current,
                                        key=f"{key}_{field}")
            if int(value) != current:
                changes[field] = int(value)
    return changes


def _place_part(incident: dict[str, Any], candidates: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """PLACE: the geocoder's candidates (search, map pick and coordinates live in place_picker)."""
    if not candidates:
        st.text(f"Place: {incident.get('location') or 'not found'} (no other candidates)")
        return {}
    labels = [_candidate_label(c) for c in candidates]
    index = st.selectbox("Place", range(len(candidates)), format_func=labels.__getitem__,
                         key=f"{key}_place", help="The geocoder's candidates, best first.")
    return place_fields(candidates[index]) if index else {}


def _type_part(incident: dict[str, Any], key: str) -> dict[str, Any]:
    sub_types = sorted(SUB_TO_EVENT)
    current = incident.get("sub_event_type")
    sub = st.selectbox("Sub-event type (sets the event type)", sub_types,
                       index=sub_types.index(current) if current in sub_types else 0, key=f"{key}_sub")
    if sub == current:
        return {}
    changes = {"sub_event_type": sub}
    if SUB_TO_EVENT[sub] != incident.get("event_type"):
        changes["event_type"] = SUB_TO_EVENT[sub]
    return changes


def _date_part(incident: dict[str, Any], key: str) -> dict[str, Any]:
    """The span the text allows and its precision; fixing either keeps the other consistent."""
    day = _as_date(incident.get("event_date"))
    start = _as_date(incident.get("date_start")) or day
    end = _as_date(incident.get("date_end")) or day
    precision = int(incident.get("time_precision") or 1)
    if precision not in TIME_PRECISION:
        precision = 1
    span = st.date_input("Event date: first and last day the report allows (the same day twice for one day)",
                         value=(start, end) if start and end else (), key=f"{key}_dates",
                         min_value=filters.DATE_MIN, max_value=filters.DATE_MAX, format="YYYY-MM-DD")
    chosen = st.selectbox("Date precision", list(TIME_PRECISION), index=list(TIME_PRECISION).index(precision),
                          format_func=lambda p: f"{p} · {TIME_PRECISION[p]}", key=f"{key}_precision",
                          help="ACLED's time precision: the exact day, a week, or only the month is known.")
    days = tuple(d for d in (span if isinstance(span, (tuple, list)) else (span,)) if d)
    if not days:
        return {}
    new_start, new_end = days[0], days[-1]
    if (new_start, new_end) != (start, end):
        fixed = date_edit(new_start, new_end, None if chosen == precision else chosen)
    elif chosen != precision:
        fixed = date_edit(day or new_start, day or new_start, chosen)
    else:
        return {}
    old = {"event_date": day, "date_start": start, "date_end": end, "time_precision": precision}
    # A date fix is one unit: all four fields are recorded, so that a re-extraction cannot mix them.
    return fixed if any(str(old[name]) != str(value) for name, value in fixed.items()) else {}


def _count(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0
