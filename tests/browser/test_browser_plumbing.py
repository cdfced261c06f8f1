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
    if st.query_params.get("labels"):  # text labels make MapLibre fetch glyphs from the internet
        fig.update_traces(mode="markers+text", text=frame["kind"])
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


def test_recorder_catches_map_worker_requests(tiny_app, page, recorder):
    """MapLibre fetches label glyphs from a web worker, not the page: the recorder
    must still see (and block) that request, or the offline checks prove nothing."""
    page.goto(f"{tiny_app.url}/?labels=1")
    page.wait_for_selector(MAP_CANVAS_SELECTOR)
    wait_for_app_idle(page, 30_000)
    for _ in range(60):  # the worker asks once the style has loaded: up to 15 s
        if recorder.foreign():
            break
        page.wait_for_timeout(250)
    assert any("fonts.openmaptiles.org" in url for url in recorder.foreign()), recorder.foreign()

