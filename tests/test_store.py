"""Store: idempotence, merging, rollback, edits, re-extraction, a second writer, bulk loads.

The extractor is faked: a report's text is the JSON list of the incidents it
"contains", so each test writes exactly the incidents it needs and no
gazetteer is loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from incidents import pipeline
from incidents.store import merge
from incidents.config import PROJECT_ROOT
from incidents.reports.model import Report, ReportError
from incidents.schema import EXPLOSIONS, BATTLES
from incidents.store.dataset import bulk_load, load_incidents
from incidents.store.database import Store, open_store
from incidents.store.edit_rules import effective_edits


def fake_extract(report, geoparser=None):
    """Incidents are the report's text (a JSON list); ids derive from the report like the real one."""
    incidents = json.loads(report.text)
    for n, incident in enumerate(incidents):
        incident.setdefault("event_id", f"{report.id}-{n}")
        incident.setdefault("report_id", report.id)
        incident.setdefault("event_type", BATTLES)
        incident.setdefault("sub_event_type", "Armed clash")
        incident.setdefault("event_date", "2024-03-10")
        incident.setdefault("extractor_version", "test-1")
    return incidents


def incident(**fields):
    base = {"location": "Sotk", "latitude": 40.20, "longitude": 45.90}
    return {**base, **fields}


def report(report_id, *incidents, source_type="belligerent", outlet="Outlet", **extra):
    return Report(id=report_id, text=json.dumps(list(incidents)), source_type=source_type,
                  outlet=outlet, origin=f"{report_id}.json", published="2024-03-11", **extra)


@pytest.fixture
def store(settings):
    with open_store(settings) as s:
        yield s


def ingest(store, *reports, extractor=fake_extract):
    return store.ingest(reports, extractor=extractor)


# ---------------------------------------------------------------------------
# Pure merge rules
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("a,b,km", [
    ((40.0, 45.0), (40.0, 45.0), 0.0),
    ((0.0, 0.0), (0.0, 1.0), 111.2),
    ((40.0, 45.0), (40.09, 45.0), 10.0),
])
def test_haversine_km(a, b, km):
    assert merge.haversine_km(*a, *b) == pytest.approx(km, abs=0.1)


@pytest.mark.parametrize("lat,lon", [(40.0, 45.0), (60.0, 30.0), (-33.9, 18.4), (0.0, 179.95)])
def test_bounding_box_holds_every_point_within_10_km(lat, lon):
    lat0, lat1, lon0, lon1 = merge.bounding_box(lat, lon)
    for bearing_lat, bearing_lon in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
        # walk out almost 10 km along a meridian or a parallel
        dlat = bearing_lat * 9.99 / 111.2
        dlon = bearing_lon * 9.99 / (111.2 * max(0.01, __import__("math").cos(__import__("math").radians(lat))))
        point_lat, point_lon = lat + dlat, lon + dlon
        if point_lon > 180:
            point_lon -= 360
        assert merge.haversine_km(lat, lon, point_lat, point_lon) <= 10.0
        assert lat0 <= point_lat <= lat1 and lon0 <= point_lon <= lon1


@pytest.mark.parametrize("name,key", [
    ("Sotk", "sotk"), ("SOTK ", "sotk"), ("Şuşa", "susa"), ("the village of Kheyvaz", "kheyvaz"),
    ("Verin-Shorzha", "verin shorzha"), ("", None), (None, None), ("Tərtər", "terter"),
    ("Bat’umi", "batumi"),
])
def test_normalise_place(name, key):
    assert merge.normalise_place(name) == key


