"""The dashboard through Streamlit's AppTest (no browser): filters and URL state,
notices for bad links, map selection, exports, incident detail, ingest, review,
settings. Pixels, real selections and downloads are in tests/browser/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.elements.plotly_chart import PlotlySelectionState, PlotlyState
from streamlit.testing.v1 import AppTest

from incidents.views import charts
from incidents.views import map_chart
from incidents.views import selection
from incidents.views import exports
from incidents.views import filters
from incidents.reports.model import Report
from incidents.store.database import Store
from incidents.store.dataset import load_incidents
from incidents.geo.toponyms import Candidate, Toponym
from incidents.ui import data as ui_data

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 120


def incident(**values) -> dict:
    base = {
        "event_type": "Battles", "sub_event_type": "Armed clash", "time_precision": 1, "country": "Armenia",
        "country_code": "AM", "admin1": "Syunik", "location": "Sotk", "latitude": 40.2, "longitude": 45.9,
        "geo_precision": 1, "fatalities": 0, "injured": 0, "disputed": False, "civilian_targeting": False,
        "weapons": ["small arms"], "confidence": 0.9, "extractor_version": "test", "review_status": "auto",
        "geocoder": "gazetteer", "notes": "", "claimed_by": "Ministry of Defence",
    }
    base.update(values)
    for key in ("event_date", "date_start", "date_end"):
        base.setdefault(key, values.get("event_date", "2024-03-01"))
    return base


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A small store written by the test: three incidents in two reports, one fictional."""
    path = tmp_path / "incidents.db"
    monkeypatch.setenv("INCIDENTS_DB_PATH", str(path))
    store = Store(path)
    ministry = Report(id="r1", text="On 1 March units fired at Sotk. Later <script>alert(1)</script> "
                      "[a link](http://evil.example) and Two soldiers were wounded near Zod on 10 March.",
                      title="MoD statement", outlet="Ministry of Defence", source_type="belligerent",
                      published="2024-03-10", fictional=True, url="https://example.org/mod")
    store.add_report(ministry, [
        incident(event_id="a1", event_date="2024-03-01", actor1="Side A", evidence="On 1 March units fired at Sotk.",
                 place_candidates=[
                     {"name": "Sotk", "lat": 40.2, "lon": 45.9, "geonameid": 1, "country_code": "AM",
                      "admin1": "Syunik", "feature": "settlement", "score": 0.8},
                     {"name": "Sotk (other)", "lat": 40.5, "lon": 45.1, "geonameid": 2, "country_code": "AM",
                      "admin1": "Gegharkunik", "feature": "settlement", "score": 0.4},
                 ]),
        incident(event_id="a2", event_date="2024-03-10", location="Zod", latitude=40.25, longitude=46.1,
                 injured=2, geo_precision=2, confidence=0.4, event_type="Explosions/Remote violence",
                 sub_event_type="Shelling/artillery/missile attack",
                 evidence="Two soldiers were wounded near Zod on 10 March."),
    ])
    monitor = Report(id="r2", text="The mission recorded 14 violations in Lachin.", outlet="Monitor",
                     source_type="monitor", published="2024-03-20")
    store.add_report(monitor, [
        incident(event_id="b1", event_date="2024-03-20", country="Azerbaijan", country_code="AZ", admin1="Lachin",
                 location="Lachin", latitude=39.6, longitude=46.5, geo_precision=3, violation_count=14,
                 confidence=0.3, evidence="The mission recorded 14 violations in Lachin.", source_type="monitor"),
    ])
    store.close()
    return path


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def page_script(module: str) -> None:
    """A page on its own (AppTest cannot switch to function pages): the frame, then the page."""
    import importlib

    from incidents.ui import frame

    view = frame.build_view()
    frame.notices(view)
    importlib.import_module(f"incidents.ui.{module}").render()


def page(module: str, state: dict | None = None) -> AppTest:
    at = AppTest.from_function(page_script, args=(module,), default_timeout=TIMEOUT)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> int:
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return int(found[0].value.replace(",", ""))


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_home_shows_headline_map_and_fictional_note(db):
    at = app()
    no_exception(at)
    assert metric(at, "Incidents") == 3
    assert metric(at, "Stated violations") == 1 + 1 + 14
    assert metric(at, "Injured") == 2
    assert any("fictional" in w.value for w in at.warning)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["map"]["style"] == charts.offline_style()  # no glyphs URL: asks no font server
    assert spec["layout"]["map"]["layers"], "borders and overlays are drawn offline"
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "CSV + provenance (zip)", "CSV in ACLED's layout", "Download GeoJSON"]


