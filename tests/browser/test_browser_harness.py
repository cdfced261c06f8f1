"""The pure helpers of the browser harness (no browser needed): which URLs
count as the app's own, colour parsing, and telling markers from the base map
on a screenshot."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from browser_harness import is_local, marker_pixels, parse_colour


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