@pytest.mark.parametrize("a,b,mutual", [
    ({"actor1": "A", "actor2": "B"}, {"actor1": "B", "actor2": "A"}, True),
    ({"actor1": "A"}, {"actor1": "B"}, True),
    ({"actor1": "A", "actor2": "B"}, {"actor1": "a", "actor2": "B"}, False),  # same shooter
    ({"actor1": "A", "actor2": "B"}, {"actor1": "C", "actor2": "D"}, False),  # other parties
    ({"actor1": None}, {"actor1": "B"}, False),
])
def test_is_mutual_accusation(a, b, mutual):
    assert merge.is_mutual_accusation(a, b) is mutual


# ---------------------------------------------------------------------------
# Ingest: idempotence, failures, rollback
# ---------------------------------------------------------------------------


def test_reingesting_the_same_reports_changes_nothing(store):
    first = ingest(store, report("r1", incident()), report("r2", incident(location="Kut", latitude=40.5)))
    version = store.data_version()
    second = ingest(store, report("r1", incident()), report("r2", incident(location="Kut", latitude=40.5)))
    assert (first.incidents_added, first.skipped_duplicates) == (2, 0)
    assert (second.reports_read, second.incidents_added, second.merged, second.skipped_duplicates) == (2, 0, 0, 2)
    assert store.count() == 2
    assert store.data_version() == version


def test_a_report_failing_midway_leaves_nothing_and_the_batch_goes_on(store):
    bad = report("r2", incident(location="Kut", latitude=40.6), incident(event_date="not a date"))
    summary = ingest(store, report("r1", incident()), bad, report("r3", incident(location="Tegh", latitude=39.5)))
    assert summary.incidents_added == 2
    assert [origin for origin, _ in summary.failed] == ["r2.json"]
    assert "not stored" in summary.failed[0][1]
    assert store.report("r2") is None
    assert store.incident("r2-0") is None
    assert {s["report_id"] for s in store.sources("r1-0")} == {"r1"}
    assert store.report("r3") is not None


def test_an_extractor_that_raises_fails_only_that_report(store):
    def flaky(rep, geoparser):
        if rep.id == "r2":
            raise RuntimeError("boom")
        return fake_extract(rep)

    summary = ingest(store, report("r1", incident()), report("r2", incident()),
                     report("r3", incident(latitude=39.0)), extractor=flaky)
    assert summary.failed == [("r2.json", "extraction failed: internal error (RuntimeError: boom); please report it with this file")]
    assert store.count() == 2 and store.report("r2") is None


def test_unreadable_inputs_are_counted_as_failed_with_their_reason(store):
    summary = ingest(store, ReportError("empty.txt", "file is empty"), report("r1", incident()))
    assert summary.reports_read == 2
    assert summary.failed == [("empty.txt", "file is empty")]
    assert store.count() == 1


def test_report_round_trip_and_progress(store):
    ticks = []
    original = report("r1", incident(), url="https://example.org/a", fictional=True)
    store.ingest([original], extractor=fake_extract, progress=ticks.append)
    assert ticks == [1]
    assert store.report("r1") == original


@pytest.mark.parametrize("inferred", [True, False])
def test_a_report_date_inferred_from_the_text_is_stored_as_inferred(store, inferred):
    store.ingest([report("r1", incident(), date_inferred=inferred)],
                 extractor=lambda r, geoparser=None: [{**row, "date_inferred": r.date_inferred}
                                                      for row in fake_extract(r)])
    assert load_incidents(store=store)["date_inferred"].tolist() == [inferred]
    assert store.detail("r1-0")["incident"]["date_inferred"] is inferred


# ---------------------------------------------------------------------------
# Merging across reports
# ---------------------------------------------------------------------------

SOTK = {"location": "Sotk", "latitude": 40.20, "longitude": 45.90}
NEAR_SOTK = {"location": "Kut", "latitude": 40.22, "longitude": 45.93}  # ~3.3 km
FAR = {"location": "Vardenis", "latitude": 40.20, "longitude": 45.72}  # ~15 km west
UNPLACED = {"location": "height 1.2", "latitude": None, "longitude": None}


