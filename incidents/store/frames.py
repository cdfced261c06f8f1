"""Stored incident values as typed pandas and Arrow data (the dtypes of :mod:`incidents.schema`).

Pure conversions with no database access, so that the store's reads and the
dataset's snapshots share them without importing each other.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from incidents.schema import COLUMN_NAMES, DTYPES


def _weapons_text(value: Any) -> str:
    if not value or value == "[]":
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(value)
    if not value.startswith("["):  # already ';'-joined text (an edit, a hand-made row)
        return value
    if "\\" not in value:  # plain json.dumps output: '["a", "b"]'; json.loads is 5x slower
        return value[2:-2].replace('", "', ";")
    return ";".join(json.loads(value))


def convert_column(series: pd.Series, name: str) -> pd.Series:
    """One column (stored coding or edit values) as its schema dtype."""
    dtype = DTYPES[name]
    if name == "weapons":
        return pd.Series([_weapons_text(v) for v in series.tolist()], index=series.index, dtype="str")
    if dtype.startswith("datetime"):
        if series.dtype == object or str(series.dtype) == "str":
            series = pd.to_datetime(series, format="ISO8601", errors="coerce")
        return series.astype(dtype)
    if dtype == "bool":
        return series.fillna(False).astype(bool)
    if dtype == "int64":
        return pd.to_numeric(series, errors="coerce").fillna(0).astype("int64")
    if dtype == "float64":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if dtype[0] == "I":  # nullable Int8/Int16/Int64
        return pd.to_numeric(series, errors="coerce").astype(dtype)
    return series.astype(dtype)


def frame_from_rows(rows: Sequence[tuple], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as read from the incidents table -> a DataFrame with schema dtypes."""
    raw = pd.DataFrame.from_records(list(rows), columns=list(columns)) if rows else \
        pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    return pd.DataFrame({c: convert_column(raw[c], c) for c in columns})


def frame_from_records(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Incident dicts (extracted, previewed or hand-written) -> every schema column, typed.

    Keys outside the schema are ignored and missing ones are null, so an extractor's
    output (with ``place_candidates``, ``weapons`` as a list) can be shown as it is.
    """
    rows = [tuple(record.get(c) for c in COLUMN_NAMES) for record in records]
    return frame_from_rows(rows, COLUMN_NAMES)


def _arrow_column(values: Sequence[Any], name: str, arrow_type: pa.DataType) -> pa.Array:
    """Stored values of one column straight into Arrow (pandas' from_records is 3x slower)."""
    dtype = DTYPES[name]
    if name == "weapons":
        return pa.array([_weapons_text(v) for v in values], type=arrow_type)
    if dtype.startswith("datetime"):
        parsed = pc.strptime(pa.array(values, type=pa.string()), format="%Y-%m-%d", unit="s")
        return parsed.cast(arrow_type)
    if dtype == "bool":
        return pc.fill_null(pa.array(values, type=pa.int64()), 0).cast(pa.bool_())
    if dtype == "int64":
        return pc.fill_null(pa.array(values, type=pa.int64()), 0)
    return pa.array(values, type=arrow_type)


def table_from_columns(columns: dict[str, Sequence[Any]], schema: pa.Schema) -> pa.Table:
    """An Arrow table in snapshot layout from stored values given column by column."""
    arrays = [_arrow_column(columns[f.name], f.name, f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def empty_frame(columns: Iterable[str] = COLUMN_NAMES) -> pd.DataFrame:
    return frame_from_rows([], list(columns))


def apply_edits(frame: pd.DataFrame, edits: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Edited values over extracted ones; ``edits`` is {event_id: {field: value}}."""
    if not edits or frame.empty:
        return frame
    positions = pd.Index(frame["event_id"]).get_indexer(list(edits))
    return apply_edits_at(frame, {event_id: int(p) for event_id, p in zip(edits, positions) if p >= 0}, edits)


def apply_edits_at(frame: pd.DataFrame, rows: dict[str, int], edits: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Edits applied at known row positions (``rows``: event_id -> position).

    Lets a caller that found the rows in Arrow skip the event_id column in
    pandas (a million unique strings). An edit whose incident is gone (or
    was left out) has no position and is skipped. Categorical columns gain
    the edited values as categories.
    """
    by_field: dict[str, tuple[list[int], list[Any]]] = {}
    for event_id, position in rows.items():
        for name, value in edits.get(event_id, {}).items():
            if name in frame.columns:
                slot = by_field.setdefault(name, ([], []))
                slot[0].append(position)
                slot[1].append(value)
    if not by_field:
        return frame
    frame = frame.copy(deep=False)
    for name, (where, values) in by_field.items():
        converted = convert_column(pd.Series(values, dtype=object), name)
        column = frame[name].copy()
        if isinstance(column.dtype, pd.CategoricalDtype):
            new = [v for v in pd.unique(converted.dropna()) if v not in column.cat.categories]
            column = column.cat.add_categories(new) if new else column
            column.iloc[where] = converted.astype(object).where(converted.notna(), None).to_numpy()
        else:
            column.iloc[where] = converted.to_numpy()
        frame[name] = column
    return frame
