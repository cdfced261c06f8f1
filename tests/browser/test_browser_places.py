"""Placing what the gazetteer lacks, in Chromium: typed coordinates on the Places page, a
real click (then a finer click) on the pick map, a search from the incident detail; then
a new report naming the placed village is placed by itself.

Its own server over a database the module writes: three villages the gazetteer lacks
(invented names), in reports about Armenia.
"""

from __future__ import annotations

import re

import pytest

from browser_harness import (
    FIRST_START_TIMEOUT_MS,
    PROJECT_ROOT,
    RUN_TIMEOUT_MS,
    run_streamlit,
    wait_for_app_idle,
    wait_for_marker_pixels,
    wait_for_page_drawn,
    why_no_browser,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]

COORDS_VILLAGE, MAP_VILLAGE, SEARCH_VILLAGE = "Zelenyi Yarok", "Vyshnevyi Hai", "Nor Getashen"
MAP_CANVAS = '[data-testid="stPlotlyChart"] canvas.maplibregl-canvas'


def _incident(event_id: str, location: str, day: int, **values) -> dict:
    base = {"event_id": event_id, "event_type": "Battles", "sub_event_type": "Armed clash", "time_precision": 1,
            "event_date": f"2024-03-{day:02d}", "date_start": f"2024-03-{day:02d}", "date_end": f"2024-03-{day:02d}",
            "location": location, "latitude": None, "longitude": None, "geo_precision": None, "fatalities": 0,
            "injured": 0, "confidence": 0.3, "extractor_version": "test", "review_status": "auto",
            "evidence": f"Units fired at {location} on {day} March.", "claimed_by": "Ministry of Defence"}
    base.update(values)
    return base


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from incidents.reports.model import Report
    from incidents.store.database import Store

    root = tmp_path_factory.mktemp("places")
    db = root / "incidents.db"
    store = Store(db)
    store.add_report(Report(id="p1", text="Units fired at Sotk.", outlet="MoD", source_type="belligerent",
                            published="2024-03-20"), [
        _incident("sotk", "Sotk", 1, latitude=40.2, longitude=45.87, geo_precision=1, country="Armenia",
                  country_code="AM", geocoder="gazetteer", confidence=0.9),
        *[_incident(f"c{n}", COORDS_VILLAGE, n + 2) for n in range(3)],
        *[_incident(f"m{n}", MAP_VILLAGE, n + 6) for n in range(2)],
        _incident("s0", SEARCH_VILLAGE, 9),
    ])
    store.close()
    with run_streamlit(PROJECT_ROOT / "app.py", env={"INCIDENTS_DB_PATH": str(db)}, log_path=root / "streamlit.log",
                       health_timeout=FIRST_START_TIMEOUT_MS / 1000) as running:
        running.env["db"] = str(db)
        yield running


def stored(server, event_id: str) -> dict:
    from incidents.store.database import Store

    store = Store(server.env["db"])
    try:
        return store.incident(event_id)
    finally:
        store.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', timeout=FIRST_START_TIMEOUT_MS)
    wait_for_app_idle(page, FIRST_START_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)


def fill(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True).last
    box.fill(value)
    box.press("Enter")
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)


def choose(page, option: str) -> None:
    page.locator('[data-testid="stRadio"] label', has_text=option).last.click()
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)


def save(page) -> str:
    page.get_by_role("button", name="Save this place").last.click()
    notice = page.get_by_text(re.compile(r"Placed \d+ incidents?"))
    notice.wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    return notice.inner_text()


def no_exception(page, server) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert not boxes.count(), f"{boxes.first.inner_text()[:300]}\n{server.log_tail(3000)}"


