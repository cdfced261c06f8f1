"""The offline map's land fill and names: clipping, countries by share of the view, label choice."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from incidents.views import charts
from incidents.views import map_chart
from incidents.config import Settings
from incidents.views import land, map_labels

CAUCASUS = (43.0, 38.0, 49.0, 42.0)


def test_clip_ring_cuts_a_square_to_the_box():
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    clipped = land.clip_ring(square, (2.0, 1.0, 10.0, 3.0))
    assert {(round(x, 6), round(y, 6)) for x, y in clipped} == {(2, 1), (4, 1), (4, 3), (2, 3)}
    assert land.ring_area(clipped) > 0
    assert land.clip_ring(square, (5.0, 5.0, 6.0, 6.0)) == []


def test_land_layer_is_one_fill_kept_near_the_view():
    layer = land.land_layer(CAUCASUS, margin=2.0)  # grown by the box's own size: 6 by 4 degrees
    assert layer["type"] == "fill" and layer["below"] == "traces"
    coords = np.array([p for polygon in layer["source"]["geometry"]["coordinates"] for ring in polygon for p in ring])
    assert coords[:, 0].min() >= 37.0 - 1e-9 and coords[:, 0].max() <= 55.0 + 1e-9
    assert coords[:, 1].min() >= 34.0 - 1e-9 and coords[:, 1].max() <= 46.0 + 1e-9
    assert coords[:, 0].min() < 38.0 and coords[:, 1].max() > 45.0  # and reaches that far


def test_countries_in_view_rank_by_share_with_labels_inside_the_view():
    found = land.countries_in_view(CAUCASUS)
    names = [c.name for c in found]
    assert {"Armenia", "Azerbaijan", "Georgia"} <= set(names)
    assert names.index("Azerbaijan") < names.index("Armenia")  # larger share of this view first
    assert all(c.share > 0 for c in found) and sum(c.share for c in found) <= 1.0
    for c in found:
        assert CAUCASUS[0] <= c.lon <= CAUCASUS[2] and CAUCASUS[1] <= c.lat <= CAUCASUS[3]
    # a country holding the data's places comes first, however small its share
    with_data = land.countries_in_view(CAUCASUS, ([40.2], [44.5]), limit=2)
    assert with_data[0].name == "Armenia" and with_data[0].has_data and len(with_data) == 2


def _towns(*rows: tuple[str, float, float, int]) -> map_labels.Towns:
    rows = sorted(rows, key=lambda r: -r[3])
    return map_labels.Towns(np.array([r[0] for r in rows], dtype=object), np.array([r[1] for r in rows]),
                            np.array([r[2] for r in rows]), np.array([r[3] for r in rows]))


def test_labels_come_from_countries_data_and_towns_spaced_apart():
    towns = _towns(("Bigtown", 40.2, 44.5, 1_000_000), ("Crowded", 40.21, 44.52, 500_000),
                   ("Farville", 39.0, 48.0, 200_000), ("Outside", 10.0, 10.0, 9_000_000))
    data = pd.DataFrame({"name": ["Hotspot", "Quiet"], "lat": [41.5, 38.5], "lon": [46.0, 43.5], "count": [40, 1]})
    labels = map_labels.choose_labels(CAUCASUS, data, towns)
    places = labels[labels["kind"] == "place"]["name"].tolist()
    assert places[0] == "Hotspot"  # the data's busiest place comes first
    assert "Bigtown" in places and "Farville" in places
    assert "Crowded" not in places  # too close to Bigtown
    assert "Outside" not in places  # not in view
    assert "Azerbaijan" in labels[labels["kind"] == "country"]["name"].tolist()
    assert labels["name"].str.casefold().is_unique


def test_towns_table_round_trips_beside_the_gazetteer_cache(tmp_path, monkeypatch):
    gazetteer = SimpleNamespace(names=["Small", "Large", "Region"], lat=[1.0, 2.0, 3.0], lon=[1.0, 2.0, 3.0],
                                population=[20_000, 90_000, 5_000_000],
                                feature=["settlement", "settlement", "admin1"])
    path = tmp_path / map_labels.LABELS_FILE
    written = map_labels.write_towns(gazetteer, path)
    assert written.names.tolist() == ["Large", "Small"]
    settings = Settings(cache_dir=str(tmp_path))
    from incidents.geo.gazetteer import cache_path

    assert map_labels.load_towns(settings).names.tolist() == []  # no gazetteer cache: no towns
    cache_path(settings).write_bytes(b"")
    import os

    os.utime(path, ns=(cache_path(settings).stat().st_mtime_ns + 10**9,) * 2)
    assert map_labels.load_towns(settings).names.tolist() == ["Large", "Small"]


def test_offline_map_names_its_places_without_a_glyph_server():
    frame = pd.DataFrame({
        "latitude": [40.2, 40.2, 39.8], "longitude": [45.9, 45.9, 46.7], "location": ["Sotk", "Sotk", "Zod"],
        "event_type": ["Battles"] * 3, "geo_precision": [1, 1, 2], "fatalities": [0, 0, 0], "injured": [0, 0, 0],
        "event_date": pd.to_datetime(["2024-03-01"] * 3), "sub_event_type": ["Armed clash"] * 3,
    })
    fig, _ = map_chart.incident_map(frame)
    assert "glyphs" not in fig.layout.map.style
    names = {t.name: list(t.text) for t in fig.data if t.name in (map_labels.COUNTRY_TRACE, map_labels.PLACE_TRACE)}
    assert "Sotk" in names[map_labels.PLACE_TRACE]
    assert "ARMENIA" in names[map_labels.COUNTRY_TRACE]
    online, _ = map_chart.incident_map(frame, style="open-street-map")
    assert online.layout.map.style == "open-street-map"
    assert all(t.name not in (map_labels.COUNTRY_TRACE, map_labels.PLACE_TRACE) for t in online.data)
    assert charts.OFFLINE_STYLE_SPEC["layers"][0]["paint"]["background-color"] == land.WATER_COLOUR
    assert charts.offline_style().startswith("data:application/json,")  # read without any request
