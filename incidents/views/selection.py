"""Map selections: what the analyst box- or lasso-selected, as incidents.

Markers carry a key in ``customdata``: ``p:<lat>:<lon>`` for a place (every
incident there), ``m:<lat>:<lon>;<lat>:<lon>...`` for a group of nearby places,
``g:<cell>:<i>:<j>`` for a grid cell. Keys, not row numbers,
so a selection still means the same incidents after the figure is rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from incidents.views.filters import combined_place_code


def selection_points(event: Any) -> list[Any]:
    """Points of a plotly chart's selection state, whether it came as an object or a dict."""
    if event is None:
        return []
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, Mapping):
        selection = event.get("selection")
    if selection is None:
        return []
    points = getattr(selection, "points", None)
    if points is None and isinstance(selection, Mapping):
        points = selection.get("points")
    return list(points or [])


def customdata_values(points: Iterable[Mapping[str, Any]]) -> list[Any]:
    """The first customdata value of each selected point (list or {'0': v} dict), de-duplicated."""
    seen: dict[Any, None] = {}
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else getattr(point, "customdata", None)
        if isinstance(data, Mapping):
            data = data.get("0", next(iter(data.values()), None))
        elif isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if data is not None:
            seen.setdefault(data, None)
    return list(seen)


def rows_for_keys(frame: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """Incidents under the selected place markers (``p:``), groups (``m:``) or grid cells (``g:``)."""
    keys = place_keys([k for k in keys if isinstance(k, str)])
    mask = np.zeros(len(frame), dtype=bool)
    if not keys or frame.empty:
        return frame.iloc[0:0]
    lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan)
    lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan)
    wanted = []
    for key in keys:
        if key.startswith("p:"):
            try:
                _, lat_text, lon_text = key.split(":")
                wanted.append(combined_place_code(np.array([float(lat_text)]), np.array([float(lon_text)]))[0])
            except ValueError:
                continue
    if wanted:
        ok = np.isfinite(lat) & np.isfinite(lon)
        own = np.full(len(frame), -1, dtype=np.int64)
        own[ok] = combined_place_code(lat[ok], lon[ok])
        mask |= np.isin(own, wanted)
    cells: dict[float, set[tuple[int, int]]] = {}
    for key in keys:
        if key.startswith("g:"):
            try:
                _, size, i, j = key.split(":")
                cells.setdefault(float(size), set()).add((int(i), int(j)))
            except ValueError:
                continue
    with np.errstate(invalid="ignore"):
        for size, wanted in cells.items():
            ii = np.floor(lat / size)
            jj = np.floor(lon / size)
            for i, j in wanted:
                mask |= (ii == i) & (jj == j)
    return frame[mask]


def place_keys(keys: list[str]) -> list[str]:
    """Keys with every group (``m:``) replaced by its places' ``p:`` keys."""
    out = []
    for key in keys:
        if key.startswith("m:"):
            out.extend(f"p:{member}" for member in key[2:].split(";") if member)
        else:
            out.append(key)
    return out


def bbox_of_keys(keys: Iterable[str]) -> tuple[float, float, float, float] | None:
    """The box around the selected groups and grid cells (to zoom into them as a filter)."""
    boxes = []
    for key in keys:
        if isinstance(key, str) and key.startswith("m:"):
            try:
                points = [tuple(float(v) for v in member.split(":")) for member in key[2:].split(";") if member]
            except ValueError:
                continue
            if points:
                lats, lons = [p[0] for p in points], [p[1] for p in points]
                pad = 0.01  # a few hundred metres, so the places are not on the box's edge
                boxes.append((min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad))
        if isinstance(key, str) and key.startswith("g:"):
            try:
                _, size_text, i_text, j_text = key.split(":")
                size, i, j = float(size_text), int(i_text), int(j_text)
            except ValueError:
                continue
            boxes.append((j * size, i * size, (j + 1) * size, (i + 1) * size))
    if not boxes:
        return None
    lon0 = max(-180.0, min(b[0] for b in boxes))
    lat0 = max(-90.0, min(b[1] for b in boxes))
    lon1 = min(180.0, max(b[2] for b in boxes))
    lat1 = min(90.0, max(b[3] for b in boxes))
    return (round(lon0, 4), round(lat0, 4), round(lon1, 4), round(lat1, 4))
