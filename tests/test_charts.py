"""incidents.views.charts: figure specs (not pixels) for the map, timeline and comparisons."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from incidents.store.frames import frame_from_records

from incidents.views import charts
from incidents.views import map_chart
from incidents.views import selection
from incidents.views import timeline_chart
from incidents.views import map_labels

DEFAULTS = {
    "event_type": "Battles", "sub_event_type": "Armed clash", "location": "Sotk", "latitude": 40.2,
    "longitude": 45.9, "geo_precision": 1, "fatalities": 0, "injured": 0, "event_date": "2024-03-01",
    "source": "MoD", "source_type": "belligerent", "fictional": True,
}


def incident_frame(*rows: dict) -> pd.DataFrame:
    """A schema-typed frame from a few hand-written rows (DEFAULTS fill the rest)."""
    return frame_from_records(DEFAULTS | {"event_id": f"e{i}"} | row for i, row in enumerate(rows))


def incident_traces(fig) -> list:
    """The map's data traces, without its name labels."""
    return [t for t in fig.data if t.name not in (map_labels.COUNTRY_TRACE, map_labels.PLACE_TRACE)]


@pytest.fixture
def frame() -> pd.DataFrame:
    return incident_frame(
        {"actor1": "Side A", "fatalities": 1},
        {"event_date": "2024-03-05", "actor1": "<script>x</script>", "injured": 3},  # same place
        {"latitude": 39.8, "longitude": 46.7, "location": "Near <b>X</b>", "geo_precision": 2,
         "event_type": "Explosions/Remote violence", "event_date": "2024-03-12", "violation_count": 14},
        {"latitude": None, "longitude": None, "location": "Nowhere", "geo_precision": None},
    )


def test_several_incidents_at_one_place_make_one_marker_with_a_count(frame):
    marks = map_chart.places(frame)
    assert len(marks) == 2
    sotk = marks[marks["key"] == map_chart.place_key(40.2, 45.9)].iloc[0]
    assert sotk["count"] == 2 and sotk["casualties"] == 4
    assert "2 incidents" in sotk["hover"]


@pytest.mark.parametrize("max_points", [None, 1])
def test_the_map_built_without_validation_is_a_valid_plotly_figure(frame, max_points):
    """Points (with a group and halos), grid, labels, base layers and overlay legends: plotly's
    own validation, skipped when the dashboard builds the map, accepts every property."""
    from incidents.views import basemap

    crowded = pd.concat([frame, incident_frame({"latitude": 40.2001, "longitude": 45.9001, "location": "Next door"})],
                        ignore_index=True)
    overlays, _ = basemap.load_overlays()
    towns = map_labels.Towns(np.array(["Town"], dtype=object), np.array([40.0]), np.array([45.5]), np.array([9000]))
    fig, _ = map_chart.incident_map(crowded, max_points=max_points, towns=towns,
                                    layers=basemap.base_layers(map_chart.data_box(crowded), overlays),
                                    legend_entries=basemap.overlay_legend_entries(overlays))
    go.Figure(fig.to_dict())  # raises on any property plotly does not know


@pytest.mark.parametrize("frequency", ["day", "week", "month"])
def test_the_timeline_built_without_validation_is_a_valid_plotly_figure(frame, frequency):
    key_dates = pd.DataFrame({"date": ["2024-03-02", "2024-03-09"], "label": ["Talks", "Truce"], "kind": ["", ""]})
    fig = timeline_chart.timeline(frame, frequency, key_dates)
    go.Figure(fig.to_dict())  # raises on any property plotly does not know


def test_map_uses_offline_style_centre_zoom_and_layers(frame):
    layers = [{"sourcetype": "geojson", "source": {"type": "FeatureCollection", "features": []}, "type": "line"}]
    fig, mode = map_chart.incident_map(frame, layers=layers)
    assert mode == "points"
    assert fig.layout.map.style == charts.offline_style() and "glyphs" not in fig.layout.map.style
    assert 39.8 <= fig.layout.map.center.lat <= 40.2 and 45.9 <= fig.layout.map.center.lon <= 46.7
    assert fig.layout.map.zoom > 3
    assert len(fig.layout.map.layers) == 1
    assert fig.layout.uirevision
    assert all(trace.type == "scattermap" for trace in fig.data)


