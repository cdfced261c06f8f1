"""An analyst's day in Chromium (issue 11): the timeline's period in the link, bars as
wide as their period, gaps as gaps and only the key dates of the conflict in view;
a link that opens one incident; the correction form with its notices; who blames
whom; a pasted report's inferred publication date. Screenshots of each page.

Reuses the session's server (``dashboard`` in conftest.py).
"""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import quote

import pytest

from browser_harness import (
    PLOTLY_SELECTOR,
    RUN_TIMEOUT_MS,
    RequestRecorder,
    wait_for_page_drawn,
    why_no_browser,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]
DAY_MS = 86_400_000


@pytest.fixture
def tall(chromium):
    """A page tall enough for a whole dashboard page in one screenshot, recording its requests."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1800})
    recorder = RequestRecorder().attach(context)
    page = context.new_page()
    page.recorder = recorder
    yield page
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def no_exception(page, server) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert not boxes.count(), f"{boxes.first.inner_text()[:300]}\n{server.log_tail(3000)}"


def first_chart_traces(page) -> list[dict]:
    """The first plotly chart's traces as the browser holds them (typed arrays as lists)."""
    page.locator(PLOTLY_SELECTOR).first.wait_for()
    return page.locator(".js-plotly-plot").first.evaluate("""gd => gd._fullData.map(t => ({type: t.type, name: t.name,
        x: Array.from(t.x || []).map(String), y: Array.from(t.y || []),
        width: t.width === undefined ? null : Array.from(t.width)}))""")


def test_timeline_period_in_the_link_bars_span_their_period_and_gaps_stay_gaps(ready, tall, screenshot_dir):
    open_page(tall, f"{ready.url}/timeline?per=week")
    no_exception(tall, ready)
    assert "per=week" in tall.url
    bars = [t for t in first_chart_traces(tall) if t["type"] == "bar"]
    assert bars and all(abs(w / DAY_MS - 7 * 0.86) < 0.01 for b in bars for w in b["width"])
    tall.screenshot(path=str(screenshot_dir / "analyst_timeline_week.png"))

    open_page(tall, f"{ready.url}/timeline?per=day")
    traces = first_chart_traces(tall)
    line = next(t for t in traces if t["name"] == "Stated violations")
    assert any(v is None or v != v for v in line["y"]), "days without incidents break the line"
    assert all(abs(w / DAY_MS - 0.86) < 0.01 for t in traces if t["type"] == "bar" for w in t["width"])

    tall.locator('[data-testid="stRadio"]').get_by_text("month", exact=True).click()
    wait_for_page_drawn(tall, RUN_TIMEOUT_MS)
    tall.wait_for_url(re.compile(r"per=month"), timeout=RUN_TIMEOUT_MS)
    assert tall.recorder.foreign() == []


def test_timeline_shows_only_the_key_dates_of_the_conflict_in_view(ready, tall, screenshot_dir):
    open_page(tall, f"{ready.url}/timeline?per=week&conflict={quote('Donbas')}")
    no_exception(tall, ready)
    text = main_text(tall)
    assert "Contact group fails to agree a new disengagement area" in text  # whole, never cut
    assert "Tbilisi talks" not in text and "DGMOs" not in text
    numbers = tall.locator(PLOTLY_SELECTOR).first.locator("g.annotation")
    assert numbers.count() == 1
    tall.screenshot(path=str(screenshot_dir / "analyst_timeline_donbas.png"))

    open_page(tall, f"{ready.url}/timeline?per=fortnight")
    no_exception(tall, ready)
    assert "Ignored per='fortnight'" in main_text(tall)
    assert tall.recorder.foreign() == []


def _an_incident(server) -> str:
    with sqlite3.connect(server.env["INCIDENTS_DB_PATH"]) as db:
        return db.execute("SELECT event_id FROM incidents ORDER BY event_id LIMIT 1").fetchone()[0]


def test_an_incident_link_opens_it_and_a_bad_one_is_noticed(ready, tall, screenshot_dir):
    event_id = _an_incident(ready)
    open_page(tall, f"{ready.url}/incidents?incident={event_id}")
    no_exception(tall, ready)
    tall.get_by_text("Link to this incident").wait_for(timeout=RUN_TIMEOUT_MS)
    code = tall.locator('[data-testid="stCode"]').first.inner_text()
    assert code.strip().endswith(f"/incidents?incident={event_id}") and code.startswith("http")
    assert f"incident={event_id}" in tall.url
    tall.screenshot(path=str(screenshot_dir / "analyst_incident_link.png"))

    open_page(tall, code.strip())  # the link as shared opens the same incident
    tall.get_by_text("Link to this incident").wait_for(timeout=RUN_TIMEOUT_MS)

    open_page(tall, f"{ready.url}/incidents?incident={quote('<b>x</b>')}")
    no_exception(tall, ready)
    assert "Ignored incident=" in main_text(tall)
    assert tall.recorder.foreign() == []


def test_correction_form_saves_every_field_kind_and_announces_the_next(ready, tall, screenshot_dir):
    open_page(tall, f"{ready.url}/review")
    no_exception(tall, ready)
    for label in ("Claimed by", "Killed", "Injured", "Date precision", "Actor 1 (fired)"):
        assert tall.get_by_label(label).first.is_visible(), label
    assert tall.get_by_text("Disputed (the other side denies or counter-claims)").is_visible()
    tall.get_by_label("Your name (recorded with every correction)").fill("Browser analyst")
    tall.get_by_label("Your name (recorded with every correction)").press("Enter")
    wait_for_page_drawn(tall, RUN_TIMEOUT_MS)
    killed = tall.get_by_label("Killed").first
    killed.fill("3")
    killed.press("Enter")
    wait_for_page_drawn(tall, RUN_TIMEOUT_MS)
    tall.screenshot(path=str(screenshot_dir / "analyst_review_form.png"))
    tall.get_by_role("button", name="Save corrections").click()
    tall.get_by_text(re.compile(r"^Corrected fatalities")).wait_for(timeout=RUN_TIMEOUT_MS)
    tall.get_by_text(re.compile("Next in the queue")).wait_for(timeout=RUN_TIMEOUT_MS)
    no_exception(tall, ready)
    tall.screenshot(path=str(screenshot_dir / "analyst_review_after_save.png"))
    assert tall.recorder.foreign() == []


def test_who_blames_whom_and_a_pasted_reports_inferred_date(ready, tall, screenshot_dir):
    open_page(tall, f"{ready.url}/claims")
    no_exception(tall, ready)
    tall.locator(PLOTLY_SELECTOR).first.wait_for()
    assert "Who blames whom" in main_text(tall)
    tall.wait_for_timeout(800)
    tall.screenshot(path=str(screenshot_dir / "analyst_claims.png"))

    open_page(tall, f"{ready.url}/ingest")
    tall.get_by_label("Report text").fill("Statement of 13 March 2026. On 12 March units fired mortars at "
                                          "positions near Sotk. Yesterday they fired again.")
    tall.get_by_role("button", name="Extract incidents").first.click()
    tall.get_by_text(re.compile("Publication date inferred from the text: 2026")).wait_for(timeout=RUN_TIMEOUT_MS)
    no_exception(tall, ready)
    tall.screenshot(path=str(screenshot_dir / "analyst_ingest_inferred_date.png"))
    assert tall.recorder.foreign() == []
