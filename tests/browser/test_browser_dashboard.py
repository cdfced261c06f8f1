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
import json
import re
import sys
from urllib.parse import urlencode

import pytest

from browser_harness import (
    FIRST_START_TIMEOUT_MS,
    MAP_CANVAS_SELECTOR,
    PLOTLY_SELECTOR,
    RUN_TIMEOUT_MS,
    RequestRecorder,
    wait_for_app_idle,
    wait_for_marker_pixels,
    wait_for_page_drawn,
    why_no_browser,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]

METRIC = '[data-testid="stMetric"]'
MIN_MARKER_PIXELS = 150


@pytest.fixture(scope="module")
def first_visit(dashboard, chromium, screenshot_dir) -> RequestRecorder:
    """The very first visit, which waits out the first-start ingest once for
    every test; returns what that visit requested."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    recorder = RequestRecorder().attach(context)
    try:
        page = context.new_page()
        page.goto(dashboard.url)
        page.wait_for_selector(MAP_CANVAS_SELECTOR, timeout=FIRST_START_TIMEOUT_MS)
        wait_for_app_idle(page, FIRST_START_TIMEOUT_MS)
        wait_for_marker_pixels(page.locator(MAP_CANVAS_SELECTOR).first, minimum=MIN_MARKER_PIXELS, timeout=30)
        page.screenshot(path=str(screenshot_dir / "first_start.png"))
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
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)


def assert_no_exception(page, server, where: str = "") -> None:
    """No error box on the page. The browser only sees a redacted message, so
    the failure quotes the server log, where the traceback is."""
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        raise AssertionError(
            f"exception shown{' on ' + where if where else ''}: {boxes.first.inner_text()[:300]}\n"
            f"server log tail:\n{server.log_tail(3000)}"
        )


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def metric_value(page, label: str) -> int:
    """The number shown by the headline metric whose label starts with ``label``."""
    metric = page.locator(METRIC).filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^{label}", re.I))
    ).first
    text = metric.locator('[data-testid="stMetricValue"]').inner_text()  # auto-waits for it
    digits = re.sub(r"[^\d]", "", text)
    assert digits, f"metric {label!r} shows {text!r}"
    return int(digits)


def settle_charts(page) -> None:
    """Let charts paint before a screenshot: map markers, plotly SVG, a short pause."""
    canvas = page.locator(MAP_CANVAS_SELECTOR)
    if canvas.count():
        wait_for_marker_pixels(canvas.first, minimum=1, timeout=15)
    page.wait_for_timeout(800)  # tables draw on a canvas a moment after they appear


def sample_dates(server) -> list:
    """Event dates the app stored on first start (read from its own database)."""
    from incidents.config import Settings
    from incidents.store.dataset import load_incidents

    settings = Settings()
    settings.db_path = server.env["INCIDENTS_DB_PATH"]
    frame = load_incidents(settings, columns=["event_date"])
    return sorted(d.date() for d in frame["event_date"].dropna())


def test_first_start_shows_sample_markers_offline(started, first_visit, page, recorder, screenshot_dir):
    assert first_visit.urls, "the first visit recorded no request at all"
    assert first_visit.foreign() == []
    open_view(page, started.url)
    assert "fictional" in main_text(page).lower()  # the sample's events are invented: said on screen

    canvas = page.locator(MAP_CANVAS_SELECTOR).first
    count, png = wait_for_marker_pixels(canvas, minimum=MIN_MARKER_PIXELS, timeout=30)
    (screenshot_dir / "map_canvas.png").write_bytes(png)
    assert count >= MIN_MARKER_PIXELS, f"only {count} marker pixels on the map"
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
    page.screenshot(path=str(screenshot_dir / "url_dates_newest_day.png"))
    assert newest_only == sum(1 for d in dates if d == last)
    if first != last:
        assert newest_only < everything
    shown_dates = [i.input_value() for i in page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input').all()]
    assert any(last.isoformat() in v or last.strftime("%Y/%m/%d") in v for v in shown_dates), shown_dates

    # A range before any incident: an empty view, not an error.
    open_view(page, f"{started.url}/?since=1990-01-01&until=1990-01-31")
    assert metric_value(page, "Incidents") == 0
    assert_no_exception(page, started)
    assert recorder.foreign() == []


def test_malformed_url_value_gives_a_notice_not_a_traceback(started, page, recorder):
    open_view(page, f"{started.url}/?since=not-a-date&type=NoSuchType")
    assert_no_exception(page, started)
    text = page.inner_text("body")
    assert "not-a-date" in text
    assert metric_value(page, "Incidents") > 0
    assert recorder.foreign() == []


def download(page, label: re.Pattern) -> tuple[str, bytes]:
    """Click the download button whose label matches; (suggested file name, bytes)."""
    button = page.locator('[data-testid="stDownloadButton"] button', has_text=label).first
    button.wait_for(state="visible")  # drawn a moment after the script run ends
    with page.expect_download() as download_info:
        button.click()
    done = download_info.value
    return done.suggested_filename, open(done.path(), "rb").read()


def test_csv_download_opens_as_is(started, page, recorder):
    """The plain CSV: its first line is the header, every row has an ISO event_date, and
    pandas reads it with no options."""
    import pandas as pd

    open_view(page, started.url)
    name, data = download(page, re.compile("Download CSV", re.I))
    assert name.endswith(".csv")
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["event_id", "event_date"] and "fictional" in rows[0]
    table = pd.read_csv(io.BytesIO(data))  # unchanged: no skiprows, no comment character
    assert list(table.columns) == rows[0]
    shown = metric_value(page, "Incidents")
    assert len(table) == shown > 0
    assert table["event_date"].astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert recorder.foreign() == []


def test_csv_with_provenance_zip_and_acled_layout(started, page, recorder):
    """Beside the CSV: a zip with the same CSV, its provenance and a README; and ACLED's layout."""
    import zipfile

    import pandas as pd

    open_view(page, f"{started.url}/?type=Battles")
    shown = metric_value(page, "Incidents")
    name, data = download(page, re.compile("provenance", re.I))
    archive = zipfile.ZipFile(io.BytesIO(data))
    csv_name = next(n for n in archive.namelist() if n.endswith(".csv"))
    assert name.endswith(".zip") and {"provenance.json", "README.txt"} <= set(archive.namelist())
    provenance = json.loads(archive.read("provenance.json"))
    assert f"127.0.0.1:{started.port}" in provenance["view_url"] and "type=Battles" in provenance["view_url"]
    assert provenance["fictional"] is True and provenance["exported_at"] and provenance["tool_version"]
    assert "event type: Battles" in provenance["filters"]
    assert len(pd.read_csv(io.BytesIO(archive.read(csv_name)))) == shown == provenance["rows"]

    _, acled = download(page, re.compile("ACLED", re.I))
    table = pd.read_csv(io.BytesIO(acled))
    assert list(table.columns[:3]) == ["event_id_cnty", "event_date", "year"] and len(table) == shown
    assert recorder.foreign() == []


