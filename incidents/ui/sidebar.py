"""The shared filters in the sidebar, kept in the URL so a view is a link.

Order of a run (why: URL-bound widgets drop bad values silently, and an
analyst must learn that part of a shared link was ignored):

1. On a session's first run, read ``st.query_params``, validate it with
   :func:`incidents.filters.from_query_params` against the values the data
   holds, remember the problems, and seed the widgets' session state.
2. Draw the widgets (keys ``f_*``, listed in :data:`WIDGET_KEYS`).
3. Build the FilterSpec from the widgets and write its URL form back, so the
   address bar always holds the current view (also after a page switch,
   which clears query parameters).

Other pages change filters (a timeline span, a map area) through
:func:`request_filters`, applied at the next run before widgets exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import streamlit as st

from incidents.views import filters
from incidents.views.filter_spec import FilterSpec
from incidents.schema import EVENT_TYPES, GEO_PRECISION, SOURCE_TYPES
from incidents.ui.url_state import kept_params

CUSTOM = "custom"
PRESET_OPTIONS = [*filters.PRESETS, CUSTOM]
PRESET_LABELS = {**filters.PRESET_LABELS, CUSTOM: "Custom range"}
MULTISELECTS = {  # spec attribute -> (widget key, label)
    "conflicts": ("f_conflict", "Conflict"),
    "countries": ("f_country", "Country"),
    "regions": ("f_region", "Region (admin1)"),
    "event_types": ("f_type", "Event type"),
    "sub_event_types": ("f_subtype", "Sub-event type"),
    "actors": ("f_actor", "Actor (either side)"),
    "claimed_by": ("f_claimed_by", "Claimed by"),
    "source_types": ("f_source_type", "Source type"),
}
WIDGET_KEYS = ("f_preset", "f_dates", *(k for k, _ in MULTISELECTS.values()), "f_corroborated",
               "f_min_casualties", "f_precision", "f_q")
CONFLICT_HELP = ("Incidents in the countries (or regions) a conflict covers, as listed in data/conflicts.csv; "
                 "edit that table to add a conflict or change one.")
PRECISION_LABELS = {1: "1 exact place", 2: "2 near a place", 3: "3 region only"}


def request_filters(spec: FilterSpec) -> None:
    """Ask for new filters (applied on the next run) and rerun."""
    st.session_state["pending_spec"] = spec
    st.rerun()


def _options(attr: str, known: dict[str, list[str]]) -> list[str]:
    values = list(known.get(attr, []))
    if attr == "event_types":
        values = sorted(set(values) | set(EVENT_TYPES), key=str.casefold)
    elif attr == "sub_event_types":
        values = sorted(set(values) | {s for subs in EVENT_TYPES.values() for s in subs}, key=str.casefold)
    elif attr == "source_types":
        values = list(dict.fromkeys([*SOURCE_TYPES, *values]))
    return values


def seed_state(spec: FilterSpec, newest: dt.date | None, oldest: dt.date | None) -> None:
    """Put a spec into the widgets' session state (before they are drawn)."""
    state = st.session_state
    newest, oldest = filters.clamp_date(newest), filters.clamp_date(oldest)
    if spec.since or spec.until:
        state["f_preset"] = CUSTOM
        since, until = filters.clamp_date(spec.since), filters.clamp_date(spec.until)
        state["f_dates"] = (since or oldest or until, until or newest or since)
    else:
        state["f_preset"] = spec.preset
        state.pop("f_dates", None)
    for attr, (key, _) in MULTISELECTS.items():
        state[key] = list(getattr(spec, attr))
    state["f_corroborated"] = spec.corroborated_only
    state["f_min_casualties"] = spec.min_casualties
    state["f_precision"] = list(spec.precision)
    state["f_q"] = spec.text
    state["f_bbox"] = spec.bbox


def spec_from_state() -> FilterSpec:
    """The FilterSpec the widgets currently show."""
    state = st.session_state
    preset = state.get("f_preset", "all")
    since = until = None
    if preset == CUSTOM:
        dates = state.get("f_dates") or ()
        if isinstance(dates, dt.date):
            dates = (dates,)
        dates = tuple(d for d in dates if d)
        since = dates[0] if dates else None
        until = dates[1] if len(dates) > 1 else None
        preset = "all"
    values: dict[str, Any] = {attr: tuple(state.get(key) or ()) for attr, (key, _) in MULTISELECTS.items()}
    return FilterSpec(
        preset=preset, since=since, until=until, **values,
        corroborated_only=bool(state.get("f_corroborated")),
        min_casualties=int(state.get("f_min_casualties") or 0),
        precision=tuple(sorted(state.get("f_precision") or ())),
        text=str(state.get("f_q") or "").strip()[: filters.MAX_TEXT],
        bbox=state.get("f_bbox"),
    )


