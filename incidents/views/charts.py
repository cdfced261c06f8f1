"""Plotly figures of the dashboard, built from plain DataFrames (no Streamlit): the
shared palette and helpers, and the period comparison. The map lives in
:mod:`incidents.views.map_chart` (what a selection on it means:
:mod:`incidents.views.selection`), the timeline in :mod:`incidents.views.timeline_chart`.

Choices that matter to users:

- Colours are the Okabe-Ito palette, readable with the common colour-vision
  deficiencies; nothing is told by colour alone.
- Every string from a report is passed through ``html.escape`` before it goes
  into hover text or annotations: plotly renders some HTML tags there.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from incidents import schema
from incidents.views.land import WATER_COLOUR

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
TYPE_COLOURS: dict[str, str] = {
    schema.BATTLES: OKABE_ITO["vermillion"],
    schema.EXPLOSIONS: OKABE_ITO["blue"],
    schema.VIOLENCE_AGAINST_CIVILIANS: OKABE_ITO["reddish_purple"],
    schema.STRATEGIC: OKABE_ITO["bluish_green"],
}
OTHER_COLOUR = OKABE_ITO["orange"]
HALO_COLOUR = "#555555"
OFFLINE_STYLE = "white-bg"
MAP_IMAGE_SIZE = (1200, 800)  # PNG of the map, in CSS pixels (scale 2)


def scattermap(**props: Any) -> dict[str, Any]:
    """A ``scattermap`` trace as a plain dict, for :func:`shared_figure`."""
    return {"type": "scattermap", **props}


class SharedFigure(go.Figure):
    """A Figure that is complete when built and never changed after: cached and shared by
    every session, and drawn again at each of their reruns. ``st.plotly_chart`` asks for its
    dict form every time; it is made once (plotly deep-copies the whole figure for each call)."""

    _as_dict: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        if self._as_dict is None:
            self._as_dict = super().to_dict()
        return self._as_dict


def shared_figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A :class:`SharedFigure` of plain-dict traces and layout, built without plotly's validation.

    Validation walked every array and every base-map coordinate again on each
    filter change (more than half the map's server time at a million incidents);
    the tests validate the same figures once instead. Arrays must be NumPy or
    lists (a pandas Series would travel as is). Read-only once built.
    """
    return SharedFigure(data=traces, layout=layout, _validate=False)


def type_colour(event_type: object) -> str:
    return TYPE_COLOURS.get(str(event_type), OTHER_COLOUR)


def esc(value: object) -> str:
    """Report text made safe for plotly hover/annotation text (which renders some HTML)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


# The offline map's MapLibre style: water as the background (land is a fill layer above
# it) and, unlike plotly's ``white-bg``, no ``glyphs`` URL, so MapLibre draws label
# letters with the browser's own fonts instead of asking a font server.
OFFLINE_STYLE_SPEC: dict[str, Any] = {
    "version": 8, "sources": {},
    "layers": [{"id": "water", "type": "background", "paint": {"background-color": WATER_COLOUR}}],
}


def offline_style() -> str:
    """``OFFLINE_STYLE_SPEC`` as a ``data:`` URL: MapLibre reads it without any request.

    Not the dict itself: plotly hands a dict style to MapLibre, which changes it
    in place, and the PNG export's second map then fails ("Map error.") on the
    changed, frozen copy; a URL is parsed afresh for every map.
    """
    return "data:application/json," + quote(json.dumps(OFFLINE_STYLE_SPEC, separators=(",", ":")))


def map_style(style: str, online_tiles: bool) -> str:
    """The style actually used: anything but ``white-bg`` fetches tiles, so only when allowed."""
    return style if online_tiles and style else OFFLINE_STYLE


def chart_config(filename: str, width: int | None = None, height: int | None = None) -> dict[str, Any]:
    """plotly config: the camera button saves a PNG in the browser (works offline).

    A fixed size (when given) lays the figure out afresh for the image, so a
    legend or colour bar is not squeezed by a narrow browser window.
    """
    image: dict[str, Any] = {"format": "png", "filename": filename, "scale": 2}
    if width and height:
        image.update(width=width, height=height)
    return {"displaylogo": False, "toImageButtonOptions": image, "scrollZoom": True}


# ---------------------------------------------------------------------------
# Comparing two periods
# ---------------------------------------------------------------------------


def _counts(frame: pd.DataFrame, by: str) -> pd.Series:
    """Incidents per value of ``by``; ``region`` means "country · admin1" (admin1 alone is ambiguous)."""
    if by == "region":
        if frame.empty:
            return pd.Series(dtype=np.int64)
        country = frame["country"].astype(object).fillna("?") if "country" in frame else pd.Series("?", frame.index)
        admin1 = frame["admin1"].astype(object).fillna("(no region)")
        # Group first, build labels only for the (few) groups: string work on a million rows is slow.
        grouped = pd.DataFrame({"c": country.to_numpy(), "a": admin1.to_numpy()}).value_counts()
        return pd.Series(grouped.to_numpy(), index=[f"{c} · {a}" for c, a in grouped.index])
    counts = frame[by].value_counts(dropna=False)
    counts = counts[counts > 0]  # categoricals also list the values absent from this period
    counts.index = ["(none)" if (v is None or v != v) else str(v) for v in counts.index]
    return counts.groupby(level=0).sum()


def compare_counts(before: pd.DataFrame, after: pd.DataFrame, by: str, labels: tuple[str, str]) -> pd.DataFrame:
    """Incidents per value of ``by`` in two periods, with the change (absolute and %)."""
    left, right = _counts(before, by), _counts(after, by)
    table = pd.concat([left.rename(labels[0]), right.rename(labels[1])], axis=1).fillna(0).astype(int)
    table["Change"] = table[labels[1]] - table[labels[0]]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(table[labels[0]] > 0, 100.0 * table["Change"] / table[labels[0]], np.nan)
    table["Change %"] = np.round(pct, 1)
    table = table.sort_values([labels[1], labels[0]], ascending=False)
    table.index.name = by
    return table.reset_index()


COMPARE_BARS = 20  # categories drawn; the table beside the chart lists them all


def compare_figure(table: pd.DataFrame, by: str, labels: tuple[str, str], height: int = 380,
                   limit: int = COMPARE_BARS) -> go.Figure:
    """Side-by-side bars of the two periods per value of ``by`` (the ``limit`` largest)."""
    table = table.head(limit)
    fig = go.Figure()
    for label, colour in zip(labels, (OKABE_ITO["sky_blue"], OKABE_ITO["blue"])):
        fig.add_trace(go.Bar(x=[esc(v) for v in table[by]], y=table[label], name=esc(label), marker_color=colour))
    # Legend above the bars: below, it overprinted the slanted category labels.
    fig.update_layout(barmode="group", height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0})
    fig.update_xaxes(type="category", automargin=True)  # region codes such as "05" are names, not numbers
    fig.update_yaxes(title_text="Incidents")
    return fig
