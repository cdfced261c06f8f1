"""Land and countries as areas: the map's land fill and which countries a view shows.

The offline base map draws water as the background and land as filled
country shapes (Natural Earth, public domain; ``incidents/views/data/areas-*.geojson``),
so land and sea are told apart without any tile server. Only the part of
each shape inside (a margin around) the view is sent to the browser: shapes
are clipped to a box, so a regional view does not ship all of Russia.

The same clipped shapes say how much of the view each country fills, which
is how the map chooses its country labels (the largest in view first).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np


AREAS_FILE = Path(__file__).resolve().parent / "data" / "areas-50m.geojson"  # Natural Earth 1:50m, 2 decimals
COARSE_AREAS_FILE = AREAS_FILE.with_name("areas-110m.geojson")  # 1:110m, for wide views
COARSE_ABOVE_DEGREES = 20.0
LAND_COLOUR = "#f4f1ea"
WATER_COLOUR = "#cfe0ec"

BBox = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Shape:
    """One country: its name and its polygons (each a list of rings, outer ring first)."""

    name: str
    bbox: BBox
    polygons: tuple[tuple[Ring, ...], ...]


@lru_cache(maxsize=2)
def load_shapes(path: Path = AREAS_FILE) -> tuple[Shape, ...]:
    """Country shapes with bounding boxes (read once per process; none when the file is missing)."""
    if not path.is_file():
        return ()
    shapes = []
    for feature in json.loads(path.read_text(encoding="utf-8")).get("features", []):
        geometry = feature.get("geometry") or {}
        parts = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            parts = [parts]
        polygons = tuple(tuple([(float(x), float(y)) for x, y in ring] for ring in polygon) for polygon in parts)
        points = [p for polygon in polygons for p in polygon[0]]
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        shapes.append(Shape(str((feature.get("properties") or {}).get("name") or ""),
                            (min(xs), min(ys), max(xs), max(ys)), polygons))
    return tuple(shapes)


def shapes_file_for(box: BBox) -> Path:
    """1:50m shapes for a regional view, 1:110m for a continental or world view."""
    wide = max(box[2] - box[0], box[3] - box[1]) > COARSE_ABOVE_DEGREES
    return COARSE_AREAS_FILE if wide and COARSE_AREAS_FILE.is_file() else AREAS_FILE


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _inside(box: BBox, outer: BBox) -> bool:
    return outer[0] <= box[0] and box[2] <= outer[2] and outer[1] <= box[1] and box[3] <= outer[3]


def _ring_box(ring: Ring) -> BBox:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs), min(ys), max(xs), max(ys))


def clip_ring(ring: Ring, box: BBox) -> Ring:
    """The ring cut to the box (Sutherland–Hodgman; the box is convex, so the result is one ring).

    Parts along the box's edges may be degenerate slivers: harmless for a fill.
    """
    lon0, lat0, lon1, lat1 = box
    edges = ((0, lon0, True), (0, lon1, False), (1, lat0, True), (1, lat1, False))
    points = list(ring)
    for axis, limit, keep_above in edges:
        if not points:
            return []
        out: Ring = []
        previous = points[-1]
        for current in points:
            current_in = (current[axis] >= limit) if keep_above else (current[axis] <= limit)
            previous_in = (previous[axis] >= limit) if keep_above else (previous[axis] <= limit)
            if current_in != previous_in:
                share = (limit - previous[axis]) / (current[axis] - previous[axis])
                other = 1 - axis
                crossing = [0.0, 0.0]
                crossing[axis] = limit
                crossing[other] = previous[other] + share * (current[other] - previous[other])
                out.append((crossing[0], crossing[1]))
            if current_in:
                out.append(current)
            previous = current
        points = out
    if len(points) < 3:
        return []
    if points[0] != points[-1]:
        points.append(points[0])
    return points


def clipped(shape: Shape, box: BBox) -> list[list[Ring]]:
    """The shape's polygons inside the box (rings wholly inside are kept as they are)."""
    out = []
    for polygon in shape.polygons:
        outer_box = _ring_box(polygon[0])
        if not _intersects(outer_box, box):
            continue
        if _inside(outer_box, box):
            out.append(list(polygon))
            continue
        rings = [clip_ring(ring, box) for ring in polygon]
        if rings[0]:
            out.append([r for r in rings if r])
    return out


def ring_area(ring: Ring) -> float:
    """Area in square degrees of longitude scaled by cos(latitude) (about km² / 12,300)."""
    if len(ring) < 3:
        return 0.0
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        total += x0 * y1 - x1 * y0
    mean_lat = sum(p[1] for p in ring) / len(ring)
    return abs(total) / 2 * math.cos(math.radians(mean_lat))


def land_layer(box: BBox, margin: float = 6.0) -> dict[str, Any] | None:
    """A plotly ``map.layers`` fill of the land around ``box``, grown on each side by its own
    size and at least ``margin`` degrees: a wide window or the PNG export (1200 px) shows more
    than the box, and panning a little must not reach the fill's edge.

    Cached per box (rounded to about 100 m); treat the result as read-only.
    """
    return _land_layer(tuple(round(v, 3) for v in box), margin)


