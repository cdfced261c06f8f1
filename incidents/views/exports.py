"""Exports of exactly what the analyst filtered, each carrying its provenance.

A number in a paper must be traceable: every export says which view it came
from (the dashboard URL with its filters), when, from which tool version, and
whether it holds invented sample events. Text cells that a spreadsheet would
run as a formula (starting with = + - @ tab or CR) get a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import incidents
from incidents.views.geojson import write_geojson
from incidents.schema import COLUMN_NAMES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_SLICE = 100_000
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


def _joined_lists(series: pd.Series) -> pd.Series:
    """Lists (weapons from extraction) as ';'-joined text; only object columns can hold them."""
    if series.dtype != object:
        return series
    is_list = series.map(lambda v: isinstance(v, (list, tuple, np.ndarray)), na_action="ignore")
    if is_list.fillna(False).astype(bool).any():
        series = series.map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v)
    return series


def neutralise_column(series: pd.Series) -> pd.Series:
    """``neutralise`` for a whole text column, vectorised (a million cells in well under a second)."""
    text = _joined_lists(series)
    if text.dtype == object:
        return text.map(neutralise, na_action="ignore")
    risky = text.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return text
    return text.where(~risky, "'" + text)


def to_csv(frame: pd.DataFrame, provenance: Provenance, columns: Sequence[str] | None = None) -> bytes:
    """UTF-8 CSV: provenance as ``#`` comment lines, then a header and one row per incident.

    Read it back with ``pandas.read_csv(path, skiprows=N)`` where N is the
    number of leading ``#`` lines, or any tool that skips comment lines.
    """
    names = export_columns(frame, columns)
    preamble = "".join("# " + line.replace("\n", " ").replace("\r", " ") + "\r\n" for line in provenance.lines())
    sink = io.BytesIO()
    sink.write(preamble.encode("utf-8"))
    # In slices written into one buffer: a million-row export holds the output and one slice's copy,
    # not a second whole frame nor a list of parts joined at the end.
    for start in range(0, max(len(frame), 1), CSV_SLICE):
        out = frame.iloc[start:start + CSV_SLICE][names].copy()
        for column in out.columns:
            series = out[column]
            if pd.api.types.is_datetime64_any_dtype(series):
                out[column] = series.dt.strftime("%Y-%m-%d")
            elif isinstance(series.dtype, pd.CategoricalDtype):
                out[column] = neutralise_column(series.astype(object))
            elif pd.api.types.is_string_dtype(series) or series.dtype == object:
                out[column] = neutralise_column(series)
        _write_csv_body(out, sink, header=start == 0)
    return sink.getvalue()


def _write_csv_body(out: pd.DataFrame, sink: io.BytesIO, header: bool = True) -> None:
    """Header and rows, CRLF-terminated (RFC 4180), every text cell quoted.

    Arrow's writer is about seven times faster than pandas' on a million rows;
    pandas is the fallback for columns Arrow cannot type (mixed objects).
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    try:
        table = pa.Table.from_pandas(out, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        buffer = io.StringIO()
        out.to_csv(buffer, index=False, header=header, lineterminator="\r\n")  # quotes cells holding CR/LF
        sink.write(buffer.getvalue().encode("utf-8"))
        return
    pa_csv.write_csv(table, sink, pa_csv.WriteOptions(include_header=header, quoting_style="needed", eol="\r\n"))


def to_geojson(frame: pd.DataFrame, provenance: Provenance, columns: Sequence[str] | None = None) -> bytes:
    """A GeoJSON FeatureCollection; unplaced incidents keep ``"geometry": null`` (valid GeoJSON).

    Weapons become a JSON list; dates are ``YYYY-MM-DD``; the provenance is the
    collection's ``metadata`` member.
    """
    sink = io.BytesIO()
    write_geojson(frame, provenance.as_dict(), export_columns(frame, columns), sink)
    return sink.getvalue()


def file_stem(exported_at: str | None = None) -> str:
    """``incidents-YYYYMMDD-HHMMSS`` for download file names."""
    when = dt.datetime.now(dt.UTC) if exported_at is None else dt.datetime.fromisoformat(exported_at)
    return f"incidents-{when:%Y%m%d-%H%M%S}"
