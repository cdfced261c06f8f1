"""Tables of the incident store, their migrations, and how incident dicts become rows.

Kept apart from :mod:`incidents.store.database` so that the SQL text and the value
coding live in one place: a PostgreSQL backend would reuse the coding and
swap the DDL. The incidents table takes its columns from
:data:`incidents.schema.COLUMNS`, so a column added there is added to old
databases by :func:`migrate` (``ALTER TABLE ... ADD COLUMN``). Which fields an
analyst may edit, and how, is :mod:`incidents.store.edit_rules`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

from incidents import schema

SCHEMA_VERSION = 1

INCIDENT_COLUMNS: tuple[str, ...] = schema.COLUMN_NAMES
DATE_COLUMNS = frozenset(c.name for c in schema.COLUMNS if c.dtype.startswith("datetime"))
BOOL_COLUMNS = frozenset(c.name for c in schema.COLUMNS if c.dtype == "bool")
FLOAT_COLUMNS = frozenset(c.name for c in schema.COLUMNS if c.dtype.startswith("float"))
INT_COLUMNS = frozenset(
    c.name for c in schema.COLUMNS if c.dtype.lower().startswith("int") and c.name not in BOOL_COLUMNS
)
# Counted as 0 when the extractor says nothing (design notes: "0 when none is reported").
ZERO_DEFAULT_COLUMNS = frozenset({"fatalities", "injured", "n_sources"})


def _sql_type(dtype: str) -> str:
    if dtype in ("str",) or dtype.startswith("datetime"):
        return "TEXT"
    if dtype.startswith("float"):
        return "REAL"
    return "INTEGER"


def _incidents_ddl() -> str:
    cols = ["event_id TEXT PRIMARY KEY"]
    cols += [f"{c.name} {_sql_type(c.dtype)}" for c in schema.COLUMNS if c.name != "event_id"]
    # Bookkeeping columns that are not part of the record:
    #  imported: 1 for rows from bulk_load (ACLED imports, synthetic data); re-extraction
    #            leaves them alone and extracted incidents never merge into them.
    #  location_key: the normalised place name, to merge unplaced incidents.
    cols += ["imported INTEGER NOT NULL DEFAULT 0", "location_key TEXT"]
    return "CREATE TABLE incidents (\n  " + ",\n  ".join(cols) + "\n)"


# Secondary indexes of the incidents table; bulk_load drops and recreates them.
INCIDENT_INDEXES: dict[str, str] = {
    # Spatial pre-filter for merging: a date window, then a latitude band, read from the index.
    "incidents_when_where": "CREATE INDEX IF NOT EXISTS incidents_when_where "
    "ON incidents(event_date, latitude, longitude)",
    "incidents_unplaced": "CREATE INDEX IF NOT EXISTS incidents_unplaced "
    "ON incidents(location_key, event_date) WHERE latitude IS NULL",
    # The review queue: extracted (not imported) incidents by confidence.
    "incidents_review": "CREATE INDEX IF NOT EXISTS incidents_review ON incidents(imported, confidence)",
}

_V1 = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  title TEXT, url TEXT, published TEXT, outlet TEXT, source_type TEXT,
  fictional INTEGER NOT NULL DEFAULT 0,
  origin TEXT,
  kind TEXT NOT NULL DEFAULT 'text',   -- 'text' (extracted) or 'import' (bulk_load)
  ingested_at TEXT NOT NULL
)""",
    _incidents_ddl(),
    """CREATE TABLE incident_sources (
  event_id TEXT NOT NULL REFERENCES incidents(event_id) ON DELETE CASCADE,
  report_id TEXT NOT NULL REFERENCES reports(id),
  source_event_id TEXT NOT NULL,        -- the id the extractor gave it in that report
  source TEXT, source_type TEXT, source_url TEXT, report_date TEXT,
  claimed_by TEXT, evidence TEXT, event_date TEXT, actor1 TEXT, actor2 TEXT,
  PRIMARY KEY (event_id, report_id, source_event_id)
)""",
    "CREATE INDEX incident_sources_report ON incident_sources(report_id)",
    "CREATE INDEX incident_sources_alias ON incident_sources(source_event_id)",
    """CREATE TABLE place_candidates (
  event_id TEXT NOT NULL REFERENCES incidents(event_id) ON DELETE CASCADE,
  rank INTEGER NOT NULL,
  name TEXT, lat REAL, lon REAL, geonameid INTEGER, country_code TEXT,
  admin1 TEXT, feature TEXT, score REAL,
  PRIMARY KEY (event_id, rank)
)""",
    # No foreign key on purpose: an edit outlives the incident it was made on
    # (re-extraction may drop it) and is reported, never deleted.
    """CREATE TABLE edits (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT,                           -- JSON
  editor TEXT NOT NULL,
  at TEXT NOT NULL
)""",
    "CREATE INDEX edits_event ON edits(event_id)",
    *INCIDENT_INDEXES.values(),
]

