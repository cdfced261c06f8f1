"""An incident keeps its identity when extraction improves its place or date, so an analyst's
edits survive ``reextract`` (invented reports, the real offline gazetteer)."""

from __future__ import annotations

import dataclasses

from incidents import pipeline
from incidents.config import load_settings
from incidents.extract.extractor import extract
from incidents.geo.geoparse import get_geoparser
from incidents.geo.user_places import add_user_place
from incidents.reports.model import Report
from incidents.store.database import open_store

TEXT = "On 12 May, mortars hit the village of Qorvanka, the ministry said."


def _incidents(store) -> list[dict]:
    return [store.incident(row["event_id"]) for row in store._query("SELECT event_id FROM incidents")]


def test_a_better_date_keeps_the_incident_id():
    geoparser = get_geoparser()
    first = extract(Report(id="r", text="Yesterday mortars hit Horlivka.", published="2022-05-13"), geoparser)
    later = extract(Report(id="r", text="Yesterday mortars hit Horlivka.", published="2022-05-20"), geoparser)
    assert first[0]["event_date"] != later[0]["event_date"]
    assert first[0]["event_id"] == later[0]["event_id"]


def test_an_edit_survives_reextract_after_a_taught_place_improves_the_incident(tmp_path):
    settings = dataclasses.replace(load_settings(), db_path=str(tmp_path / "data" / "incidents.db"))
    with open_store(settings) as store:
        pipeline.ingest(store, [Report(id="r1", text=TEXT, published="2022-05-13")], geoparser=get_geoparser(settings))
        (before,) = _incidents(store)
        assert before["latitude"] is None and before["location"] == "Qorvanka"
        store.edit(before["event_id"], "notes", "checked by phone", "ana")

        add_user_place("Qorvanka", 48.30, 38.05, "UA", settings=settings, analyst="ana")
        summary = pipeline.reextract(store, geoparser=get_geoparser(settings))
        assert summary.applied and summary.orphaned_edits == []
        (after,) = _incidents(store)
    assert after["event_id"] == before["event_id"]
    assert (after["latitude"], after["longitude"]) == (48.30, 38.05) and after["geocoder"] != before["geocoder"]
    assert after["notes"] == "checked by phone"