@pytest.mark.parametrize("second,merged", [
    ({**NEAR_SOTK}, True),
    ({**SOTK, "event_date": "2024-03-11"}, True),
    ({**SOTK, "event_date": "2024-03-09"}, True),
    ({**SOTK, "event_date": "2024-03-12"}, False),
    ({**FAR}, False),
    ({**SOTK, "event_type": EXPLOSIONS, "sub_event_type": "Shelling/artillery/missile attack"}, False),
    ({**UNPLACED}, False),
], ids=["3km", "next-day", "day-before", "two-days", "15km", "other-type", "unplaced"])
def test_merge_rule_between_two_reports(store, second, merged):
    summary = ingest(store, report("r1", incident(**SOTK)), report("r2", incident(**second)))
    assert summary.merged == int(merged)
    assert store.count() == (1 if merged else 2)


@pytest.mark.parametrize("first,second,merged", [
    ("Height 1.2", "height 1.2", True),
    ("Şuşa", "Susa", True),
    ("Height 1.2", "Height 1.3", False),
])
def test_unplaced_incidents_merge_on_the_same_place_name(store, first, second, merged):
    ingest(store, report("r1", incident(**{**UNPLACED, "location": first})),
           report("r2", incident(**{**UNPLACED, "location": second})))
    assert store.count() == (1 if merged else 2)


@pytest.mark.parametrize("url,stored", [
    ("https://example.org/a", "https://example.org/a"),
    (" https://example.org/a ", "https://example.org/a"),
    ("https://example.org/a b", None),   # a space inside is no link
    ("https://", None),                  # no host
    ("javascript:alert(1)", None),
])
def test_source_urls_are_cleaned_as_reports_clean_them(store, url, stored):
    ingest(store, report("r1", incident(source_url=url)))
    assert store.incident("r1-0")["source_url"] == stored
    assert store.sources("r1-0")[0]["source_url"] == stored


def test_merge_keys_stored_by_an_older_fold_are_refreshed_on_open(settings):
    import sqlite3

    with open_store(settings) as s:
        ingest(s, report("r1", incident(**{**UNPLACED, "location": "Tərtər"})))
    with sqlite3.connect(settings.db_path) as conn:  # as the fold before textfold stored it
        conn.execute("UPDATE incidents SET location_key = 't rt r'")
        conn.execute("DELETE FROM meta WHERE key = 'location_key_version'")
    conn.close()
    with open_store(settings) as s:
        summary = ingest(s, report("r2", incident(**{**UNPLACED, "location": "Terter"})))
        assert summary.merged == 1


def test_incidents_of_one_report_never_merge(store):
    summary = ingest(store, report("r1", incident(**SOTK), incident(**NEAR_SOTK)))
    assert (summary.incidents_added, summary.merged) == (2, 0)


def test_merged_incident_keeps_earliest_date_every_source_and_derives_counts(store):
    ingest(store,
           report("r1", incident(**SOTK, event_date="2024-03-11", evidence="A says.", weapons=["mortar"],
                                 fatalities=1), source_type="belligerent"),
           report("r2", incident(**NEAR_SOTK, event_date="2024-03-10", evidence="B says.",
                                 weapons=["drone"], fatalities=2), source_type="monitor"),
           report("r3", incident(**SOTK, event_date="2024-03-11", evidence="C says."), source_type="belligerent"))
    merged = store.incident("r1-0")
    assert merged["event_date"] == "2024-03-10"
    assert merged["n_sources"] == 3 and merged["corroborated"] is True
    assert merged["weapons"] == ["mortar", "drone"] and merged["fatalities"] == 2
    assert merged["location"] == "Sotk"  # the first report's place stays
    sources = store.sources("r1-0")
    assert {s["report_id"] for s in sources} == {"r1", "r2", "r3"}
    assert {s["evidence"] for s in sources} == {"A says.", "B says.", "C says."}
    # the merged-away id still finds the incident
    assert store.incident("r2-0")["event_id"] == "r1-0"


