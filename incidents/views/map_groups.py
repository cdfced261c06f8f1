"""Places too close to tell apart at the map's opening zoom, grouped into one marker with a count.

Markers of neighbouring villages would otherwise print over each other. At
the zoom the map opens at, places within ``GROUP_PX`` pixels of a busier
place join its group (greedy, busiest first, so a group sits on its main
place); a place with no close neighbour keeps its own marker. A group's
selection key lists its places (``m:<lat>:<lon>;<lat>:<lon>...``), so selecting
it lists exactly their incidents, and "zoom into the selection" narrows the
view to them until the places separate.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from incidents.views.charts import esc, scattermap

GROUP_PX = 16
GROUP_COLOUR = "#3d3d3d"
GROUP_NAME = "Grouped places (incidents)"
GROUP_NAMES_SHOWN = 5
COLUMNS = ["lat", "lon", "count", "places", "casualties", "approximate", "types", "key", "hover"]


def group_key(place_keys: list[str]) -> str:
    """Selection key of a group: its places' ``p:`` keys joined (``m:lat:lon;lat:lon``)."""
    return "m:" + ";".join(key.removeprefix("p:") for key in place_keys)


def pixels(lat: np.ndarray, lon: np.ndarray, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator pixel coordinates at ``zoom`` (512 px for the world at zoom 0)."""
    scale = 512 * 2 ** zoom
    clipped = np.radians(np.clip(lat, -85.0, 85.0))
    y = (1 - np.log(np.tan(math.pi / 4 + clipped / 2)) / math.pi) / 2 * scale
    return (lon + 180) / 360 * scale, y


def cluster(x: np.ndarray, y: np.ndarray, weight: np.ndarray, radius: float = GROUP_PX) -> np.ndarray:
    """For each point, the index of the point whose group it joins (itself for a seed).

    Busiest first: each point not yet grouped seeds a group and takes every
    ungrouped point within ``radius``. Points are bucketed by ``radius``, so
    only neighbouring buckets are compared.
    """
    n = len(x)
    bx = np.floor(x / radius).astype(np.int64)
    by = np.floor(y / radius).astype(np.int64)
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, key in enumerate(zip(bx.tolist(), by.tolist())):
        buckets[key].append(index)
    label = np.full(n, -1, dtype=np.int64)
    limit = radius * radius
    for seed in np.argsort(-weight, kind="stable").tolist():
        if label[seed] >= 0:
            continue
        label[seed] = seed
        sx, sy = x[seed], y[seed]
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in buckets.get((int(bx[seed]) + dx, int(by[seed]) + dy), ()):
                    if label[other] < 0 and (x[other] - sx) ** 2 + (y[other] - sy) ** 2 <= limit:
                        label[other] = seed
    return label


def group_overlapping(marks: pd.DataFrame, zoom: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(places drawn on their own, groups) for a map opening at ``zoom``.

    ``marks`` is :func:`incidents.views.map_chart.places`. A group sits on its
    busiest place and has count, places, casualties, approximate (any member
    approximate), types (the event types of its places), key and hover.
    """
    if len(marks) < 2:
        return marks, pd.DataFrame(columns=COLUMNS)
    x, y = pixels(marks["lat"].to_numpy(dtype=float), marks["lon"].to_numpy(dtype=float), zoom)
    label = cluster(x, y, marks["count"].to_numpy(dtype=float))
    members = np.bincount(label, minlength=len(marks))
    grouped = members[label] > 1
    if not grouped.any():
        return marks, pd.DataFrame(columns=COLUMNS)
    # Members of each group side by side (groups in order of first appearance, members in
    # marks order): numpy reductions and slices, not a pandas groupby with Python lambdas.
    members_at = np.flatnonzero(grouped)
    seeds_of = label[members_at]
    order = np.lexsort((members_at, seeds_of))
    members_at, seeds_of = members_at[order], seeds_of[order]
    starts = np.flatnonzero(np.r_[True, seeds_of[1:] != seeds_of[:-1]])
    by_appearance = np.argsort(members_at[starts], kind="stable")
    ends = np.r_[starts[1:], len(members_at)]

    def summed(column: str) -> np.ndarray:
        return np.add.reduceat(marks[column].to_numpy()[members_at], starts)[by_appearance]

    keys = marks["key"].to_numpy(dtype=object)[members_at]
    names = marks["name"].to_numpy(dtype=object)[members_at]
    types = marks["event_type"].to_numpy(dtype=object)[members_at]
    spans = [(starts[g], ends[g]) for g in by_appearance.tolist()]
    seeds = seeds_of[starts][by_appearance]
    groups = pd.DataFrame({
        "lat": marks["lat"].to_numpy()[seeds], "lon": marks["lon"].to_numpy()[seeds],
        "count": summed("count"), "places": (ends - starts)[by_appearance],
        "casualties": summed("casualties"),
        "approximate": np.logical_or.reduceat(marks["approximate"].to_numpy(dtype=bool)[members_at],
                                              starts)[by_appearance],
        "types": [sorted({str(v) for v in types[a:b]}) for a, b in spans],
    })
    groups["key"] = [group_key(list(keys[a:b])) for a, b in spans]
    groups["hover"] = [_hover(c, p, k, [str(v) for v in names[a:b] if not pd.isna(v)]) for c, p, k, (a, b) in zip(
        groups["count"].tolist(), groups["places"].tolist(), groups["casualties"].tolist(), spans)]
    return marks[~grouped], groups[COLUMNS]


def _hover(count: int, places: int, casualties: int, names: list[str]) -> str:
    shown = ", ".join(esc(n) for n in names[:GROUP_NAMES_SHOWN])
    more = f" and {places - GROUP_NAMES_SHOWN} more" if places > GROUP_NAMES_SHOWN else ""
    return (f"<b>{count:,} incidents</b> at {places} nearby places<br>{shown}{more}<br>Casualties: {casualties:,}"
            "<br>Select the group to list them; zoom in to separate the places")


def group_trace(groups: pd.DataFrame) -> dict[str, Any]:
    """One marker per group, its incident count written inside it (drawn with the browser's fonts)."""
    counts = groups["count"].to_numpy(dtype=float)
    return scattermap(
        lat=groups["lat"].to_numpy(dtype="float32"), lon=groups["lon"].to_numpy(dtype="float32"),
        mode="markers+text",
        marker={"size": np.clip(18 + 5 * np.log10(counts), 18, 34), "color": GROUP_COLOUR, "opacity": 0.9},
        text=[f"{int(c):,}" for c in counts], textposition="middle center",
        textfont={"size": 11, "color": "#ffffff"},
        name=GROUP_NAME, customdata=groups["key"].tolist(),
        hovertext=groups["hover"].tolist(), hoverinfo="text", showlegend=True,
    )
