"""The map an analyst clicks to place an incident (plotly ``scattermap``, offline).

A plotly selection returns only points the figure holds, so the figure lays a
faint grid of clickable points over the report's area (:func:`incidents.geo.picking.pick_grid`),
with the area's largest towns as landmarks, the geocoder's candidates and the
point chosen so far. After a first click the grid is redrawn finer around it,
so a second click lands within a few hundred metres.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go

from incidents.views import basemap
from incidents.views.charts import esc
from incidents.geo.picking import BBox, pick_grid

GRID_NAME = "Click a point"
PICKED_COLOUR = "#d62728"
CANDIDATE_COLOUR = "#ff7f0e"
LANDMARK_COLOUR = "#444444"
GRID_COLOUR = "#1f77b4"


def fit_zoom(box: BBox, width_px: int = 800, height_px: int = 460) -> float:
    """The Web Mercator zoom at which ``box`` just fits a map of that size (the world is 512 px at zoom 0)."""
    lon_min, lat_min, lon_max, lat_max = box

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))

    width = max(lon_max - lon_min, 1e-6) / 360
    height = max(mercator(lat_max) - mercator(lat_min), 1e-6) / (2 * math.pi)
    return round(max(0.5, min(16.0, math.log2(min(width_px / (512 * width), height_px / (512 * height))))), 2)


def pick_figure(box: BBox, *, columns: int = 60, landmarks: Sequence[tuple[str, float, float, str, int]] = (),
                candidates: Sequence[tuple[str, float, float]] = (), picked: tuple[float, float] | None = None,
                style: str = "white-bg", height: int = 520) -> tuple[go.Figure, float]:
    """The figure and its grid step (degrees of latitude), opened on ``box``.

    Landmarks are (name, lat, lon, country, population) from
    :func:`incidents.geo.picking.settlements_in`; candidates are (name, lat, lon).
    Every name is escaped: plotly hover text renders some HTML.
    """
    lats, lons, step = pick_grid(box, columns)
    fig = go.Figure()
    fig.add_trace(go.Scattermap(
        lat=lats, lon=lons, mode="markers", name=GRID_NAME,
        marker={"size": 7, "color": GRID_COLOUR, "opacity": 0.22},
        hovertemplate="%{lat:.4f}, %{lon:.4f}<extra>click to pick</extra>",
    ))
    if landmarks:
        fig.add_trace(go.Scattermap(
            lat=[m[1] for m in landmarks], lon=[m[2] for m in landmarks], mode="markers", name="Towns (gazetteer)",
            marker={"size": 6, "color": LANDMARK_COLOUR, "opacity": 0.7},
            hovertext=[f"{esc(m[0])} ({esc(m[3])})" for m in landmarks], hoverinfo="text",
        ))
    if candidates:
        fig.add_trace(go.Scattermap(
            lat=[c[1] for c in candidates], lon=[c[2] for c in candidates], mode="markers",
            name="Geocoder's candidates", marker={"size": 12, "color": CANDIDATE_COLOUR, "opacity": 0.9},
            hovertext=[esc(c[0]) for c in candidates], hoverinfo="text",
        ))
    if picked is not None:
        fig.add_trace(go.Scattermap(
            lat=[picked[0]], lon=[picked[1]], mode="markers", name="Picked point",
            marker={"size": 16, "color": PICKED_COLOUR, "opacity": 0.95},
            hovertemplate="picked: %{lat:.5f}, %{lon:.5f}<extra></extra>",
        ))
    lon_min, lat_min, lon_max, lat_max = box
    fig.update_layout(
        map={"style": style, "center": {"lat": (lat_min + lat_max) / 2, "lon": (lon_min + lon_max) / 2},
             "zoom": fit_zoom(box),
             "layers": basemap.border_layers(box)},
        height=height, margin={"l": 0, "r": 0, "t": 0, "b": 0}, clickmode="event+select",
        legend={"orientation": "h", "yanchor": "bottom", "y": 0.01, "xanchor": "left", "x": 0.01,
                "bgcolor": "rgba(255,255,255,0.8)"},
        uirevision=f"pick{box}",
    )
    return fig, step