def test_sources_of_one_kind_do_not_corroborate(store):
    ingest(store, report("r1", incident(**SOTK)), report("r2", incident(**SOTK)))
    assert store.incident("r1-0")["corroborated"] is False


def test_mutual_accusations_merge_and_become_disputed(store):
    a_says = incident(**SOTK, actor1="Azerbaijan", actor2="Armenia")
    b_says = incident(**NEAR_SOTK, actor1="Armenia", actor2="Azerbaijan", event_type=EXPLOSIONS,
                      sub_event_type="Shelling/artillery/missile attack")
    summary = ingest(store, report("r1", a_says), report("r2", b_says))
    assert summary.merged == 1
    merged = store.incident("r1-0")
    assert merged["disputed"] is True
    assert merged["event_type"] == BATTLES


def test_merge_prefers_the_same_type_and_nearest(store):
    ingest(store, report("r1", incident(**FAR, event_date="2024-03-10")),
           report("r2", incident(**NEAR_SOTK, event_date="2024-03-10")))
    ingest(store, report("r3", incident(**SOTK)))
    assert {s["report_id"] for s in store.sources("r2-0")} == {"r2", "r3"}


# ---------------------------------------------------------------------------
# Edits and review
# ---------------------------------------------------------------------------


def test_edits_are_kept_beside_extracted_values(store):
    ingest(store, report("r1", incident(fatalities=1)))
    store.edit("r1-0", "fatalities", 3, "ana")
    assert store.incident("r1-0")["fatalities"] == 3
    assert store.incident("r1-0")["review_status"] == "edited"
    assert store.incident("r1-0", apply_edits=False)["fatalities"] == 1
    (edit,) = store.edits("r1-0")
    assert (edit["field"], edit["value"], edit["editor"]) == ("fatalities", 3, "ana")


@pytest.mark.parametrize("field,value", [
    ("evidence", "x"), ("event_type", "Picnic"), ("latitude", 123.0), ("fatalities", -1),
    ("event_date", "10 March"), ("geo_precision", 7), ("review_status", "maybe"),
])
def test_bad_edits_are_refused(store, field, value):
    ingest(store, report("r1", incident()))
    with pytest.raises(ValueError):
        store.edit("r1-0", field, value, "ana")
    assert store.edits() == []


def test_edit_needs_a_known_incident_and_an_editor(store):
    ingest(store, report("r1", incident()))
    with pytest.raises(KeyError):
        store.edit("nope", "fatalities", 1, "ana")
    with pytest.raises(ValueError):
        store.edit("r1-0", "fatalities", 1, " ")


def test_choose_place_switches_to_a_runner_up(store):
    candidates = [{"name": "Sotk", "lat": 40.2, "lon": 45.9, "geonameid": 1, "country_code": "AM",
                   "admin1": "Gegharkunik", "feature": "settlement", "score": 0.9},
                  {"name": "Zod", "lat": 40.1, "lon": 45.8, "geonameid": 2, "country_code": "AM",
                   "admin1": "Gegharkunik", "feature": "settlement", "score": 0.4}]
    ingest(store, report("r1", incident(place_candidates=candidates)))
    assert [c["name"] for c in store.place_candidates("r1-0")] == ["Sotk", "Zod"]
    store.choose_place("r1-0", 1, "ana")
    chosen = store.incident("r1-0")
    assert (chosen["location"], chosen["latitude"], chosen["geonameid"], chosen["geocoder"]) == \
        ("Zod", 40.1, 2, "analyst")
    assert (chosen["country_code"], chosen["country"], chosen["geo_precision"]) == ("AM", "Armenia", 1)


