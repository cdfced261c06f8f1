"""Placing by hand, without the dashboard: typed coordinates, the check against the report's
countries, the pick grid, and which names the Places page lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from incidents.geo import picking
from incidents.geo.gazetteer import Gazetteer, GazetteerBuilder
from incidents.views.pick_map import fit_zoom, pick_figure
from incidents.views.place_gaps import FALLBACK, UNPLACED, AMBIGUOUS, name_to_place, place_gaps


@pytest.mark.parametrize("text, point", [
    ("48.137, 37.742", (48.137, 37.742)),
    ("48.137 37.742", (48.137, 37.742)),
    ("48,137; 37,742", (48.137, 37.742)),
    ("-33.9,18.4", (-33.9, 18.4)),
    ("48.137N 37.742E", (48.137, 37.742)),
    ("37.742E 48.137N", (48.137, 37.742)),
    ("33.9 S, 18.4 E", (-33.9, 18.4)),
    ("48°08'13\"N 37°44'31\"E", (48.136944, 37.741944)),
    ("48 08 13 N 37 44 31 E", (48.136944, 37.741944)),
])
def test_typed_coordinates_in_the_usual_notations(text, point):
    assert picking.parse_coordinates(text) == point


@pytest.mark.parametrize("text, message", [
    ("", "Type a latitude and a longitude"),
    ("north of the river", "Could not read"),
    ("48.1, 37.7, 5", "Could not read"),
    ("123, 45", "Did you type the longitude first?"),
    ("45, 200", "Longitude must be between -180 and 180"),
    ("48°75'N 37°E", "below 60"),
])
def test_bad_coordinates_say_what_is_wrong(text, message):
    with pytest.raises(picking.CoordinateError, match=message):
        picking.parse_coordinates(text)


@pytest.fixture
def gazetteer() -> Gazetteer:
    """Three invented towns in one country, two in its neighbour, a region entry (not a settlement)."""
    b = GazetteerBuilder()
    for name, lat, lon, cc, pop in (("Alpha", 40.0, 45.0, "AM", 5000), ("Beta", 40.5, 45.5, "AM", 800),
                                    ("Gamma", 41.0, 44.5, "AM", 300), ("Delta", 40.6, 47.0, "AZ", 9000),
                                    ("Epsilon", 39.8, 47.5, "AZ", 100)):
        b.add(name, lat, lon, country=cc, population=pop)
    b.add("Somewhere Province", 20.0, 10.0, country="AM", feature="admin1", population=10 ** 6)
    return Gazetteer.from_builder(b)


def test_a_point_inside_or_near_the_reports_country_is_accepted(gazetteer):
    inside = picking.check_point(gazetteer, 40.1, 45.1, ["AM"])
    assert inside.problem is None and inside.country_code == "AM" and inside.nearest == "Alpha"
    across = picking.check_point(gazetteer, 40.55, 46.6, ["AM"])  # nearer Delta (AZ), ~90 km from Beta
    assert across.problem and "from the nearest known place in AM" in across.problem and across.country_code == "AZ"
    near = picking.check_point(gazetteer, 40.5, 45.9, ["AM"])  # ~34 km from Beta: near enough
    assert near.problem is None


def test_swapped_latitude_and_longitude_are_named(gazetteer):
    check = picking.check_point(gazetteer, 45.0, 40.0, ["AM"])
    assert check.problem and "look swapped" in check.problem


def test_any_point_passes_when_no_country_is_known(gazetteer):
    assert picking.check_point(gazetteer, -10.0, 100.0, []).problem is None


def test_area_of_a_country_and_landmarks_in_it(gazetteer):
    box = picking.area_of(gazetteer, ["AM"])
    lon_min, lat_min, lon_max, lat_max = box
    assert lon_min < 44.5 and lon_max > 45.5 and lat_min < 40.0 and lat_max > 41.0 and lat_max < 42
    names = [t[0] for t in picking.settlements_in(gazetteer, box)]
    assert names[0] == "Alpha" and "Somewhere Province" not in names  # largest first, settlements only
    assert picking.area_of(gazetteer, [], [(10.0, 20.0)]) is not None and picking.area_of(gazetteer, []) is None


def test_pick_grid_has_about_square_cells_and_refines_around_a_pick():
    lats, lons, step = picking.pick_grid((44.0, 39.0, 47.0, 41.0), columns=60)
    assert len(lats) == len(lons) == 60 * 53  # 2 degrees of latitude in cells 3 degrees / 60 wide at 40N
    assert np.isclose(np.diff(np.unique(lats))[0], step)
    fine = picking.refine_box(40.0, 45.0, step)
    fine_lats, _, fine_step = picking.pick_grid(fine, columns=40)
    assert fine_step < step / 10 and fine[0] < 45.0 < fine[2] and fine[1] < 40.0 < fine[3]


def test_pick_figure_escapes_names_and_fits_its_area():
    figure, step = pick_figure((44.0, 39.0, 47.0, 41.0), landmarks=[("<b>X</b>", 40.0, 45.0, "AM", 10)],
                               candidates=[("<img src=x>", 40.1, 45.1)], picked=(40.2, 45.2))
    names = [t.name for t in figure.data]
    assert names == ["Click a point", "Towns (gazetteer)", "Geocoder's candidates", "Picked point"]
    assert "<b>" not in figure.data[1].hovertext[0] and "<img" not in figure.data[2].hovertext[0]
    assert figure.layout.map.style == "white-bg" and 6 < figure.layout.map.zoom < 8 and step > 0
    assert fit_zoom((44.0, 39.0, 47.0, 41.0)) > fit_zoom((30.0, 30.0, 50.0, 50.0))


def test_places_to_fix_are_grouped_by_folded_name_most_incidents_first():
    frame = pd.DataFrame({
        "event_id": ["a", "b", "c", "d", "e", "f", "g"],
        "report_id": ["r1", "r2", "r2", "r3", "r3", "r3", "r4"],
        "location": ["Novo-Selo", "Novo-Sélo", "Novo-Sélo", "Kut, Lachin", "Sotk", "Zod", "Vardenis"],
        "country_code": [None, None, None, "AZ", "AM", "AM", "AM"],
        "latitude": [None, None, None, 39.6, 40.2, 40.25, 40.18],
        "geo_precision": [None, None, None, 2, 1, 1, 1],
        "geocoder": [None, None, None, "region-fallback", "gazetteer", "analyst", "gazetteer"],
    })
    gaps = place_gaps(frame, ambiguous_ids={"e", "f"})
    assert list(gaps["name"]) == ["Novo-Sélo", "Kut", "Sotk"]
    assert list(gaps["incidents"]) == [3, 1, 1]
    assert list(gaps["problem"]) == [UNPLACED, FALLBACK, AMBIGUOUS]  # Zod: an analyst placed it already
    assert gaps.iloc[0]["report_ids"] == ["r1", "r2"] and gaps.iloc[1]["countries"] == "AZ"
    assert name_to_place("Kut, Lachin district") == "Kut" and name_to_place(None) == ""
    assert name_to_place("Avdiyivka (Avdiivka)") == "Avdiivka"  # the gazetteer's match, then the report's spelling
    assert place_gaps(frame.iloc[0:0]).empty
