"""Places too close to tell apart at the opening zoom become one marker with a count."""

from __future__ import annotations

import pandas as pd

from incidents.views import map_chart
from incidents.views import selection
from incidents.views import map_groups


def _frame() -> pd.DataFrame:
    rows = [(40.200, 45.900, "Sotk", 3), (40.203, 45.904, "Zod", 2), (39.0, 47.0, "Far", 1)]
    lat, lon, names = [], [], []
    for la, lo, name, n in rows:
        lat += [la] * n
        lon += [lo] * n
        names += [name] * n
    size = len(lat)
    return pd.DataFrame({
        "latitude": lat, "longitude": lon, "location": names, "event_type": ["Battles"] * size,
        "geo_precision": [1] * size, "fatalities": [1] * size, "injured": [0] * size,
        "event_date": pd.to_datetime(["2024-03-01"] * size), "sub_event_type": ["Armed clash"] * size,
    })


def test_close_places_share_one_marker_whose_selection_lists_them_all():
    frame = _frame()
    marks = map_chart.places(frame)
    alone, groups = map_groups.group_overlapping(marks, zoom=6)
    assert alone["name"].tolist() == ["Far"]
    assert len(groups) == 1
    group = groups.iloc[0]
    assert (group["lat"], group["lon"]) == (40.2, 45.9)  # on its busiest place
    assert group["count"] == 5 and group["places"] == 2 and group["casualties"] == 5
    assert "5 incidents" in group["hover"] and "Sotk" in group["hover"] and "Zod" in group["hover"]
    assert len(selection.rows_for_keys(frame, [group["key"]])) == 5
    assert selection.bbox_of_keys([group["key"]]) is not None  # "zoom into the selection" works


def test_zoomed_in_far_enough_every_place_stands_alone():
    alone, groups = map_groups.group_overlapping(map_chart.places(_frame()), zoom=14)
    assert len(alone) == 3 and groups.empty


def test_the_map_draws_groups_with_their_count_written_in():
    fig, mode = map_chart.incident_map(_frame())
    group = [t for t in fig.data if t.name == map_groups.GROUP_NAME]
    assert mode == "points" and len(group) == 1
    assert list(group[0].text) == ["5"] and group[0].mode == "markers+text"


def test_a_type_whose_places_are_all_grouped_keeps_its_legend_entry():
    frame = _frame()
    frame.loc[frame["location"] == "Zod", "event_type"] = "Explosions/Remote violence"
    fig, _ = map_chart.incident_map(frame)
    assert {t.name for t in fig.data if t.showlegend} >= {"Battles", "Explosions/Remote violence",
                                                          map_groups.GROUP_NAME}