@pytest.mark.parametrize("edits,status", [
    ([("notes", "x")], "edited"),
    ([("review_status", "confirmed"), ("notes", "x")], "edited"),
    ([("review_status", "rejected"), ("notes", "x")], "rejected"),
    ([("review_status", "rejected"), ("fatalities", 2), ("review_status", "auto")], "auto"),
    ([("review_status", "rejected"), ("review_status", "confirmed"), ("notes", "x")], "edited"),
    ([("notes", "x"), ("review_status", "rejected")], "rejected"),
], ids=["edit", "confirmed-then-edit", "rejected-then-edit", "rejected-then-restored",
        "restored-then-edit", "edit-then-rejected"])
def test_effective_review_status_follows_the_latest_action(edits, status):
    effective = effective_edits([("e1", field, value) for field, value in edits])
    assert effective["e1"]["review_status"] == status


def test_a_rejected_incident_stays_rejected_after_a_field_edit(store):
    ingest(store, report("r1", incident()))
    store.set_review_status("r1-0", "rejected", "ana")
    store.edit("r1-0", "notes", "typo fixed", "ana")
    assert store.incident("r1-0")["review_status"] == "rejected"
    assert load_incidents(store=store).empty


@pytest.mark.parametrize("statuses,merged", [
    ([], True),
    (["rejected"], False),
    (["rejected", "auto"], True),
    (["confirmed"], True),
], ids=["untouched", "rejected", "restored", "confirmed"])
def test_a_new_report_never_merges_into_a_rejected_incident(store, statuses, merged):
    ingest(store, report("r1", incident(**SOTK)))
    for status in statuses:
        store.set_review_status("r1-0", status, "ana")
    summary = ingest(store, report("r2", incident(**NEAR_SOTK)))
    assert summary.merged == int(merged)
    visible = load_incidents(store=store)  # the new report is seen either way
    assert list(visible["report_id"]) == (["r1"] if merged else ["r2"])
    assert store.sources(visible["event_id"].iloc[0])[-1]["report_id"] == "r2"


def test_review_status_and_queue(store):
    ingest(store, report("r1", incident(confidence=0.3), incident(location="Kut", latitude=41.0, confidence=0.5),
                         incident(location="Tegh", latitude=39.5, confidence=0.9)))
    store.set_review_status("r1-1", "confirmed", "ana")
    queue = store.review_queue(max_confidence=0.6)
    assert list(queue["event_id"]) == ["r1-0"]


def test_data_version_changes_with_data_only(store):
    versions = [store.data_version()]
    ingest(store, report("r1", incident()))
    versions.append(store.data_version())
    ingest(store, report("r1", incident()))
    versions.append(store.data_version())
    store.edit("r1-0", "notes", "checked", "ana")
    versions.append(store.data_version())
    assert versions[0] != versions[1] == versions[2] != versions[3]


def test_detail_gathers_incident_sources_reports_and_edits(store):
    ingest(store, report("r1", incident(evidence="Shots at Sotk.")), report("r2", incident(evidence="Sotk hit.")))
    store.edit("r1-0", "notes", "two sides agree", "ana")
    detail = store.detail("r1-0")
    assert detail["incident"]["notes"] == "two sides agree"
    assert [s["evidence"] for s in detail["sources"]] == ["Shots at Sotk.", "Sotk hit."]
    assert set(detail["reports"]) == {"r1", "r2"} and detail["reports"]["r2"].text
    assert store.detail("unknown") is None


# ---------------------------------------------------------------------------
# Re-extraction
# ---------------------------------------------------------------------------


