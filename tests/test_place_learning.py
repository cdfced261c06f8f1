"""An analyst's placing teaches the tracker: with the real extractor and gazetteer, a village
the gazetteer lacks is placed by hand once; reextract then places every earlier report naming
it, keeps the placed incident's id and loses no edit; a later report is placed by itself."""

from __future__ import annotations

import dataclasses

from incidents import pipeline
from incidents.config import load_settings
from incidents.geo.user_places import add_user_place
from incidents.reports.model import Report
from incidents.store.database import Store
from incidents.store.edit_rules import place_edit

VILLAGE = "Zelenyi Yarok"  # invented


def report(report_id: str, text: str, published: str) -> Report:
    return Report(id=report_id, text=text, outlet="Ministry of Defence", source_type="belligerent",
                  published=published)


def only_incident(store: Store, report_id: str) -> dict:
    rows = store._query("SELECT DISTINCT event_id FROM incident_sources WHERE report_id = ?", (report_id,))
    assert len(rows) == 1, [dict(r) for r in rows]
    return store.incident(rows[0]["event_id"])


def test_placing_once_places_earlier_and_later_reports_and_keeps_edits(tmp_path):
    settings = dataclasses.replace(load_settings(), db_path=str(tmp_path / "incidents.db"))
    with Store(settings.db_path, settings=settings) as store:
        pipeline.ingest(store, [
            report("fallback", f"On 5 March 2024 Azerbaijani units shelled positions near the village of {VILLAGE}, "
                   "Vayots Dzor province, Armenia.", "2024-03-06"),
            report("unplaced", f"On 9 March 2024 Azerbaijani units fired mortars at the village of {VILLAGE} "
                   "in Armenia.", "2024-03-10"),
        ])
        fallback, unplaced = only_incident(store, "fallback"), only_incident(store, "unplaced")
        assert fallback["geocoder"] == "region-fallback" and unplaced["latitude"] is None

        # What the dashboard's "Save this place" does: place edits with the analyst's name, then the user's place.
        point = {"name": VILLAGE, "lat": 40.31, "lon": 45.62, "country_code": "AM", "feature": "user"}
        store.edit_fields(fallback["event_id"], place_edit(point), "Ana")
        store.edit(fallback["event_id"], "fatalities", 1, "Ana")
        add_user_place(VILLAGE, 40.31, 45.62, "AM", settings=settings, analyst="Ana")

        summary = pipeline.reextract(store)
        assert summary.applied and summary.failed == [] and summary.orphaned_edits == []
        again = store.incident(fallback["event_id"])
        assert again["event_id"] == fallback["event_id"]  # the same incident: links and edits stay
        assert (again["latitude"], again["longitude"], again["fatalities"]) == (40.31, 45.62, 1)
        assert store.incident(fallback["event_id"], apply_edits=False)["geocoder"] == "user"
        earlier = only_incident(store, "unplaced")  # never edited: placed by the user's place alone
        assert (earlier["latitude"], earlier["longitude"], earlier["geocoder"]) == (40.31, 45.62, "user")
        assert earlier["event_id"] == unplaced["event_id"]

        pipeline.ingest(store, [report("later", f"On 14 March 2024 Azerbaijani units fired at {VILLAGE}, Armenia.",
                             "2024-03-15")])
        later = only_incident(store, "later")
        assert (later["latitude"], later["longitude"], later["geocoder"]) == (40.31, 45.62, "user")