def test_geojson_download_holds_exactly_the_filtered_view(started, page, recorder):
    open_view(page, f"{started.url}/?type=Battles")
    shown = metric_value(page, "Incidents")
    button = page.locator('[data-testid="stDownloadButton"] button', has_text=re.compile("GeoJSON", re.I)).first
    button.wait_for(state="visible")
    with page.expect_download() as download_info:
        button.click()
    collection = json.loads(open(download_info.value.path(), encoding="utf-8").read())

    assert collection["type"] == "FeatureCollection"
    metadata = collection.get("metadata") or {}
    assert "type=Battles" in str(metadata.get("view_url")), metadata
    assert metadata.get("fictional") is True and metadata.get("exported_at") and metadata.get("tool_version")
    features = collection["features"]
    assert len(features) == shown > 0
    assert {f["properties"]["event_type"] for f in features} == {"Battles"}
    assert recorder.foreign() == []


@pytest.mark.parametrize("which", ["map", "timeline"])
def test_chart_image_download_works_offline(started, page, recorder, screenshot_dir, which):
    """The camera button renders a PNG in the browser: nothing is sent anywhere."""
    open_view(page, started.url)
    charts = page.locator(PLOTLY_SELECTOR)
    chart = charts.filter(has=page.locator("canvas.maplibregl-canvas")) if which == "map" else charts.filter(
        has_not=page.locator("canvas.maplibregl-canvas"))
    chart = chart.first
    if which == "map":
        wait_for_marker_pixels(chart.locator("canvas.maplibregl-canvas").first, minimum=1, timeout=30)
    chart.hover()
    camera = chart.locator('.modebar-btn[data-title^="Download plot"]').first
    with page.expect_download() as download_info:
        camera.click()
    data = open(download_info.value.path(), "rb").read()
    (screenshot_dir / f"downloaded_{which}.png").write_bytes(data)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000
    assert recorder.foreign() == []


