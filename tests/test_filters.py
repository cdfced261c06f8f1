"""incidents.views.filters: URL <-> FilterSpec, applying it, headline figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from incidents.store.frames import frame_from_records

from incidents.views import filters
from incidents.views.filter_spec import FilterSpec

DEFAULTS = {
    "event_type": "Battles", "sub_event_type": "Armed clash", "country": "Armenia",
    "admin1": "Syunik", "location": "Sotk", "latitude": 40.2, "longitude": 45.9,
    "geo_precision": 1, "fatalities": 0, "injured": 0, "corroborated": False,
    "disputed": False, "civilian_targeting": False, "fictional": True, "source_type": "belligerent",
}


def incident_frame(*rows: dict) -> pd.DataFrame:
    """A schema-typed frame from a few hand-written rows (DEFAULTS fill the rest)."""
    return frame_from_records(DEFAULTS | {"event_id": f"e{i}"} | row for i, row in enumerate(rows))


@pytest.fixture
def frame() -> pd.DataFrame:
    return incident_frame(
        {"event_date": "2024-02-28", "actor1": "Side A", "notes": "Shelling near Sotk"},
        {"event_date": "2024-03-10", "actor1": "Side B", "actor2": "Side A", "fatalities": 2,
         "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack"},
        {"event_date": "2024-03-20", "country": "Azerbaijan", "admin1": "Lachin", "injured": 3,
         "latitude": 39.6, "longitude": 46.5, "geo_precision": 3, "corroborated": True, "evidence": "Two soldiers WOUNDED"},
        {"event_date": "2024-03-30", "latitude": None, "longitude": None, "geo_precision": None,
         "violation_count": 14, "source_type": "monitor"},
    )


@pytest.mark.parametrize(
    "params,expected",
    [
        ({}, FilterSpec()),
        ({"since": "2024-03-01"}, FilterSpec(since=dt.date(2024, 3, 1))),
        ({"since": "1900-01-01", "until": "2100-12-31"},
         FilterSpec(since=filters.DATE_MIN, until=filters.DATE_MAX)),
        ({"type": ["Battles", "Battles", "Strategic developments"]},
         FilterSpec(event_types=("Battles", "Strategic developments"))),
        ({"preset": "30d", "corroborated": "1"}, FilterSpec(preset="30d", corroborated_only=True)),
        ({"precision": ["3", "1"], "min_casualties": "2"}, FilterSpec(precision=(1, 3), min_casualties=2)),
        ({"q": "  sniper  "}, FilterSpec(text="sniper")),
        ({"bbox": "45,39,47,41.5"}, FilterSpec(bbox=(45.0, 39.0, 47.0, 41.5))),
        ({"source_type": "monitor", "unrelated": "x"}, FilterSpec(source_types=("monitor",))),
    ],
)
def test_from_query_params_reads_valid_values(params, expected):
    spec, problems = filters.from_query_params(params)
    assert spec == expected
    assert problems == []


@pytest.mark.parametrize(
    "params,param_named",
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2024-02-30"}, "since"),
        ({"until": "20240301"}, "until"),
        ({"since": "1800-01-01"}, "since"),  # before the date widget's range: it would raise
        ({"until": "9999-12-31"}, "until"),
        ({"since": "0001-01-01"}, "since"),
        ({"since": "2024-03-05", "until": "2024-03-01"}, "since/until"),
        ({"preset": "14d"}, "preset"),
        ({"corroborated": "maybe"}, "corroborated"),
        ({"min_casualties": "-1"}, "min_casualties"),
        ({"min_casualties": "lots"}, "min_casualties"),
        ({"precision": "7"}, "precision"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "10,0,5,1"}, "bbox"),
        ({"bbox": "nan,0,5,1"}, "bbox"),
        ({"source_type": "rumour"}, "source_type"),
    ],
)
def test_from_query_params_drops_bad_values_with_a_message(params, param_named):
    spec, problems = filters.from_query_params(params)
    assert spec == FilterSpec()
    assert len(problems) == 1 and param_named in problems[0]


def test_unknown_list_values_are_reported_when_known_values_are_given():
    spec, problems = filters.from_query_params(
        {"country": ["Armenia", "Atlantis"]}, known={"countries": ["Armenia", "Azerbaijan"]}
    )
    assert spec.countries == ("Armenia",)
    assert problems == ["Ignored country='Atlantis': no such value in the data."]


def test_overlong_search_text_is_cut_with_a_notice():
    spec, problems = filters.from_query_params({"q": "x" * 500})
    assert len(spec.text) == filters.MAX_TEXT and problems


def test_query_params_round_trip():
    spec = FilterSpec(
        preset="90d", since=dt.date(2024, 1, 1), until=dt.date(2024, 2, 1), countries=("Armenia",),
        actors=("Side A", "Side B"), corroborated_only=True, min_casualties=1, precision=(1, 2),
        text="mortar", bbox=(44.5, 39.25, 46.0, 41.0),
    )
    again, problems = filters.from_query_params(filters.to_query_params(spec))
    assert again == spec and problems == []


def test_default_spec_has_empty_query_string():
    assert filters.to_query_params(FilterSpec()) == {}
    assert filters.query_string(FilterSpec()) == ""
    assert filters.query_string(FilterSpec(countries=("A B",))) == "?country=A+B"


@pytest.mark.parametrize(
    "spec,expected_ids",
    [
        (FilterSpec(), ["e0", "e1", "e2", "e3"]),
        (FilterSpec(preset="7d"), ["e3"]),
        (FilterSpec(preset="30d"), ["e1", "e2", "e3"]),
        (FilterSpec(since=dt.date(2024, 3, 10), until=dt.date(2024, 3, 20)), ["e1", "e2"]),
        (FilterSpec(countries=("Azerbaijan",)), ["e2"]),
        (FilterSpec(regions=("Syunik",)), ["e0", "e1", "e3"]),
        (FilterSpec(event_types=("Explosions/Remote violence",)), ["e1"]),
        (FilterSpec(actors=("Side A",)), ["e0", "e1"]),  # either side of the fire
        (FilterSpec(source_types=("monitor",)), ["e3"]),
        (FilterSpec(corroborated_only=True), ["e2"]),
        (FilterSpec(min_casualties=2), ["e1", "e2"]),
        (FilterSpec(precision=(1,)), ["e0", "e1"]),  # unplaced rows drop once precision is chosen
        (FilterSpec(text="wounded"), ["e2"]),  # case-insensitive, evidence
        (FilterSpec(text="SHELLING near"), ["e0"]),  # notes
        (FilterSpec(text="(["), []),  # plain text, not a regex
        (FilterSpec(bbox=(45.0, 40.0, 46.0, 41.0)), ["e0", "e1"]),
    ],
)
def test_apply_selects_rows(frame, spec, expected_ids):
    assert list(filters.apply(frame, spec)["event_id"]) == expected_ids


def test_presets_count_back_from_the_newest_incident_not_today(frame):
    start, end = filters.date_window(FilterSpec(preset="7d"), filters.newest_date(frame))
    assert (start, end) == (dt.date(2024, 3, 24), dt.date(2024, 3, 30))


def test_previous_period_has_the_same_length_and_filters(frame):
    spec = FilterSpec(since=dt.date(2024, 3, 11), until=dt.date(2024, 3, 20))
    assert filters.previous_window(spec.since, spec.until) == (dt.date(2024, 3, 1), dt.date(2024, 3, 10))
    before = filters.previous_period(frame, spec)
    assert list(before["event_id"]) == ["e1"]
    assert filters.previous_period(frame, FilterSpec()) is None


@pytest.mark.parametrize(
    "since,until,expected_ids",
    [
        (dt.date(1, 1, 1), dt.date(1, 1, 5), None),  # the period before would start before year 1
        (None, dt.date(9999, 12, 31), None),  # open start: nothing to compare
        (dt.date(2024, 3, 1), dt.date(9999, 12, 31), None),
        (dt.date(1, 1, 1), dt.date(9999, 12, 31), None),
        (dt.date(1900, 1, 1), dt.date(2100, 12, 31), []),
        (dt.date(2024, 3, 11), dt.date(2024, 3, 20), ["e1"]),
    ],
)
def test_previous_period_at_the_edges_of_the_calendar(frame, since, until, expected_ids):
    before = filters.previous_period(frame, FilterSpec(since=since, until=until))
    assert (None if before is None else list(before["event_id"])) == expected_ids


@pytest.mark.parametrize(
    "day, expected",
    [(None, None), (dt.date(1, 1, 1), dt.date(1900, 1, 1)), (dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
     (dt.date(9999, 12, 31), dt.date(2100, 12, 31))],
)
def test_clamp_date_keeps_dates_in_the_widget_range(day, expected):
    assert filters.clamp_date(day) == expected


def test_headline_counts_stated_violations_and_places(frame):
    figures = filters.headline(frame)
    assert figures == filters.Headline(incidents=4, violations=3 + 14, fatalities=2, injured=3, places=2)
    assert figures.change(filters.Headline(incidents=1))["incidents"] == 3
    assert figures.change(None)["fatalities"] is None
    assert filters.headline(frame.iloc[0:0]) == filters.Headline()


def test_headline_counts_places_as_the_map_groups_them(frame):
    from incidents.views import map_chart
    from incidents.views import selection

    near = incident_frame({"latitude": 40.200001, "longitude": 45.9}, {"latitude": 40.2, "longitude": 45.900004},
                          {"latitude": 40.21, "longitude": 45.9})
    assert filters.headline(near).places == map_chart.count_places(near) == len(map_chart.places(near)) == 2
    assert map_chart.place_codes is filters.place_codes
    assert selection.combined_place_code is filters.combined_place_code


def test_options_list_both_actor_columns(frame):
    assert filters.options(frame, "actors") == ["Side A", "Side B"]
    assert filters.known_values(frame)["countries"] == ["Armenia", "Azerbaijan"]


def test_region_countries_label_ambiguous_codes(frame):
    assert filters.region_countries(frame) == {"Lachin": ["Azerbaijan"], "Syunik": ["Armenia"]}


def test_rejected_incidents_leave_every_view(frame):
    frame = frame.assign(review_status=pd.array(["auto", "rejected", "edited", None], dtype="str"))
    assert list(filters.apply(frame, FilterSpec())["event_id"]) == ["e0", "e2", "e3"]
    assert list(filters.previous_period(frame, FilterSpec(since=dt.date(2024, 3, 11),
                                                          until=dt.date(2024, 3, 20)))["event_id"]) == []


def test_text_can_come_from_a_row_aligned_side_frame(frame):
    lean = frame.drop(columns=["notes", "evidence"])
    side = frame[["notes", "evidence"]]
    assert list(filters.apply(lean, FilterSpec(text="wounded"), text_source=side)["event_id"]) == ["e2"]


def test_categorical_columns_filter_the_same(frame):
    categorical = frame.astype({"country": "category", "event_type": "category", "actor1": "category"})
    for spec in (FilterSpec(countries=("Azerbaijan",)), FilterSpec(actors=("Side A",))):
        assert list(filters.apply(categorical, spec)["event_id"]) == list(filters.apply(frame, spec)["event_id"])
    assert filters.options(categorical, "countries") == ["Armenia", "Azerbaijan"]


def test_spec_and_url_names_are_one_public_face():
    """The spec lives in filter_spec; filters re-exports it, so callers need one module."""
    from incidents.views import filter_spec

    for name in ("FilterSpec", "from_query_params", "to_query_params", "query_string", "with_dates",
                 "date_window", "newest_date", "PRESETS", "PARAMS"):
        assert getattr(filters, name) is getattr(filter_spec, name)


@pytest.mark.parametrize("rows", [
    [{}, {"country": "Azerbaijan", "admin1": "Lachin", "actor1": "Side B"}, {"admin1": None, "actor2": "Side A"}],
    [{"country": None}, {"admin1": "Syunik", "country": "Azerbaijan"}],  # one region in two countries
    [],
])
def test_widget_values_are_the_same_from_categorical_columns(rows):
    plain = incident_frame(*rows) if rows else incident_frame({}).iloc[0:0]
    text = [c for c in plain.columns if pd.api.types.is_string_dtype(plain[c])]
    categorical = plain.astype({c: "category" for c in text})
    # a category no row uses any more (a filtered view) is not offered
    categorical["country"] = categorical["country"].cat.add_categories(["Unused"])
    assert filters.known_values(categorical) == filters.known_values(plain)
    assert filters.region_countries(categorical) == filters.region_countries(plain)