def test_reextract_replaces_extracted_values_and_keeps_edits(store):
    ingest(store, report("r1", incident(fatalities=1), incident(location="Kut", latitude=41.0)),
           report("r2", incident(**NEAR_SOTK)))
    store.edit("r1-0", "notes", "seen by ana", "ana")
    store.edit("r1-1", "fatalities", 5, "ana")

    def better(rep, geoparser):
        incidents = fake_extract(rep)
        for inc in incidents:
            inc["extractor_version"] = "test-2"
            inc["injured"] = 4
        return incidents[:1]  # the new extractor no longer finds r1's second incident

    summary = store.reextract(extractor=better)
    assert summary.applied and summary.reports == 2 and summary.failed == []
    assert (summary.incidents_added, summary.merged) == (1, 1)
    assert summary.orphaned_edits == [("r1-1", "fatalities")]
    again = store.incident("r1-0")
    assert (again["extractor_version"], again["injured"], again["notes"]) == ("test-2", 4, "seen by ana")
    assert again["n_sources"] == 2
    assert len(store.edits()) == 2  # nothing deleted


def test_edit_many_records_the_same_edits_for_every_incident_or_none(store):
    ingest(store, report("r1", incident(), incident(location="Kut", latitude=41.0)))
    with pytest.raises(KeyError, match="nope"):
        store.edit_many(["r1-0", "nope"], {"notes": "x"}, "ana")
    assert store.edits() == []
    store.edit_many(["r1-0", "r1-1"], {"notes": "seen", "fatalities": 2}, "ana")
    assert [(e["event_id"], e["field"]) for e in store.edits()] == [
        ("r1-0", "notes"), ("r1-0", "fatalities"), ("r1-1", "notes"), ("r1-1", "fatalities")]
    assert store.incident("r1-1")["fatalities"] == 2


def test_reextract_keeps_an_incident_id_when_only_its_place_improved(store):
    """The gazetteer (or the user's places) now knows the village: same incident, same id, edits kept."""
    ingest(store, report("r1", incident(event_id="r1-height", evidence="Fire at the height.", **UNPLACED),
                         incident(event_id="r1-sotk", evidence="Fire at Sotk.")))
    store.edit("r1-height", "fatalities", 2, "ana")
    store.edit("r1-sotk", "notes", "checked", "ana")

    def placed(rep, geoparser):
        incidents = fake_extract(rep)
        incidents[0].update(event_id="r1-placed", latitude=40.3, longitude=45.6, location="Height 1.2")
        return incidents

    summary = store.reextract(extractor=placed)
    assert summary.applied and summary.orphaned_edits == []
    again = store.incident("r1-height")
    assert again["event_id"] == "r1-height" and (again["latitude"], again["fatalities"]) == (40.3, 2)
    assert store.incident("r1-sotk")["notes"] == "checked"
    assert store.count() == 2


def test_reextract_changes_nothing_when_a_report_fails(store):
    ingest(store, report("r1", incident()), report("r2", incident(latitude=39.0)))
    version = store.data_version()

    def broken(rep, geoparser):
        if rep.id == "r2":
            raise ValueError("bad")
        return []

    summary = store.reextract(extractor=broken)
    assert not summary.applied and summary.failed == [("r2.json", "bad")]
    assert store.count() == 2 and store.data_version() == version


# ---------------------------------------------------------------------------
# Two writer processes
# ---------------------------------------------------------------------------


WRITER = """
import json, sys
from incidents.reports.model import Report
from incidents.store.database import Store

db_path, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lon = 10.0 if prefix == "a" else 60.0

def extract(report, geoparser):
    return [{"event_id": report.id + "-0", "event_type": "Battles", "event_date": "2024-03-10",
             "location": report.id, "latitude": float(report.text), "longitude": lon}]

reports = [Report(id=f"{prefix}{i}", text=str(30.0 + i)) for i in range(n)]
with Store(db_path) as store:
    summary = store.ingest(reports, extractor=extract)
sys.exit(1 if summary.failed or summary.incidents_added != n else 0)
"""