def test_every_page_renders_offline(started, page, recorder, screenshot_dir):
    # Streamlit scrolls inside its own container, so a "full page" screenshot is
    # only the viewport: a tall one shows most of each page.
    page.set_viewport_size({"width": 1400, "height": 2400})
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
        settle_charts(page)
        slug = re.sub(r"[^a-z0-9]+", "_", url.split(str(started.port), 1)[1].lower()).strip("_") or "home"
        page.screenshot(path=str(screenshot_dir / f"page_{slug}.png"))
        assert_no_exception(page, started, url)
    assert recorder.foreign() == []


def test_box_selection_on_the_map_lists_incidents(started, page, recorder, screenshot_dir):
    """A real drag (AppTest cannot make one): the selected places' incidents are listed."""
    open_view(page, started.url)
    canvas = page.locator(MAP_CANVAS_SELECTOR).first
    wait_for_marker_pixels(canvas, minimum=MIN_MARKER_PIXELS, timeout=30)
    chart = page.locator('[data-testid="stPlotlyChart"]', has=page.locator("canvas.maplibregl-canvas")).first
    chart.hover()
    box_tool = chart.locator('.modebar-btn[data-val="select"], .modebar-btn[data-title="Box Select"]').first
    if box_tool.count():
        box_tool.click()
    area = canvas.bounding_box()
    assert area is not None
    page.mouse.move(area["x"] + area["width"] * 0.03, area["y"] + area["height"] * 0.03)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.5, area["y"] + area["height"] * 0.5, steps=8)
    page.mouse.move(area["x"] + area["width"] * 0.97, area["y"] + area["height"] * 0.9, steps=8)
    page.mouse.up()

    heading = page.get_by_text(re.compile(r"Selected on the map: [\d,]+ incidents?"))
    heading.wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "map_box_selection.png"))
    selected = int(re.sub(r"\D", "", heading.inner_text()))
    assert 0 < selected <= metric_value(page, "Incidents")
    assert_no_exception(page, started)
    assert recorder.foreign() == []


def test_filter_change_is_written_to_the_url_and_the_link_reopens_it(started, page, context, recorder):
    """The address bar follows the filters (AppTest cannot see this write-back),
    and the link opens the same view for someone else."""
    open_view(page, started.url)
    everything = metric_value(page, "Incidents")
    page.locator('[data-testid="stSidebar"]').get_by_text("Last 30 days", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]preset=30d"), timeout=RUN_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    last_30 = metric_value(page, "Incidents")
    assert last_30 <= everything
    link = page.url

    other = context.new_page()
    open_view(other, link)
    assert metric_value(other, "Incidents") == last_30
    chosen = other.locator('[data-testid="stSidebar"] label:has(input[type="radio"]:checked)')
    assert "Last 30 days" in chosen.inner_text()
    assert recorder.foreign() == []


