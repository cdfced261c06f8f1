"""The incident map (plotly ``scattermap``), built from a plain DataFrame.

- Several incidents at one place become **one marker**; its hover text gives
  the count and its size grows with the casualties there. Selecting it lists
  every incident at that place. Coordinates are never jittered.
- Approximate places are drawn differently in *shape of the mark* (lower
  opacity and a grey halo), never by colour alone.
- Above ``MAX_POINTS`` (12,000) places the map switches to a grid of cells (one
  marker per cell, sized and coloured by count) computed here on the server,
  so the browser never receives more than a few thousand markers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from incidents.views.charts import (
    HALO_COLOUR,
    OFFLINE_STYLE,
    TYPE_COLOURS,
    esc,
    offline_style,
    scattermap,
    shared_figure,
    type_colour,
)
from incidents.views.filters import count_places as _count_codes
from incidents.views.filters import place_codes
from incidents.views.map_groups import group_overlapping, group_trace
from incidents.views.map_hover import place_hover
from incidents.views.map_labels import NO_TOWNS, Towns, choose_labels, label_traces

# Above this many places the map shows grid cells: each place costs about 250 bytes
# of hover text and coordinates, and the page must stay under 5 MB of map data.
MAX_POINTS = 12_000
MAP_UIREVISION = "incident-map"
LEGEND_ENTRY_PX = 250
LEGEND_ROOM_PX = 56  # two rows of legend below the map


# Narrowest view the map opens at (degrees): one village alone would otherwise fill
# the map with blank paper, since the offline base has only borders and coasts.
MIN_SPAN_DEGREES = 3.0
MAP_WIDTH_PX, MAP_HEIGHT_PX = 800, 500  # the size view_for plans for (the page's map is at least this)
FIT_MARGIN_ZOOM = 0.25  # room around the outermost markers, in zoom levels (2**0.25: 19 %)
WORLD_VIEW = (20.0, 0.0, 1.0)


@dataclass(frozen=True)
class MapView:
    """Where the map opens: plotly 7 opens at 0,0 without an explicit centre."""

    lat: float
    lon: float
    zoom: float

    @property
    def center(self) -> dict[str, float]:
        return {"lat": self.lat, "lon": self.lon}

    def extent(self) -> tuple[float, float, float, float]:
        """The box (lon_min, lat_min, lon_max, lat_max) visible at this zoom on a map of the planned size."""
        half_lon = 360 * MAP_WIDTH_PX / (512 * 2 ** self.zoom) / 2
        half_y = math.pi * MAP_HEIGHT_PX / (512 * 2 ** self.zoom)  # Web Mercator radians
        y = _mercator_y(self.lat)
        return (max(-180.0, self.lon - half_lon), max(-85.0, _mercator_lat(y - half_y)),
                min(180.0, self.lon + half_lon), min(85.0, _mercator_lat(y + half_y)))


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def view_for(lat: Sequence[float] | np.ndarray, lon: Sequence[float] | np.ndarray,
             min_span: float = MIN_SPAN_DEGREES) -> MapView:
    """Centre and zoom that fit the points snugly (Web Mercator, a map about 800 by 500
    pixels), never closer than ``min_span`` degrees across, so a lone place keeps its
    borders around it."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return MapView(*WORLD_VIEW)
    lat, lon = lat[ok], lon[ok]
    lat0, lat1 = float(lat.min()), float(lat.max())
    lon0, lon1 = float(lon.min()), float(lon.max())
    centre = _mercator_lat((_mercator_y(lat0) + _mercator_y(lat1)) / 2)
    if lat1 - lat0 < min_span:
        lat0, lat1 = (lat0 + lat1 - min_span) / 2, (lat0 + lat1 + min_span) / 2
    span_lon = max(lon1 - lon0, min_span)
    y0, y1 = _mercator_y(lat0), _mercator_y(lat1)
    # The world is 512 px wide at zoom 0 (MapLibre tiles): 2*pi radians of Mercator y too.
    zoom_lon = math.log2(360 * MAP_WIDTH_PX / (512 * span_lon))
    zoom_lat = math.log2(2 * math.pi * MAP_HEIGHT_PX / (512 * (y1 - y0)))
    zoom = max(1.0, min(9.0, min(zoom_lon, zoom_lat) - FIT_MARGIN_ZOOM))
    return MapView(round(centre, 4), round((lon0 + lon1) / 2, 4), round(zoom, 2))


