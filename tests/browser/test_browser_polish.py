"""What the dashboard looks like to a reader, checked in Chromium: labels inside
their chart, inputs before the button they feed, a map image with its legend.

Reuses the session's server (``dashboard`` in conftest.py); the first visit
waits out the first-start ingest if no other test module has yet.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from browser_harness import (
    PLOTLY_SELECTOR,
    RUN_TIMEOUT_MS,
    wait_for_marker_pixels,
    wait_for_page_drawn,
    why_no_browser,
)

MAP_CANVAS = "canvas.maplibregl-canvas"  # inside a plotly chart

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)


def test_timeline_key_date_labels_sit_inside_the_chart(ready, page, recorder, screenshot_dir):
    open_page(page, ready.url.rstrip("/") + "/timeline")
    chart = page.locator(PLOTLY_SELECTOR).first
    chart.locator("g.annotation").first.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshot_dir / "polish_timeline.png"))
    box = chart.bounding_box()
    labels = chart.locator("g.annotation")
    assert labels.count() >= 1, "the sample's key dates are marked"
    for index in range(labels.count()):
        label = labels.nth(index).bounding_box()
        assert label is not None
        assert box["x"] - 1 <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"] + 1, (
            f"key-date label {index} runs off the chart: {label} outside {box}")
        assert label["y"] >= box["y"] - 1, f"key-date label {index} is cut off at the top"
    assert recorder.foreign() == []


def test_ingest_publication_date_comes_before_the_extract_button(ready, page, recorder):
    open_page(page, ready.url.rstrip("/") + "/ingest")
    date = page.get_by_text("Published on", exact=False).first
    button = page.get_by_role("button", name="Extract incidents").first
    button.wait_for()
    assert date.bounding_box()["y"] < button.bounding_box()["y"]
    assert recorder.foreign() == []


def test_map_image_download_keeps_its_whole_legend(ready, page, recorder, screenshot_dir):
    """The camera button saves the map at a fixed size with the legend below the
    map, so no legend entry is cut off by a narrow window or a fallback font."""
    from PIL import Image

    open_page(page, ready.url)
    chart = page.locator(PLOTLY_SELECTOR).filter(has=page.locator(MAP_CANVAS)).first
    wait_for_marker_pixels(chart.locator(MAP_CANVAS).first, minimum=1, timeout=30)
    chart.hover()
    with page.expect_download() as download_info:
        chart.locator('.modebar-btn[data-title^="Download plot"]').first.click()
    data = open(download_info.value.path(), "rb").read()
    (screenshot_dir / "polish_downloaded_map.png").write_bytes(data)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (2400, 1600), "toImageButtonOptions sets 1200 x 800 at scale 2"
    band = image.crop((0, int(image.height * 0.9), image.width, image.height))
    pixels = np.asarray(band, dtype=int)
    blue = int((np.abs(pixels - np.array([0x00, 0x72, 0xB2])).max(axis=2) < 40).sum())
    assert blue > 50, "the Explosions legend symbol is drawn below the map"
    assert recorder.foreign() == []