def test_timeline_span_selection_sets_the_date_filter(started, page, recorder, screenshot_dir):
    """Dragging across timeline bars (a real drag) narrows the dates, visibly and in the URL."""
    open_view(page, f"{started.url}/timeline")
    chart = page.locator(PLOTLY_SELECTOR).first
    chart.hover()
    box_tool = chart.locator('.modebar-btn[data-val="select"], .modebar-btn[data-title="Box Select"]').first
    if box_tool.count():
        box_tool.click()
    bars = chart.locator(".draglayer .nsewdrag").first  # the first subplot: the stacked bars
    area = bars.bounding_box()
    assert area is not None
    page.mouse.move(area["x"] + area["width"] * 0.2, area["y"] + area["height"] * 0.02)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.4, area["y"] + area["height"] * 0.5, steps=6)
    page.mouse.move(area["x"] + area["width"] * 0.6, area["y"] + area["height"] * 0.98, steps=6)
    page.mouse.up()

    page.wait_for_url(re.compile(r"[?&]since=\d{4}-\d\d-\d\d.*until=|[?&]until=.*since="), timeout=RUN_TIMEOUT_MS)
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "timeline_span_selected.png"))
    shown = [i.input_value() for i in page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input').all()]
    days = [re.sub(r"\D", "", v) for v in shown]
    assert len(days) == 2 and all(len(d) == 8 for d in days) and days[0] <= days[1], shown
    dates = sample_dates(started)
    assert (days[0], days[1]) != (dates[0].strftime("%Y%m%d"), dates[-1].strftime("%Y%m%d"))
    assert_no_exception(page, started)
    assert recorder.foreign() == []


# "Yesterday": the page's publication date defaults to today, and the extractor
# leaves out events dated long before publication.
MARKUP_REPORT = (
    "Yesterday units of the Azerbaijani armed forces fired mortars at Armenian positions "
    'near the village of Sotk <img src="https://evil.example/pixel.png" onerror="alert(1)"> '
    "[details](https://evil.example/more) **loud** <script>alert(2)</script>."
)


def stored_event_ids(server, needle: str) -> list[str]:
    """Ids of stored incidents whose evidence contains ``needle`` (read from the app's database)."""
    from incidents.config import Settings
    from incidents.store.dataset import load_incidents

    settings = Settings()
    settings.db_path = server.env["INCIDENTS_DB_PATH"]
    frame = load_incidents(settings, columns=["event_id", "evidence"])
    hits = frame["evidence"].fillna("").str.contains(needle, regex=False)
    return list(frame.loc[hits, "event_id"])


def assert_no_markup_rendered(page) -> None:
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('img[src*="evil.example"]').count() == 0
    links = main.locator('a[href*="evil.example"]')
    assert links.count() == 0, links.first.evaluate("a => a.parentElement.parentElement.outerHTML.slice(0, 800)")
    assert main.locator("script", has_text="alert").count() == 0
    assert main.locator("b", has_text="Ministry").count() == 0


def test_report_markup_is_shown_as_text_never_rendered(started, page, recorder, screenshot_dir):
    """Report text is data: HTML and Markdown in a pasted report are shown verbatim
    in the preview and, once saved, in the incident's detail (evidence marked)."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_view(page, f"{started.url}/ingest")
    text_area = page.get_by_label("Report text")
    text_area.fill(MARKUP_REPORT)
    text_area.press("Control+Enter")  # commit the value before pressing the button
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    title = page.get_by_label("Title")
    title.fill('<b>Ministry</b> [statement](https://evil.example/t)')
    title.press("Enter")
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.get_by_role("button", name="Extract incidents").first.click()
    extracted = page.get_by_text(re.compile(r"Extracted: \d+ incidents?"))
    extracted.wait_for(timeout=FIRST_START_TIMEOUT_MS)
    assert not extracted.inner_text().startswith("Extracted: 0 "), "the report gave no incident to show"
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    for expander in page.locator('[data-testid="stExpander"] summary').all():
        expander.click()
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.wait_for_timeout(600)  # the expanders' opening animation
    page.screenshot(path=str(screenshot_dir / "ingest_markup_preview.png"))

    assert_no_markup_rendered(page)
    shown = page.locator('[data-testid="stMain"]').inner_text()
    assert '<img src="https://evil.example/pixel.png"' in shown  # the evidence, verbatim
    assert "<b>Ministry</b>" in shown  # the title, verbatim

    # Save it, then open the stored incident's detail: the report text with the
    # evidence marked is the one place the app builds HTML from report text.
    name = page.get_by_label("Your name (recorded with every correction)")
    name.fill("browser test")
    name.press("Enter")
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    page.get_by_role("button", name="Save to the store").click()
    page.get_by_text(re.compile(r"Saved: \d+ incidents? added")).wait_for(timeout=RUN_TIMEOUT_MS)
    event_ids = stored_event_ids(started, "evil.example")
    assert event_ids, "the saved incident is not in the store"

    open_view(page, f"{started.url}/incidents")
    by_id = page.get_by_label("…or open an incident by id")
    by_id.fill(event_ids[0])
    by_id.press("Enter")
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    marked = page.locator('[data-testid="stMain"] mark')
    marked.first.wait_for(timeout=RUN_TIMEOUT_MS)
    marked.first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir / "incident_detail_markup.png"))
    assert "<img src=" in marked.first.inner_text()
    assert_no_markup_rendered(page)
    assert dialogs == []
    assert_no_exception(page, started)
    assert recorder.foreign() == []