def test_places_page_places_a_name_by_coordinates(server, page, recorder, screenshot_dir):
    open_page(page, server.url + "/places")
    assert COORDS_VILLAGE in page.locator('[data-testid="stMain"]').inner_text()
    page.screenshot(path=str(screenshot_dir / "places_page.png"), full_page=True)
    fill(page, "Your name (recorded with every correction)", "Ana")
    choose(page, "Type coordinates")
    fill(page, "Latitude, longitude", "48.1, 37.7")  # Ukraine: far from the report's Armenia
    page.get_by_text(re.compile("from the nearest known place in AM")).wait_for(timeout=RUN_TIMEOUT_MS)
    fill(page, "Latitude, longitude", "40.31, 45.62")
    page.get_by_text(re.compile(r"^Chosen: .* at 40\.31000, 45\.62000")).wait_for(timeout=RUN_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "places_coordinates.png"), full_page=True)
    assert "Placed 3 incidents" in save(page)
    assert all((stored(server, f"c{n}")["latitude"], stored(server, f"c{n}")["longitude"]) == (40.31, 45.62)
               for n in range(3))
    no_exception(page, server)
    assert recorder.foreign() == []


def test_detail_places_an_incident_by_clicking_the_map_twice(server, page, recorder, screenshot_dir):
    open_page(page, server.url + "/incidents")
    fill(page, "…or open an incident by id", "m0")
    fill(page, "Your name (recorded with every correction)", "Ben")
    choose(page, "Pick on the map")
    canvas = page.locator(MAP_CANVAS).last
    canvas.wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_marker_pixels(canvas, minimum=200, timeout=30)
    canvas.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "places_map_area.png"), full_page=True)
    area = canvas.bounding_box()
    page.mouse.click(area["x"] + area["width"] * 0.5, area["y"] + area["height"] * 0.5)
    page.get_by_role("button", name="Back to the whole area").wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "places_map_first_click.png"), full_page=True)
    first = page.get_by_text(re.compile(r"^Chosen: .* at [\d.]+, [\d.]+")).inner_text()
    canvas = page.locator(MAP_CANVAS).last
    wait_for_marker_pixels(canvas, minimum=200, timeout=30)
    area = canvas.bounding_box()
    page.mouse.click(area["x"] + area["width"] * 0.6, area["y"] + area["height"] * 0.4)
    page.wait_for_function("(before) => !document.body.innerText.includes(before)", arg=first,
                           timeout=RUN_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "places_map_refined.png"), full_page=True)
    assert "Placed 1 incident" in save(page)
    placed = stored(server, "m0")
    assert placed["geocoder"] == "analyst" and placed["country_code"] == "AM"
    assert 38 < placed["latitude"] < 42 and 43 < placed["longitude"] < 47.5
    no_exception(page, server)
    assert recorder.foreign() == []


def test_detail_places_an_incident_by_search(server, page, recorder, screenshot_dir):
    open_page(page, server.url + "/incidents")
    fill(page, "…or open an incident by id", "s0")
    fill(page, "Your name (recorded with every correction)", "Cleo")
    fill(page, "Search the gazetteer and your places", "Sotk")
    page.locator('[data-testid="stRadio"] label', has_text=re.compile(r"^Sotk")).first.click()
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "places_search.png"), full_page=True)
    assert "Placed 1 incident" in save(page)
    assert abs(stored(server, "s0")["latitude"] - 40.2) < 0.05
    no_exception(page, server)
    assert recorder.foreign() == []


def test_a_new_report_naming_a_placed_village_is_placed_by_itself(server, page, recorder, screenshot_dir):
    test_places = stored(server, "c0")
    if test_places["latitude"] is None:
        pytest.skip("needs the coordinates test to have placed the village first")
    open_page(page, server.url + "/ingest")
    page.get_by_label("Report text").fill(
        f"Yesterday Azerbaijani forces shelled {COORDS_VILLAGE} in Armenia with mortars.")  # published today
    page.get_by_role("button", name="Extract incidents").first.click()
    page.get_by_text(re.compile(r"Extracted: \d+ incidents? from 1 report")).wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "places_new_report.png"), full_page=True)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert COORDS_VILLAGE in text and "without a place found" not in text
    no_exception(page, server)
    assert recorder.foreign() == []