def test_approximate_places_get_a_halo_and_lower_opacity_not_just_colour(frame):
    fig, _ = map_chart.incident_map(frame)
    halo = incident_traces(fig)[0]
    assert halo.name.startswith("Approximate") and halo.hoverinfo == "skip"
    assert halo.marker.opacity >= 0.3  # visible, not faint
    approx = [t for t in incident_traces(fig)[1:] if list(t.customdata) == [map_chart.place_key(39.8, 46.7)]][0]
    exact = [t for t in incident_traces(fig)[1:] if list(t.customdata) == [map_chart.place_key(40.2, 45.9)]][0]
    assert exact.marker.opacity > approx.marker.opacity >= 0.75
    assert halo.marker.size[0] > approx.marker.size[0]


def test_hover_text_escapes_report_strings(frame):
    fig, _ = map_chart.incident_map(frame)
    texts = [t for trace in json.loads(pio.to_json(fig))["data"] for t in trace.get("hovertext") or []]
    joined = "\n".join(texts)
    assert "<script>" not in joined and "<b>X</b>" not in joined
    assert "Near &lt;b&gt;X&lt;/b&gt;" in joined


def test_lone_incident_hover_has_date_place_type_actors_source():
    fig, _ = map_chart.incident_map(incident_frame({"actor1": "Side A", "actor2": "Side B"}))
    hover = incident_traces(fig)[-1].hovertext[0]
    for part in ("2024-03-01", "Sotk", "Battles", "Side A vs Side B", "MoD"):
        assert part in hover


def test_colours_are_okabe_ito_per_type(frame):
    fig, _ = map_chart.incident_map(frame)
    colours = {t.name: t.marker.color for t in incident_traces(fig)[1:]}
    assert colours["Battles"] == charts.OKABE_ITO["vermillion"]
    assert colours["Explosions/Remote violence"] == charts.OKABE_ITO["blue"]


def test_many_places_switch_to_a_grid_with_selectable_cells():
    rng = np.random.default_rng(0)
    n = 300
    frame = incident_frame(*({} for _ in range(n)))
    frame["latitude"] = rng.uniform(39, 41, n)
    frame["longitude"] = rng.uniform(45, 47, n)
    fig, mode = map_chart.incident_map(frame, max_points=100)
    assert mode == "grid" and len(incident_traces(fig)) == 1
    keys = list(incident_traces(fig)[0].customdata)
    assert sum(len(selection.rows_for_keys(frame, [k])) for k in keys) == n
    assert len(incident_traces(fig)[0].lat) <= map_chart.MAX_CELLS
    cells, cell = map_chart.grid_cells(frame, cell=0.5)
    assert cell == 0.5 and len(cells) < n and cells["count"].sum() == n
    box = selection.bbox_of_keys(keys[:1])
    inside = frame[(frame.longitude >= box[0]) & (frame.longitude < box[2])
                   & (frame.latitude >= box[1]) & (frame.latitude < box[3])]
    assert len(inside) == len(selection.rows_for_keys(frame, keys[:1]))


def test_map_of_nothing_still_opens_somewhere():
    fig, mode = map_chart.incident_map(incident_frame({"latitude": None, "longitude": None}))
    assert mode == "points" and fig.layout.map.center.lat is not None
    assert len(incident_traces(fig)) == 1  # plotly (and st.plotly_chart) refuse a figure without traces


@pytest.mark.parametrize(
    "points,expected",
    [
        ([{"customdata": {"0": "p:1"}}, {"customdata": ["p:2"]}, {"customdata": "p:1"}], ["p:1", "p:2"]),
        ([{"customdata": None}, {}], []),
        ([{"customdata": {"3": "g:1:0:0"}}], ["g:1:0:0"]),
    ],
)
def test_customdata_values_normalise_dicts_and_lists(points, expected):
    assert selection.customdata_values(points) == expected


