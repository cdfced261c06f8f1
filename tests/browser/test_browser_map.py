"""The Map page in Chromium: names drawn on the map with no request to another host,
land told from water, and the conflict filter from the URL.

Reuses the session's server (``dashboard`` in conftest.py) on the bundled sample.
"""

from __future__ import annotations

import io
from urllib.parse import quote

import numpy as np
import pytest

from browser_harness import (
    MAP_CANVAS_SELECTOR,
    RUN_TIMEOUT_MS,
    parse_colour,
    wait_for_marker_pixels,
    wait_for_page_drawn,
    why_no_browser,
)

from incidents.views.land import LAND_COLOUR, WATER_COLOUR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]

# The text MapLibre placed on the map: rendered symbol features of the plotly label traces.
RENDERED_LABELS_JS = """
(canvas) => {
  const el = canvas.closest('.js-plotly-plot');
  const subplot = el && el._fullLayout && el._fullLayout.map && el._fullLayout.map._subplot;
  if (!subplot || !subplot.map) return [];
  const features = subplot.map.queryRenderedFeatures();
  return features.filter((f) => f.layer && f.layer.type === 'symbol' && f.properties && f.properties.text)
                 .map((f) => String(f.properties.text));
}
"""


def open_map(page, url: str):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    wait_for_page_drawn(page, RUN_TIMEOUT_MS)
    canvas = page.locator(MAP_CANVAS_SELECTOR).first
    count, png = wait_for_marker_pixels(canvas, minimum=30, timeout=30)
    assert count >= 30, f"only {count} marker pixels"
    return canvas, png


def rendered_labels(page, canvas, timeout_s: float = 20) -> list[str]:
    for _ in range(int(timeout_s * 4)):
        found = canvas.evaluate(RENDERED_LABELS_JS)
        if found:
            return found
        page.wait_for_timeout(250)
    return []


def share_near(png: bytes, colour: str, tolerance: float = 6.0) -> float:
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float32)
    target = np.asarray(parse_colour(colour), dtype=np.float32)
    return float((np.linalg.norm(pixels - target, axis=2) < tolerance).mean())


def test_map_names_places_and_countries_without_asking_another_host(ready, page, recorder, screenshot_dir):
    canvas, png = open_map(page, ready.url)
    labels = rendered_labels(page, canvas)
    page.wait_for_timeout(2000)  # glyph requests, if any, go out from a worker right after the style loads
    page.screenshot(path=str(screenshot_dir / "map_page.png"), full_page=True)
    canvas.screenshot(path=str(screenshot_dir / "map_canvas_labels.png"))
    assert labels, "no label text was drawn on the map"
    assert any(text.isupper() for text in labels), f"no country name among {labels}"
    assert any(not text.isupper() for text in labels), f"no place name among {labels}"
    assert recorder.urls and recorder.foreign() == []


def test_land_and_water_are_told_apart(ready, page, recorder):
    _, png = open_map(page, ready.url)
    assert share_near(png, LAND_COLOUR) > 0.05
    assert share_near(png, WATER_COLOUR) > 0.02
    assert recorder.foreign() == []


def test_conflict_filter_from_a_link_narrows_the_map_and_stays_in_the_url(ready, page, recorder, screenshot_dir):
    open_map(page, ready.url)
    everything = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    canvas, _ = open_map(page, f"{ready.url}/?conflict={quote('India–Pakistan')}")
    page.screenshot(path=str(screenshot_dir / "map_conflict.png"), full_page=True)
    narrowed = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert int(narrowed.replace(",", "")) < int(everything.replace(",", ""))
    assert "India–Pakistan" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert "conflict=" in page.url
    labels = rendered_labels(page, canvas)
    assert "INDIA" in labels or "PAKISTAN" in labels, labels
    assert recorder.foreign() == []
