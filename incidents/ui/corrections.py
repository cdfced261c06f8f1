"""The correction form shared by the ingest preview and the review queue.

It returns only the fields the analyst changed, so that what is stored is an
edit beside the extracted value (with the analyst's name), never an overwrite.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from incidents.views import filters
from incidents.schema import SUB_TO_EVENT

KEEP = "(as extracted)"


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
    """Widgets for place, type, date and actors; returns {field: new value} for what changed."""
    changes: dict[str, Any] = {}
    left, right = st.columns(2)
    with left:
        if candidates:
            labels = [_candidate_label(c) for c in candidates]
            index = st.selectbox("Place", range(len(candidates)), format_func=labels.__getitem__,
                                 key=f"{key}_place", help="The geocoder's candidates, best first.")
            if index:
                changes.update(place_fields(candidates[index]))
        else:
            st.text(f"Place: {incident.get('location') or 'not found'} (no other candidates)")
        sub_types = sorted(SUB_TO_EVENT)
        current_sub = incident.get("sub_event_type")
        sub = st.selectbox("Sub-event type (sets the event type)", sub_types,
                           index=sub_types.index(current_sub) if current_sub in sub_types else 0,
                           key=f"{key}_sub")
        if sub != current_sub:
            changes["sub_event_type"] = sub
            if SUB_TO_EVENT[sub] != incident.get("event_type"):
                changes["event_type"] = SUB_TO_EVENT[sub]
    with right:
        current_date = _as_date(incident.get("event_date"))
        date = st.date_input("Event date", value=current_date, key=f"{key}_date",
                             min_value=filters.DATE_MIN, max_value=filters.DATE_MAX)
        if date and date != current_date:
            changes["event_date"] = date.isoformat()
        for field, label in (("actor1", "Actor 1 (fired)"), ("actor2", "Actor 2 (targeted)")):
            value = st.text_input(label, value=incident.get(field) or "", key=f"{key}_{field}", max_chars=120)
            if value.strip() != (incident.get(field) or ""):
                changes[field] = value.strip() or None
    return changes