def test_rows_for_place_keys(frame):
    rows = selection.rows_for_keys(frame, [map_chart.place_key(40.2, 45.9), "junk", 5])
    assert list(rows["event_id"]) == ["e0", "e1"]


def test_finest_cell_follows_occupied_cells_not_extent():
    rng = np.random.default_rng(1)
    # two tight clusters 60 degrees apart: the extent is large, the occupied area small
    lat = np.concatenate([rng.uniform(40, 40.5, 500), rng.uniform(-20, -19.5, 500)])
    lon = np.concatenate([rng.uniform(45, 45.5, 500), rng.uniform(100, 100.5, 500)])
    assert map_chart.finest_cell(lat, lon, max_cells=200) <= 0.1
    assert map_chart.finest_cell(lat, lon, max_cells=2) == 0.5


@pytest.mark.parametrize(
    "lat,lon,zoom_range",
    [([40.2], [45.9], (5, 6.5)), ([39, 41], [44, 47], (5, 8)), ([-40, 60], [-120, 150], (1, 2))],
)
def test_view_fits_the_data(lat, lon, zoom_range):
    view = map_chart.view_for(lat, lon)
    assert zoom_range[0] <= view.zoom <= zoom_range[1]
    assert min(lat) <= view.lat <= max(lat)


@pytest.mark.parametrize(
    "style,online,expected",
    [("open-street-map", False, "white-bg"), ("open-street-map", True, "open-street-map"), ("", True, "white-bg")],
)
def test_map_style_needs_online_tiles(style, online, expected):
    assert charts.map_style(style, online) == expected


def test_timeline_table_counts_by_week_and_type(frame):
    table = timeline_chart.timeline_table(frame, "week")
    assert list(table["period"].dt.date) == [dt.date(2024, 2, 26), dt.date(2024, 3, 4), dt.date(2024, 3, 11)]
    assert list(table["Battles"]) == [2, 1, 0]
    assert list(table["violations"]) == [2, 1, 14]


def test_timeline_month_and_day_periods(frame):
    assert len(timeline_chart.timeline_table(frame, "month")) == 1
    assert len(timeline_chart.timeline_table(frame, "day")) == 3


def test_timeline_figure_stacks_types_and_marks_key_dates(frame):
    key_dates = pd.DataFrame({"date": ["2024-03-06", "2030-01-01"], "label": ["Truce <i>signed</i>", "Later"],
                              "kind": ["agreement", "other"]})
    fig = timeline_chart.timeline(frame, "week", key_dates)
    assert fig.layout.barmode == "stack"
    assert {t.type for t in fig.data} == {"bar", "scatter"}
    assert len(fig.layout.shapes) == 1
    assert fig.layout.annotations[-1].text == "1"
    assert fig.layout.annotations[-1].hovertext == "2024-03-06: Truce &lt;i&gt;signed&lt;/i&gt;"
    json.loads(pio.to_json(fig))


HOSTILE = "Shelling %{y} %{customdata} <b>EVIL</b>"


def _templates(fig) -> list[str]:
    spec = json.loads(pio.to_json(fig))
    return [str(trace.get(k)) for trace in spec["data"] for k in ("hovertemplate", "texttemplate") if trace.get(k)]


@pytest.mark.parametrize(
    "build",
    [
        lambda f: timeline_chart.timeline(f, "week"),
        lambda f: timeline_chart.timeline(f, "day", pd.DataFrame({"date": ["2024-03-02"], "label": [HOSTILE],
                                                                   "kind": ["other"]})),
        lambda f: map_chart.incident_map(f)[0],
        lambda f: map_chart.incident_map(f, max_points=1)[0],
        lambda f: charts.compare_figure(charts.compare_counts(f, f, "event_type", ("A", "B")), "event_type",
                                        ("A", "B")),
    ],
)
def test_report_text_never_enters_a_plotly_template(build):
    """plotly expands %{...} in hover/text templates: report-derived text must not be part of one."""
    frame = incident_frame({"event_type": HOSTILE, "location": HOSTILE, "actor1": HOSTILE, "source": HOSTILE},
                           {"event_type": HOSTILE, "latitude": 41.0, "longitude": 44.0})
    assert not [t for t in _templates(build(frame)) if "EVIL" in t]


