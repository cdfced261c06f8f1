"""Home page: headline figures, the incident map, the selection's table, exports.

The incident open under the map is in the URL (``?incident=ID``), as on the Incidents page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from incidents.config import Settings
from incidents.views import basemap
from incidents.views import charts
from incidents.views import map_labels
from incidents.views import map_chart
from incidents.views import selection
from incidents.views import timeline_chart
from incidents.ui import components, sidebar, url_state
from incidents.ui.data import View, current_view
from incidents.ui.pages_timeline import TimelineParts, draw, timeline_parts
from incidents.ui.text import md_escape, plural

MAP_KEY = "incident_map"
LINKED_KEY = "map_incident"  # the incident open under the map (``?incident=``)


@st.cache_resource(show_spinner=False, max_entries=4)
def base_layers(version: str, style: str, overlay_stamp: tuple[Any, ...], _everything: pd.DataFrame,
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The map's layers (land, borders, overlays) and the overlays' legend entries, once per data
    version: drawn around all the data, so every filtered view carries the very same layers
    instead of the server clipping the continents again at each filter change. (The browser
    still sets the map up afresh for each new figure: Streamlit's element id hashes the figure.)"""
    overlays, _ = basemap.load_overlays()
    layers = basemap.base_layers(map_chart.data_box(_everything), overlays, land_fill=style == charts.OFFLINE_STYLE)
    return layers, basemap.overlay_legend_entries(overlays)


@st.cache_resource(show_spinner=False, max_entries=16)
def map_figure(
    version: str, query: str, style: str, overlay_stamp: tuple[Any, ...], _filtered: pd.DataFrame,
    _everything: pd.DataFrame, _settings: Settings | None = None,
) -> tuple[go.Figure, str, int]:
    """The map's figure, its mode and its number of markers, per data version and view.

    Keyed by the view's query string, never by hashing the frame, so a
    selection rerun costs nothing. A shared, read-only ``charts.SharedFigure``
    (cache_resource): st.plotly_chart takes its dict form, made once, where a
    plain dict would be validated into a Figure and copied twice.
    A view with no placed incident opens on the theatre of the whole data set.
    """
    theatre = None
    if not _has_places(_filtered):
        positions_lat = _everything["latitude"].to_numpy(dtype=float, na_value=np.nan)
        positions_lon = _everything["longitude"].to_numpy(dtype=float, na_value=np.nan)
        theatre = map_chart.view_for(positions_lat, positions_lon)
    offline = style == charts.OFFLINE_STYLE
    towns = map_labels.load_towns(_settings) if offline and _settings is not None else map_labels.NO_TOWNS
    layers, legend = base_layers(version, style, overlay_stamp, _everything)
    fig, mode = map_chart.incident_map(_filtered, style=style, uirevision=f"map{query}", empty_view=theatre,
                                       towns=towns, layers=layers, legend_entries=legend)
    markers = sum(len(t.lat) for t in fig.data if t.hoverinfo != "skip")
    return fig, mode, markers


def _has_places(frame: pd.DataFrame) -> bool:
    return bool(len(frame)) and bool((frame["latitude"].notna() & frame["longitude"].notna()).any())


def overlay_stamp() -> tuple[Any, ...]:
    """Names and modification times of the overlay files (part of the figure's cache key)."""
    folder = basemap.OVERLAYS_DIR
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file())


def render() -> None:
    view = current_view()
    st.title("Ceasefire incidents")
    # Both figures are made before either is drawn: their messages then reach the browser
    # together, instead of the second waiting while the browser draws the first. (Sending the
    # map first, the headline filled in above it later, measured slower: see docs/measurements.md.)
    mapped = map_figure_of(view)
    timeline = timeline_of(view)
    components.headline(view)
    show_map(view, mapped)
    if timeline is not None:
        frequency, parts = timeline
        draw(parts, "home_timeline", selectable=False)
        st.caption(f"Incidents per {frequency} by type; stated violations and fatalities below. Open the Timeline "
                   "page to change the period or select a span.")
    st.divider()
    components.export_buttons(view, key="home_export")