def keep_state() -> None:
    """Keep the filter widgets' values through a run that does not draw them.

    Streamlit forgets a widget's state at the end of a run that did not draw it;
    assigning the values again makes them plain session state until the
    filters are drawn again (on the next page that shows data).
    """
    state = st.session_state
    for key in (*WIDGET_KEYS, "f_bbox"):
        if key in state:
            state[key] = state[key]


def _reset() -> None:
    seed_state(FilterSpec(), None, None)
    st.session_state["url_problems"] = []


def _clear_bbox() -> None:
    st.session_state["f_bbox"] = None


def render(known: dict[str, list[str]], newest: dt.date | None, oldest: dt.date | None) -> tuple[
    FilterSpec, list[str]
]:
    """Draw the filters; return the spec and the URL problems to show."""
    state = st.session_state
    if "url_seeded" not in state:
        spec, problems = filters.from_query_params(st.query_params, known=known)
        seed_state(spec, newest, oldest)
        state["url_seeded"] = True
        state["url_problems"] = problems
        state["url_spec"] = None  # set below from the widgets, once they hold the seeded values
    pending = state.pop("pending_spec", None)
    if pending is not None:
        seed_state(pending, newest, oldest)
    # Values a widget cannot show (data changed since) are dropped, not crashed on.
    for attr, (key, _) in MULTISELECTS.items():
        allowed = set(_options(attr, known))
        state[key] = [v for v in state.get(key) or [] if v in allowed]

    sidebar = st.sidebar
    sidebar.header("Filters")
    sidebar.radio("Period", PRESET_OPTIONS, key="f_preset", format_func=PRESET_LABELS.__getitem__,
                  help="Presets count back from the newest incident in the data, not from today.")
    if state.get("f_preset") == CUSTOM:
        if "f_dates" not in state:
            today = filters.clamp_date(dt.date.today())
            state["f_dates"] = (filters.clamp_date(oldest) or today, filters.clamp_date(newest) or today)
        sidebar.date_input("Date range", key="f_dates", min_value=filters.DATE_MIN, max_value=filters.DATE_MAX)
    else:
        start, end = filters.date_window(FilterSpec(preset=state.get("f_preset", "all")), newest)
        if start and end:
            sidebar.caption(f"{start:%Y/%m/%d} – {end:%Y/%m/%d}")
    region_countries = known.get("_region_countries") or {}

    def region_label(region: str) -> str:
        countries = region_countries.get(region) if isinstance(region_countries, dict) else None
        return f"{region} ({', '.join(countries)})" if countries else region

    for attr, (key, label) in MULTISELECTS.items():
        sidebar.multiselect(label, _options(attr, known), key=key,
                            format_func=region_label if attr == "regions" else str,
                            help=CONFLICT_HELP if attr == "conflicts" else None)
    sidebar.checkbox("Corroborated only", key="f_corroborated",
                     help="Reported by more than one independent source type.")
    sidebar.number_input("Minimum casualties (killed + injured)", min_value=0, step=1, key="f_min_casualties")
    sidebar.multiselect("Location precision", list(GEO_PRECISION), key="f_precision",
                        format_func=PRECISION_LABELS.__getitem__,
                        help="Choosing any level hides incidents whose place was not found.")
    sidebar.text_input("Search notes and evidence", key="f_q", max_chars=filters.MAX_TEXT,
                       help="Plain text, case-insensitive.")
    if state.get("f_bbox"):
        lon0, lat0, lon1, lat1 = state["f_bbox"]
        sidebar.caption(f"Map area: {lat0:.2f}…{lat1:.2f} N, {lon0:.2f}…{lon1:.2f} E")
        sidebar.button("Clear map area", key="f_clear_bbox", on_click=_clear_bbox)
    sidebar.button("Reset filters", key="f_reset", on_click=_reset)

    spec = spec_from_state()
    if spec.since and spec.until and spec.since > spec.until:
        spec = replace(spec, since=spec.until, until=spec.since)
    problems = list(state.get("url_problems") or [])
    if state.get("url_spec") is None:
        # Compare later runs with the view the link opened as the widgets show it (an ignored
        # "until" becomes the newest date, say), not with the parsed link, or the notice
        # about the ignored values would vanish on the very run that should show it.
        state["url_spec"] = spec
    elif problems and spec != state["url_spec"]:
        state["url_problems"] = problems = []  # the analyst has moved on from the shared link
    _write_url(spec)
    return spec, problems


def _write_url(spec: FilterSpec) -> None:
    """Make the address bar show the current view (only when it differs); page
    parameters (the open incident, the timeline's period) stay as they are."""
    wanted = {**filters.to_query_params(spec), **kept_params()}
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)
