"""Plotly figures of the dashboard, built from plain DataFrames (no Streamlit).

Choices that matter to users:

- Colours are the Okabe-Ito palette, readable with the common colour-vision
  deficiencies; approximate places are also drawn differently in *shape of the
  mark* (lower opacity and a grey halo), never by colour alone.
- Several incidents at one place become **one marker**; its hover text gives
  the count and its size grows with the casualties there. Selecting it lists
  every incident at that place. Coordinates are never jittered.
- Above ``MAX_POINTS`` (12,000) places the map switches to a grid of cells (one
  marker per cell, sized and coloured by count) computed here on the server,
  so the browser never receives more than a few thousand markers.
- Every string from a report is passed through ``html.escape`` before it goes
  into hover text or annotations: plotly renders some HTML tags there.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from incidents import schema

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
TYPE_COLOURS: dict[str, str] = {
    schema.BATTLES: OKABE_ITO["vermillion"],
    schema.EXPLOSIONS: OKABE_ITO["blue"],
    schema.VIOLENCE_AGAINST_CIVILIANS: OKABE_ITO["reddish_purple"],
    schema.STRATEGIC: OKABE_ITO["bluish_green"],
}
OTHER_COLOUR = OKABE_ITO["orange"]
HALO_COLOUR = "#555555"
# Above this many places the map shows grid cells: each place costs about 250 bytes
# of hover text and coordinates, and the page must stay under 5 MB of map data.
MAX_POINTS = 12_000
OFFLINE_STYLE = "white-bg"
MAP_UIREVISION = "incident-map"
FREQUENCIES = {"day": "D", "week": "W", "month": "M"}
KEY_DATE_LABEL = 36  # characters shown above the timeline; the rest on hover


def type_colour(event_type: object) -> str:
    return TYPE_COLOURS.get(str(event_type), OTHER_COLOUR)


def esc(value: object) -> str:
    """Report text made safe for plotly hover/annotation text (which renders some HTML)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def map_style(style: str, online_tiles: bool) -> str:
    """The style actually used: anything but ``white-bg`` fetches tiles, so only when allowed."""
    return style if online_tiles and style else OFFLINE_STYLE


def chart_config(filename: str) -> dict[str, Any]:
    """plotly config: the camera button saves a PNG in the browser (works offline)."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "scrollZoom": True,
    }


# ---------------------------------------------------------------------------
# Map
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MapView:
    """Where the map opens: plotly 7 opens at 0,0 without an explicit centre."""

    lat: float
    lon: float
    zoom: float

    @property
    def center(self) -> dict[str, float]:
        return {"lat": self.lat, "lon": self.lon}


def view_for(lat: Sequence[float] | np.ndarray, lon: Sequence[float] | np.ndarray) -> MapView:
    """Centre and zoom that fit the points (a map about 800 by 500 pixels)."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return MapView(20.0, 0.0, 1.0)
    lat, lon = lat[ok], lon[ok]
    lat0, lat1 = float(lat.min()), float(lat.max())
    lon0, lon1 = float(lon.min()), float(lon.max())
    span_lon = max(lon1 - lon0, 0.02)
    span_lat = max(lat1 - lat0, 0.02)
    # Web Mercator: the world is 512 px wide at zoom 0 (MapLibre tiles).
    zoom_lon = math.log2(360 * 800 / (512 * span_lon))
    zoom_lat = math.log2(170 * 500 / (512 * span_lat * 1.3))
    # At most 9: the offline base has only borders, so closer views lose all context.
    zoom = max(1.0, min(9.0, min(zoom_lon, zoom_lat) - 0.4))
    return MapView(round((lat0 + lat1) / 2, 4), round((lon0 + lon1) / 2, 4), round(zoom, 2))


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