def test_two_writer_processes_both_succeed_and_nothing_is_lost(settings):
    Store(settings.db_path).close()  # created before both start
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, settings.db_path, prefix, "25"],
                                cwd=PROJECT_ROOT, stderr=subprocess.PIPE)
               for prefix in ("a", "b")]
    errors = [w.communicate(timeout=120)[1].decode() for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    with Store(settings.db_path) as s:
        assert s.count() == 50
        assert all(s.report(f"{p}{i}") is not None for p in "ab" for i in range(25))


# ---------------------------------------------------------------------------
# Bulk load
# ---------------------------------------------------------------------------


def test_bulk_load_inserts_rows_and_skips_known_ids(store):
    frame = pd.DataFrame({
        "event_id": ["x1", "x2", "x3"],
        "event_date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
        "event_type": [BATTLES] * 3,
        "latitude": [40.0, None, 41.0], "longitude": [45.0, None, 46.0],
        "weapons": ["mortar;drone", "", None],
        "fatalities": [1, None, 0],
        "fictional": [True, True, True],
    })
    assert bulk_load(store, frame, snapshot=False) == 3
    assert bulk_load(store, frame.iloc[:1], snapshot=False) == 0
    row = store.incident("x1")
    assert (row["event_date"], row["weapons"], row["fatalities"], row["n_sources"]) == \
        ("2024-01-01", ["mortar", "drone"], 1, 1)
    assert store.incident("x2")["latitude"] is None and store.incident("x2")["fatalities"] == 0
    (source,) = store.sources("x1")
    assert store.report(source["report_id"]).fictional is True


def test_extracted_incidents_do_not_merge_into_imported_rows(store):
    bulk_load(store, pd.DataFrame({"event_id": ["x1"], "event_date": ["2024-03-10"], "event_type": [BATTLES],
                                  "latitude": [40.2], "longitude": [45.9]}), snapshot=False)
    summary = ingest(store, report("r1", incident(**SOTK)))
    assert (summary.incidents_added, summary.merged) == (1, 0)
    store.reextract(extractor=fake_extract)
    assert store.incident("x1") is not None and store.count() == 2


# ---------------------------------------------------------------------------
# Database set-up and migrations
# ---------------------------------------------------------------------------


def test_database_runs_in_wal_mode_with_durable_commits_and_foreign_keys(store):
    pragmas = {name: store._query(f"PRAGMA {name}")[0][0]
               for name in ("journal_mode", "synchronous", "foreign_keys", "user_version")}
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "user_version": 1}


def test_a_column_missing_from_an_older_database_is_added_on_open(settings):
    with Store(settings.db_path) as s:
        s._conn.execute("ALTER TABLE incidents DROP COLUMN notes")
    with Store(settings.db_path) as s:
        ingest(s, report("r1", incident(notes="kept")))
        assert s.incident("r1-0")["notes"] == "kept"


def test_a_database_from_a_newer_program_is_refused(settings):
    with Store(settings.db_path) as s:
        s._conn.execute("PRAGMA user_version = 99")
    with pytest.raises(RuntimeError, match="newer"):
        Store(settings.db_path)


# ---------------------------------------------------------------------------
# End to end with the real reader, extractor and geoparser
# ---------------------------------------------------------------------------


def test_bundled_samples_ingest_once_merge_and_reextract_keeping_edits(settings):
    from incidents.config import SAMPLES_DIR
    from incidents.store.dataset import load_incidents
    from incidents.reports.reading import read_reports

    samples = SAMPLES_DIR / "reports"
    with open_store(settings) as s:
        first = pipeline.ingest(s, read_reports([samples]))
        assert first.failed == []
        assert first.incidents_added > 30 and first.merged >= 1
        again = pipeline.ingest(s, read_reports([samples]))
        assert (again.skipped_duplicates, again.incidents_added) == (first.reports_read, 0)
        frame = load_incidents(store=s)
        assert len(frame) == first.incidents_added
        event_id = frame["event_id"][0]
        s.edit(event_id, "fatalities", 42, "ana")
        summary = pipeline.reextract(s)
        assert summary.applied and summary.orphaned_edits == []
        assert s.count() == first.incidents_added
        assert s.incident(event_id)["fatalities"] == 42