def data_box(frame: pd.DataFrame, empty_view: MapView | None = None) -> tuple[float, float, float, float]:
    """What a view of every placed incident of ``frame`` shows: its places and the area
    around them (without any, ``empty_view``'s area, else the world)."""
    _, lat, lon = _placed_arrays(frame)
    if not len(lat):
        return (empty_view or MapView(*WORLD_VIEW)).extent()
    box = view_for(lat, lon).extent()
    return (min(box[0], float(lon.min())), min(box[1], float(lat.min())),
            max(box[2], float(lon.max())), max(box[3], float(lat.max())))


def _placed_arrays(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of rows with coordinates, and their latitudes and longitudes.

    Arrays, not a sub-frame: copying every column of a million rows costs more
    than all the counting that follows.
    """
    lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan)
    lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan)
    positions = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    return positions, lat[positions], lon[positions]


def place_key(lat: float, lon: float) -> str:
    return f"p:{lat:.5f}:{lon:.5f}"


def count_places(frame: pd.DataFrame, codes: np.ndarray | None = None) -> int:
    """Number of distinct map positions (cheap: decides points or grid before any text is built).

    ``codes``: ``filters.place_codes(frame)`` when the caller has them already.
    """
    return _count_codes(place_codes(frame) if codes is None else codes)


def _distinct_positions(codes: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (rounded as place codes round them) of each distinct place.

    Every row of a place rounds to the same position, so whichever row lands
    in a place's slot gives it.
    """
    slots = int(codes.max()) + 1
    place_lat = np.full(slots, np.nan)
    place_lon = np.full(slots, np.nan)
    place_lat[codes] = lat
    place_lon[codes] = lon
    used = np.isfinite(place_lat)
    return np.round(place_lat[used] * 1e5) / 1e5, np.round(place_lon[used] * 1e5) / 1e5


def _casualties(frame: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    deaths = frame["fatalities"].to_numpy(dtype=np.int64, na_value=0)
    injured = frame["injured"].to_numpy(dtype=np.int64, na_value=0)
    return deaths[positions] + injured[positions]


PLACE_COLUMNS = ["lat", "lon", "count", "casualties", "event_type", "approximate", "hover", "key", "name"]
HOVER_INPUTS = ["row", "precision", "since", "until"]  # what :func:`with_hover` builds a place's text from


def places(frame: pd.DataFrame, hover: bool = True) -> pd.DataFrame:
    """One row per distinct place with its count, casualties, main type and hover text.

    Vectorised (factorised place codes, bincounts): a frame of a million rows
    costs a fraction of a second; only the hover text loops, once per place.
    ``hover=False`` leaves the text for :func:`with_hover` to write for the places
    drawn on their own: a place inside a group never shows its own.
    """
    positions, lat, lon = _placed_arrays(frame)
    columns = PLACE_COLUMNS if hover else [c for c in PLACE_COLUMNS if c != "hover"] + HOVER_INPUTS
    if len(positions) == 0:
        return pd.DataFrame(columns=columns)
    codes, uniques = pd.factorize(place_codes(frame)[positions], sort=False)
    n = len(uniques)
    count = np.bincount(codes, minlength=n)
    casualties = np.bincount(codes, weights=_casualties(frame, positions), minlength=n).astype(np.int64)
    precision = frame["geo_precision"].to_numpy(dtype=float, na_value=1.0)[positions]
    best_precision = np.full(n, np.inf)
    np.minimum.at(best_precision, codes, precision)
    # The first row of each place (by position) carries the lone incident's details.
    order = np.argsort(codes, kind="stable")
    first_placed = order[np.searchsorted(codes[order], np.arange(n))]
    first = positions[first_placed]
    types = frame["event_type"].iloc[positions]
    type_codes, type_names = pd.factorize(types.astype(object).fillna("Unknown"), sort=False)
    per_type = np.bincount(codes * len(type_names) + type_codes, minlength=n * len(type_names))
    main_type = np.asarray(type_names, dtype=object)[per_type.reshape(n, len(type_names)).argmax(axis=1)]
    date_span = _date_spans(frame["event_date"].to_numpy(dtype="datetime64[s]")[positions], codes, n)
    out = pd.DataFrame({
        "lat": np.round(lat[first_placed], 5), "lon": np.round(lon[first_placed], 5), "count": count,
        "casualties": casualties, "event_type": main_type, "approximate": best_precision >= 2,
        "row": first, "precision": best_precision, "since": date_span["min"].to_numpy(),
        "until": date_span["max"].to_numpy(),
    })
    out["key"] = [place_key(a, b) for a, b in zip(out["lat"].tolist(), out["lon"].tolist())]
    out["name"] = frame["location"].iloc[first].astype(object).to_numpy() if "location" in frame else None
    return (with_hover(frame, out) if hover else out)[columns]


def with_hover(frame: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """``marks`` (:func:`places` of ``frame`` with ``hover=False``, or some of its rows) with their hover text."""
    span = pd.DataFrame({"min": marks["since"].to_numpy(), "max": marks["until"].to_numpy()})
    first_rows = frame.iloc[marks["row"].to_numpy(dtype=np.int64)]
    return marks.assign(hover=place_hover(first_rows, marks, marks["precision"].to_numpy(dtype=float), span))


def _date_spans(dates: np.ndarray, codes: np.ndarray, n: int) -> pd.DataFrame:
    """First and last date per place code (NaT for a place without dates), by numpy reductions:
    a pandas groupby on datetimes took most of a filter change's map."""
    seconds = dates.astype(np.int64)
    dated = ~np.isnat(dates)
    never = np.iinfo(np.int64).max
    first = np.full(n, never)
    last = np.full(n, -never)
    np.minimum.at(first, codes[dated], seconds[dated])
    np.maximum.at(last, codes[dated], seconds[dated])
    missing = first == never
    as_dates = (lambda v: np.where(missing, np.datetime64("NaT", "s"), v.astype("datetime64[s]")))
    return pd.DataFrame({"min": as_dates(first), "max": as_dates(last)})


def marker_size(casualties: np.ndarray | pd.Series) -> np.ndarray:
    """Pixels: 9 for none, growing with the square root so area follows the count."""
    values = np.asarray(casualties, dtype=float)
    return np.clip(9 + 4 * np.sqrt(values), 9, 40)


CELL_SIZES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
MAX_CELLS = 4_000  # markers of the grid view: detail without flooding the browser


def finest_cell(lat: np.ndarray, lon: np.ndarray, max_cells: int = MAX_CELLS) -> float:
    """The smallest cell size whose grid has at most ``max_cells`` occupied cells.

    Incidents cluster (a few front lines), so the occupied cells, not the
    extent, decide how fine the grid can be.
    """
    if len(lat) == 0:
        return 1.0
    span = max(float(lat.max() - lat.min()), float(lon.max() - lon.min()))
    for size in CELL_SIZES:
        if span / size > 20_000:  # codes would not be meaningful; far too fine anyway
            continue
        i = np.floor(lat / size).astype(np.int64)
        j = np.floor(lon / size).astype(np.int64)
        if len(pd.unique((i + 100_000) * 1_000_000 + (j + 100_000))) <= max_cells:
            return size
    return CELL_SIZES[-1]


def grid_key(cell: float, i: int, j: int) -> str:
    return f"g:{cell:g}:{i}:{j}"


def grid_cells(frame: pd.DataFrame, cell: float | None = None,
               codes: np.ndarray | None = None) -> tuple[pd.DataFrame, float]:
    """Counts per square cell of ``cell`` degrees (chosen from the extent when None).

    ``codes``: ``filters.place_codes(frame)`` when the caller has them already.
    """
    positions, lat, lon = _placed_arrays(frame)
    if cell is None:
        # Decide on distinct places (tens of thousands), not on every incident.
        if len(positions):
            codes = place_codes(frame) if codes is None else codes
            cell = finest_cell(*_distinct_positions(codes[positions], lat, lon))
        else:
            cell = finest_cell(lat, lon)
    i = np.floor(lat / cell).astype(np.int64)
    j = np.floor(lon / cell).astype(np.int64)
    codes, uniques = pd.factorize((i + 100_000) * 1_000_000 + (j + 100_000), sort=False)
    n = len(uniques)
    count = np.bincount(codes, minlength=n)
    casualties = np.bincount(codes, weights=_casualties(frame, positions), minlength=n).astype(np.int64)
    cell_i = np.asarray(uniques) // 1_000_000 - 100_000
    cell_j = np.asarray(uniques) % 1_000_000 - 100_000
    cells = pd.DataFrame({"i": cell_i, "j": cell_j, "count": count, "casualties": casualties})
    cells["lat"] = (cells["i"] + 0.5) * cell
    cells["lon"] = (cells["j"] + 0.5) * cell
    cells["key"] = [grid_key(cell, a, b) for a, b in zip(cell_i.tolist(), cell_j.tolist())]
    cells["hover"] = [
        f"<b>{n:,} incidents</b> in this {cell:g}° cell<br>Casualties: {c:,}<br>Select cells, then zoom in"
        for n, c in zip(count.tolist(), casualties.tolist())
    ]
    return cells, cell


def incident_map(
    frame: pd.DataFrame,
    *,
    style: str = OFFLINE_STYLE,
    layers: Iterable[dict[str, Any]] = (),
    max_points: int | None = None,
    uirevision: str = MAP_UIREVISION,
    height: int = 560,
    empty_view: MapView | None = None,
    towns: Towns = NO_TOWNS,
    legend_entries: Iterable[dict[str, Any]] = (),
) -> tuple[go.Figure, str]:
    """The incident map and its mode: ``"points"`` (one marker per place) or ``"grid"``.

    A view without any placed incident opens on ``empty_view`` (the theatre of
    the whole data set, say) and says so on the map, rather than showing a blank world.
    Offline, the map is labelled (countries, the data's busiest places, the
    ``towns`` of the gazetteer) and drawn on a water-coloured style without glyphs.
    ``layers`` (the base map, overlays) and ``legend_entries`` (their legend) go in as given.
    """
    codes = place_codes(frame)  # rounded and hashed once, for the count and the grid
    annotations = []
    if count_places(frame, codes) > (MAX_POINTS if max_points is None else max_points):
        cells, cell = grid_cells(frame, codes=codes)
        traces = [_grid_trace(cells, cell)]
        view = view_for(cells["lat"], cells["lon"])
        mode = "grid"
        named = None
    else:
        marks = places(frame, hover=False)
        named = marks[["name", "lat", "lon", "count"]]
        view = view_for(marks["lat"], marks["lon"]) if len(marks) else (empty_view or MapView(*WORLD_VIEW))
        alone, groups = group_overlapping(marks, view.zoom)
        traces = _point_traces(with_hover(frame, alone), groups)
        mode = "points"
        if marks.empty:
            annotations.append({
                "text": "No placed incidents in this view" if len(frame) else "No incidents in this view",
                "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False,
                "font": {"size": 16, "color": "#444444"}, "bgcolor": "rgba(255,255,255,0.85)"})
    if style == OFFLINE_STYLE:
        # Names go under the markers: MapLibre gives the upper layers first claim on room for
        # text, so a group's count is never the text hidden to make room for a town's name.
        traces = [*label_traces(choose_labels(view.extent(), named, towns)), *traces]
    layout = {
        "map": {"style": offline_style() if style == OFFLINE_STYLE else style, "center": view.center,
                "zoom": view.zoom, "layers": list(layers)},
        "margin": {"l": 0, "r": 0, "t": 0, "b": LEGEND_ROOM_PX},
        "height": height,
        "uirevision": uirevision,
        # Below the map, each entry a fixed width: the PNG export renders with a fallback font whose
        # wider text a measured-to-fit legend clipped ("Explosions/Remote violenc").
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0.0, "xanchor": "left",
                   "entrywidth": LEGEND_ENTRY_PX, "entrywidthmode": "pixels"},
        "hoverlabel": {"align": "left"},
        "annotations": annotations,
    }
    return shared_figure([*traces, *legend_entries], layout), mode


def _float32(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="float32")


def _point_traces(marks: pd.DataFrame, groups: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    if marks.empty and (groups is None or groups.empty):
        # An empty view still needs one trace: plotly refuses a figure without data.
        return [scattermap(lat=[], lon=[], mode="markers", name="No incidents in view", hoverinfo="skip")]
    traces = []
    approx = marks[marks["approximate"]]
    if len(approx):
        # The halo goes first so it sits behind the markers it surrounds: a wide grey ring
        # tells an approximate place at a glance, without fading the marker itself.
        traces.append(scattermap(
            lat=_float32(approx["lat"]), lon=_float32(approx["lon"]), mode="markers",
            marker={"size": marker_size(approx["casualties"]) + 16, "color": HALO_COLOUR, "opacity": 0.35},
            name="Approximate place (grey halo)", customdata=approx["key"].tolist(), hoverinfo="skip",
            legendgroup="approximate",
        ))
    present = set(marks["event_type"]) | (set(groups["types"].explode()) if groups is not None and len(groups) else set())
    types = list(dict.fromkeys(list(TYPE_COLOURS) + sorted(present - set(TYPE_COLOURS))))
    for event_type in types:
        of_type = marks[marks["event_type"] == event_type]
        if of_type.empty:
            if event_type in present:  # all its places are in groups: keep its colour in the legend
                traces.append(scattermap(lat=[None], lon=[None], mode="markers", name=esc(event_type),
                                         marker={"size": 9, "color": type_colour(event_type)},
                                         legendgroup=esc(event_type), hoverinfo="skip", showlegend=True))
            continue
        for approximate, part in of_type.groupby("approximate"):
            traces.append(scattermap(
                lat=_float32(part["lat"]), lon=_float32(part["lon"]), mode="markers",
                marker={"size": marker_size(part["casualties"]), "color": type_colour(event_type),
                        "opacity": 0.8 if approximate else 1.0},
                name=esc(event_type), legendgroup=esc(event_type), showlegend=bool(not approximate or
                                                                                    not (~of_type["approximate"]).any()),
                customdata=part["key"].tolist(), hovertext=part["hover"].tolist(), hoverinfo="text",
            ))
    if groups is not None and len(groups):
        traces.append(group_trace(groups))
    return traces


def _grid_trace(cells: pd.DataFrame, cell: float) -> dict[str, Any]:
    counts = cells["count"].to_numpy(dtype=float)
    weight = np.log10(counts + 1)
    size = np.clip(6 + 4 * weight, 6, 26)
    return scattermap(
        lat=_float32(cells["lat"]), lon=_float32(cells["lon"]), mode="markers",
        # Viridis: perceptually ordered and readable with colour-vision deficiencies.
        marker={"size": size, "color": weight, "colorscale": "Viridis", "opacity": 0.85, "showscale": True,
                "colorbar": {"title": {"text": "incidents"}, "tickvals": [0, 1, 2, 3, 4, 5],
                             "ticktext": ["1", "10", "100", "1k", "10k", "100k"], "thickness": 12}},
        name=f"Incidents per {cell:g}° cell", customdata=cells["key"].tolist(), hovertext=cells["hover"].tolist(),
        hoverinfo="text", showlegend=True,
    )
