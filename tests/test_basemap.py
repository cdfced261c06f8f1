"""incidents.views.basemap: shipped borders and user overlays as offline map layers."""

from __future__ import annotations

import html
import json

import pytest

from incidents.views import basemap
from incidents.views import land


def test_shipped_borders_load_with_their_boxes():
    features = basemap.load_borders()
    assert len(features) > 1000
    kinds = {f["properties"]["kind"] for _, f in features}
    assert kinds == {"border", "coast"}
    for box, _ in features[:50]:
        assert -180 <= box[0] <= box[2] <= 180 and -90 <= box[1] <= box[3] <= 90


def test_shipped_file_is_small_and_notes_its_source():
    assert basemap.BORDERS_FILE.stat().st_size < 1_600_000
    readme = (basemap.BORDERS_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme and "public domain" in readme


def test_borders_near_a_region_send_only_nearby_lines():
    everything = basemap.borders_near(None)["features"]
    caucasus = basemap.borders_near((44.0, 38.5, 47.5, 41.5))["features"]
    assert 0 < len(caucasus) < len(everything) / 5


def test_wide_views_get_the_coarse_borders():
    assert basemap.borders_file_for((44.0, 38.5, 47.5, 41.5)) == basemap.BORDERS_FILE
    assert basemap.borders_file_for((-20.0, -10.0, 80.0, 60.0)) == basemap.COARSE_BORDERS_FILE
    assert basemap.borders_file_for(None) == basemap.COARSE_BORDERS_FILE
    coarse = basemap.border_layers(None)
    points = sum(len(f["geometry"]["coordinates"]) for layer in coarse for f in layer["source"]["features"])
    assert points < 20_000


def test_border_layers_are_inline_geojson_lines_below_traces():
    layers = basemap.border_layers((44.0, 38.5, 47.5, 41.5))
    assert {layer["type"] for layer in layers} == {"line"}
    assert all(layer["sourcetype"] == "geojson" and layer["below"] == "traces" for layer in layers)


@pytest.mark.parametrize(
    "geometry,box",
    [
        ({"type": "Point", "coordinates": [1, 2]}, (1, 2, 1, 2)),
        ({"type": "LineString", "coordinates": [[1, 2], [3, -4]]}, (1, -4, 3, 2)),
        ({"type": "MultiPolygon", "coordinates": [[[[0, 0], [5, 0], [5, 5], [0, 0]]]]}, (0, 0, 5, 5)),
        ({"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [7, 8]}]}, (7, 8, 7, 8)),
        ({"type": "LineString", "coordinates": []}, None),
        (None, None),
    ],
)
def test_geometry_bbox(geometry, box):
    assert basemap.geometry_bbox(geometry) == box


def write(folder, name, content):
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_overlays_load_good_files_and_report_bad_ones(tmp_path):
    write(tmp_path, "a_line.geojson", {
        "type": "FeatureCollection", "name": "Contact line", "stroke": "#aa0000",
        "features": [{"type": "Feature", "properties": {"note": "<b>x</b>"},
                      "geometry": {"type": "LineString", "coordinates": [[45, 40], [46, 40.5]]}}],
    })
    write(tmp_path, "b_zone.json", {"type": "Polygon", "coordinates": [[[45, 40], [46, 40], [46, 41], [45, 40]]]})
    write(tmp_path, "c_broken.geojson", "{not json")
    write(tmp_path, "d_empty.geojson", {"type": "FeatureCollection", "features": []})
    write(tmp_path, "e_kind.geojson", {"type": "Topology"})
    write(tmp_path, "notes.txt", "ignored")
    overlays, problems = basemap.load_overlays(tmp_path)
    assert [o.name for o in overlays] == ["Contact line", "b_zone"]
    assert overlays[0].colour == "#aa0000" and not overlays[0].has_areas
    assert overlays[1].has_areas
    assert overlays[0].geojson["features"][0]["properties"] == {}  # nothing from the file reaches the page
    assert len(problems) == 3 and all("skipped" in p for p in problems)


@pytest.mark.parametrize("value,expected", [("#abc", "#abc"), ("#A0B1C2", "#A0B1C2"), ("red", None),
                                            ("#12345g", None), ("#1234); x", None), (5, None)])
def test_overlay_colour_accepts_only_hex(value, expected):
    assert basemap._colour(value) == expected


def test_overlay_layers_fill_areas_and_draw_lines(tmp_path):
    write(tmp_path, "zone.geojson", {"type": "Polygon", "coordinates": [[[45, 40], [46, 40], [46, 41], [45, 40]]]})
    overlays, _ = basemap.load_overlays(tmp_path)
    layers = basemap.overlay_layers(overlays)
    assert [layer["type"] for layer in layers] == ["fill", "line"]


def test_shipped_example_overlay_is_named_an_example_and_lies_in_open_water():
    overlays, problems = basemap.load_overlays()
    assert problems == []
    assert overlays and all(o.name.startswith("EXAMPLE") and "marks nothing" in o.name for o in overlays)
    for overlay in overlays:  # a closed shape in the sea, not a line that could pass for a front
        assert overlay.has_areas
        box = basemap.geometry_bbox(overlay.geojson["features"][0]["geometry"])
        assert land.countries_in_view(box) == []
    assert (basemap.OVERLAYS_DIR / "README.md").is_file()


def test_overlays_get_legend_entries_with_their_names():
    overlays, _ = basemap.load_overlays()
    entries = basemap.overlay_legend_entries(overlays)
    assert [e["name"] for e in entries] == [html.escape(o.name) for o in overlays]
    assert all(e["showlegend"] and e["line"]["color"] == o.colour for e, o in zip(entries, overlays))
