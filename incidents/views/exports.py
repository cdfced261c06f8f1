"""Exports of exactly what the analyst filtered, with their provenance beside them.

A number in a paper must be traceable: every export says which view it came
from (the dashboard URL and its filters in words), when, from which tool
version, and whether it holds invented sample events. The CSV itself stays
plain (its first line is the header, so pandas and spreadsheets open it with
no options); its provenance travels in a companion zip (CSV + JSON + README)
and, in GeoJSON, in the collection's top-level ``metadata`` member.
Text cells that a spreadsheet would run as a formula (starting with
= + - @ tab or CR) get a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import incidents
from incidents.views.geojson import write_geojson
from incidents.countries import iso_numeric
from incidents.schema import COLUMN_NAMES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ACLED's export columns, in its order (its public codebook and API field list). The project
# fills those it has; the rest stay empty, and the project's own fields follow.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# Project column -> ACLED column where the meaning is the same (the design names them so).
ACLED_SAME = {"event_id": "event_id_cnty", **{name: name for name in ACLED_COLUMNS if name in COLUMN_NAMES}}
# ACLED's disorder type follows from its event type (Strategic developments are their own kind).
DISORDER_TYPES = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
                  "Violence against civilians": "Political violence",
                  "Strategic developments": "Strategic developments"}
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
    filters: str = "no filters: every incident"

    def fictional_text(self) -> str:
        if not self.fictional_rows:
            return "no fictional sample events"
        return f"{self.fictional_rows} of {self.rows} rows are FICTIONAL sample events (column 'fictional')"

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": TOOL,
            "view_url": self.view_url,
            "filters": self.filters,
            "exported_at": self.exported_at,
            "tool_version": self.tool_version,
            "rows": self.rows,
            "fictional_rows": self.fictional_rows,
            "fictional": self.fictional_rows > 0,
        }


def provenance_for(frame: pd.DataFrame, view_url: str, exported_at: str | None = None,
                   filters: str | None = None) -> Provenance:
    """Provenance of exporting ``frame`` from the view at ``view_url`` (``filters``: the view in words)."""
    fictional = int(frame["fictional"].fillna(False).astype(bool).sum()) if "fictional" in frame else 0
    kwargs: dict[str, Any] = {"view_url": view_url, "rows": len(frame), "fictional_rows": fictional}
    if filters:
        kwargs["filters"] = filters
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


def to_csv(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> bytes:
    """UTF-8 CSV whose first line is the header, one row per incident, dates as ``YYYY-MM-DD``.

    ``pandas.read_csv(path)`` and a spreadsheet open it as is; the provenance
    is in the companion zip (:func:`to_zip`), not in the file.
    """
    names = export_columns(frame, columns)
    sink = io.BytesIO()
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


def acled_layout(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows in ACLED's export column layout, then the project's other fields in schema order.

    ``year``, ``disorder_type``, ``iso`` (numeric ISO 3166) and
    ``civilian_targeting`` ("Civilian targeting" or empty) are derived as ACLED
    codes them; the fields the project does not record are left empty.
    """
    out = pd.DataFrame(index=frame.index)
    for name in ACLED_COLUMNS:
        out[name] = pd.Series(pd.NA, index=frame.index, dtype="str")
    for ours, theirs in ACLED_SAME.items():
        if ours in frame:
            out[theirs] = frame[ours]
    if "event_date" in frame:
        out["year"] = pd.to_datetime(frame["event_date"]).dt.year.astype("Int64")
    if "event_type" in frame:
        out["disorder_type"] = frame["event_type"].astype(object).map(DISORDER_TYPES)
    if "civilian_targeting" in frame:
        hit = frame["civilian_targeting"].fillna(False).astype(bool)
        out["civilian_targeting"] = np.where(hit, "Civilian targeting", "")
    if "country_code" in frame:
        out["iso"] = frame["country_code"].astype(object).map(iso_numeric, na_action="ignore").astype("Int64")
    extra = [c for c in export_columns(frame) if c not in ACLED_SAME]
    return pd.concat([out, frame[extra]], axis=1)


def to_acled_csv(frame: pd.DataFrame) -> bytes:
    """A plain CSV in ACLED's export layout (see :func:`acled_layout`)."""
    layout = acled_layout(frame)
    return to_csv(layout, list(layout.columns))


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


README = """{tool} export

{csv_name}        the incidents, one row per incident; the first line is the header.
                  Opens in pandas (pandas.read_csv) and any spreadsheet as is.
                  Dates are YYYY-MM-DD; column meanings are ACLED's where they exist.
provenance.json   where these rows come from (also below).

View link:     {view_url}
Filters:       {filters}
Exported at:   {exported_at}
Tool version:  {tool_version}
Rows:          {rows}
Fictional:     {fictional}

Cells starting with = + - @ (or a tab or carriage return) carry a leading
apostrophe so that a spreadsheet shows them as text instead of running them.
"""


def to_zip(csv_bytes: bytes, provenance: Provenance, csv_name: str = "incidents.csv") -> bytes:
    """The CSV with its provenance beside it: the CSV, ``provenance.json`` and a short README."""
    readme = README.format(tool=TOOL, csv_name=csv_name, fictional=provenance.fictional_text(),
                           **{k: v for k, v in provenance.as_dict().items() if k not in ("tool", "fictional")})
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(csv_name, csv_bytes)
        archive.writestr("provenance.json", json.dumps(provenance.as_dict(), indent=2, ensure_ascii=False) + "\n")
        archive.writestr("README.txt", readme)
    return sink.getvalue()