def test_url_filters_narrow_the_view_and_seed_the_widgets(db):
    at = app({"since": "2024-03-05", "until": "2024-03-31", "type": "Explosions/Remote violence"})
    no_exception(at)
    assert metric(at, "Incidents") == 1
    assert at.radio(key="f_preset").value == "custom"
    assert at.date_input(key="f_dates").value == (dt.date(2024, 3, 5), dt.date(2024, 3, 31))
    assert at.multiselect(key="f_type").value == ["Explosions/Remote violence"]
    assert not at.warning or all("Ignored" not in w.value for w in at.warning)


def test_an_empty_view_draws_an_empty_map_not_an_error(db):
    at = app({"since": "1990-01-01", "until": "1990-01-31"})
    no_exception(at)
    assert metric(at, "Incidents") == 0
    assert at.get("plotly_chart")


def test_malformed_url_values_are_ignored_with_a_visible_notice(db):
    at = app({"since": "not-a-date", "type": "NoSuchType", "min_casualties": "lots", "precision": "9"})
    no_exception(at)
    notices = " ".join(w.value for w in at.warning).replace("\\", "")  # as rendered: escapes removed
    for bad in ("not-a-date", "NoSuchType", "lots", "'9'"):
        assert bad in notices
    assert metric(at, "Incidents") == 3


@pytest.mark.parametrize(
    "query,bad",
    [
        ({"until": "9999-12-31"}, "9999-12-31"),
        ({"since": "1800-01-01"}, "1800-01-01"),
        ({"since": "0001-01-01", "until": "0001-01-05"}, "0001-01-01"),
        # A valid bound beside a bad one: the widgets fill the gap, the notice must stay.
        ({"since": "2024-01-01", "until": "nonsense"}, "nonsense"),
        ({"until": "2099-01-01", "since": "9999-12-31"}, "9999-12-31"),
    ],
)
def test_dates_outside_the_date_widget_range_are_ignored_with_a_notice(db, query, bad):
    at = app(query)
    no_exception(at)
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Ignored" in notices and bad in notices
    assert metric(at, "Incidents") == 3


def test_changing_a_filter_rewrites_the_url(db):
    at = app()
    at.multiselect(key="f_country").select("Azerbaijan").run()
    no_exception(at)
    assert metric(at, "Incidents") == 1
    assert at.query_params["country"] in ("Azerbaijan", ["Azerbaijan"])
    at.radio(key="f_preset").set_value("7d").run()
    assert at.query_params["preset"] in ("7d", ["7d"])


def test_preset_counts_back_from_the_newest_incident_and_compares(db):
    at = app({"preset": "7d"})
    assert metric(at, "Incidents") == 1  # only 2024-03-20: the newest is the anchor, not today
    incidents = [m for m in at.metric if m.label == "Incidents"][0]
    assert incidents.delta == "no change"  # 2024-03-07..13 also holds one: never "↑ +0"


@pytest.mark.parametrize(
    "delta,earlier,expected",
    [(None, True, (None, "off")), (5, False, ("no earlier data", "off")), (0, True, ("no change", "off")),
     (37, True, ("+37", "auto")), (-1200, True, ("-1,200", "auto"))],
)
def test_metric_changes_in_words(delta, earlier, expected):
    from incidents.ui.components import delta_words

    assert delta_words(delta, earlier) == expected


def test_a_period_at_the_start_of_the_data_says_no_earlier_data(db):
    at = app({"since": "2024-03-01", "until": "2024-03-20"})
    incidents = [m for m in at.metric if m.label == "Incidents"][0]
    assert incidents.delta == "no earlier data"
    assert not any("Choose a period to compare" in c.value for c in at.caption)


@pytest.mark.parametrize("module, title", [("pages_settings", "Settings"), ("pages_places", "Places")])
def test_pages_without_filtered_data_show_neither_filters_nor_the_sample_banner(db, module, title):
    at = AppTest.from_function(page_script_titled, args=(module, title), default_timeout=TIMEOUT)
    at.session_state["f_country"] = ["Armenia"]
    at.run()
    no_exception(at)
    assert not [w for w in at.sidebar.multiselect] and not any("fictional" in w.value for w in at.warning)
    assert at.session_state["f_country"] == ["Armenia"]  # kept for the pages that show data


def test_reset_clears_filters(db):
    at = app({"country": "Azerbaijan"})
    at.button(key="f_reset").click().run()
    assert metric(at, "Incidents") == 3


def test_map_selection_lists_the_selected_incidents(db):
    at = app()
    point = {"customdata": {"0": map_chart.place_key(40.2, 45.9)}, "lat": 40.2, "lon": 45.9}
    at.session_state["incident_map"] = PlotlyState(
        selection=PlotlySelectionState(points=[point], point_indices=[0], box=[], lasso=[])
    )
    at.run()
    no_exception(at)
    assert any("Selected on the map: 1 incident" in s.value for s in at.subheader)


