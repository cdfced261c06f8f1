"""incidents.views.exports: CSV and GeoJSON of the filtered set, with provenance."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from incidents.store.frames import frame_from_records

import incidents
from incidents.views import exports
from incidents.schema import COLUMN_NAMES

VIEW = "http://localhost:8501/?country=Armenia&preset=30d"
WHEN = "2026-11-27T10:00:00+00:00"


DEFAULTS = {"event_type": "Battles", "event_date": "2024-03-01", "fatalities": 0, "injured": 0, "fictional": True}


def incident_frame(*rows: dict) -> pd.DataFrame:
    """A schema-typed frame from a few hand-written rows (DEFAULTS fill the rest)."""
    return frame_from_records(DEFAULTS | {"event_id": f"e{i}"} | row for i, row in enumerate(rows))


@pytest.fixture
def frame() -> pd.DataFrame:
    return incident_frame(
        {"latitude": 40.2, "longitude": 45.9, "location": "Sotk", "notes": "=HYPERLINK(\"http://x\")",
         "weapons": ["mortar", "sniper"], "fatalities": 2, "violation_count": 14},
        {"location": "-Unplaced", "notes": "@SUM(A1)", "evidence": "+1 soldier", "fictional": False,
         "actor1": "\tTab", "claimed_by": "\rCR", "source_url": "https://example.org/a?b=1"},
    )


def csv_rows(data: bytes) -> pd.DataFrame:
    """The CSV as pandas reads it with no options but keeping empty cells as ''."""
    return pd.read_csv(io.BytesIO(data), keep_default_na=False)


@pytest.mark.parametrize(
    "value,expected",
    [("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("plain", "plain"), ("a=b", "a=b"), ("", ""), (-5, -5), (None, None)],
)
def test_neutralise(value, expected):
    assert exports.neutralise(value) == expected


def test_csv_first_line_is_the_header_and_neutralises_formulas(frame):
    data = exports.to_csv(frame)
    assert data.decode("utf-8").split("\r\n", 1)[0].replace('"', "").split(",") == list(COLUMN_NAMES)
    plain = pd.read_csv(io.BytesIO(data))  # no options at all
    assert list(plain.columns) == list(COLUMN_NAMES) and len(plain) == 2
    table = csv_rows(data)
    assert list(table["notes"]) == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)"]
    assert list(table["evidence"]) == ["", "'+1 soldier"]
    assert table["location"][1] == "'-Unplaced"
    assert table["actor1"][1] == "'\tTab"
    assert table["weapons"][0] == "mortar;sniper"
    assert list(table["event_date"]) == ["2024-03-01", "2024-03-01"]
    assert table["fatalities"].tolist() == [2, 0]  # numbers stay numbers
    assert table["source_url"][1] == "https://example.org/a?b=1"


def test_zip_carries_the_csv_its_provenance_and_a_readme(frame):
    import zipfile

    csv_bytes = exports.to_csv(frame)
    provenance = exports.provenance_for(frame, VIEW, WHEN, filters="all dates; country: Armenia")
    archive = zipfile.ZipFile(io.BytesIO(exports.to_zip(csv_bytes, provenance, "x.csv")))
    assert sorted(archive.namelist()) == ["README.txt", "provenance.json", "x.csv"]
    assert archive.read("x.csv") == csv_bytes
    meta = json.loads(archive.read("provenance.json"))
    assert meta["view_url"] == VIEW and meta["exported_at"] == WHEN and meta["fictional"] is True
    assert meta["tool_version"] == incidents.__version__ and meta["filters"] == "all dates; country: Armenia"
    readme = archive.read("README.txt").decode()
    assert VIEW in readme and "1 of 2 rows are FICTIONAL" in readme and "country: Armenia" in readme


def test_acled_layout_has_acleds_columns_in_order_then_ours(frame):
    frame = frame.assign(country_code=["AM", None], civilian_targeting=[True, False], time_precision=[1, 2])
    table = pd.read_csv(io.BytesIO(exports.to_acled_csv(frame)), keep_default_na=False)
    assert list(table.columns[:len(exports.ACLED_COLUMNS)]) == list(exports.ACLED_COLUMNS)
    ours = list(table.columns[len(exports.ACLED_COLUMNS):])
    assert ours == [c for c in COLUMN_NAMES if c not in exports.ACLED_SAME]
    first = table.iloc[0]
    assert first["event_id_cnty"] == "e0" and first["event_date"] == "2024-03-01" and first["year"] == 2024
    assert first["disorder_type"] == "Political violence" and str(first["iso"]) == "51"
    assert first["civilian_targeting"] == "Civilian targeting" and table["civilian_targeting"][1] == ""
    assert first["notes"] == "'=HYPERLINK(\"http://x\")"  # still neutralised
    assert first["assoc_actor_1"] == "" and first["inter1"] == "" and first["timestamp"] == ""
    assert list(table["time_precision"]) == [1, 2]


def test_csv_negative_coordinates_stay_numeric():
    frame = incident_frame({"latitude": -33.5, "longitude": -70.25})
    table = csv_rows(exports.to_csv(frame))
    assert table["longitude"][0] == -70.25


def test_csv_of_an_empty_view_still_has_its_header(frame):
    table = csv_rows(exports.to_csv(frame.iloc[0:0]))
    assert table.empty and list(table.columns) == list(COLUMN_NAMES)


def test_geojson_is_a_feature_collection_with_metadata(frame):
    data = json.loads(exports.to_geojson(frame, exports.provenance_for(frame, VIEW, WHEN)))
    assert data["type"] == "FeatureCollection"
    assert data["metadata"] == {
        "tool": "ceasefire-incidents", "view_url": VIEW, "exported_at": WHEN, "filters": "no filters: every incident",
        "tool_version": incidents.__version__, "rows": 2, "fictional_rows": 1, "fictional": True,
    }
    placed, unplaced = data["features"]
    assert placed["geometry"] == {"type": "Point", "coordinates": [45.9, 40.2]}
    assert unplaced["geometry"] is None
    assert placed["properties"]["event_date"] == "2024-03-01"
    assert placed["properties"]["weapons"] == ["mortar", "sniper"]
    assert placed["properties"]["violation_count"] == 14
    assert placed["properties"]["fictional"] is True
    assert unplaced["properties"]["latitude"] is None
    assert placed["id"] == "e0"


def test_selected_columns_only(frame):
    table = csv_rows(exports.to_csv(frame, ["event_id", "location"]))
    assert list(table.columns) == ["event_id", "location"]


def test_file_stem():
    assert exports.file_stem(WHEN) == "incidents-20261127-100000"


def test_weapons_text_becomes_a_list_in_geojson_and_categoricals_are_neutralised():
    frame = incident_frame({"weapons": "mortar;sniper", "notes": "=cmd"}, {"weapons": "", "notes": "fine"})
    frame["weapons"] = frame["weapons"].astype("str")
    frame["notes"] = frame["notes"].astype("category")
    data = json.loads(exports.to_geojson(frame, exports.provenance_for(frame, VIEW)))
    assert [f["properties"]["weapons"] for f in data["features"]] == [["mortar", "sniper"], []]
    table = csv_rows(exports.to_csv(frame))
    assert list(table["notes"]) == ["'=cmd", "fine"]


def test_csv_and_geojson_agree_on_rows_and_ids(frame):
    data = json.loads(exports.to_geojson(frame, exports.provenance_for(frame, VIEW)))
    table = csv_rows(exports.to_csv(frame))
    assert [f["id"] for f in data["features"]] == list(table["event_id"])


def test_csv_written_in_slices_is_one_table(frame, monkeypatch):
    monkeypatch.setattr(exports, "CSV_SLICE", 1)
    table = csv_rows(exports.to_csv(frame))
    assert list(table["event_id"]) == ["e0", "e1"] and list(table.columns) == list(COLUMN_NAMES)


@pytest.mark.parametrize(
    "text",
    ['say "hi"', "back\\slash", "line\nbreak\r\ttab", "bell\x07 and \x1f unit", "Nāqoūra – ≠ 😀", "", "plain"],
)
def test_geojson_text_survives_json_escaping(text):
    frame = incident_frame({"notes": text, "location": text})
    feature = json.loads(exports.to_geojson(frame, exports.provenance_for(frame, VIEW)))["features"][0]
    assert feature["properties"]["notes"] == text and feature["properties"]["location"] == text


def test_geojson_missing_and_non_finite_values_are_null():
    frame = incident_frame({"latitude": 40.0, "longitude": float("nan"), "confidence": float("inf")},
                           {"latitude": 40.5, "longitude": 45.25, "geo_precision": 2})
    first, second = json.loads(exports.to_geojson(frame, exports.provenance_for(frame, VIEW)))["features"]
    assert first["geometry"] is None and first["properties"]["confidence"] is None
    assert first["properties"]["geo_precision"] is None and first["properties"]["actor1"] is None
    assert second["geometry"]["coordinates"] == [45.25, 40.5] and second["properties"]["geo_precision"] == 2
    assert first["properties"]["disputed"] is None or first["properties"]["disputed"] is False


def test_geojson_written_in_slices_is_one_collection(frame, monkeypatch):
    from incidents.views import geojson

    monkeypatch.setattr(geojson, "JSON_SLICE", 1)
    data = json.loads(exports.to_geojson(frame, exports.provenance_for(frame, VIEW)))
    assert [f["id"] for f in data["features"]] == ["e0", "e1"]
    assert data["features"][1]["properties"]["notes"] == "@SUM(A1)"  # JSON is data, not a spreadsheet


def test_geojson_of_an_empty_view_and_of_categories():
    frame = incident_frame({"event_type": "Battles"}, {"event_type": None})
    frame["event_type"] = frame["event_type"].astype("category")
    data = json.loads(exports.to_geojson(frame, exports.provenance_for(frame, VIEW)))
    assert [f["properties"]["event_type"] for f in data["features"]] == ["Battles", None]
    empty = json.loads(exports.to_geojson(frame.iloc[0:0], exports.provenance_for(frame.iloc[0:0], VIEW)))
    assert empty["features"] == [] and empty["metadata"]["rows"] == 0
