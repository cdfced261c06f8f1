"""Build ``incidents/views/data/countries.geojson`` from the npm package ``world-atlas``.

Why: the map must draw country borders with no internet. ``world-atlas``
(ISC licence) ships Natural Earth country shapes (public domain) as TopoJSON;
plotly's map layers want GeoJSON, so this script decodes the TopoJSON and
rounds coordinates to keep the committed file small.

Usage (from the project root; needs only a package registry)::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/make_basemap.py /tmp/package/countries-50m.json   # defaults: --digits 3

The output is a FeatureCollection of LineStrings, one per TopoJSON arc, with
the property ``kind`` (border between two countries, or coast);
``--polygons`` writes one (Multi)Polygon per country instead.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent.parent / "incidents" / "views" / "data" / "countries.geojson"


def decode_arcs(topology: dict[str, Any], digits: int, min_step: float = 0.0) -> list[list[list[float]]]:
    """Absolute, rounded coordinates of every arc (TopoJSON stores quantized deltas).

    Points closer than ``min_step`` degrees to the last kept one are dropped
    (arc ends always kept, so neighbouring countries still share borders).
    """
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        x = y = 0
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                lon, lat = x * sx + tx, y * sy + ty
            else:
                lon, lat = position[0], position[1]
            points.append([round(lon, digits), round(lat, digits)])
        arcs.append(thin(points, min_step))
    return arcs


def thin(points: list[list[float]], min_step: float) -> list[list[float]]:
    if min_step <= 0 or len(points) <= 2:
        return points
    kept = [points[0]]
    for point in points[1:-1]:
        last = kept[-1]
        if abs(point[0] - last[0]) >= min_step or abs(point[1] - last[1]) >= min_step:
            kept.append(point)
    kept.append(points[-1])
    return kept


def ring(indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    """Join arcs into one ring; a negative index ~i means arc i reversed."""
    coords: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their joining point
        coords.extend(points if not coords else points[1:])
    return dedupe(coords)


def dedupe(coords: list[list[float]]) -> list[list[float]]:
    """Drop consecutive points made equal by rounding."""
    out: list[list[float]] = []
    for point in coords:
        if not out or point != out[-1]:
            out.append(point)
    return out


def geometry(obj: dict[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any] | None:
    kind = obj.get("type")
    if kind == "Polygon":
        rings = [r for r in (ring(a, arcs) for a in obj["arcs"]) if len(r) >= 4]
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if kind == "MultiPolygon":
        polygons = []
        for polygon in obj["arcs"]:
            rings = [r for r in (ring(a, arcs) for a in polygon) if len(r) >= 4]
            if rings:
                polygons.append(rings)
        return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None
    return None


def convert(
    topology: dict[str, Any], object_name: str = "countries", digits: int = 3, min_step: float = 0.0
) -> dict[str, Any]:
    """TopoJSON topology -> GeoJSON FeatureCollection of the named object's polygons."""
    arcs = decode_arcs(topology, digits, min_step)
    features = []
    for obj in topology["objects"][object_name]["geometries"]:
        geom = geometry(obj, arcs)
        if geom is None:
            continue
        properties = {"name": (obj.get("properties") or {}).get("name", ""), "id": obj.get("id", "")}
        features.append({"type": "Feature", "properties": properties, "geometry": geom})
    return {"type": "FeatureCollection", "features": features}


def convert_to_lines(
    topology: dict[str, Any], object_name: str = "countries", digits: int = 3, min_step: float = 0.0
) -> dict[str, Any]:
    """TopoJSON topology -> one LineString per arc, each drawn once.

    Why lines: the map only draws outlines, and a border shared by two
    countries is one arc in TopoJSON but two rings in polygons, so each
    border is drawn (and sent to the browser) once. ``kind`` is ``border``
    for an arc between two countries and ``coast`` for an arc with one.
    """
    arcs = decode_arcs(topology, digits, min_step)
    users: dict[int, list[str]] = {}
    for obj in topology["objects"][object_name]["geometries"]:
        name = (obj.get("properties") or {}).get("name", "")
        polygons = obj.get("arcs", [])
        if obj.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring_indexes in polygon:
                for index in ring_indexes:
                    users.setdefault(index if index >= 0 else ~index, []).append(name)
    features = []
    for index, names in sorted(users.items()):
        kind = "border" if len(set(names)) > 1 else "coast"
        for coords in split_at_antimeridian(dedupe(arcs[index])):
            if len(coords) < 2:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"kind": kind},
                    "geometry": {"type": "LineString", "coordinates": coords},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def split_at_antimeridian(coords: list[list[float]]) -> list[list[list[float]]]:
    """Cut a line where it jumps across 180 degrees of longitude.

    Why: polygons close along the antimeridian (Russia, Fiji, Antarctica);
    drawn as a line, that closing edge would cross the whole map.
    """
    parts: list[list[list[float]]] = [[]]
    for point in coords:
        if parts[-1] and abs(point[0] - parts[-1][-1][0]) > 180:
            parts.append([])
        parts[-1].append(point)
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="countries-50m.json or countries-110m.json from world-atlas")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--digits", type=int, default=3, help="decimals kept (3 = about 100 m)")
    parser.add_argument("--min-step", type=float, default=0.0, help="drop points closer than this (degrees)")
    parser.add_argument("--polygons", action="store_true", help="one polygon per country instead of lines")
    args = parser.parse_args(argv)
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    build = convert if args.polygons else convert_to_lines
    collection = build(topology, digits=args.digits, min_step=args.min_step)
    collection["source"] = (
        f"Natural Earth (public domain) via the npm package world-atlas, file {args.topojson.name}"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    print(f"{len(collection['features'])} features -> {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