@pytest.mark.parametrize(
    "points,frequency,expected",
    [
        ([{"x": "2024-03-04"}, {"x": "2024-03-11"}], "week", (dt.date(2024, 3, 4), dt.date(2024, 3, 17))),
        ([{"x": "2024-02-01"}], "month", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ([{"x": "2024-02-01"}], "day", (dt.date(2024, 2, 1), dt.date(2024, 2, 1))),
        ([{"x": "not a date"}], "day", None),
        ([{"x": "2024-03-07 12:00"}], "week", (dt.date(2024, 3, 4), dt.date(2024, 3, 10))),  # a bar's middle
        ([{"x": "2024-02-15"}], "month", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ],
)
def test_span_of_timeline_selection(points, frequency, expected):
    assert timeline_chart.span_of_selection(points, frequency) == expected


def test_compare_counts_and_change(frame):
    before, after = frame.iloc[:1], frame.iloc[1:]
    table = charts.compare_counts(before, after, "event_type", ("A", "B"))
    row = table.set_index("event_type").loc["Battles"]
    assert (row["A"], row["B"], row["Change"], row["Change %"]) == (1, 2, 1, 100.0)
    explosions = table.set_index("event_type").loc["Explosions/Remote violence"]
    assert np.isnan(explosions["Change %"])
    fig = charts.compare_figure(table, "event_type", ("A", "B"))
    assert fig.layout.barmode == "group" and len(fig.data) == 2


def test_chart_config_saves_png_offline():
    config = charts.chart_config("incident-map")
    assert config["toImageButtonOptions"]["format"] == "png"


def test_read_key_dates_skips_bad_rows_with_a_message(tmp_path):
    path = tmp_path / "key_dates.csv"
    path.write_text("date,label,kind\n2024-03-06,Truce,agreement\nsoon,Bad,other\n", encoding="utf-8")
    table, problems = timeline_chart.read_key_dates(path)
    assert list(table["label"]) == ["Truce"] and len(problems) == 1 and "line 3" in problems[0]
    assert timeline_chart.read_key_dates(tmp_path / "absent.csv")[0].empty
    (tmp_path / "nolabel.csv").write_text("date\n2024-01-01\n", encoding="utf-8")
    assert timeline_chart.read_key_dates(tmp_path / "nolabel.csv")[1]


def test_region_label_disambiguates_admin1_codes():
    frame = incident_frame({"country": "Ukraine", "admin1": "05"}, {"country": "Lebanon", "admin1": "05"},
                           {"country": "Lebanon", "admin1": None})
    table = charts.compare_counts(frame, frame.iloc[:1], "region", ("A", "B"))
    assert table.set_index("region")["A"].to_dict() == {"Ukraine · 05": 1, "Lebanon · 05": 1,
                                                        "Lebanon · (no region)": 1}
    assert table.set_index("region")["B"].to_dict()["Ukraine · 05"] == 1
    assert charts.compare_figure(table, "region", ("A", "B")).layout.xaxis.type == "category"


@pytest.mark.parametrize(
    "dates,expected",
    [(["2024-01-01", "2024-02-15"], "day"), (["2024-01-01", "2025-06-01"], "week"),
     (["2019-01-01", "2024-01-01"], "month"), ([None], "week")],
)
def test_auto_frequency(dates, expected):
    assert timeline_chart.auto_frequency(incident_frame(*({"event_date": d} for d in dates))) == expected


def test_compare_counts_on_categorical_columns_match_plain_ones(frame):
    plain = charts.compare_counts(frame.iloc[:2], frame.iloc[2:], "event_type", ("A", "B"))
    categorical = frame.astype({"event_type": "category"})
    again = charts.compare_counts(categorical.iloc[:2], categorical.iloc[2:], "event_type", ("A", "B"))
    assert plain.equals(again)


def test_a_lone_place_opens_at_least_two_degrees_wide_with_its_surroundings():
    view = map_chart.view_for([40.2], [45.9])
    lon0, lat0, lon1, lat1 = view.extent()
    assert lon1 - lon0 >= 2 and lat1 - lat0 >= 2
    assert lon0 < 45.9 < lon1 and lat0 < 40.2 < lat1


def test_a_view_without_placed_incidents_opens_on_the_given_theatre_and_says_so(frame):
    unplaced = frame.assign(latitude=np.nan, longitude=np.nan)
    theatre = map_chart.MapView(40.0, 46.0, 6.0)
    fig, mode = map_chart.incident_map(unplaced, empty_view=theatre)
    assert mode == "points" and fig.layout.map.center.lat == 40.0 and fig.layout.map.zoom == 6.0
    assert [a.text for a in fig.layout.annotations] == ["No placed incidents in this view"]
    fig, _ = map_chart.incident_map(frame.iloc[0:0])
    assert fig.layout.annotations[0].text == "No incidents in this view" and fig.layout.map.zoom == 1.0


def test_map_legend_sits_below_the_map_with_fixed_entry_widths(frame):
    fig, _ = map_chart.incident_map(frame)
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yanchor == "top" and fig.layout.legend.y < 0
    assert fig.layout.legend.entrywidthmode == "pixels" and fig.layout.margin.b >= 40


def test_timeline_lines_have_their_own_ink_and_fatalities_their_own_axis(frame):
    fig = timeline_chart.timeline(frame, "week")
    lines = {t.name: t for t in fig.data if t.type == "scatter"}
    assert set(lines) == {"Stated violations", "Fatalities"}
    palette = set(charts.TYPE_COLOURS.values()) | {charts.OTHER_COLOUR}
    assert not {t.line.color for t in lines.values()} & palette
    assert lines["Stated violations"].line.dash != lines["Fatalities"].line.dash
    assert lines["Fatalities"].yaxis != lines["Stated violations"].yaxis


def test_key_dates_are_numbered_on_the_chart_with_full_text_listed_and_on_hover(frame):
    key_dates = pd.DataFrame({"date": ["2024-03-02", "2024-03-01", "2024-03-14", "2031-01-01"],
                              "label": ["Second, a long label that is never cut short", "First", "Last", "Later"]})
    fig = timeline_chart.timeline(frame, "week", key_dates)
    notes = [a for a in fig.layout.annotations if a.hovertext]
    assert [a.text for a in notes] == ["1", "2", "3"]
    assert len({a.yshift for a in notes[:2]}) == 2  # neighbours on two rows
    assert notes[1].hovertext == "2024-03-02: Second, a long label that is never cut short"
    rows = timeline_chart.key_date_rows(key_dates, "2024-02-26", "2024-03-18")
    assert list(rows["n"]) == [1, 2, 3] and rows["label"][1] == "Second, a long label that is never cut short"


def test_key_dates_in_view_keep_the_conflicts_in_view_and_general_ones():
    key_dates = pd.DataFrame({"date": ["2024-03-01"] * 3, "label": ["A", "B", "General"],
                              "theatre": ["Alpha–Beta", "Gamma", ""]})
    assert list(timeline_chart.key_dates_in_view(key_dates, ["Alpha–Beta"])["label"]) == ["A", "General"]
    assert list(timeline_chart.key_dates_in_view(key_dates, None)["label"]) == ["A", "B", "General"]
    assert list(timeline_chart.key_dates_in_view(key_dates, [])["label"]) == ["General"]


@pytest.mark.parametrize("frequency,days", [("day", 1), ("week", 7), ("month", 29)])
def test_each_bar_is_as_wide_as_its_period_and_sits_over_it(frequency, days):
    sparse = incident_frame({"event_date": "2024-02-05"}, {"event_date": "2024-02-06"},
                            {"event_date": "2024-04-01"})
    fig = timeline_chart.timeline(sparse, frequency)
    bar = next(t for t in fig.data if t.type == "bar")
    width_days = [w / 86_400_000 for w in bar.width]
    assert all(0.8 * days <= w <= days for w in width_days[:1])  # February 2024 has 29 days
    first = pd.Timestamp(bar.x[0])
    assert first - pd.Timedelta(days=days) / 2 <= pd.Timestamp("2024-02-05") <= first + pd.Timedelta(days=days) / 2


@pytest.mark.parametrize("frequency", ["day", "week", "month"])
def test_lines_break_across_empty_periods_instead_of_joining_them(frequency):
    sparse = incident_frame({"event_date": "2024-01-01"}, {"event_date": "2024-01-02"},
                            {"event_date": "2024-06-03"})
    fig = timeline_chart.timeline(sparse, frequency)
    line = next(t for t in fig.data if t.name == "Stated violations")
    assert line.connectgaps is False
    values = list(line.y)
    gaps = sum(1 for v in values if v != v)
    expected = {"day": 1, "week": 1, "month": 1}[frequency]
    assert gaps == expected and values[-1] == 1
    if frequency == "day":  # 1 and 2 January are adjacent days: joined, no gap between them
        assert values[:2] == [1.0, 1.0]


def test_a_lone_bar_is_shown_in_a_month_not_stretched_across_the_chart():
    fig = timeline_chart.timeline(incident_frame({"event_date": "2024-03-06"}), "week")
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert (high - low).days >= 30


@pytest.mark.parametrize("most,step", [(0, 1), (2, 1), (3, 1), (7, 5), (40, 20), (250, 100)])
def test_fatality_axis_ticks_are_whole_numbers(most, step):
    assert timeline_chart.whole_step(most) == step


@pytest.mark.parametrize("frequency", ["day", "week", "month"])
def test_periods_through_the_calendar_match_sorting_every_date(frequency):
    rng = np.random.default_rng(3)
    # sparse dates over three years: many periods hold no incident and must not appear
    dates = (np.datetime64("2022-01-01") + rng.integers(0, 3 * 365, 400) * 3).astype("datetime64[s]")
    starts, index = timeline_chart._periods_of(dates, frequency)
    expected_starts, expected_index = np.unique(timeline_chart._period_starts(dates, frequency), return_inverse=True)
    assert list(starts) == list(expected_starts)
    assert list(index) == list(expected_index.reshape(-1))


def test_grid_from_place_codes_matches_the_rounded_positions():
    from incidents.views import filters

    rng = np.random.default_rng(5)
    n = 400
    frame = incident_frame(*({"fatalities": int(k % 3)} for k in range(n)))
    frame["latitude"] = np.round(rng.uniform(39, 41, n), 2)  # repeated places
    frame["longitude"] = np.round(rng.uniform(45, 47, n), 2)
    frame.loc[[3, 7], ["latitude", "longitude"]] = np.nan
    codes = filters.place_codes(frame)
    assert (codes == -1).sum() == 2
    distinct = pd.unique(filters.combined_place_code(frame["latitude"].dropna().to_numpy(),
                                                     frame["longitude"].dropna().to_numpy()))
    assert map_chart.count_places(frame) == map_chart.count_places(frame, codes) == len(distinct)
    for max_cells in (5, 50, 4000):
        expected = map_chart.finest_cell((distinct // 40_000_000 - 9_000_000) / 1e5,
                                          (distinct % 40_000_000 - 18_000_000) / 1e5, max_cells)
        placed = codes >= 0
        lat, lon = map_chart._distinct_positions(codes[placed], frame["latitude"].to_numpy()[placed],
                                                  frame["longitude"].to_numpy()[placed])
        assert map_chart.finest_cell(lat, lon, max_cells) == expected
    cells, _ = map_chart.grid_cells(frame, codes=codes)
    assert cells["count"].sum() == n - 2
