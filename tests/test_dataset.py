"""load_incidents: schema dtypes, edits applied, rejected left out, the snapshot kept in step."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from incidents.store import dataset, frames
from incidents.reports.model import Report
from incidents.schema import BATTLES, COLUMN_NAMES, DTYPES
from incidents.store.database import open_store
from incidents.store.dataset import bulk_load


def extract_json(report, geoparser=None):
    incidents = json.loads(report.text)
    for n, incident in enumerate(incidents):
        incident.setdefault("event_id", f"{report.id}-{n}")
        incident.setdefault("event_type", BATTLES)
        incident.setdefault("event_date", "2024-03-10")
    return incidents


def add(store, report_id, *incidents):
    report = Report(id=report_id, text=json.dumps(list(incidents)), outlet="Outlet",
                    published="2024-03-11", source_type="monitor", fictional=True)
    summary = store.ingest([report], extractor=extract_json)
    assert summary.failed == []


@pytest.fixture
def store(settings):
    with open_store(settings) as s:
        add(s, "r1",
            {"location": "Sotk", "latitude": 40.2, "longitude": 45.9, "weapons": ["mortar", "drone"],
             "fatalities": 2, "geo_precision": 2, "geonameid": 616000, "time_precision": 1,
             "date_start": "2024-03-09", "date_end": "2024-03-10", "disputed": True},
            {"location": "Height 1.2", "latitude": None, "longitude": None, "event_date": "2024-03-12"})
        yield s


def dtype_names(frame):
    return {name: str(dtype) for name, dtype in frame.dtypes.items()}


def test_every_schema_column_has_its_documented_dtype(store):
    frame = dataset.load_incidents(store=store)
    assert list(frame.columns) == list(COLUMN_NAMES)
    assert dtype_names(frame) == DTYPES
    for column in frame.columns:  # each column is named in the module docstring
        assert column in dataset.__doc__


def test_an_empty_store_gives_an_empty_frame_with_the_dtypes(settings):
    with open_store(settings) as s:
        frame = dataset.load_incidents(store=s)
    assert len(frame) == 0 and dtype_names(frame) == DTYPES


def test_values_are_typed_as_the_design_notes_say(store):
    frame = dataset.load_incidents(store=store).set_index("location")
    sotk, height = frame.loc["Sotk"], frame.loc["Height 1.2"]
    assert sotk["event_date"] == pd.Timestamp("2024-03-10")
    assert sotk["weapons"] == "mortar;drone" and height["weapons"] == ""
    assert sotk["fatalities"] == 2 and height["fatalities"] == 0
    assert sotk["disputed"] and not height["disputed"]
    assert sotk["fictional"] and sotk["source"] == "Outlet" and sotk["source_type"] == "monitor"
    assert sotk["report_date"] == pd.Timestamp("2024-03-11")
    assert pd.isna(height["latitude"]) and pd.isna(height["geonameid"])


def test_selected_columns_only(store):
    frame = dataset.load_incidents(store=store, columns=["event_date", "latitude"])
    assert list(frame.columns) == ["event_date", "latitude"] and len(frame) == 2


def test_unknown_columns_are_refused(store):
    with pytest.raises(ValueError, match="nope"):
        dataset.load_incidents(store=store, columns=["event_date", "nope"])


def test_edits_apply_and_rejected_incidents_are_left_out(store):
    store.edit("r1-0", "event_date", "2024-03-08", "ana")
    store.edit("r1-0", "weapons", ["artillery"], "ana")
    store.edit("r1-0", "latitude", 40.25, "ana")
    store.set_review_status("r1-1", "rejected", "ana")
    frame = dataset.load_incidents(store=store)
    assert list(frame["event_id"]) == ["r1-0"]
    row = frame.iloc[0]
    assert (row["event_date"], row["weapons"], row["latitude"], row["review_status"]) == \
        (pd.Timestamp("2024-03-08"), "artillery", 40.25, "edited")
    assert dtype_names(frame) == DTYPES
    everything = dataset.load_incidents(store=store, include_rejected=True, columns=["review_status"])
    assert sorted(everything["review_status"]) == ["edited", "rejected"]


def test_snapshot_follows_incident_changes_but_not_edits(store):
    dataset.load_incidents(store=store)
    path = dataset.snapshot_path(store.path)
    built = path.stat().st_mtime_ns
    store.edit("r1-0", "fatalities", 9, "ana")
    assert dataset.load_incidents(store=store, columns=["fatalities"])["fatalities"].max() == 9
    assert path.stat().st_mtime_ns == built
    add(store, "r2", {"location": "Tegh", "latitude": 39.5, "longitude": 46.4})
    assert len(dataset.load_incidents(store=store)) == 3
    assert path in dataset.ensure_snapshot(store) and path.stat().st_mtime_ns != built


def test_a_snapshot_written_before_a_column_joined_the_schema_is_rebuilt(store):
    import pyarrow.parquet as pq

    dataset.load_incidents(store=store)
    path = dataset.snapshot_path(store.path)
    old = pq.read_table(path)
    pq.write_table(old.drop_columns(["explanation"]).replace_schema_metadata(old.schema.metadata), path)
    assert "explanation" in dataset.load_incidents(store=store).columns


def test_load_incidents_opens_the_store_from_settings(store, settings):
    frame = dataset.load_incidents(settings, columns=["event_id"])
    assert sorted(frame["event_id"]) == ["r1-0", "r1-1"]


def test_bulk_loaded_rows_come_back_with_the_dtypes(settings):
    frame = pd.DataFrame({
        "event_id": ["a", "b"], "event_date": pd.to_datetime(["2024-01-01", "2024-01-05"]),
        "event_type": [BATTLES, BATTLES], "latitude": [1.0, 2.0], "longitude": [3.0, 4.0],
        "weapons": ["mortar;drone", ""], "review_status": ["auto", "rejected"],
        "geo_precision": pd.array([1, 3], dtype="Int8"),
    })
    with open_store(settings) as s:
        bulk_load(s, frame)
        loaded = dataset.load_incidents(store=s)
    assert list(loaded["event_id"]) == ["a"]
    assert loaded["weapons"][0] == "mortar;drone" and loaded["geo_precision"][0] == 1
    assert dtype_names(loaded) == DTYPES


def test_incident_detail_for_the_dashboard(store, settings):
    detail = dataset.incident_detail("r1-0", settings)
    assert detail["incident"]["location"] == "Sotk"
    assert detail["sources"][0]["report_id"] == "r1" and detail["reports"]["r1"].outlet == "Outlet"
    assert dataset.incident_detail("missing", store=store) is None


def test_bulk_load_appends_to_a_current_snapshot_and_rebuilds_otherwise(settings):
    def rows(*ids):
        return pd.DataFrame({"event_id": list(ids), "event_date": ["2024-01-01"] * len(ids),
                             "event_type": [BATTLES] * len(ids), "weapons": ["mortar"] * len(ids)})

    with open_store(settings) as s:
        bulk_load(s, rows("a", "b"))  # into an empty store: the snapshot is written from the frame
        path = dataset.snapshot_path(s.path, "imported")
        assert dataset._snapshot_version(path) == s.snapshot_versions()["imported"]
        bulk_load(s, rows("c"))  # snapshot was current: the new row is appended
        assert dataset._snapshot_version(path) == s.snapshot_versions()["imported"]
        bulk_load(s, rows("c", "d"))  # "c" is already stored: rebuilt from the database instead
        frame = dataset.load_incidents(store=s)
    assert list(frame["event_id"]) == ["a", "b", "c", "d"]
    assert list(frame["weapons"]) == ["mortar"] * 4 and dtype_names(frame) == DTYPES


def test_bulk_load_with_odd_values_still_gets_a_correct_snapshot(settings):
    frame = pd.DataFrame({"event_id": ["a", "b"], "event_date": ["2024-01-01", "2024-01-02"],
                          "location": [12, "Sotk"], "fatalities": [1.0, 2.0]})
    with open_store(settings) as s:
        bulk_load(s, frame)
        loaded = dataset.load_incidents(store=s)
    assert list(loaded["location"]) == ["12", "Sotk"] and list(loaded["fatalities"]) == [1, 2]


@pytest.mark.parametrize("dates", [[None, "2024-01-02"], ["2024-01-01", "soon"]])
def test_bulk_rows_without_a_readable_date_are_refused_and_nothing_is_loaded(settings, dates):
    frame = pd.DataFrame({"event_id": ["a", "b"], "event_date": dates, "event_type": [BATTLES] * 2})
    with open_store(settings) as s:
        with pytest.raises(ValueError, match=r"1 of 2 rows have no event_date .*nothing was loaded"):
            bulk_load(s, frame)
        assert s.count() == 0


def test_ingest_after_a_bulk_load_leaves_the_imported_snapshot_alone(settings):
    with open_store(settings) as s:
        bulk_load(s, pd.DataFrame({"event_id": ["a"], "event_date": ["2024-01-01"], "event_type": [BATTLES]}))
        imported = dataset.snapshot_path(s.path, "imported")
        written = imported.stat().st_mtime_ns
        add(s, "r1", {"location": "Sotk", "latitude": 40.2, "longitude": 45.9})
        frame = dataset.load_incidents(store=s, columns=["event_id", "event_date"])
        assert imported.stat().st_mtime_ns == written
        assert list(frame["event_id"]) == ["a", "r1-0"]
        assert str(frame["event_date"].dtype) == "datetime64[s]"


# ---------------------------------------------------------------------------
# categorical=True: the dashboard's read
# ---------------------------------------------------------------------------


def bulk_rows(**extra):
    frame = pd.DataFrame({
        "event_id": ["a", "b", "c", "d"], "event_date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
        "event_type": [BATTLES] * 4, "location": ["Sotk", "Zod", "Sotk", "Tegh"],
        "latitude": [40.2, 40.1, 40.2, 39.5], "review_status": ["auto", "rejected", "auto", "auto"],
    })
    for name, values in extra.items():
        frame[name] = values
    return frame


@pytest.fixture
def bulk_store(settings):
    with open_store(settings) as s:
        bulk_load(s, bulk_rows())
        yield s


def test_categorical_text_columns_come_as_categories_with_the_same_values(store):
    plain = dataset.load_incidents(store=store)
    coded = dataset.load_incidents(store=store, categorical=True)
    assert list(coded.columns) == list(COLUMN_NAMES)
    for column in COLUMN_NAMES:
        if column in dataset.CATEGORICAL_COLUMNS:
            assert isinstance(coded[column].dtype, pd.CategoricalDtype), column
            assert coded[column].astype(object).tolist() == plain[column].astype(object).tolist(), column
        else:
            assert str(coded[column].dtype) == DTYPES[column], column


@pytest.mark.parametrize("categorical, expected", [
    (False, set()),
    (True, {"location", "review_status"}),
    (["location"], {"location"}),
    ([], set()),
])
def test_which_columns_become_categorical(bulk_store, categorical, expected):
    frame = dataset.load_incidents(store=bulk_store, columns=["event_id", "location", "review_status", "latitude"],
                                   categorical=categorical)
    found = {c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    assert found == expected


@pytest.mark.parametrize("names", [["latitude"], ["nope"]])
def test_only_text_columns_can_be_categorical(bulk_store, names):
    with pytest.raises(ValueError, match=names[0]):
        dataset.load_incidents(store=bulk_store, categorical=names)


@pytest.mark.parametrize("categorical", [False, True])
def test_rejected_left_out_without_reading_ids(bulk_store, categorical):
    frame = dataset.load_incidents(store=bulk_store, columns=["location"], categorical=categorical)
    assert list(frame.columns) == ["location"]
    assert frame["location"].astype(object).tolist() == ["Sotk", "Sotk", "Tegh"]
    everything = dataset.load_incidents(store=bulk_store, columns=["location"], categorical=categorical,
                                        include_rejected=True)
    assert len(everything) == 4


@pytest.mark.parametrize("categorical", [False, True])
def test_edited_review_status_decides_what_is_rejected(bulk_store, categorical):
    bulk_store.set_review_status("b", "confirmed", "ana")  # stored as rejected, then confirmed
    bulk_store.set_review_status("c", "rejected", "ana")
    bulk_store.edit("d", "location", "Verin Shorzha", "ana")  # a place not among the categories
    frame = dataset.load_incidents(store=bulk_store, columns=["location", "review_status"], categorical=categorical)
    assert frame["location"].astype(object).tolist() == ["Sotk", "Zod", "Verin Shorzha"]
    assert frame["review_status"].astype(object).tolist() == ["auto", "confirmed", "edited"]
    assert frame.index.tolist() == [0, 1, 2]


def test_categories_of_both_snapshots_are_merged(bulk_store):
    add(bulk_store, "r1", {"location": "Khankendi", "latitude": 39.8, "longitude": 46.7})
    frame = dataset.load_incidents(store=bulk_store, columns=["event_id", "location"], categorical=True)
    assert frame["event_id"].tolist() == ["a", "c", "d", "r1-0"]
    assert frame["location"].astype(object).tolist() == ["Sotk", "Sotk", "Tegh", "Khankendi"]
    assert set(frame["location"].cat.categories) >= {"Sotk", "Tegh", "Khankendi"}


def test_an_empty_store_gives_empty_categoricals(settings):
    with open_store(settings) as s:
        frame = dataset.load_incidents(store=s, columns=["location", "fatalities"], categorical=True)
    assert len(frame) == 0 and isinstance(frame["location"].dtype, pd.CategoricalDtype)
    assert str(frame["fatalities"].dtype) == "int64"


@pytest.mark.parametrize("edits, expected", [
    ({}, ["Sotk", "Zod"]),
    ({"y": {"location": "Tegh"}}, ["Sotk", "Tegh"]),
    ({"y": {"location": None}}, ["Sotk", None]),
    ({"gone": {"location": "Tegh"}}, ["Sotk", "Zod"]),
])
def test_apply_edits_on_categorical_and_text_columns(edits, expected):
    for dtype in ("str", "category"):
        frame = pd.DataFrame({"event_id": ["x", "y"], "location": pd.Series(["Sotk", "Zod"], dtype=dtype)})
        edited = frames.apply_edits(frame, edits)
        values = [None if pd.isna(v) else v for v in edited["location"].astype(object)]
        assert values == expected
        assert frame["location"].astype(object).tolist() == ["Sotk", "Zod"]  # the input is left alone


@pytest.mark.parametrize(
    "weapons, expected",
    [
        (["mortar", "sniper"], "mortar;sniper"),  # extractor output
        ('["mortar", "sniper"]', "mortar;sniper"),  # stored JSON coding
        ("mortar;sniper", "mortar;sniper"),  # already joined (an edit, a hand-made row)
        (None, ""),
        ([], ""),
    ],
)
def test_frame_from_records_types_every_column(weapons, expected):
    from incidents.store.frames import frame_from_records
    from incidents.schema import COLUMN_NAMES, DTYPES

    frame = frame_from_records([{"event_id": "e1", "event_date": "2026-03-10", "weapons": weapons,
                                 "fatalities": None, "place_candidates": [{"name": "x"}]}])
    assert list(frame.columns) == list(COLUMN_NAMES)
    assert frame["weapons"][0] == expected and frame["fatalities"][0] == 0
    assert {c: str(t) for c, t in frame.dtypes.items()} == {c: str(pd.Series(dtype=d).dtype) for c, d in DTYPES.items()}
