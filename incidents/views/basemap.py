"""Offline map context: shipped country borders and the user's GeoJSON overlays.

plotly's ``white-bg`` style loads nothing from the internet, so borders and
overlays (a contact line, a buffer zone) are drawn as inline GeoJSON layers
(``layout.map.layers``). Only the border lines near the data are sent, so a
regional view does not ship the whole world to the browser.

A broken overlay file must not break the map: it is skipped and reported.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from incidents.config import DATA_DIR
from incidents.views import land
from incidents.views.charts import scattermap

BORDERS_FILE = Path(__file__).resolve().parent / "data" / "countries.geojson"  # Natural Earth 1:50m
COARSE_BORDERS_FILE = BORDERS_FILE.with_name("countries-110m.geojson")  # 1:110m, for wide views
# Views wider than this (degrees) get the 1:110m lines: a tenth of the points,
# and every point costs time (plotly deep-copies the figure) and bytes.
COARSE_ABOVE_DEGREES = 20.0
OVERLAYS_DIR = DATA_DIR / "overlays"
BORDER_COLOUR = "#8c8c8c"
COAST_COLOUR = "#6f9fc8"
OVERLAY_COLOUR = "#b8860b"
MAX_OVERLAY_BYTES = 5_000_000
GEOMETRY_TYPES = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
}

BBox = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


@dataclass(frozen=True)
class Overlay:
    """One user GeoJSON file, ready to draw."""

    name: str
    geojson: dict[str, Any]
    colour: str = OVERLAY_COLOUR
    has_areas: bool = False


# ---------------------------------------------------------------------------
# Borders
# ---------------------------------------------------------------------------


@lru_cache(maxsize=2)
def load_borders(path: Path = BORDERS_FILE) -> tuple[tuple[BBox, dict[str, Any]], ...]:
    """Border features with their bounding boxes (read once per process)."""
    if not path.is_file():
        return ()
    collection = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feature in collection.get("features", []):
        box = geometry_bbox(feature.get("geometry"))
        if box is not None:
            out.append((box, feature))
    return tuple(out)


def geometry_bbox(geometry: dict[str, Any] | None) -> BBox | None:
    """Bounding box of any GeoJSON geometry; None when it has no coordinates."""
    lons: list[float] = []
    lats: list[float] = []

    def walk(coords: Any) -> None:
        if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
            lons.append(float(coords[0]))
            lats.append(float(coords[1]))
        elif isinstance(coords, (list, tuple)):
            for item in coords:
                walk(item)

    if not geometry:
        return None
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries", []):
            box = geometry_bbox(part)
            if box:
                lons.extend((box[0], box[2]))
                lats.extend((box[1], box[3]))
    else:
        walk(geometry.get("coordinates"))
    if not lons:
        return None
    return (min(lons), min(lats), max(lons), max(lats))


def intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def padded(box: BBox, margin: float) -> BBox:
    """The box grown by ``margin`` of its size on each side (at least 6 degrees, so that
    lines do not stop inside the visible map around a small cluster)."""
    dx = max((box[2] - box[0]) * margin, 6.0)
    dy = max((box[3] - box[1]) * margin, 6.0)
    return (box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy)


def borders_near(box: BBox | None, path: Path = BORDERS_FILE, margin: float = 1.0) -> dict[str, Any]:
    """A FeatureCollection of the border lines within ``box`` grown by ``margin`` (all when None)."""
    features = load_borders(path)
    if box is not None:
        view = padded(box, margin)
        return {"type": "FeatureCollection", "features": [f for b, f in features if intersects(b, view)]}
    return {"type": "FeatureCollection", "features": [f for _, f in features]}


def borders_file_for(box: BBox | None) -> Path:
    """1:50m lines for a regional view, 1:110m for a continental or world view."""
    wide = box is None or max(box[2] - box[0], box[3] - box[1]) > COARSE_ABOVE_DEGREES
    return COARSE_BORDERS_FILE if wide and COARSE_BORDERS_FILE.is_file() else BORDERS_FILE


def border_layers(box: BBox | None, path: Path | None = None) -> list[dict[str, Any]]:
    """plotly ``map.layers`` entries drawing borders and coasts under the markers."""
    collection = borders_near(box, path or borders_file_for(box))
    layers = []
    for kind, colour, width in (("coast", COAST_COLOUR, 1.0), ("border", BORDER_COLOUR, 1.2)):
        features = [f for f in collection["features"] if f["properties"].get("kind", "border") == kind]
        if features:
            layers.append({
                "sourcetype": "geojson",
                "source": {"type": "FeatureCollection", "features": features},
                "type": "line",
                "color": colour,
                "line": {"width": width},
                "below": "traces",
                "name": f"basemap-{kind}",
            })
    return layers


def base_layers(box: BBox, overlays: list[Overlay], land_fill: bool = True) -> list[dict[str, Any]]:
    """The map's ``map.layers`` around ``box``: the land fill (offline), borders, coasts where no
    land is filled (the fill's edge is the coast: a second outline only costs the browser), then
    the overlays, each GeoJSON as a ``data:`` URL (:func:`inline_source`)."""
    land_fill_layer = land.land_layer(box) if land_fill else None
    lines = [layer for layer in border_layers(box) if not (land_fill_layer and layer["name"] == "basemap-coast")]
    layers = ([land_fill_layer] if land_fill_layer else []) + lines + overlay_layers(overlays)
    return [inline_source(layer) for layer in layers]


def inline_source(layer: dict[str, Any]) -> dict[str, Any]:
    """The layer with its GeoJSON source as a base64 ``data:`` URL, still without any request.

    One string instead of tens of thousands of nested coordinates: the server
    copies and encodes it for nothing at each rerun, plotly in the browser tells
    an unchanged layer in one comparison, and MapLibre parses it in its worker
    rather than on the page's thread.
    """
    if not isinstance(layer.get("source"), dict):
        return layer
    text = json.dumps(layer["source"], separators=(",", ":")).encode("utf-8")
    return {**layer, "source": "data:application/json;base64," + base64.b64encode(text).decode("ascii")}


# ---------------------------------------------------------------------------
# User overlays
# ---------------------------------------------------------------------------


def load_overlays(folder: Path = OVERLAYS_DIR) -> tuple[list[Overlay], list[str]]:
    """Every ``*.geojson`` / ``*.json`` in the folder, and a message per file skipped."""
    overlays: list[Overlay] = []
    problems: list[str] = []
    if not folder.is_dir():
        return overlays, problems
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".geojson", ".json") or path.name.startswith("."):
            continue
        try:
            overlays.append(read_overlay(path))
        except (OSError, ValueError) as exc:
            problems.append(f"Overlay {path.name} skipped: {exc}")
    return overlays, problems


def read_overlay(path: Path) -> Overlay:
    """One overlay file; raises ValueError with a readable reason when it is not usable GeoJSON."""
    if path.stat().st_size > MAX_OVERLAY_BYTES:
        raise ValueError(f"larger than {MAX_OVERLAY_BYTES // 1_000_000} MB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError("not a GeoJSON object")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValueError("FeatureCollection without a features list")
    elif kind == "Feature":
        features = [data]
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    else:
        raise ValueError(f"unknown GeoJSON type {kind!r}")
    clean = []
    for feature in features:
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            continue
        if feature["geometry"].get("type") not in GEOMETRY_TYPES:
            continue
        clean.append({"type": "Feature", "properties": {}, "geometry": feature["geometry"]})
    if not clean:
        raise ValueError("no drawable geometry")
    props = data.get("properties") if kind == "Feature" else data
    name = str((props or {}).get("name") or path.stem)
    colour = _colour((props or {}).get("stroke")) or _colour(
        (features[0].get("properties") or {}).get("stroke") if isinstance(features[0], dict) else None
    )
    has_areas = any(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in clean)
    return Overlay(
        name=name,
        geojson={"type": "FeatureCollection", "features": clean},
        colour=colour or OVERLAY_COLOUR,
        has_areas=has_areas,
    )


def _colour(value: object) -> str | None:
    """Accept only #rgb / #rrggbb: the value goes into the page's map style."""
    if isinstance(value, str) and value.startswith("#") and len(value) in (4, 7):
        if all(c in "0123456789abcdefABCDEF" for c in value[1:]):
            return value
    return None


def overlay_legend_entries(overlays: list[Overlay]) -> list[dict[str, Any]]:
    """One legend entry per overlay (map layers have none): an empty line trace in its colour."""
    return [scattermap(lat=[None], lon=[None], mode="lines", name=html.escape(overlay.name),
                       line={"color": overlay.colour, "width": 3}, hoverinfo="skip", showlegend=True)
            for overlay in overlays]


def overlay_layers(overlays: list[Overlay]) -> list[dict[str, Any]]:
    """plotly ``map.layers`` entries for the overlays: a solid line each, as in its legend entry (a
    dashed line is one more shader program to compile in a software-WebGL browser), a light
    fill for areas."""
    layers: list[dict[str, Any]] = []
    for overlay in overlays:
        if overlay.has_areas:
            layers.append({
                "sourcetype": "geojson", "source": overlay.geojson, "type": "fill",
                "color": overlay.colour, "opacity": 0.12, "below": "traces",
            })
        layers.append({
            "sourcetype": "geojson", "source": overlay.geojson, "type": "line",
            "color": overlay.colour, "line": {"width": 2.5}, "below": "traces",
        })
    return layers