@lru_cache(maxsize=16)
def _land_layer(box: BBox, margin: float) -> dict[str, Any] | None:
    grow_x = max(box[2] - box[0], margin)
    grow_y = max(box[3] - box[1], margin)
    view = (max(box[0] - grow_x, -180.0), max(box[1] - grow_y, -85.0),
            min(box[2] + grow_x, 180.0), min(box[3] + grow_y, 85.0))
    polygons = []
    for shape in load_shapes(shapes_file_for(box)):
        if _intersects(shape.bbox, view):
            polygons.extend(clipped(shape, view))
    if not polygons:
        return None
    coordinates = [[[[round(x, 3), round(y, 3)] for x, y in ring] for ring in polygon] for polygon in polygons]
    return {
        "sourcetype": "geojson", "type": "fill", "color": LAND_COLOUR, "opacity": 1.0, "below": "traces",
        "source": {"type": "Feature", "properties": {},
                   "geometry": {"type": "MultiPolygon", "coordinates": coordinates}},
        "name": "basemap-land",
    }


@dataclass(frozen=True)
class CountryInView:
    """A country's share of the view and a point inside its largest visible part (for its label)."""

    name: str
    share: float
    lat: float
    lon: float
    has_data: bool = False
    others: tuple[tuple[float, float], ...] = ()  # further (lat, lon) inside, nearest the middle first


MAX_OTHER_POINTS = 12


def countries_in_view(box: BBox, points: tuple[Any, Any] | None = None,
                      limit: int | None = None) -> list[CountryInView]:
    """Countries visible in ``box``: those holding any of ``points`` (lats, lons: the
    data's places) first, then by their share of the view (1:110m shapes: enough to rank).
    ``limit``: only that many (label points are worked out for those alone)."""
    lats = np.asarray([] if points is None else points[0], dtype=float)
    lons = np.asarray([] if points is None else points[1], dtype=float)
    ranked = []
    for name, share, biggest, rings, bbox in _visible(tuple(round(v, 3) for v in box)):
        near = (lons >= bbox[0]) & (lons <= bbox[2]) & (lats >= bbox[1]) & (lats <= bbox[3])
        has_data = bool(near.any()) and any(_points_in_ring(lons[near], lats[near], ring).any() for ring in rings)
        ranked.append((not has_data, -share, name, share, biggest, has_data))
    ranked.sort(key=lambda item: item[:2])
    found = []
    for _, _, name, share, biggest, has_data in ranked[:limit]:
        (lon, lat), *others = label_points(biggest)
        found.append(CountryInView(name, share, lat, lon, has_data,
                                   tuple((y, x) for x, y in others[:MAX_OTHER_POINTS])))
    return found


@lru_cache(maxsize=32)
def _visible(box: BBox) -> tuple[tuple[str, float, Ring, list[Ring], BBox], ...]:
    """Per country in view: name, share of the view, largest visible part, visible outer rings, bbox.

    Cached per box: clipping continents in Python is the costly part, and a
    filter change that keeps the view (or another visitor) asks for the same box.
    """
    total = max((box[2] - box[0]) * (box[3] - box[1]) * math.cos(math.radians((box[1] + box[3]) / 2)), 1e-9)
    found = []
    for shape in load_shapes(COARSE_AREAS_FILE if COARSE_AREAS_FILE.is_file() else AREAS_FILE):
        if not shape.name or not _intersects(shape.bbox, box):
            continue
        parts = [(ring_area(polygon[0]), polygon[0]) for polygon in clipped(shape, box)]
        if not parts:
            continue
        biggest = max(parts, key=lambda part: part[0])[1]
        found.append((shape.name, sum(a for a, _ in parts) / total, biggest, [ring for _, ring in parts],
                      shape.bbox))
    return tuple(found)


def label_points(ring: Ring, steps: int = 8) -> list[tuple[float, float]]:
    """(lon, lat) points well inside the ring, the best first: its centroid when inside,
    then the inside points of a grid over it, nearest the centroid first."""
    box = _ring_box(ring)
    cx = sum(p[0] for p in ring) / len(ring)
    cy = sum(p[1] for p in ring) / len(ring)
    share = np.arange(1, steps) / steps
    gx, gy = np.meshgrid(box[0] + (box[2] - box[0]) * share, box[1] + (box[3] - box[1]) * share)
    gx, gy = gx.ravel(), gy.ravel()
    inside = _points_in_ring(gx, gy, ring)
    gx, gy = gx[inside], gy[inside]
    order = np.argsort((gx - cx) ** 2 + (gy - cy) ** 2, kind="stable")
    found = [(float(gx[i]), float(gy[i])) for i in order]
    if _points_in_ring(np.array([cx]), np.array([cy]), ring)[0]:
        found.insert(0, (cx, cy))
    return found or [(cx, cy)]


def _points_in_ring(xs: np.ndarray, ys: np.ndarray, ring: Ring) -> np.ndarray:
    """Which points lie inside the ring (even-odd rule), for many points at once."""
    coords = np.asarray(ring, dtype=float)
    x0, y0 = coords[:, 0][:, None], coords[:, 1][:, None]
    x1, y1 = np.roll(coords[:, 0], -1)[:, None], np.roll(coords[:, 1], -1)[:, None]
    crosses = (y0 > ys) != (y1 > ys)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (ys - y0) * (x1 - x0) / (y1 - y0)
    return (np.count_nonzero(crosses & (xs < at), axis=0) % 2) == 1
