"""Placing what the gazetteer lacks: search a name, click the map, or type coordinates.

Shared by the review queue, the incident detail and the Places page. The
choice is saved as place edits of every incident concerned (with the
analyst's name, beside the extracted values), and the name with its point
joins the user's places, scoped to its country: later reports naming it are
placed by themselves, and ``python -m incidents reextract`` places earlier ones.
Report text (the name as written) is data: it reaches the page only through
widgets, ``st.text`` and escaped Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from incidents.views import charts, selection
from incidents.geo import picking
from incidents.store.edit_rules import place_edit
from incidents.ui.access import writes_allowed
from incidents.ui.data import View
from incidents.ui.text import md_escape
from incidents.views.pick_map import pick_figure
from incidents.views.place_gaps import is_fallback, name_to_place

METHODS = ("Search a name", "Pick on the map", "Type coordinates")
DONE_KEY = "place_done"


@dataclass
class PlaceTarget:
    """What is being placed: a name as reports write it, and the incidents that carry it."""

    name: str
    event_ids: list[str]
    countries: list[str] = field(default_factory=list)  # the reports' countries, most incidents first
    candidates: list[dict[str, Any]] = field(default_factory=list)  # the geocoder's, best first
    current: tuple[float, float] | None = None


def needs_place(incident: dict[str, Any]) -> bool:
    """Unplaced, or placed only at a region (fallback or precision 3) and not yet by an analyst."""
    if incident.get("geocoder") == "analyst":
        return False
    return (incident.get("latitude") is None or is_fallback(incident.get("geocoder"))
            or incident.get("geo_precision") == 3)


def target_for_incident(view: View, detail: dict[str, Any]) -> PlaceTarget:
    """The place target of one incident (from the store's detail)."""
    incident = detail["incident"]
    reports = [s["report_id"] for s in detail.get("sources") or [] if s.get("report_id")]
    candidates = detail.get("place_candidates") or []
    countries = list(dict.fromkeys(
        [c for c in [incident.get("country_code")] if c] + view.store.report_countries(reports)
        + [c["country_code"] for c in candidates if c.get("country_code")]))
    current = None
    if incident.get("latitude") is not None and incident.get("longitude") is not None:
        current = (float(incident["latitude"]), float(incident["longitude"]))
    return PlaceTarget(name_to_place(incident.get("location")), [incident["event_id"]], countries, candidates,
                       current)


def placed_notice() -> None:
    """The result of the last save, shown once on the page that reran."""
    message = st.session_state.pop(DONE_KEY, None)
    if message:
        st.success(message)


def _gazetteer(view: View) -> Any:
    from incidents.geo.geoparse import get_geoparser

    return get_geoparser(view.settings).gazetteer


def place_panel(view: View, target: PlaceTarget, key: str, analyst: str) -> None:
    """The three ways to choose a point, the name to save it under, and the save button."""
    where = ", ".join(target.countries) or "no country known"
    count = len(target.event_ids)
    st.caption(f"Place “{md_escape(target.name) or 'unnamed'}” ({count} incident{'' if count == 1 else 's'}; "
               f"the report is about: {md_escape(where)}). The point is saved as an edit with your name, and the "
               "name joins your places so later reports naming it are placed by themselves.")
    method = st.radio("How to place it", METHODS, key=f"{key}_how", horizontal=True)
    gazetteer = _gazetteer(view)
    if method == METHODS[0]:
        chosen = _search(view, target, key)
    elif method == METHODS[1]:
        chosen = _map_pick(view, target, key, gazetteer)
    else:
        chosen = _typed(key)
    if chosen is None:
        return
    check = picking.check_point(gazetteer, chosen["lat"], chosen["lon"], target.countries)
    if check.problem:
        st.error(check.problem)
        return
    chosen["country_code"] = chosen.get("country_code") or check.country_code
    name = st.text_input("Save it under the name reports use", value=target.name, key=f"{key}_name",
                         max_chars=120).strip()
    near = f", {check.nearest_km:,.1f} km from {check.nearest}" if check.nearest else ""
    st.text(f"Chosen: {name or '?'} at {chosen['lat']:.5f}, {chosen['lon']:.5f} "
            f"({chosen['country_code'] or 'country unknown'}{near})")
    if not writes_allowed("Placing"):
        return
    if st.button("Save this place", key=f"{key}_save", type="primary", disabled=not (analyst and name)):
        _save(view, target, chosen, name, analyst, key)
    if not analyst:
        st.caption("Enter your name to save the place.")


def _as_choice(candidate: Any) -> dict[str, Any]:
    """A search result (Candidate, place_candidates dict or geopy Location) as place fields."""
    if isinstance(candidate, dict):
        return {**candidate}
    if hasattr(candidate, "raw") and hasattr(candidate, "latitude"):  # geopy Location (online answer)
        raw = candidate.raw or {}
        code = (raw.get("address") or {}).get("country_code") or raw.get("country_code")
        return {"name": str(raw.get("name") or candidate.address).split(",")[0], "lat": candidate.latitude,
                "lon": candidate.longitude, "country_code": code.upper() if code else None,
                "feature": "user", "source": "nominatim"}
    return {"name": candidate.name, "lat": candidate.lat, "lon": candidate.lon, "geonameid": candidate.geonameid,
            "country_code": candidate.country_code, "admin1": candidate.admin1, "admin2": candidate.admin2,
            "feature": candidate.feature, "source": candidate.source}


def _label(choice: dict[str, Any]) -> str:
    parts = [str(choice.get("name") or "?"), str(choice.get("admin1") or ""), str(choice.get("country_code") or "")]
    kind = {"user": "your place", "gazetteer": "gazetteer", "nominatim": "Nominatim"}.get(
        str(choice.get("source") or ""), "geocoder's candidate")
    return " · ".join(p for p in parts if p) + f" ({kind}; {choice['lat']:.4f}, {choice['lon']:.4f})"


def _search(view: View, target: PlaceTarget, key: str) -> dict[str, Any] | None:
    from incidents.geo.geoparse import search_places

    query = st.text_input("Search the gazetteer and your places", value=target.name, key=f"{key}_query",
                          max_chars=120).strip()
    results = [{**_as_choice(c), "source": "candidate"} for c in target.candidates]
    if query:
        found = search_places(query, target.countries or None, settings=view.settings)
        if not found and target.countries:
            found = search_places(query, None, settings=view.settings)
        results += [_as_choice(c) for c in found]
        results += st.session_state.get(f"{key}_online_{query}", [])
    if view.settings.online_geocoding and query:
        if st.button("Ask Nominatim too", key=f"{key}_online",
                     help="Sends the name (and the report's countries) to the Nominatim server in Settings."):
            answers = _online(view, query, target.countries)
            if answers:
                st.session_state[f"{key}_online_{query}"] = answers
                st.rerun()
    unique = list({(r["name"], round(r["lat"], 5), round(r["lon"], 5)): r for r in results}.values())
    if not unique:
        st.info("Nothing of that name. Try another spelling, pick the place on the map, or type its coordinates.")
        return None
    index = st.radio("Results", range(len(unique)), format_func=lambda i: _label(unique[i]), key=f"{key}_result",
                     index=None)
    return None if index is None or index >= len(unique) else {**unique[index]}


def _online(view: View, query: str, countries: list[str]) -> list[dict[str, Any]]:
    from incidents.geo.geocoders import online_geocoder

    try:
        answers = online_geocoder(view.settings).geocode(query, exactly_one=False, limit=5,
                                                         country_codes=countries or None, addressdetails=True)
    except Exception as exc:  # noqa: BLE001 - an unreachable server must leave the other ways open
        st.error(f"Nominatim did not answer ({type(exc).__name__}); search offline, use the map or coordinates.")
        return []
    return [_as_choice(a) for a in answers or []]


def _map_pick(view: View, target: PlaceTarget, key: str, gazetteer: Any) -> dict[str, Any] | None:
    refine = st.session_state.get(f"{key}_refine")
    points = [(c["lat"], c["lon"]) for c in target.candidates if c.get("lat") is not None]
    points += [target.current] if target.current else []
    if refine:
        box = picking.refine_box(*refine)
    else:
        box = picking.area_of(gazetteer, target.countries, points) or _data_area(view)
    chosen = st.session_state.get(f"{key}_picked")
    figure, step = pick_figure(
        box, columns=40 if refine else 60, landmarks=picking.settlements_in(gazetteer, box, 300),
        candidates=[(c.get("name") or "", c["lat"], c["lon"]) for c in target.candidates if c.get("lat") is not None],
        picked=(chosen["lat"], chosen["lon"]) if chosen else None,
        style=charts.map_style(view.settings.map_style, view.settings.online_tiles))
    event = st.plotly_chart(figure, key=f"{key}_map_{'fine' if refine else 'area'}", on_select="rerun",
                            selection_mode=("points",), config=charts.chart_config("pick-a-place"), width="stretch")
    st.caption("Click the faint dot nearest the place (towns are the dark dots; hover for names). The map then "
               "zooms in with finer dots: click again to refine.")
    picked = _first_point(event)
    if picked is not None and picked != st.session_state.get(f"{key}_last_click"):
        st.session_state[f"{key}_last_click"] = picked
        st.session_state[f"{key}_picked"] = {"name": target.name, "lat": picked[0], "lon": picked[1],
                                             "feature": "user", "source": "map"}
        if not refine:
            st.session_state[f"{key}_refine"] = (picked[0], picked[1], step)
        st.rerun()
    if refine and st.button("Back to the whole area", key=f"{key}_unrefine"):
        st.session_state.pop(f"{key}_refine", None)
        st.rerun()
    return {**chosen} if chosen else None


def _first_point(event: Any) -> tuple[float, float] | None:
    for point in selection.selection_points(event):
        lat = point.get("lat") if isinstance(point, dict) else getattr(point, "lat", None)
        lon = point.get("lon") if isinstance(point, dict) else getattr(point, "lon", None)
        if lat is not None and lon is not None:
            return round(float(lat), 6), round(float(lon), 6)
    return None


def _data_area(view: View) -> picking.BBox:
    """No country known: the whole data set's placed area."""
    frame = view.frame
    lat = frame["latitude"].astype(float).dropna()
    lon = frame["longitude"].astype(float).dropna()
    if lat.empty:
        return (-180.0, -60.0, 180.0, 75.0)
    return (float(lon.min()) - 1, float(lat.min()) - 1, float(lon.max()) + 1, float(lat.max()) + 1)


def _typed(key: str) -> dict[str, Any] | None:
    text = st.text_input("Latitude, longitude", key=f"{key}_coords", placeholder="48.137, 37.742",
                         help="Decimal degrees (48.137, 37.742), with N/S/E/W, or degrees-minutes-seconds.")
    if not text.strip():
        return None
    try:
        lat, lon = picking.parse_coordinates(text)
    except picking.CoordinateError as exc:
        st.error(str(exc))
        return None
    return {"lat": lat, "lon": lon, "feature": "user", "source": "coordinates"}


def _save(view: View, target: PlaceTarget, chosen: dict[str, Any], name: str, analyst: str, key: str) -> None:
    from incidents.geo.user_places import add_user_place

    fields = place_edit({**chosen, "name": name, "feature": chosen.get("feature") or "user"})
    view.store.edit_many(target.event_ids, fields, analyst)
    point = f"{chosen['lat']:.5f}, {chosen['lon']:.5f}"
    count = len(target.event_ids)
    message = f"Placed {count} incident{'' if count == 1 else 's'} at {md_escape(name)} ({point}), by {md_escape(analyst)}."
    if chosen.get("country_code"):
        # The name as written becomes an alias when saved under another (say the gazetteer's); a
        # chosen gazetteer name never does, or reports naming that town would come here.
        aliases = [target.name] if target.name and target.name != name else []
        add_user_place(name, chosen["lat"], chosen["lon"], chosen["country_code"], aliases=aliases,
                       settings=view.settings, analyst=analyst)
        message += (f" {md_escape(name)} ({chosen['country_code']}) joins your places: later reports naming it are "
                    "placed there, and `python -m incidents reextract` places earlier ones.")
    else:
        message += " No country is known there, so the name was not added to your places."
    for suffix in ("picked", "refine", "last_click", "coords", "result"):
        st.session_state.pop(f"{key}_{suffix}", None)
    st.session_state[DONE_KEY] = message
    st.rerun()