def test_export_holds_exactly_the_filtered_rows_with_provenance(db):
    from incidents.config import load_settings

    settings = load_settings()
    store = Store(db)
    spec, _ = filters.from_query_params({"country": "Armenia"})
    rows = ui_data.export_frame(settings, store, spec, dt.date(2024, 3, 20))
    data = exports.to_csv(rows).decode()
    body = data.splitlines()
    assert len(body) == 1 + 2 and body[0].startswith('"event_id","event_date"')
    assert "date_start" in body[0]  # exports carry every column, not only the view's
    provenance = exports.provenance_for(rows, "/?country=Armenia", filters=filters.describe(spec, None))
    assert provenance.fictional_rows == 2 and "country: Armenia" in provenance.filters
    store.close()


def test_incident_detail_shows_escaped_report_text_and_sources(db):
    at = page("pages_table", {"data_event_id": "a1"})
    no_exception(at)
    html_blocks = [e.proto.body for e in at.get("html")]
    assert html_blocks, "the report text is shown"
    block = html_blocks[0]
    assert ">On 1 March units fired at Sotk.</mark>" in block
    assert "<script>" not in block and "&lt;script&gt;" in block
    assert "<a " not in block  # markdown link syntax stays text
    assert any(b.label == "Use this place" for b in at.button)


def test_switching_place_is_an_edit_with_the_analyst_name(db):
    at = page("pages_table", {"data_event_id": "a1", "data_detail_analyst": "Ana"})
    [button] = [b for b in at.button if b.label == "Use this place"]
    button.click().run()
    no_exception(at)
    store = Store(db)
    edits = store.edits("a1")
    assert {e["field"] for e in edits} >= {"location", "latitude"} and {e["editor"] for e in edits} == {"Ana"}
    assert store.incident("a1")["location"] == "Sotk (other)"
    assert store.incident("a1", apply_edits=False)["location"] == "Sotk"  # extracted value kept
    store.close()


