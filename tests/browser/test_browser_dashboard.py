"""The dashboard end to end, in Debian's Chromium, as a new user meets it.

One server for the whole module (first start ingests the bundled sample into
an empty temporary database), one browser; each test opens its own page.
Every test also checks that the page asked nothing of any host but the app's
own: analysts work offline, and a tile or font request would reveal what they
look at.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from urllib.parse import urlencode

import pytest

from browser_harness import (
    FIRST_START_TIMEOUT_MS,
    MAP_CANVAS_SELECTOR,
    RUN_TIMEOUT_MS,
    RequestRecorder,
    wait_for_app_idle,
    wait_for_coloured_pixels,
    why_no_browser,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]

METRIC = '[data-testid="stMetric"]'
MIN_MARKER_PIXELS = 150


@pytest.fixture(scope="module")
def first_visit(dashboard, chromium) -> RequestRecorder:
    """The very first visit, which waits out the first-start ingest once for
    every test; returns what that visit requested."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    recorder = RequestRecorder().attach(context)
    try:
        page = context.new_page()
        page.goto(dashboard.url)
        page.wait_for_selector(MAP_CANVAS_SELECTOR, timeout=FIRST_START_TIMEOUT_MS)
        wait_for_app_idle(page, FIRST_START_TIMEOUT_MS)
    finally:
        context.close()
    return recorder


@pytest.fixture
def started(dashboard, first_visit):
    """The dashboard, once its first start is over."""
    return dashboard


def open_view(page, url: str) -> None:
    """Open a dashboard URL and wait until the script run has finished."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    wait_for_app_idle(page, RUN_TIMEOUT_MS)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def metric_value(page, label: str) -> int:
    """The number shown by the headline metric whose label starts with ``label``."""
    metric = page.locator(METRIC).filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^{label}", re.I))
    ).first
    text = metric.locator('[data-testid="stMetricValue"]').inner_text()
    digits = re.sub(r"[^\d]", "", text)
    assert digits, f"metric {label!r} shows {text!r}"
    return int(digits)


def sample_dates(server) -> list:
    """Event dates the app stored on first start (read from its own database)."""
    from incidents.config import Settings
    from incidents.dataset import load_incidents

    settings = Settings()
    settings.db_path = server.env["INCIDENTS_DB_PATH"]
    frame = load_incidents(settings, columns=["event_date"])
    return sorted(d.date() for d in frame["event_date"].dropna())


def test_first_start_shows_sample_markers_offline(started, first_visit, page, recorder, screenshot_dir):
    assert first_visit.urls, "the first visit recorded no request at all"
    assert first_visit.foreign() == []
    open_view(page, started.url)
    assert "fictional" in main_text(page).lower() or "fictional" in page.inner_text("body").lower()

    canvas = page.locator(MAP_CANVAS_SELECTOR).first
    count, png = wait_for_coloured_pixels(canvas, minimum=MIN_MARKER_PIXELS, timeout=30)
    (screenshot_dir / "map_canvas.png").write_bytes(png)
    page.screenshot(path=str(screenshot_dir / "page_home.png"), full_page=True)
    assert count >= MIN_MARKER_PIXELS, f"only {count} coloured pixels on the map"
    assert metric_value(page, "Incidents") > 0
    assert recorder.foreign() == []


def test_date_range_from_url_narrows_the_view(started, page, recorder, screenshot_dir):
    open_view(page, started.url)
    everything = metric_value(page, "Incidents")
    dates = sample_dates(started)
    assert dates, "the sample produced no dated incident"
    first, last = dates[0], dates[-1]

    # Only the newest day: fewer incidents unless the sample is a single day.
    open_view(page, f"{started.url}/?{urlencode({'since': last.isoformat(), 'until': last.isoformat()})}")
    newest_only = metric_value(page, "Incidents")
    page.screenshot(path=str(screenshot_dir / "page_home_url_dates.png"), full_page=True)
    assert newest_only == sum(1 for d in dates if d == last)
    if first != last:
        assert newest_only < everything
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert last.strftime("%Y/%m/%d") in sidebar or last.isoformat() in sidebar

    # A range before any incident: an empty view, not an error.
    open_view(page, f"{started.url}/?since=1990-01-01&until=1990-01-31")
    assert metric_value(page, "Incidents") == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert recorder.foreign() == []


def test_malformed_url_value_gives_a_notice_not_a_traceback(started, page, recorder):
    open_view(page, f"{started.url}/?since=not-a-date&type=NoSuchType")
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.inner_text("body")
    assert "not-a-date" in text
    assert metric_value(page, "Incidents") > 0
    assert recorder.foreign() == []


def test_csv_download_has_header_and_provenance(started, page, recorder):
    open_view(page, started.url)
    button = page.locator('[data-testid="stDownloadButton"] button', has_text=re.compile("CSV", re.I))
    assert button.count() > 0, "no CSV download button on the first page"
    with page.expect_download() as download_info:
        button.first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()

    assert "event_id" in text and "event_date" in text
    lowered = text.lower()
    assert "fictional" in lowered
    assert started.url.split("//")[1] in text or "http" in lowered  # the view's URL
    rows = [r for r in csv.reader(io.StringIO(text)) if r and not r[0].startswith("#")]
    header = next(r for r in rows if "event_id" in r)
    assert len(rows) - rows.index(header) - 1 == metric_value(page, "Incidents")
    assert recorder.foreign() == []


def test_every_page_renders_offline(started, page, recorder, screenshot_dir):
    open_view(page, started.url)
    links = page.locator('[data-testid="stSidebarNav"] a, [data-testid="stTopNavLink"] a')
    hrefs = []
    for index in range(links.count()):
        href = links.nth(index).get_attribute("href")
        if href and href not in hrefs:
            hrefs.append(href)
    print(f"pages: {hrefs}", file=sys.stderr)
    for href in hrefs or [started.url]:
        url = href if href.startswith("http") else f"{started.url}/{href.lstrip('/')}"
        open_view(page, url)
        page.wait_for_timeout(500)  # let charts paint before the screenshot
        slug = re.sub(r"[^a-z0-9]+", "_", url.split(str(started.port), 1)[1].lower()).strip("_") or "home"
        page.screenshot(path=str(screenshot_dir / f"page_{slug}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, f"exception on {url}"
    assert recorder.foreign() == []
