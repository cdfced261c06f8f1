"""The browser harness itself, on a tiny throwaway Streamlit script.

Why: when a dashboard test fails, this one tells whether the app or the
plumbing (Chromium launch, server start, WebGL map drawing offline, request
recording, downloads) is to blame. It does not need the project's app.
"""

from __future__ import annotations

import textwrap

import pytest

from browser_harness import (
    MAP_CANVAS_SELECTOR,
    PLOTLY_SELECTOR,
    coloured_pixels,
    marker_pixels,
    parse_colour,
    is_local,
    run_streamlit,
    wait_for_app_idle,
    wait_for_marker_pixels,
    why_no_browser,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]

TINY_APP = textwrap.dedent(
    '''
    import pandas as pd
    import plotly.express as px
    import streamlit as st

    frame = pd.DataFrame({
        "lat": [40.0, 40.2, 40.4, 39.9],
        "lon": [45.0, 45.3, 45.1, 44.8],
        "kind": ["a", "b", "c", "a"],
    })
    st.metric("Points", len(frame))
    st.write("day:", st.query_params.get("day", "none"))
    fig = px.scatter_map(frame, lat="lat", lon="lon", color="kind", zoom=6,
                         center={"lat": 40.1, "lon": 45.0}, map_style="white-bg")
    fig.update_traces(marker={"size": 25})
    st.plotly_chart(fig, key="map")
    st.download_button("CSV", frame.to_csv(index=False), file_name="points.csv")
    '''
)


@pytest.fixture(scope="module")
def tiny_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny_app")
    script = root / "tiny_app.py"
    script.write_text(TINY_APP, encoding="utf-8")
    with run_streamlit(script, cwd=root, log_path=root / "streamlit.log") as server:
        yield server


@pytest.mark.parametrize(
    "url, local",
    [
        ("http://127.0.0.1:8501/_stcore/health", True),
        ("ws://localhost:8501/_stcore/stream", True),
        ("data:image/png;base64,AAAA", True),
        ("blob:http://127.0.0.1:8501/uuid", True),
        ("https://fonts.openmaptiles.org/Open%20Sans/0-255.pbf", False),
        ("https://basemaps.cartocdn.com/gl/voyager-gl-style/style.json", False),
        ("http://127.0.0.2.example.com/x", False),
    ],
)
def test_is_local(url, local):
    assert is_local(url) is local


def test_coloured_pixels_ignores_white_and_grey():
    from io import BytesIO

    from PIL import Image

    image = Image.new("RGB", (10, 10), (255, 255, 255))
    for x in range(10):
        image.putpixel((x, 0), (128, 128, 128))  # a grey border line
    for x in range(3):
        image.putpixel((x, 5), (230, 159, 0))  # an orange marker
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    assert coloured_pixels(buffer.getvalue()) == 3


@pytest.mark.parametrize(
    "text, rgb",
    [
        ("#D55E00", (213, 94, 0)),
        ("#0072b2", (0, 114, 178)),
        ("#fff", (255, 255, 255)),
        ("rgb(10, 20, 30)", (10, 20, 30)),
        ("rgba(10,20,30,0.5)", (10, 20, 30)),
        ("viridis", None),
        ("#12345", None),
    ],
)
def test_parse_colour(text, rgb):
    assert parse_colour(text) == rgb


def _png(rows: list[list[tuple[int, int, int]]]) -> bytes:
    from io import BytesIO

    from PIL import Image

    image = Image.new("RGB", (len(rows[0]), len(rows)))
    for y, row in enumerate(rows):
        for x, pixel in enumerate(row):
            image.putpixel((x, y), pixel)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "pixel, layers, is_marker",
    [
        ((255, 255, 255), [], False),  # the white background
        ((128, 128, 128), [], False),  # a grey border
        ((40, 40, 40), [], False),  # a dark label
        ((111, 159, 200), ["#6f9fc8"], False),  # the coastline
        ((180, 200, 225), ["#6f9fc8"], False),  # its anti-aliased tint
        ((111, 159, 200), [], True),  # the same blue is a marker when no layer has it
        ((184, 134, 11), ["#b8860b"], False),  # an overlay line
        ((213, 94, 0), ["#6f9fc8", "#8c8c8c"], True),  # vermillion marker
        ((25, 128, 186), ["#6f9fc8"], True),  # blue marker at opacity 0.9
        ((0, 34, 78), ["#6f9fc8"], True),  # dark end of a Cividis grid
        ((234, 218, 90), ["#6f9fc8"], True),  # light end of a Cividis grid
    ],
)
def test_marker_pixels_tell_markers_from_base_map(pixel, layers, is_marker):
    assert marker_pixels(_png([[pixel] * 3]), layers) == (3 if is_marker else 0)


def test_tiny_app_draws_map_offline_and_downloads(tiny_app, page, recorder, screenshot_dir):
    page.goto(f"{tiny_app.url}/?day=2024-03-01")
    page.wait_for_selector(PLOTLY_SELECTOR)
    wait_for_app_idle(page, 30_000)
    assert "2024-03-01" in page.inner_text('[data-testid="stMain"]')

    canvas = page.locator(MAP_CANVAS_SELECTOR).first
    count, png = wait_for_marker_pixels(canvas, minimum=200, timeout=30)
    (screenshot_dir / "plumbing_tiny_app.png").write_bytes(png)
    assert count >= 200, f"only {count} coloured pixels on the map"

    with page.expect_download() as download_info:
        page.get_by_role("button", name="CSV").click()
    text = open(download_info.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0] == "lat,lon,kind"

    assert recorder.urls, "the recorder saw no request at all"
    assert recorder.foreign() == []