def test_timeline_page_draws_and_marks_key_dates(db):
    at = page("pages_timeline")
    no_exception(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["barmode"] == "stack"


def test_timeline_selection_sets_the_date_filter(db):
    at = page("pages_timeline", {"timeline_frequency": "week"})
    at.session_state["timeline_chart"] = PlotlyState(selection=PlotlySelectionState(
        points=[{"x": "2024-03-04"}, {"x": "2024-03-18"}], point_indices=[0, 1], box=[], lasso=[]))
    at.run()
    no_exception(at)
    assert at.radio(key="f_preset").value == "custom"
    assert at.date_input(key="f_dates").value == (dt.date(2024, 3, 4), dt.date(2024, 3, 24))


def test_compare_page_counts_both_periods(db):
    at = page("pages_compare", {"compare_a": (dt.date(2024, 3, 1), dt.date(2024, 3, 10)),
                                "compare_b": (dt.date(2024, 3, 11), dt.date(2024, 3, 31))})
    no_exception(at)
    assert metric(at, "Incidents (B)") == 1
    table = at.dataframe[0].value
    assert int(table[table.columns[1]].sum()) == 2 and int(table[table.columns[2]].sum()) == 1


class FakeGeoparser:
    """Places 'Sotk' with a runner-up, nothing else."""

    def parse(self, text: str, aside=None, strict: bool = False) -> list[Toponym]:
        found = []
        start = text.find("Sotk")
        if start >= 0:
            best = Candidate("Sotk", 40.2, 45.9, "AM", "Syunik", geonameid=1, score=0.9)
            other = Candidate("Sotk II", 40.6, 45.2, "AM", "Gegharkunik", geonameid=2, score=0.3)
            found.append(Toponym(start, start + 4, "Sotk", best, [best, other]))
        return found


def test_ingest_previews_then_saves_with_corrections_as_edits(db, monkeypatch):
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    text = ("The Ministry of Defence said that on 12 March units of side B fired mortars at positions "
            "near Sotk.")
    at = page("pages_ingest", {"ingest_text": text, "ingest_published": dt.date(2024, 3, 13)})
    at.button(key="ingest_extract_text").click().run()
    no_exception(at)
    preview = [s.value for s in at.subheader if s.value.startswith("Extracted")]
    assert preview and not preview[0].startswith("Extracted: 0 "), preview
    assert at.get("plotly_chart"), "extracted incidents are shown on a map before saving"
    before = Store(db).count()
    at.text_input(key="ingest_analyst").input("Ana").run()
    at.button(key="ingest_save").click().run()
    no_exception(at)
    assert any(s.value.startswith("Saved:") for s in at.success)
    assert Store(db).count() > before


def test_rejecting_a_preview_that_repeats_a_stored_incident_leaves_that_incident_alone(db, monkeypatch):
    """The preview repeats a1 of report r1: unticking it must not reject a1 (nor its corrections edit a1)."""
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    at = page("pages_ingest", {"ingest_text": "On 1 March units fired at positions near Sotk.",
                               "ingest_source_type": "monitor", "ingest_published": dt.date(2024, 3, 2)})
    at.button(key="ingest_extract_text").click().run()
    no_exception(at)
    at.checkbox(key="ingest_0_0_keep").uncheck().run()
    at.text_input(key="ingest_0_0_actor1").input("Side C").run()
    at.text_input(key="ingest_analyst").input("Ana").run()
    at.button(key="ingest_save").click().run()
    no_exception(at)
    assert any(s.value.startswith("Saved:") for s in at.success)
    store = Store(db)
    try:
        assert store.edits("a1") == []
        assert store.incident("a1")["review_status"] != "rejected"
    finally:
        store.close()


@pytest.mark.parametrize(
    "incidents, reports, heading",
    [
        (0, 1, "Extracted: 0 incidents from 1 report"),
        (1, 1, "Extracted: 1 incident from 1 report"),
        (2, 3, "Extracted: 2 incidents from 3 reports"),
        (1200, 2, "Extracted: 1,200 incidents from 2 reports"),
    ],
)
def test_extracted_heading_counts_in_the_right_number(incidents, reports, heading):
    from incidents.ui import pages_ingest

    assert pages_ingest.extracted_heading(incidents, reports) == heading


@pytest.mark.parametrize(
    "value, expected",
    [("2024-03-01", dt.date(2024, 3, 1)), ("2024-03-01T10:00:00", dt.date(2024, 3, 1)), (None, None),
     ("0001-01-01", None), ("9999-12-31", None), (dt.date(2200, 1, 1), None)],
)
def test_correction_form_shows_no_date_the_widget_would_refuse(value, expected):
    from incidents.ui import corrections

    assert corrections._as_date(value) == expected


@pytest.mark.parametrize(
    "newest, oldest",
    [(dt.date(9999, 12, 31), dt.date(2024, 1, 1)), (dt.date(2024, 1, 1), dt.date(1, 1, 1)), (None, None),
     (dt.date(9999, 12, 31), dt.date(9999, 12, 31)), (dt.date(2024, 3, 1), dt.date(2024, 3, 1))],
)
def test_compare_periods_open_inside_the_date_widget_range(newest, oldest):
    from incidents.ui import pages_compare

    for start, end in pages_compare._default_periods(newest, oldest):
        assert filters.DATE_MIN <= start <= end <= filters.DATE_MAX


def test_ingest_reports_bad_input_per_file(db):
    at = page("pages_ingest", {"ingest_text": "   "})
    at.button(key="ingest_extract_text").click().run()
    no_exception(at)
    assert at.error and "pasted text" in at.error[0].value


def test_review_queue_rejects_with_the_analyst_name(db):
    at = page("pages_review", {"review_analyst": "Bo"})
    no_exception(at)
    reject = [b for b in at.button if b.label.startswith("Reject")]
    reject[0].click().run()
    no_exception(at)
    store = Store(db)
    edits = store.edits()
    assert edits and edits[0]["field"] == "review_status" and edits[0]["value"] == "rejected"
    assert edits[0]["editor"] == "Bo" and edits[0]["event_id"] == "b1"  # least confident first
    store.close()


def test_review_needs_a_name(db):
    at = page("pages_review")
    assert all(b.disabled for b in at.button if b.label.startswith(("Reject", "Confirm")))


def test_settings_are_saved_where_told(db, tmp_path):
    target = tmp_path / "settings.toml"
    at = page("pages_settings", {"settings_file": str(target)})
    at.toggle(key="settings_online_tiles").set_value(True)
    at.selectbox(key="settings_map_style").select("open-street-map")
    at.button[0].click().run()
    no_exception(at)
    saved = target.read_text(encoding="utf-8")
    assert "online_tiles = true" in saved and 'map_style = "open-street-map"' in saved


def test_first_start_ingests_the_bundled_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENTS_DB_PATH", str(tmp_path / "first.db"))
    at = app()
    no_exception(at)
    assert any(s.value.startswith("First start:") for s in at.success)
    assert metric(at, "Incidents") > 0
    assert any("fictional" in w.value for w in at.warning)


def test_uploaded_files_are_read_and_errors_named_per_file(db, monkeypatch):
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    at = page("pages_ingest", {"ingest_published": dt.date(2024, 3, 13)})
    good = ("statement.txt", b"On 12 March units of side B fired mortars at positions near Sotk.", "text/plain")
    bad = ("broken.json", b"{not json", "application/json")
    at.get("file_uploader")[0].set_value([good, bad]).run()
    at.button(key="ingest_extract_files").click().run()
    no_exception(at)
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "broken.json" in errors and "statement.txt" not in errors
    assert "/tmp" not in errors and "incidents-upload" not in errors  # the user's file name, not ours
    assert any(s.value.startswith("Extracted") for s in at.subheader)


@pytest.mark.parametrize(
    "text,evidence,expected",
    [
        ("A b c. D e f.", "A b c.", [(0, 6)]),
        ("Shots at X.\n\nTwo hurt at Y.", "Shots at X. Two hurt at Y.", [(0, 27)]),  # joined across a paragraph
        ("Shots at X. Filler. Two hurt at Y.", "Shots at X. Two hurt at Y.", [(0, 11), (20, 34)]),
        ("Nothing here.", "Absent sentence.", []),
        ("Text", None, []),
    ],
)
def test_evidence_spans_match_loosely(text, evidence, expected):
    from incidents.ui.components import evidence_spans

    assert evidence_spans(text, evidence) == expected


def test_review_fix_records_the_corrected_fields(db):
    at = page("pages_review", {"review_analyst": "Cy"})
    at.selectbox(key="review_b1_sub").select("Grenade").run()
    [save] = [b for b in at.button if b.label == "Save corrections"]
    assert not save.disabled
    save.click().run()
    no_exception(at)
    store = Store(db)
    fields = {e["field"]: e["value"] for e in store.edits("b1")}
    assert fields == {"sub_event_type": "Grenade", "event_type": "Explosions/Remote violence"}
    assert store.incident("b1")["review_status"] == "edited"
    assert store.incident("b1", apply_edits=False)["sub_event_type"] == "Armed clash"  # extracted value kept
    store.close()


def test_grid_cells_can_be_selected_and_zoomed_into(db, monkeypatch):
    monkeypatch.setattr(map_chart, "MAX_POINTS", 1)  # three places: the grid view
    at = app()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    grid = [t for t in spec["data"] if t.get("name", "").startswith("Incidents per")]
    keys = grid[0]["customdata"]
    assert all(k.startswith("g:") for k in keys)
    armenia = [k for k in keys if selection.rows_for_keys(
        pd.DataFrame({"latitude": [40.2], "longitude": [45.9]}), [k]).shape[0]]
    at.session_state["incident_map"] = PlotlyState(selection=PlotlySelectionState(
        points=[{"customdata": {"0": armenia[0]}}], point_indices=[0], box=[], lasso=[]))
    at.run()
    no_exception(at)
    assert any(s.value.startswith("Selected on the map") for s in at.subheader)
    at.button(key="map_zoom_cells").click().run()
    no_exception(at)
    assert "bbox" in at.query_params
    assert metric(at, "Incidents") < 3


@pytest.mark.parametrize(
    "value,expected",
    [
        ("[x](http://evil.example)", r"\[x\]\(http\:\/\/evil\.example\)"),
        (":red[alert] :material/home:", r"\:red\[alert\] \:material/home\:"),
        ("**bold**\n# head", r"\*\*bold\*\* \# head"),
        ("$x$ <b>", r"\$x\$ \<b\>"),
        ("see www.evil.example or a@evil.example", r"see www\.evil\.example or a@evil\.example"),
        (None, ""),
    ],
)
def test_md_escape(value, expected):
    from incidents.ui.text import md_escape

    escaped = md_escape(value)
    assert escaped.replace("\u200b", "") == expected.replace("\\/", "/")
    assert "://" not in escaped.replace("\\", "")  # no bare URL left for autolinking


def test_markdown_in_a_link_is_shown_as_text(db):
    at = app({"since": "[click](http://evil.example)"})
    no_exception(at)
    warning = [w.value for w in at.warning if "since" in w.value][0]
    assert "[click](" not in warning and r"\[click\]" in warning


def test_an_unreadable_database_gives_a_message(tmp_path, monkeypatch):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    monkeypatch.setenv("INCIDENTS_DB_PATH", str(bad))
    at = app()
    assert not at.exception
    assert at.error and "Could not read the incident database" in at.error[0].value


def test_settings_still_open_when_the_database_is_unreadable(tmp_path, monkeypatch):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    monkeypatch.setenv("INCIDENTS_DB_PATH", str(bad))
    at = AppTest.from_function(page_script_titled, args=("pages_settings", "Settings"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.error and at.text_input(key="settings_db_path").value == str(bad)


def page_script_titled(module: str, title: str) -> None:
    import importlib

    from incidents.ui import frame

    view = frame.build_view(title)
    frame.notices(view, title)
    importlib.import_module(f"incidents.ui.{module}").render()


def test_aligned_detects_a_changed_snapshot():
    frame = pd.DataFrame({"latitude": [1.0, float("nan")], "event_date": pd.to_datetime(["2024-01-01", None])})
    assert ui_data.aligned(frame, frame.copy())
    assert not ui_data.aligned(frame, frame.iloc[::-1].reset_index(drop=True))
    assert not ui_data.aligned(frame, frame.iloc[:1])


def test_ingest_asks_for_the_publication_date_before_the_extract_button(db):
    at = page("pages_ingest")
    no_exception(at)
    walk = list(_walk(at.main))

    def first(key: str) -> int:
        return next(i for i, n in enumerate(walk) if getattr(n, "key", None) == key)

    assert first("ingest_published") < first("ingest_extract_text")
    assert first("ingest_published") < first("ingest_extract_files")


def _walk(node):
    """Every element under ``node`` in page order."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def test_ingest_preview_of_one_place_opens_wide_enough_to_show_borders(db, monkeypatch):
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    text = "The Ministry of Defence said that on 12 March units of side B fired mortars at positions near Sotk."
    at = page("pages_ingest", {"ingest_text": text, "ingest_published": dt.date(2024, 3, 13)})
    at.button(key="ingest_extract_text").click().run()
    no_exception(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["map"]["zoom"] <= 7, "one village alone must not fill the map with blank paper"


def test_a_view_without_placed_incidents_centres_on_the_data_and_says_so(db):
    at = app({"q": "zzz-no-such-text"})
    no_exception(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["map"]["zoom"] > 1.5, "not the world view"
    assert any("No incidents in this view" in a.get("text", "") for a in spec["layout"].get("annotations", []))


def test_incident_table_headers_are_readable(db):
    at = page("pages_table")
    no_exception(at)
    config = json.loads(at.dataframe[0].proto.columns)
    labels = {name: column.get("label") for name, column in config.items()}
    assert labels["event_date"] == "Event date" and labels["event_type"] == "Type"
    assert labels["location"] == "Place" and labels["source"] == "Source"


def test_timeline_opens_with_bars_readable_for_the_span(db):
    at = page("pages_timeline")
    no_exception(at)
    assert at.radio(key="timeline_frequency").value == "day", "a few weeks of data: one bar per day"


def test_only_unreadable_uploads_say_so_instead_of_an_empty_preview(db, monkeypatch):
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    at = page("pages_ingest", {"ingest_published": dt.date(2024, 3, 13)})
    at.get("file_uploader")[0].set_value([("bad.jsonl", b"\x00\x01garbage", "application/json")]).run()
    at.button(key="ingest_extract_files").click().run()
    no_exception(at)
    assert "bad.jsonl" in " ".join(e.value for e in at.error).replace("\\", "")
    assert any("No report could be read" in i.value for i in at.info)
    assert not any(s.value.startswith("Extracted") for s in at.subheader)
    assert "ingest_save" not in [b.key for b in at.button]


@pytest.fixture
def conflicts_table(tmp_path, monkeypatch) -> Path:
    """A conflicts table of the test's own: one conflict per country, one limited to a region."""
    from incidents.views import conflicts

    path = tmp_path / "conflicts.csv"
    path.write_text("name,countries,regions,sides,notes\n"
                    "Southern hills,AM,AM:Syunik,Side A|Side B,invented\n"
                    "Eastern plain,AZ,,Side B|Side C,invented\n", encoding="utf-8")
    monkeypatch.setattr(conflicts, "CONFLICTS_FILE", path)
    return path


def test_conflict_filter_comes_from_the_table_and_the_url(db, conflicts_table):
    at = app({"conflict": "Southern hills"})
    no_exception(at)
    widget = at.multiselect(key="f_conflict")
    assert widget.options == ["Southern hills", "Eastern plain"]
    assert widget.value == ["Southern hills"]
    assert metric(at, "Incidents") == 2
    widget.set_value(["Eastern plain"]).run()
    assert metric(at, "Incidents") == 1
    assert at.query_params["conflict"] in ("Eastern plain", ["Eastern plain"])


def test_an_unknown_conflict_in_a_link_is_noticed(db, conflicts_table):
    at = app({"conflict": "Nowhere"})
    no_exception(at)
    assert metric(at, "Incidents") == 3
    assert any("conflict" in w.value and "Nowhere" in w.value for w in at.warning), [w.value for w in at.warning]


def typed_array(value) -> list:
    """A plotly JSON array, whether plain or base64-typed ({"dtype": "f8", "bdata": ...})."""
    import base64

    import numpy as np

    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def page_with_url(module: str, query: dict, state: dict | None = None) -> AppTest:
    at = AppTest.from_function(page_script, args=(module,), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


def test_timeline_period_comes_from_the_link_and_goes_back_into_it(db):
    at = page_with_url("pages_timeline", {"per": "month", "country": "Armenia"})
    no_exception(at)
    assert at.radio(key="timeline_frequency").value == "month"
    at.radio(key="timeline_frequency").set_value("week").run()
    no_exception(at)
    assert at.query_params["per"] in ("week", ["week"]) and at.query_params["country"] in ("Armenia", ["Armenia"])


def test_a_bad_timeline_period_in_the_link_is_noticed_not_fatal(db):
    at = page_with_url("pages_timeline", {"per": "fortnight"})
    no_exception(at)
    assert any("per='fortnight'" in w.value.replace("\\", "") for w in at.warning)
    assert at.radio(key="timeline_frequency").value == "day"


def test_timeline_bars_span_their_period_and_key_dates_are_listed_in_full(db, tmp_path, monkeypatch):
    from incidents.ui import pages_timeline

    key_dates = tmp_path / "key_dates.csv"
    key_dates.write_text("date,label,kind,theatre\n2024-03-05,A truce whose long name is listed in full,"
                         "ceasefire,\n", encoding="utf-8")
    monkeypatch.setattr(pages_timeline, "KEY_DATES_FILE", key_dates)
    at = page_with_url("pages_timeline", {"per": "week"})
    no_exception(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert bars and all(abs(w / 86_400_000 - 7 * 0.86) < 0.01 for b in bars for w in typed_array(b["width"]))
    assert [a["text"] for a in spec["layout"]["annotations"] if a.get("hovertext")] == ["1"]
    listed = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "A truce whose long name is listed in full" in listed


def test_an_incident_link_opens_that_incident(db):
    at = page_with_url("pages_table", {"incident": "a1"})
    no_exception(at)
    assert at.text_input(key="data_event_id").value == "a1"
    assert any("Sotk" in s.value for s in at.subheader)
    assert any("incidents?incident=a1" in c.value for c in at.code)
    table = at.dataframe[0].value
    assert "./incidents?incident=a1" in set(table["permalink"])


def test_an_incident_link_opens_that_incident_under_the_map_too(db):
    at = page_with_url("pages_map", {"incident": "a1"})
    no_exception(at)
    assert any("Sotk" in s.value for s in at.subheader)
    assert at.query_params["incident"] == "a1"  # the link stays in the address bar


@pytest.mark.parametrize("module", ["pages_table", "pages_map"])
@pytest.mark.parametrize("value,notice", [("<script>", "Ignored incident="), ("nosuchid", "No incident with id")])
def test_a_bad_incident_link_is_noticed_not_fatal(db, module, value, notice):
    at = page_with_url(module, {"incident": value})
    no_exception(at)
    shown = " ".join(e.value for e in [*at.warning, *at.info]).replace("\\", "")
    assert notice in shown


def test_timeline_key_dates_are_those_of_the_conflicts_in_view(db, conflicts_table, tmp_path, monkeypatch):
    from incidents.ui import pages_timeline

    key_dates = tmp_path / "key_dates.csv"
    key_dates.write_text("date,label,kind,theatre\n"
                         "2024-03-05,Hills truce,ceasefire,Southern hills\n"
                         "2024-03-06,Plain talks,talks,Eastern plain\n"
                         "2024-03-07,Far away accord,agreement,Elsewhere\n", encoding="utf-8")
    monkeypatch.setattr(pages_timeline, "KEY_DATES_FILE", key_dates)

    def listed(at) -> str:
        return " ".join(m.value for m in at.markdown).replace("\\", "")

    at = page_with_url("pages_timeline", {})
    no_exception(at)
    assert "Hills truce" in listed(at) and "Plain talks" in listed(at) and "Far away" not in listed(at)
    at = page_with_url("pages_timeline", {"conflict": "Eastern plain"})
    no_exception(at)
    assert "Plain talks" in listed(at) and "Hills truce" not in listed(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [a["text"] for a in spec["layout"]["annotations"] if a.get("hovertext")] == ["1"]


def test_who_blames_whom_breaks_the_view_down_and_exports_it(db):
    at = page("pages_claims")
    no_exception(at)
    table = at.dataframe[0].value
    assert int(table["incidents"].sum()) == 3
    row = table[table["actor1"] == "Side A"].iloc[0]
    assert row["claimed_by"] == "Ministry of Defence" and row["incidents"] == 1
    labels = [b.label for b in at.get("download_button")]
    assert labels[:2] == ["Breakdown CSV", "Breakdown + provenance (zip)"] and "Download CSV" in labels


def test_correction_form_fixes_claimant_disputed_casualties_and_the_date_with_its_precision(db):
    at = page("pages_review", {"review_analyst": "Cy"})
    assert any(s.value.startswith("Shelling") or "Lachin" in s.value for s in at.subheader)
    first = "b1"  # least sure first
    at.text_input(key=f"review_{first}_claimed_by").input("Monitoring mission").run()
    at.checkbox(key=f"review_{first}_disputed").check().run()
    at.number_input(key=f"review_{first}_fatalities").set_value(2).run()
    at.number_input(key=f"review_{first}_injured").set_value(5).run()
    at.date_input(key=f"review_{first}_dates").set_value((dt.date(2024, 3, 18), dt.date(2024, 3, 20))).run()
    [save] = [b for b in at.button if b.label == "Save corrections"]
    save.click().run()
    no_exception(at)
    store = Store(db)
    fields = {e["field"]: e["value"] for e in store.edits(first)}
    assert fields == {"claimed_by": "Monitoring mission", "disputed": True, "fatalities": 2, "injured": 5,
                      "event_date": "2024-03-19", "date_start": "2024-03-18", "date_end": "2024-03-20",
                      "time_precision": 2}
    store.close()
    assert any(s.value.startswith("Corrected") and "Lachin" in s.value for s in at.success)
    assert any(i.value.startswith("Next in the queue") for i in at.info)


def test_a_new_date_precision_widens_the_day_to_its_week_or_month():
    from incidents.store.edit_rules import date_edit

    assert date_edit(dt.date(2024, 3, 6), dt.date(2024, 3, 6), 2) == {
        "event_date": "2024-03-07", "date_start": "2024-03-04", "date_end": "2024-03-10", "time_precision": 2}
    assert date_edit(dt.date(2024, 2, 10), dt.date(2024, 2, 10), 3)["date_end"] == "2024-02-29"
    assert date_edit(dt.date(2024, 3, 1), dt.date(2024, 3, 1))["time_precision"] == 1
    assert date_edit(dt.date(2024, 3, 20), dt.date(2024, 3, 1))["time_precision"] == 3  # order fixed, 20 days


def test_each_review_action_says_what_it_did_and_announces_the_next(db):
    at = page("pages_review", {"review_analyst": "Cy"})
    [confirm] = [b for b in at.button if b.label == "Confirm as extracted"]
    confirm.click().run()
    no_exception(at)
    assert any(s.value.startswith("Confirmed: ") and "Lachin" in s.value for s in at.success)
    assert any("Next in the queue" in i.value and "Zod" in i.value for i in at.info)
    [reject] = [b for b in at.button if b.label == "Reject (not an incident)"]
    reject.click().run()
    assert any(s.value.startswith("Rejected: ") and "Zod" in s.value for s in at.success)


def test_pasted_text_without_a_date_shows_the_inferred_one_and_it_can_be_fixed(db, monkeypatch):
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    text = ("Statement of 13 March 2024. On 12 March units of side B fired mortars at positions near Sotk. "
            "Yesterday they fired again near Sotk.")
    at = page("pages_ingest", {"ingest_text": text})
    assert at.date_input(key="ingest_published").value is None  # never today's date by default
    at.button(key="ingest_extract_text").click().run()
    no_exception(at)
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert "inferred from the text: 2024-03-13" in notes and "statement's date" in notes
    assert at.date_input(key="ingest_pub_0").value == dt.date(2024, 3, 13)
    at.date_input(key="ingest_pub_0").set_value(dt.date(2024, 3, 20)).run()
    at.button(key="ingest_reread_0").click().run()
    no_exception(at)
    assert not any("inferred from the text" in i.value for i in at.info)
    assert at.date_input(key="ingest_pub_0").value == dt.date(2024, 3, 20)


def test_a_saved_report_with_an_inferred_date_says_so_in_the_incident_detail(db, monkeypatch):
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    text = "Statement of 13 March 2024. On 12 March units of side B fired mortars at positions near Sotk."
    at = page("pages_ingest", {"ingest_text": text})
    at.button(key="ingest_extract_text").click().run()
    at.text_input(key="ingest_analyst").input("Ana").run()
    at.button(key="ingest_save").click().run()
    no_exception(at)
    stored = load_incidents(store=Store(db))
    inferred = stored[stored["date_inferred"]]
    assert inferred["location"].tolist() == ["Sotk"]
    detail = page("pages_table", {"data_event_id": inferred["event_id"].iloc[0]})
    no_exception(detail)
    cells = " ".join(str(v) for frame in detail.dataframe for v in frame.value.to_numpy().ravel())
    assert "2024-03-13 (inferred from the report's text)" in cells


def test_pasted_text_with_no_date_anywhere_warns_instead_of_using_today_silently(db, monkeypatch):
    from incidents.ui import pages_ingest

    monkeypatch.setattr(pages_ingest, "geoparser", lambda *args: FakeGeoparser())
    at = page("pages_ingest", {"ingest_text": "Yesterday units fired mortars at positions near Sotk."})
    at.button(key="ingest_extract_text").click().run()
    no_exception(at)
    assert any("No publication date" in w.value for w in at.warning)