# user_version -> statements that bring the database from the previous version to it.
MIGRATIONS: dict[int, list[str]] = {1: _V1}


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

    IMMEDIATE takes the write lock up front, so a second writer process waits
    (busy timeout) at the start instead of failing half-way through.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a database to SCHEMA_VERSION; the hook for later versions is MIGRATIONS."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {version} is newer than this program ({SCHEMA_VERSION})"
        )
    if version < SCHEMA_VERSION:
        with write_transaction(conn):
            # Another process may have migrated while we waited for the lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    conn.execute(statement)
                if target == 1:
                    conn.executemany(
                        "INSERT INTO meta(key, value) VALUES (?, ?)",
                        [("store_id", uuid.uuid4().hex[:12]), ("incidents_version", "0"),
                         ("edits_version", "0")],
                    )
                conn.execute(f"PRAGMA user_version = {target}")
    _add_missing_columns(conn)
    _refresh_location_keys(conn)


# Bumped whenever store_merge.normalise_place folds names differently (2: textfold, schwa as e),
# so that unplaced incidents stored before still meet new reports of the same place.
LOCATION_KEY_VERSION = "2"


def _refresh_location_keys(conn: sqlite3.Connection) -> None:
    """Recompute the merge keys of stored names the fold now reads differently (once per change).

    Only names with a non-ASCII letter can change, and only extracted rows have
    keys, so this touches few rows.
    """
    from incidents.store.merge import normalise_place

    def current() -> bool:
        row = conn.execute("SELECT value FROM meta WHERE key = 'location_key_version'").fetchone()
        return row is not None and row[0] == LOCATION_KEY_VERSION

    if current():
        return
    with write_transaction(conn):
        if not current():  # another process may have refreshed them while we waited
            rows = conn.execute("SELECT rowid, location FROM incidents WHERE location_key IS NOT NULL"
                                " AND location GLOB '*[^ -~]*'").fetchall()
            conn.executemany("UPDATE incidents SET location_key = ? WHERE rowid = ?",
                             [(normalise_place(location), rowid) for rowid, location in rows])
            conn.execute("INSERT INTO meta(key, value) VALUES ('location_key_version', ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (LOCATION_KEY_VERSION,))


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    """Columns added to schema.COLUMNS after a database was made are added to it."""
    existing = {row[1] for row in conn.execute("PRAGMA table_info(incidents)")}
    missing = [c for c in schema.COLUMNS if c.name not in existing]
    for column in missing:
        conn.execute(f"ALTER TABLE incidents ADD COLUMN {column.name} {_sql_type(column.dtype)}")


# ---------------------------------------------------------------------------
# Value coding: Python values <-> SQLite values
# ---------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:  # pandas NA / NaT without importing pandas here
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def iso_date(value: Any) -> str | None:
    """'YYYY-MM-DD' from a date, datetime, Timestamp or ISO string; ValueError otherwise."""
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp, numpy-like
        return value.date().isoformat()
    text = str(value).strip()
    return dt.date.fromisoformat(text[:10]).isoformat()


def encode_weapons(value: Any) -> str:
    if is_missing(value) or value == "":
        return "[]"
    if isinstance(value, str):
        items = [w.strip() for w in value.split(";")] if not value.startswith("[") else json.loads(value)
    else:
        items = list(value)
    return json.dumps([str(w) for w in items if str(w).strip()], ensure_ascii=False)


def decode_weapons(value: str | None) -> list[str]:
    return json.loads(value) if value else []


def encode_value(column: str, value: Any) -> Any:
    """One incident value as stored: ISO text dates, 0/1 booleans, JSON weapons."""
    if column == "weapons":
        return encode_weapons(value)
    if column in DATE_COLUMNS:
        return iso_date(value)
    if is_missing(value):
        if column in BOOL_COLUMNS or column in ZERO_DEFAULT_COLUMNS:
            return 0
        return None
    if column in BOOL_COLUMNS:
        return 1 if bool(value) else 0
    if column in INT_COLUMNS:
        return int(value)
    if column in FLOAT_COLUMNS:
        return float(value)
    return str(value)


def encode_incident(incident: dict[str, Any]) -> dict[str, Any]:
    """A full row (every schema column) from an extractor's incident dict."""
    return {name: encode_value(name, incident.get(name)) for name in INCIDENT_COLUMNS}


def decode_value(column: str, value: Any) -> Any:
    """A stored value back as the extractor gives it (bools, a weapons list, ISO dates)."""
    if column == "weapons":
        return decode_weapons(value)
    if column in BOOL_COLUMNS:
        return bool(value) if value is not None else False
    return value


def decode_incident(row: sqlite3.Row) -> dict[str, Any]:
    return {name: decode_value(name, row[name]) for name in INCIDENT_COLUMNS if name in row.keys()}
