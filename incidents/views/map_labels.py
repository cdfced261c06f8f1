"""Names on the offline map: countries by their share of the view, places from the
data (most incidents) and from the gazetteer (largest population), spaced apart.

No hand-picked list: what is labelled follows from the view. Labels are a
plotly text trace; the offline style names no glyph server, so MapLibre draws
the letters with the browser's own fonts and the map asks no other host.

Gazetteer places come from a small table (settlements of at least
``MIN_POPULATION``) kept beside the gazetteer cache and rebuilt when that
cache changes; without a gazetteer, the map labels countries and the data's places.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incidents.config import Settings
from incidents.views.charts import scattermap
from incidents.views.land import BBox, countries_in_view

LABELS_FILE = "map_places.npz"
MIN_POPULATION = 15_000
MAX_COUNTRIES = 8
MAX_DATA_PLACES = 6
MAX_TOWNS = 8
MIN_COUNTRY_SHARE = 0.005
# Label boxes are planned on a map of this size (pixels; the page's map is at least as large)
# with letters about this wide and tall: a label whose box would touch an earlier one is dropped.
MAP_PX = (800, 500)
CHAR_PX, LINE_PX, PAD_PX = 7.0, 16.0, 4.0
COLUMNS = ["name", "lat", "lon", "kind"]
COUNTRY_TRACE, PLACE_TRACE = "Country names", "Place names"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Towns:
    """Settlements from the gazetteer, largest first."""

    names: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray

    def in_box(self, box: BBox) -> np.ndarray:
        """Indexes inside the box, largest population first (the table is sorted so)."""
        inside = (self.lon >= box[0]) & (self.lon <= box[2]) & (self.lat >= box[1]) & (self.lat <= box[3])
        return np.flatnonzero(inside)


NO_TOWNS = Towns(np.array([], dtype=object), np.array([]), np.array([]), np.array([], dtype=np.int64))


def write_towns(gazetteer: Any, path: Path, min_population: int = MIN_POPULATION) -> Towns:
    """Extract the label table from a loaded gazetteer and save it to ``path`` (an .npz)."""
    population = np.asarray(gazetteer.population, dtype=np.int64)
    settlement = np.asarray([f == "settlement" for f in gazetteer.feature], dtype=bool)
    chosen = np.flatnonzero(settlement & (population >= min_population))
    chosen = chosen[np.argsort(-population[chosen], kind="stable")]
    towns = Towns(np.asarray([gazetteer.names[i] for i in chosen], dtype=object),
                  np.asarray(gazetteer.lat, dtype=float)[chosen], np.asarray(gazetteer.lon, dtype=float)[chosen],
                  population[chosen])
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    # Names as one UTF-8 text, not a fixed-width array: a few long names would pad every entry.
    text = np.frombuffer("\n".join(towns.names.tolist()).encode("utf-8"), dtype=np.uint8)
    np.savez(tmp, names=text, lat=towns.lat, lon=towns.lon, population=towns.population)
    os.replace(tmp, path)
    return towns


def load_towns(settings: Settings) -> Towns:
    """The label table beside the gazetteer cache, built from it when missing or older.

    No gazetteer cache: no towns (the map still labels countries and the data's
    places); building the gazetteer is the first start's job, not the map's.
    """
    from incidents.geo.gazetteer import cache_path, load_gazetteer

    gazetteer_cache = cache_path(settings)
    path = gazetteer_cache.with_name(LABELS_FILE)
    try:
        if not gazetteer_cache.is_file():
            return NO_TOWNS
        if path.is_file() and path.stat().st_mtime_ns >= gazetteer_cache.stat().st_mtime_ns:
            with np.load(path) as saved:
                names = saved["names"].tobytes().decode("utf-8").split("\n") if saved["names"].size else []
                return Towns(np.asarray(names, dtype=object), saved["lat"], saved["lon"], saved["population"])
        return write_towns(load_gazetteer(settings, progress=None), path)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:  # a broken table costs labels, not the map
        log.warning("map labels: no gazetteer places (%s)", exc)
        return NO_TOWNS


def choose_labels(box: BBox, data_places: pd.DataFrame | None = None, towns: Towns = NO_TOWNS) -> pd.DataFrame:
    """Labels for a map showing ``box``: columns name, lat, lon, kind (country / place).

    Priority: the data's places with the most incidents (``data_places``: name,
    lat, lon, count), countries holding incidents, then those filling at least
    half a percent of the view (largest first), then the most populous towns.
    A label whose box would touch an earlier one is skipped, so names do not
    print over each other (MapLibre would hide one of them anyway).
    """
    chosen: list[tuple[str, float, float, str]] = []
    taken: list[tuple[float, float, float, float]] = []
    names: set[str] = set()

    def fits(name: str, lat: float, lon: float, kind: str) -> bool:
        new = _label_box(box, name, lat, lon, kind)
        if any(old[0] < new[2] and new[0] < old[2] and old[1] < new[3] and new[1] < old[3] for old in taken):
            return False
        taken.append(new)
        chosen.append((name, lat, lon, kind))
        names.add(name.casefold())
        return True

    if data_places is not None and len(data_places):
        added = 0
        for row in data_places.sort_values("count", ascending=False, kind="stable").itertuples(index=False):
            if added >= MAX_DATA_PLACES:
                break
            name = str(row.name or "").split(",")[0].strip()  # "Village, District" -> "Village"
            if name and name.casefold() not in names and fits(name, float(row.lat), float(row.lon), "place"):
                added += 1
    points = None if data_places is None else (data_places["lat"].to_numpy(), data_places["lon"].to_numpy())
    for country in countries_in_view(box, points, limit=MAX_COUNTRIES):
        if country.has_data or country.share >= MIN_COUNTRY_SHARE:
            for lat, lon in ((country.lat, country.lon), *country.others):
                if fits(country.name, lat, lon, "country"):
                    break
    added = 0
    for i in towns.in_box(box)[:200].tolist():
        if added >= MAX_TOWNS:
            break
        name = str(towns.names[i])
        if name.casefold() not in names and fits(name, float(towns.lat[i]), float(towns.lon[i]), "place"):
            added += 1
    return pd.DataFrame(chosen, columns=COLUMNS)


def _label_box(box: BBox, name: str, lat: float, lon: float, kind: str) -> tuple[float, float, float, float]:
    """Pixels the label would cover: a place's name sits above right of its dot, a country's is centred."""
    x = (lon - box[0]) / max(box[2] - box[0], 1e-9) * MAP_PX[0]
    y = (box[3] - lat) / max(box[3] - box[1], 1e-9) * MAP_PX[1]
    width = CHAR_PX * len(name) * (1.2 if kind == "country" else 1.0)
    if kind == "country":
        return (x - width / 2 - PAD_PX, y - LINE_PX / 2 - PAD_PX, x + width / 2 + PAD_PX, y + LINE_PX / 2 + PAD_PX)
    return (x - PAD_PX, y - LINE_PX - PAD_PX, x + width + PAD_PX, y + PAD_PX)


def label_traces(labels: pd.DataFrame) -> list[dict[str, Any]]:
    """plotly text traces for the labels: countries in grey capitals, places by a small dot.

    Not selectable and out of the legend and hover: they name the map, they are not data.
    """
    traces = []
    countries = labels[labels["kind"] == "country"]
    if len(countries):
        traces.append(scattermap(
            lat=countries["lat"].to_numpy(dtype=float), lon=countries["lon"].to_numpy(dtype=float), mode="text",
            text=countries["name"].str.upper().tolist(),
            textfont={"size": 12, "color": "#7a7368"}, hoverinfo="skip", showlegend=False, name=COUNTRY_TRACE,
        ))
    places = labels[labels["kind"] == "place"]
    if len(places):
        traces.append(scattermap(
            lat=places["lat"].to_numpy(dtype=float), lon=places["lon"].to_numpy(dtype=float), mode="markers+text",
            text=places["name"].tolist(),
            marker={"size": 4, "color": "#3b3b3b"}, textposition="top right",
            textfont={"size": 12, "color": "#2b2b2b"}, hoverinfo="skip", showlegend=False, name=PLACE_TRACE,
        ))
    return traces