def timeline_of(view: View) -> tuple[str, TimelineParts] | None:
    """A compact timeline for under the map (the Timeline page has the controls and selection)."""
    if view.filtered.empty:
        return None
    frequency = timeline_chart.auto_frequency(view.filtered)
    return frequency, timeline_parts(view, frequency, 320)


def map_figure_of(view: View) -> tuple[go.Figure, str, int]:
    """The view's map figure, its mode and its number of markers (cached per data version and view)."""
    settings = view.settings
    style = charts.map_style(settings.map_style, settings.online_tiles)
    return map_figure(view.version, view.query_string, style, overlay_stamp(), view.filtered, view.frame, settings)


def show_map(view: View, mapped: tuple[go.Figure, str, int]) -> None:
    style = charts.map_style(view.settings.map_style, view.settings.online_tiles)
    figure, mode, markers = mapped
    unplaced = int(view.filtered["latitude"].isna().sum()) if len(view.filtered) else 0
    event = st.plotly_chart(
        figure, key=MAP_KEY, on_select="rerun", selection_mode=("box", "lasso", "points"),
        config=charts.chart_config("incident-map", *charts.MAP_IMAGE_SIZE), width="stretch",
    )
    notes = []
    if mode == "grid":
        notes.append(f"Too many places to draw one by one: each marker is a grid cell ({markers:,} cells); "
                     "select cells to list their incidents or zoom into them.")
    else:
        notes.append(f"{plural(markers, 'marker')}. Several incidents at one place share one marker: hover shows "
                     "the count, selecting it lists them. Dark numbered markers group places too close to tell "
                     "apart at this zoom. Markers with a grey halo are approximate places (near a place, or "
                     "only a region).")
    if unplaced:
        notes.append(f"{plural(unplaced, 'incident')} in view {'has' if unplaced == 1 else 'have'} no place and "
                     f"{'is' if unplaced == 1 else 'are'} not on the map (in the "
                     "tables, timeline and exports); the Places page lets you place them.")
    overlays, problems = basemap.load_overlays()
    if overlays:
        notes.append("Overlays (in the legend): " + ", ".join(md_escape(o.name) for o in overlays)
                     + " (from data/overlays/).")
    notes.append("Land, borders and country names: Natural Earth (public domain); town names: GeoNames."
                 if style == charts.OFFLINE_STYLE else
                 "Online tiles are on: the tile server sees which area you look at.")
    st.caption(" ".join(notes))
    for problem in problems:
        st.warning(md_escape(problem))

    url_state.take_from_url(url_state.INCIDENT_PARAM, LINKED_KEY, url_state.incident_id_problem)
    url_state.show_problem(url_state.INCIDENT_PARAM)
    keys = selection.customdata_values(selection.selection_points(event))
    if not keys:
        st.caption("Use the box or lasso tool on the map to list incidents in an area.")
        linked = st.session_state.get(LINKED_KEY)
        if linked:  # a shared link (?incident=ID) opens that incident here too
            url_state.write(url_state.INCIDENT_PARAM, linked)
            components.incident_detail(view, linked, key="map_detail")
        return
    chosen = selection.rows_for_keys(view.filtered, keys)
    st.subheader(f"Selected on the map: {plural(len(chosen), 'incident')}")
    box = selection.bbox_of_keys(keys)
    if box is not None and st.button("Zoom into the selected groups or cells", key="map_zoom_cells"):
        sidebar.request_filters(replace(view.spec, bbox=box))
    picked = components.incident_table(view, chosen, key="map_selection_table")
    st.session_state[LINKED_KEY] = picked
    url_state.write(url_state.INCIDENT_PARAM, picked)  # the open incident is in the URL, as on the Incidents page
    if picked:
        components.incident_detail(view, picked, key="map_detail")

