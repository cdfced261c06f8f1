"""The incident dataset as a pandas DataFrame, fast enough for a dashboard over a million rows.

Reading a million rows out of SQLite takes tens of seconds; reading columns
of a Parquet file takes well under one. So the store's incidents are copied
into Parquet snapshots beside the database, keyed by
:meth:`Store.snapshot_versions` and rebuilt (temp file + ``os.replace``, so
readers never see half a file) only when their rows change. There are two:
``<db>.imported.parquet`` holds bulk-loaded rows (ACLED imports, possibly
millions; they change only with another bulk load, which appends to it) and
``<db>.extracted.parquet`` the incidents extracted from reports (rebuilt
after each ingest, cheap because it is small next to an archive).
Analysts' edits are few and change often, so they are in neither: they are
applied on every load (latest edit wins).

dtypes of :func:`load_incidents` (from :data:`incidents.schema.DTYPES`):

- ``str`` (pandas 3 string dtype, missing = NaN): event_id, event_type,
  sub_event_type, actor1, actor2, claimed_by, source_type, country,
  country_code, admin1, admin2, location, geocoder, evidence, notes,
  explanation, extractor_version, review_status, report_id, source, source_url, and
  weapons (';'-separated, '' when none);
- ``datetime64[s]`` (missing = NaT): event_date, date_start, date_end, report_date;
- ``float64``: latitude, longitude (NaN when the place was not found), confidence;
- nullable ``Int8`` / ``Int16`` / ``Int64``: time_precision, geo_precision,
  n_sources, geonameid, violation_count;
- ``int64`` (0 when none reported): fatalities, injured;
- ``bool``: disputed, corroborated, civilian_targeting, date_inferred, fictional.

``load_incidents(categorical=True)`` is the dashboard's read: the text
columns of :data:`CATEGORICAL_COLUMNS` come as pandas ``category`` (read from
Parquet's dictionary pages: on a million rows about 3x faster than ``str``
plus a conversion, and masks compare integer codes); every other column keeps
the dtype above.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from incidents.config import Settings
from incidents.schema import COLUMN_NAMES, DTYPES
from incidents.store.database import Store, open_store
from incidents.store.frames import apply_edits_at, empty_frame, table_from_columns

SNAPSHOT_PARTS = ("imported", "extracted")
# Text columns with few distinct values (types, actors, places, outlets, ...):
# what ``load_incidents(categorical=True)`` returns as pandas Categorical.
# Left out: the mostly unique ids, links, notes and evidence.
CATEGORICAL_COLUMNS: tuple[str, ...] = (
    "event_type", "sub_event_type", "actor1", "actor2", "claimed_by", "source_type", "country",
    "country_code", "admin1", "admin2", "location", "geocoder", "weapons", "extractor_version",
    "review_status", "source",
)
_VERSION_KEY = b"incidents_snapshot_version"


def snapshot_path(db_path: str | Path, part: str = "extracted") -> Path:
    """``<db>.<part>.parquet`` for part 'imported' or 'extracted'."""
    if part not in SNAPSHOT_PARTS:
        raise ValueError(f"no snapshot part {part!r}")
    path = Path(db_path)
    return path.with_name(f"{path.name}.{part}.parquet")


# ---------------------------------------------------------------------------
# The snapshot
# ---------------------------------------------------------------------------


def _snapshot_schema(version: str) -> pa.Schema:
    schema = pa.Schema.from_pandas(empty_frame(), preserve_index=False)
    return schema.with_metadata({**(schema.metadata or {}), _VERSION_KEY: version.encode()})


def _snapshot_version(path: Path) -> str | None:
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowInvalid):
        return None
    if not set(COLUMN_NAMES) <= set(schema.names):
        return None  # written before a column joined the schema: rebuild it
    value = (schema.metadata or {}).get(_VERSION_KEY)
    return value.decode() if value else None


def _write_atomically(path: Path, schema: pa.Schema, tables: Iterable[pa.Table]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for table in tables:
                writer.write_table(table)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def ensure_snapshot(store: Store) -> list[Path]:
    """Both snapshot files, each rebuilt first when its rows changed since it was written."""
    versions = store.snapshot_versions()
    paths = []
    for part in SNAPSHOT_PARTS:
        path = snapshot_path(store.path, part)
        paths.append(path)
        if path.exists() and _snapshot_version(path) == versions[part]:
            continue
        with store.incident_chunks(COLUMN_NAMES, imported=part == "imported") as (version, chunks):
            schema = _snapshot_schema(version)
            tables = (table_from_columns(dict(zip(COLUMN_NAMES, zip(*rows))), schema)
                      for rows in chunks)
            _write_atomically(path, schema, tables)
    return paths


def append_to_snapshot(store: Store, columns: dict[str, Sequence[Any]], before: str,
                       after: str, *, was_empty: bool = False) -> bool:
    """Add freshly bulk-loaded rows to the imported snapshot instead of rebuilding it.

    Saves reading a million rows back out of SQLite. Possible when the store
    held no imported rows before the load, or the snapshot was current then
    (version ``before``). False (nothing done) otherwise; the next load
    rebuilds it.
    """
    path = snapshot_path(store.path, "imported")
    schema = _snapshot_schema(after)
    new = table_from_columns(columns, schema)
    if was_empty:
        _write_atomically(path, schema, [new])
        return True
    if not path.exists() or _snapshot_version(path) != before:
        return False
    old = pq.read_table(path).cast(schema)  # Parquet keeps seconds as milliseconds
    _write_atomically(path, schema, [old, new])
    return True


def _read_snapshots(paths: list[Path], columns: list[str], dictionary: list[str]) -> pa.Table:
    """Both snapshots as one table; ``dictionary`` columns stay dictionary-encoded as stored."""
    tables = [pq.read_table(path, columns=columns, read_dictionary=dictionary or None) for path in paths]
    metadata = tables[0].schema.metadata
    return pa.concat_tables([t.replace_schema_metadata(metadata) for t in tables])


def _edited_rows(table: pa.Table, edits: dict[str, dict[str, Any]]) -> dict[str, int]:
    """event_id -> row of ``table`` for every edited incident it holds (a hash lookup in Arrow)."""
    ids = list(edits)
    found = pc.index_in(table["event_id"], value_set=pa.array(ids, type=table.schema.field("event_id").type))
    found = pc.fill_null(found, -1).to_numpy()
    rows = np.flatnonzero(found >= 0)
    return {ids[found[row]]: int(row) for row in rows}


def _rejected(table: pa.Table, edits: dict[str, dict[str, Any]], rows: dict[str, int]) -> np.ndarray:
    """Rows whose review status (edited, else as extracted) is 'rejected'."""
    stored = pc.fill_null(pc.equal(table["review_status"], "rejected"), False)
    rejected = stored.to_numpy().copy() if table.num_rows else np.zeros(0, dtype=bool)
    for event_id, row in rows.items():
        status = edits[event_id].get("review_status")
        if status is not None:
            rejected[row] = status == "rejected"
    return rejected


def _categorical_columns(categorical: bool | Iterable[str], wanted: list[str]) -> list[str]:
    chosen = CATEGORICAL_COLUMNS if categorical is True else () if categorical is False else tuple(categorical)
    not_text = [c for c in chosen if c not in DTYPES or DTYPES[c] != "str"]
    if not_text:
        raise ValueError(f"not a text column: {', '.join(not_text)}")
    return [c for c in wanted if c in chosen]


def load_incidents(settings: Settings | None = None, columns: Iterable[str] | None = None, *,
                   include_rejected: bool = False, store: Store | None = None,
                   categorical: bool | Iterable[str] = False) -> pd.DataFrame:
    """All incidents with edits applied (rejected ones left out unless asked for).

    ``columns`` selects schema columns (all by default; fewer is faster).
    Pass ``store`` to reuse an open store; otherwise ``settings.db_path`` is opened.

    ``categorical`` (True: :data:`CATEGORICAL_COLUMNS`, or the names to use)
    returns those text columns as pandas Categorical instead of ``str``, read
    straight from Parquet's dictionary pages: a dashboard over a million rows
    reads them about 3x faster and filters on integer codes. Rejected rows
    and edited rows are found in Arrow, so neither the event_id column nor a
    copy of the frame is made unless asked for.
    """
    wanted = list(columns) if columns is not None else list(COLUMN_NAMES)
    unknown = [c for c in wanted if c not in DTYPES]
    if unknown:
        raise ValueError(f"unknown column(s): {', '.join(unknown)}")
    as_category = _categorical_columns(categorical, wanted)
    own = store is None
    store = store or open_store(settings)
    try:
        paths = ensure_snapshot(store)
        edits = store.effective_edits()
    finally:
        if own:
            store.close()
    needed = list(wanted)
    for helper in ("event_id", "review_status"):
        if helper not in needed and (edits or (helper == "review_status" and not include_rejected)):
            needed.append(helper)
    table = _read_snapshots(paths, needed, as_category)
    rows = _edited_rows(table, edits) if edits else {}
    if not include_rejected:
        keep = ~_rejected(table, edits, rows)
        if not keep.all():  # left out in Arrow, before any pandas copy
            # take() by positions: on a million rows with dictionary columns about
            # 4x faster than filter() with the same mask (and the same result).
            table = table.take(pa.array(np.flatnonzero(keep)))
            if rows:
                new_position = np.cumsum(keep) - 1
                rows = {event_id: int(new_position[row]) for event_id, row in rows.items() if keep[row]}
    if table.column_names != wanted:
        table = table.select(wanted)
    frame = apply_edits_at(table.to_pandas(), rows, edits) if rows else table.to_pandas()
    mismatched = {c: DTYPES[c] for c in wanted if c not in as_category and str(frame[c].dtype) != DTYPES[c]}
    return frame.astype(mismatched) if mismatched else frame


def incident_detail(event_id: str, settings: Settings | None = None, *,
                    store: Store | None = None) -> dict[str, Any] | None:
    """For the dashboard's detail view: the incident (edits applied), its sources with the
    sentence each report gives, the reports themselves, place candidates and edit history."""
    own = store is None
    store = store or open_store(settings)
    try:
        return store.detail(event_id)
    finally:
        if own:
            store.close()


def bulk_load(store: Store, frame: pd.DataFrame, *, source: str = "bulk load", snapshot: bool = True) -> int:
    """Insert ready-made incident rows (:meth:`Store.bulk_insert`) and bring the
    snapshot up to date, so the dashboard's first load is fast; returns rows added."""
    load, columns = store.bulk_insert(frame, source=source)
    if snapshot:
        # Appending is only right when every row went in (no id was already stored).
        try:
            appended = load.inserted == len(frame) and append_to_snapshot(
                store, columns, load.before, load.after, was_empty=load.was_empty)
        except Exception:  # the snapshot is a cache: rebuild it from the database instead
            appended = False
        if not appended:
            ensure_snapshot(store)
    return load.inserted
