"""Exports of exactly what the analyst filtered, each carrying its provenance.

A number in a paper must be traceable: every export says which view it came
from (the dashboard URL with its filters), when, from which tool version, and
whether it holds invented sample events. Text cells that a spreadsheet would
run as a formula (starting with = + - @ tab or CR) get a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import incidents
from incidents.schema import COLUMN_NAMES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOOL = "ceasefire-incidents"


@dataclass(frozen=True)
class Provenance:
    """Where an export comes from."""

    view_url: str
    exported_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())
    tool_version: str = incidents.__version__
    rows: int = 0
    fictional_rows: int = 0

    def lines(self) -> list[str]:
        fictional = (
            f"{self.fictional_rows} of {self.rows} rows are FICTIONAL sample events (column 'fictional')"
            if self.fictional_rows
            else "no fictional sample events"
        )
        return [
            f"{TOOL} export",
            f"view_url: {self.view_url}",
            f"exported_at: {self.exported_at}",
            f"tool_version: {self.tool_version}",
            f"rows: {self.rows}",
            f"fictional: {fictional}",
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": TOOL,
            "view_url": self.view_url,
            "exported_at": self.exported_at,
            "tool_version": self.tool_version,
            "rows": self.rows,
            "fictional_rows": self.fictional_rows,
            "fictional": self.fictional_rows > 0,
        }


def provenance_for(frame: pd.DataFrame, view_url: str, exported_at: str | None = None) -> Provenance:
    """Provenance of exporting ``frame`` from the view at ``view_url``."""
    fictional = int(frame["fictional"].fillna(False).astype(bool).sum()) if "fictional" in frame else 0
    kwargs: dict[str, Any] = {"view_url": view_url, "rows": len(frame), "fictional_rows": fictional}
    if exported_at:
        kwargs["exported_at"] = exported_at
    return Provenance(**kwargs)


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_columns(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[str]:
    """Schema columns first (in schema order), then any others the frame has."""
    wanted = list(columns) if columns else [c for c in COLUMN_NAMES if c in frame] + [
        c for c in frame.columns if c not in COLUMN_NAMES
    ]
    return [c for c in wanted if c in frame]


def _text_cells(series: pd.Series) -> pd.Series:
    """Lists (weapons) as ';'-joined text; values as text only where the column holds text."""
    if series.map(lambda v: isinstance(v, (list, tuple, np.ndarray)), na_action="ignore").any():
        series = series.map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v)
    return series


def to_csv(frame: pd.DataFrame, provenance: Provenance, columns: Sequence[str] | None = None) -> bytes:
    """UTF-8 CSV: provenance as ``#`` comment lines, then a header and one row per incident.

    Read it back with ``pandas.read_csv(path, comment=None, skiprows=N)`` where N is the
    number of leading ``#`` lines, or any tool that skips comment lines.
    """
    out = frame[export_columns(frame, columns)].copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[column] = _text_cells(series).map(neutralise, na_action="ignore")
    buffer = io.StringIO()
    for line in provenance.lines():
        buffer.write("# " + line.replace("\n", " ").replace("\r", " ") + "\r\n")
    # CRLF rows (RFC 4180): the csv writer then quotes any cell holding CR or LF.
    out.to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8")


def _json_value(value: object) -> object:
    """Plain JSON values: ISO dates, None for missing, lists kept as lists."""
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_json_value(v) for v in value.tolist()]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):  # pd.Timestamp too; dates at midnight are plain days
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return _json_value(value.item())
    return value


def to_geojson(frame: pd.DataFrame, provenance: Provenance, columns: Sequence[str] | None = None) -> bytes:
    """A GeoJSON FeatureCollection; unplaced incidents keep ``"geometry": null`` (valid GeoJSON)."""
    names = export_columns(frame, columns)
    lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan) if "latitude" in frame else None
    lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan) if "longitude" in frame else None
    records = frame[names].to_dict(orient="records")
    features = []
    for i, record in enumerate(records):
        geometry = None
        if lat is not None and lon is not None and np.isfinite(lat[i]) and np.isfinite(lon[i]):
            geometry = {"type": "Point", "coordinates": [round(float(lon[i]), 6), round(float(lat[i]), 6)]}
        properties = {key: _json_value(value) for key, value in record.items()}
        features.append({"type": "Feature", "id": properties.get("event_id"), "geometry": geometry,
                          "properties": properties})
    collection = {"type": "FeatureCollection", "metadata": provenance.as_dict(), "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


def file_stem(exported_at: str | None = None) -> str:
    """``incidents-YYYYMMDD-HHMMSS`` for download file names."""
    when = dt.datetime.now(dt.UTC) if exported_at is None else dt.datetime.fromisoformat(exported_at)
    return f"incidents-{when:%Y%m%d-%H%M%S}"