def _combined_code(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(lat, lon) rounded to 5 decimals (about 1 m) as one int64."""
    lat_q = np.round(lat * 1e5).astype(np.int64) + 9_000_000
    lon_q = np.round(lon * 1e5).astype(np.int64) + 18_000_000
    return lat_q * 40_000_000 + lon_q


def _place_codes(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, int]:
    """One integer code per distinct place, and the number of places."""
    codes, uniques = pd.factorize(_combined_code(lat, lon), sort=False)
    return codes, len(uniques)


def count_places(frame: pd.DataFrame) -> int:
    """Number of distinct map positions (cheap: decides points or grid before any text is built)."""
    positions, lat, lon = _placed_arrays(frame)
    return _place_codes(lat, lon)[1] if len(positions) else 0


def _casualties(frame: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    deaths = frame["fatalities"].to_numpy(dtype=np.int64, na_value=0)
    injured = frame["injured"].to_numpy(dtype=np.int64, na_value=0)
    return deaths[positions] + injured[positions]


def places(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct place with its count, casualties, main type and hover text.

    Vectorised (factorised place codes, bincounts): a frame of a million rows
    costs a fraction of a second; only the hover text loops, once per place.
    """
    positions, lat, lon = _placed_arrays(frame)
    columns = ["lat", "lon", "count", "casualties", "event_type", "approximate", "hover", "key"]
    if len(positions) == 0:
        return pd.DataFrame(columns=columns)
    codes, n = _place_codes(lat, lon)
    count = np.bincount(codes, minlength=n)
    casualties = np.bincount(codes, weights=_casualties(frame, positions), minlength=n).astype(np.int64)
    precision = frame["geo_precision"].to_numpy(dtype=float, na_value=1.0)[positions]
    best_precision = np.full(n, np.inf)
    np.minimum.at(best_precision, codes, precision)
    # The first row of each place (by position) carries the lone incident's details.
    order = np.argsort(codes, kind="stable")
    first = order[np.searchsorted(codes[order], np.arange(n))]
    types = frame["event_type"].iloc[positions]
    type_codes, type_names = pd.factorize(types.astype(object).fillna("Unknown"), sort=False)
    per_type = np.bincount(codes * len(type_names) + type_codes, minlength=n * len(type_names))
    main_type = np.asarray(type_names, dtype=object)[per_type.reshape(n, len(type_names)).argmax(axis=1)]
    dates = frame["event_date"].to_numpy(dtype="datetime64[s]")[positions]
    date_span = pd.DataFrame({"code": codes, "date": dates}).groupby("code")["date"].agg(["min", "max"])
    date_span = date_span.reindex(np.arange(n))
    out = pd.DataFrame({
        "lat": np.round(lat[first], 5), "lon": np.round(lon[first], 5), "count": count, "casualties": casualties,
        "event_type": main_type, "approximate": best_precision >= 2,
    })
    out["key"] = [place_key(a, b) for a, b in zip(out["lat"].tolist(), out["lon"].tolist())]
    out["hover"] = _place_hover(frame.iloc[positions[first]], out, best_precision, date_span)
    return out[columns]


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as escaped strings ('' when missing)."""
    if column not in frame:
        return [""] * len(frame)
    return [esc(v) for v in frame[column].astype(object).tolist()]


def _place_hover(first: pd.DataFrame, out: pd.DataFrame, precision: np.ndarray, span: pd.DataFrame) -> list[str]:
    """Hover lines: everything about a lone incident, a summary for a group."""
    locations = _texts(first, "location")
    types = _texts(first, "event_type")
    subs = _texts(first, "sub_event_type")
    actor1, actor2 = _texts(first, "actor1"), _texts(first, "actor2")
    sources, source_types = _texts(first, "source"), _texts(first, "source_type")
    dates = first["event_date"].tolist()
    starts, ends = span["min"].tolist(), span["max"].tolist()
    main = [esc(v) for v in out["event_type"].tolist()]
    texts = []
    for i, (count, casualties) in enumerate(zip(out["count"].tolist(), out["casualties"].tolist())):
        place = locations[i] or "(unnamed place)"
        how = schema.GEO_PRECISION.get(int(precision[i]) if np.isfinite(precision[i]) else 1, "exact")
        if count == 1:
            actors = " vs ".join(a for a in (actor1[i], actor2[i]) if a) or "unattributed"
            lines = [
                f"<b>{_date(dates[i])}</b> · {place} ({how})",
                f"{types[i]}: {subs[i]}",
                f"Actors: {actors}",
                f"Source: {sources[i]} ({source_types[i]})",
                f"Casualties: {casualties}",
            ]
        else:
            lines = [
                f"<b>{count} incidents</b> at {place} ({how})",
                f"{_date(starts[i])} to {_date(ends[i])}",
                f"Mostly: {main[i]}",
                f"Casualties: {casualties}",
                "Select the marker to list them",
            ]
        texts.append("<br>".join(lines))
    return texts


def _date(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "date unknown"
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return "date unknown"
    return "date unknown" if stamp is pd.NaT else stamp.date().isoformat()


def marker_size(casualties: np.ndarray | pd.Series) -> np.ndarray:
    """Pixels: 9 for none, growing with the square root so area follows the count."""
    values = np.asarray(casualties, dtype=float)
    return np.clip(9 + 4 * np.sqrt(values), 9, 40)


CELL_SIZES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
MAX_CELLS = 4_000  # markers of the grid view: detail without flooding the browser


def nice_cell(span: float) -> float:
    """A grid cell size (degrees) giving about 60 cells across the data."""
    for size in CELL_SIZES[:-1]:
        if span / size <= 60:
            return size
    return CELL_SIZES[-1]


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


def grid_cells(frame: pd.DataFrame, cell: float | None = None) -> tuple[pd.DataFrame, float]:
    """Counts per square cell of ``cell`` degrees (chosen from the extent when None)."""
    positions, lat, lon = _placed_arrays(frame)
    if cell is None:
        # Decide on distinct places (tens of thousands), not on every incident.
        distinct = pd.unique(_combined_code(lat, lon))
        cell = finest_cell((distinct // 40_000_000 - 9_000_000) / 1e5, (distinct % 40_000_000 - 18_000_000) / 1e5)
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
) -> tuple[go.Figure, str]:
    """The incident map and its mode: ``"points"`` (one marker per place) or ``"grid"``."""
    if count_places(frame) > (MAX_POINTS if max_points is None else max_points):
        cells, cell = grid_cells(frame)
        fig = _grid_figure(cells, cell)
        view = view_for(cells["lat"], cells["lon"])
        mode = "grid"
    else:
        marks = places(frame)
        fig = _points_figure(marks)
        view = view_for(marks["lat"], marks["lon"])
        mode = "points"
    fig.update_layout(
        map={"style": style, "center": view.center, "zoom": view.zoom, "layers": list(layers)},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=height,
        uirevision=uirevision,
        legend={"orientation": "h", "yanchor": "bottom", "y": 0.0, "x": 0.0,
                "bgcolor": "rgba(255,255,255,0.85)"},
        hoverlabel={"align": "left"},
    )
    return fig, mode


def _points_figure(marks: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    if marks.empty:
        # An empty view still needs one trace: plotly refuses a figure without data.
        fig.add_trace(go.Scattermap(lat=[], lon=[], mode="markers", name="No incidents in view", hoverinfo="skip"))
        return fig
    approx = marks[marks["approximate"]]
    if len(approx):
        # The halo goes first so it sits behind the markers it surrounds.
        fig.add_trace(go.Scattermap(
            lat=approx["lat"].astype("float32"), lon=approx["lon"].astype("float32"), mode="markers",
            marker={"size": marker_size(approx["casualties"]) + 14, "color": HALO_COLOUR, "opacity": 0.16},
            name="Approximate place (halo, faded)", customdata=approx["key"], hoverinfo="skip",
            legendgroup="approximate",
        ))
    types = list(dict.fromkeys(list(TYPE_COLOURS) + sorted(set(marks["event_type"]) - set(TYPE_COLOURS))))
    for event_type in types:
        of_type = marks[marks["event_type"] == event_type]
        if of_type.empty:
            continue
        for approximate, part in of_type.groupby("approximate"):
            fig.add_trace(go.Scattermap(
                lat=part["lat"].astype("float32"), lon=part["lon"].astype("float32"), mode="markers",
                marker={"size": marker_size(part["casualties"]), "color": type_colour(event_type),
                        "opacity": 0.5 if approximate else 0.9},
                name=esc(event_type), legendgroup=esc(event_type), showlegend=not approximate or
                not (~of_type["approximate"]).any(),
                customdata=part["key"], hovertext=part["hover"], hoverinfo="text",
            ))
    return fig


def _grid_figure(cells: pd.DataFrame, cell: float) -> go.Figure:
    counts = cells["count"].to_numpy(dtype=float)
    weight = np.log10(counts + 1)
    size = np.clip(6 + 4 * weight, 6, 26)
    return go.Figure(go.Scattermap(
        lat=cells["lat"].astype("float32"), lon=cells["lon"].astype("float32"), mode="markers",
        # Viridis: perceptually ordered and readable with colour-vision deficiencies.
        marker={"size": size, "color": weight, "colorscale": "Viridis", "opacity": 0.85, "showscale": True,
                "colorbar": {"title": {"text": "incidents"}, "tickvals": [0, 1, 2, 3, 4, 5],
                             "ticktext": ["1", "10", "100", "1k", "10k", "100k"], "thickness": 12}},
        name=f"Incidents per {cell:g}° cell", customdata=cells["key"], hovertext=cells["hover"],
        hoverinfo="text", showlegend=True,
    ))


# ---------------------------------------------------------------------------
# Selections (map and timeline)
# ---------------------------------------------------------------------------


def customdata_values(points: Iterable[Mapping[str, Any]]) -> list[Any]:
    """The first customdata value of each selected point (list or {'0': v} dict), de-duplicated."""
    seen: dict[Any, None] = {}
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else getattr(point, "customdata", None)
        if isinstance(data, Mapping):
            data = data.get("0", next(iter(data.values()), None))
        elif isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if data is not None:
            seen.setdefault(data, None)
    return list(seen)


def rows_for_keys(frame: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """Incidents under the selected place markers (``p:``) or grid cells (``g:``)."""
    keys = [k for k in keys if isinstance(k, str)]
    mask = np.zeros(len(frame), dtype=bool)
    if not keys or frame.empty:
        return frame.iloc[0:0]
    lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan)
    lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan)
    wanted = []
    for key in keys:
        if key.startswith("p:"):
            try:
                _, lat_text, lon_text = key.split(":")
                wanted.append(_combined_code(np.array([float(lat_text)]), np.array([float(lon_text)]))[0])
            except ValueError:
                continue
    if wanted:
        ok = np.isfinite(lat) & np.isfinite(lon)
        own = np.full(len(frame), -1, dtype=np.int64)
        own[ok] = _combined_code(lat[ok], lon[ok])
        mask |= np.isin(own, wanted)
    cells: dict[float, set[tuple[int, int]]] = {}
    for key in keys:
        if key.startswith("g:"):
            try:
                _, size, i, j = key.split(":")
                cells.setdefault(float(size), set()).add((int(i), int(j)))
            except ValueError:
                continue
    with np.errstate(invalid="ignore"):
        for size, wanted in cells.items():
            ii = np.floor(lat / size)
            jj = np.floor(lon / size)
            for i, j in wanted:
                mask |= (ii == i) & (jj == j)
    return frame[mask]


def bbox_of_keys(keys: Iterable[str]) -> tuple[float, float, float, float] | None:
    """The box around the selected grid cells (to zoom into them as a filter)."""
    boxes = []
    for key in keys:
        if isinstance(key, str) and key.startswith("g:"):
            try:
                _, size_text, i_text, j_text = key.split(":")
                size, i, j = float(size_text), int(i_text), int(j_text)
            except ValueError:
                continue
            boxes.append((j * size, i * size, (j + 1) * size, (i + 1) * size))
    if not boxes:
        return None
    lon0 = max(-180.0, min(b[0] for b in boxes))
    lat0 = max(-90.0, min(b[1] for b in boxes))
    lon1 = min(180.0, max(b[2] for b in boxes))
    lat1 = min(90.0, max(b[3] for b in boxes))
    return (round(lon0, 4), round(lat0, 4), round(lon1, 4), round(lat1, 4))


def span_of_selection(points: Iterable[Mapping[str, Any]], frequency: str) -> tuple[dt.date, dt.date] | None:
    """Dates covered by the selected timeline bars: first period start to last period end."""
    starts = []
    for point in points:
        x = point.get("x") if isinstance(point, Mapping) else getattr(point, "x", None)
        try:
            starts.append(pd.Timestamp(x).date())
        except (ValueError, TypeError):
            continue
    if not starts:
        return None
    last = pd.Timestamp(max(starts))
    end = {"day": last, "week": last + pd.Timedelta(days=6), "month": last + pd.offsets.MonthEnd(0)}.get(
        frequency, last
    )
    return min(starts), pd.Timestamp(end).date()


# ---------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------


def period_start(dates: pd.Series, frequency: str) -> pd.Series:
    """Start of the day, week (Monday) or month each date falls in."""
    values = dates.to_numpy(dtype="datetime64[s]")
    return pd.Series(_period_starts(values, frequency), index=dates.index)


def _period_starts(values: np.ndarray, frequency: str) -> np.ndarray:
    days = values.astype("datetime64[D]")
    if frequency == "week":
        # 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
        number = days.astype(np.int64)
        return (number - (number + 3) % 7).astype("datetime64[D]").astype("datetime64[s]")
    if frequency == "month":
        return days.astype("datetime64[M]").astype("datetime64[s]")
    return days.astype("datetime64[s]")


def auto_frequency(frame: pd.DataFrame) -> str:
    """Day for up to two months of data, week up to two years, month beyond (readable bar counts)."""
    dates = frame["event_date"].dropna() if "event_date" in frame else pd.Series(dtype="datetime64[s]")
    if dates.empty:
        return "week"
    days = (dates.max() - dates.min()).days
    return "day" if days <= 62 else "week" if days <= 730 else "month"


def timeline_table(frame: pd.DataFrame, frequency: str = "week") -> pd.DataFrame:
    """Per period: incidents per event type, stated violations and fatalities (numpy bincounts)."""
    dates = frame["event_date"].to_numpy(dtype="datetime64[s]") if "event_date" in frame else np.array([])
    dated = ~np.isnat(dates)
    if not dated.any():
        return pd.DataFrame(columns=["period", "violations", "fatalities"])
    periods, period_index = np.unique(_period_starts(dates[dated], frequency), return_inverse=True)
    types = frame["event_type"]
    if isinstance(types.dtype, pd.CategoricalDtype):
        type_codes = types.cat.codes.to_numpy()[dated]
        type_names = list(types.cat.categories)
        if (type_codes < 0).any():
            type_names.append("Unknown")
            type_codes = np.where(type_codes < 0, len(type_names) - 1, type_codes)
    else:
        type_codes, names = pd.factorize(types.astype(object).fillna("Unknown").to_numpy()[dated])
        type_names = list(names)
    n, k = len(periods), max(len(type_names), 1)
    counts = np.bincount(period_index * k + type_codes, minlength=n * k).reshape(n, k)
    table = pd.DataFrame({"period": periods})
    for j, name in enumerate(type_names):
        if counts[:, j].any():
            table[str(name)] = counts[:, j]
    stated = frame["violation_count"].to_numpy(dtype=float, na_value=np.nan)[dated] if "violation_count" in frame \
        else np.full(int(dated.sum()), np.nan)
    table["violations"] = np.bincount(period_index, weights=np.where(np.isnan(stated), 1, stated), minlength=n)
    table["violations"] = table["violations"].astype(np.int64)
    deaths = frame["fatalities"].to_numpy(dtype=np.int64, na_value=0)[dated]
    table["fatalities"] = np.bincount(period_index, weights=deaths, minlength=n).astype(np.int64)
    return table


def timeline(
    frame: pd.DataFrame, frequency: str = "week", key_dates: pd.DataFrame | None = None, height: int = 460
) -> go.Figure:
    """Stacked incident counts by type, with stated violations and fatalities below."""
    table = timeline_table(frame, frequency)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06)
    type_columns = [c for c in table.columns if c not in ("period", "violations", "fatalities")]
    ordered = [t for t in TYPE_COLOURS if t in type_columns] + sorted(set(type_columns) - set(TYPE_COLOURS))
    for event_type in ordered:
        fig.add_trace(go.Bar(
            x=table["period"], y=table[event_type], name=esc(event_type), marker_color=type_colour(event_type),
            hovertemplate="%{x|%Y-%m-%d}: %{y} incidents<extra>" + esc(event_type) + "</extra>",
        ), row=1, col=1)
    for column, colour, label in (("violations", OKABE_ITO["black"], "Stated violations"),
                                  ("fatalities", OKABE_ITO["vermillion"], "Fatalities")):
        if column in table:
            fig.add_trace(go.Scatter(
                x=table["period"], y=table[column], name=label, mode="lines+markers",
                line={"color": colour, "width": 2, "dash": "solid" if column == "violations" else "dot"},
                hovertemplate="%{x|%Y-%m-%d}: %{y}<extra>" + label + "</extra>",
            ), row=2, col=1)
    fig.update_yaxes(title_text="Incidents", row=1, col=1)
    fig.update_yaxes(title_text="Violations / deaths", row=2, col=1)
    fig.update_layout(
        barmode="stack", height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, dragmode="select",
        selectdirection="h", legend={"orientation": "h", "y": -0.12}, uirevision="timeline",
    )
    if key_dates is not None and len(table):
        add_key_dates(fig, key_dates, table["period"].min(), table["period"].max(), frequency)
    return fig


def read_key_dates(path: Any) -> tuple[pd.DataFrame, list[str]]:
    """Key dates (``date,label,kind[,...]``) from a user-editable CSV; bad rows are reported, not fatal."""
    empty = pd.DataFrame(columns=["date", "label", "kind"])
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        return empty, []
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return empty, [f"Key dates file skipped: {exc}"]
    missing = {"date", "label"} - set(table.columns)
    if missing:
        return empty, [f"Key dates file skipped: no column {', '.join(sorted(missing))}"]
    if "kind" not in table:
        table["kind"] = ""
    parsed = pd.to_datetime(table["date"], format="%Y-%m-%d", errors="coerce")
    problems = [f"Key date {value!r} (line {i + 2}) is not YYYY-MM-DD; skipped."
                for i, value in enumerate(table["date"]) if pd.isna(parsed.iat[i])]
    table = table.assign(date=parsed)[parsed.notna()].reset_index(drop=True)
    return table, problems


def add_key_dates(fig: go.Figure, key_dates: pd.DataFrame, start: object, end: object, frequency: str) -> None:
    """Vertical markers for agreements and other key dates inside the plotted span."""
    start_ts = pd.Timestamp(start)
    end_ts = pd.Timestamp(end) + {"day": pd.Timedelta(days=1), "week": pd.Timedelta(days=7)}.get(
        frequency, pd.Timedelta(days=31)
    )
    inside = [row for row in key_dates.itertuples(index=False) if start_ts <= pd.Timestamp(row.date) <= end_ts]
    shapes, notes = [], []
    for level, row in enumerate(sorted(inside, key=lambda r: pd.Timestamp(r.date))):
        when = pd.Timestamp(row.date)
        label = str(row.label)
        short = label if len(label) <= KEY_DATE_LABEL else label[: KEY_DATE_LABEL - 1] + "…"
        shapes.append({"type": "line", "x0": when, "x1": when, "y0": 0, "y1": 1, "xref": "x", "yref": "paper",
                       "line": {"color": "#444444", "width": 1.5, "dash": "dash"}})
        # Staggered rows so that labels of nearby dates do not overprint; full text on hover.
        notes.append({"x": when, "y": 1.02 + 0.07 * (level % 3), "xref": "x", "yref": "paper", "text": esc(short),
                      "hovertext": esc(f"{when.date()}: {label}"), "showarrow": False,
                      "font": {"size": 11, "color": "#444444"}, "xanchor": "left",
                      "bgcolor": "rgba(255,255,255,0.8)"})
    if inside:
        # One layout update: add_shape/add_annotation validate the whole layout each time.
        fig.update_layout(shapes=list(fig.layout.shapes) + shapes,
                          annotations=list(fig.layout.annotations) + notes, margin={"t": 80})


# ---------------------------------------------------------------------------
# Comparing two periods
# ---------------------------------------------------------------------------


def _counts(frame: pd.DataFrame, by: str) -> pd.Series:
    """Incidents per value of ``by``; ``region`` means "country · admin1" (admin1 alone is ambiguous)."""
    if by == "region":
        if frame.empty:
            return pd.Series(dtype=np.int64)
        country = frame["country"].astype(object).fillna("?") if "country" in frame else pd.Series("?", frame.index)
        admin1 = frame["admin1"].astype(object).fillna("(no region)")
        # Group first, build labels only for the (few) groups: string work on a million rows is slow.
        grouped = pd.DataFrame({"c": country.to_numpy(), "a": admin1.to_numpy()}).value_counts()
        return pd.Series(grouped.to_numpy(), index=[f"{c} · {a}" for c, a in grouped.index])
    counts = frame[by].value_counts(dropna=False)
    counts = counts[counts > 0]  # categoricals also list the values absent from this period
    counts.index = ["(none)" if (v is None or v != v) else str(v) for v in counts.index]
    return counts.groupby(level=0).sum()


def compare_counts(before: pd.DataFrame, after: pd.DataFrame, by: str, labels: tuple[str, str]) -> pd.DataFrame:
    """Incidents per value of ``by`` in two periods, with the change (absolute and %)."""
    left, right = _counts(before, by), _counts(after, by)
    table = pd.concat([left.rename(labels[0]), right.rename(labels[1])], axis=1).fillna(0).astype(int)
    table["Change"] = table[labels[1]] - table[labels[0]]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(table[labels[0]] > 0, 100.0 * table["Change"] / table[labels[0]], np.nan)
    table["Change %"] = np.round(pct, 1)
    table = table.sort_values([labels[1], labels[0]], ascending=False)
    table.index.name = by
    return table.reset_index()


def compare_figure(table: pd.DataFrame, by: str, labels: tuple[str, str], height: int = 380) -> go.Figure:
    """Side-by-side bars of the two periods per value of ``by``."""
    fig = go.Figure()
    for label, colour in zip(labels, (OKABE_ITO["sky_blue"], OKABE_ITO["blue"])):
        fig.add_trace(go.Bar(x=[esc(v) for v in table[by]], y=table[label], name=esc(label), marker_color=colour))
    fig.update_layout(barmode="group", height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": -0.25})
    fig.update_xaxes(type="category")  # region codes such as "05" are names, not numbers
    return fig
