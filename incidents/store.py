"""The incident store: reports, incidents, their sources and analysts' edits in SQLite.

Every other module reaches the database through :class:`Store`; the SQL
lives here and in its helpers :mod:`~incidents.store_schema` (tables,
migrations, value coding), :mod:`~incidents.store_ingest` (the write path
with merging) and :mod:`~incidents.store_bulk`, so a PostgreSQL backend can
be added behind the same methods. Choices, and why:

- WAL mode: the dashboard reads while an ``ingest`` process writes.
- ``synchronous=FULL``: a commit is an analyst's edit or a whole report;
  it must survive a power cut (NORMAL may lose the last commits). The cost,
  one fsync per commit, is small next to extraction.
- ``BEGIN IMMEDIATE`` and a 30 s busy timeout: a second writer process waits
  for the lock at the start of its transaction instead of failing half-way.
- Each report is one transaction: it is stored whole or not at all.
- ``PRAGMA user_version`` holds the schema version; :func:`store_schema.migrate`
  is the migration hook.
- Edits are rows beside the extracted values, applied when reading, so a
  re-extraction replaces extracted values and every edit still applies.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from incidents import store_ingest
from incidents.store_schema import (
    INCIDENT_COLUMNS,
    check_edit,
    place_edit,
    decode_incident,
    effective_edits,
    migrate,
)

if TYPE_CHECKING:
    import pandas as pd

    from incidents.config import Settings
    from incidents.reports import Report
    from incidents.toponyms import Geoparser

BUSY_TIMEOUT_S = 30.0
Extractor = Callable[[Any, Any], list[dict]]
Progress = Callable[[int], Any]


@dataclass
class IngestSummary:
    """What an ingest did; ``failed`` holds (origin, reason) for each report not stored."""

    reports_read: int = 0
    incidents_added: int = 0
    merged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped_duplicates: int = 0

    def lines(self) -> list[str]:
        """The human summary the ``ingest`` command prints."""
        return [
            f"reports read:         {self.reports_read}",
            f"already stored:       {self.skipped_duplicates}",
            f"incidents added:      {self.incidents_added}",
            f"merged as duplicates: {self.merged}",
            f"failed:               {len(self.failed)}",
        ]


@dataclass
class ReextractSummary:
    """What a re-extraction did. Nothing changes unless every report was extracted."""

    reports: int = 0
    incidents_added: int = 0
    merged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    orphaned_edits: list[tuple[str, str]] = field(default_factory=list)  # (event_id, field)
    applied: bool = False


class _AlreadyStored(Exception):
    """Raised inside a transaction to roll it back when another writer stored the report first."""


def _snapshot_versions(meta: dict[str, str]) -> dict[str, str]:
    return {"imported": f"{meta['store_id']}-i{meta.get('imported_version', '0')}",
            "extracted": f"{meta['store_id']}-{meta['incidents_version']}"}


def open_store(settings: Settings | None = None) -> Store:
    """The store at ``settings.db_path`` (the user's settings when none are given)."""
    if settings is None:
        from incidents.config import load_settings

        settings = load_settings()
    return Store(settings.db_path, settings=settings)


class Store:
    """One SQLite database file; safe to share between threads of one process."""

    def __init__(self, path: str | Path, *, settings: Settings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings
        self._lock = threading.RLock()
        self._conn = self._connect()

    # -- connection and transactions -------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, *bump: str) -> Iterator[sqlite3.Connection]:
        """A write transaction; ``bump`` names the version counters it changes."""
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                for key in bump:  # an upsert: counters added after a database was made start at 1
                    conn.execute("INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key)"
                                 " DO UPDATE SET value = CAST(value AS INTEGER) + 1", (key,))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def _meta(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self._query("SELECT key, value FROM meta")}

    def data_version(self) -> str:
        """A cheap token that changes whenever reports, incidents or edits change."""
        meta = self._meta()
        return f"{meta['store_id']}-{meta['incidents_version']}-{meta['edits_version']}"

    def snapshot_versions(self) -> dict[str, str]:
        """Keys of the two columnar snapshots (see :mod:`incidents.dataset`); blind to edits.

        ``imported`` changes only with bulk loads, ``extracted`` with any change of incidents.
        """
        return _snapshot_versions(self._meta())

    def count(self) -> int:
        """Number of stored incidents (rejected ones included)."""
        return self._query("SELECT count(*) FROM incidents")[0][0]

    def has_report(self, report_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM reports WHERE id = ?", (report_id,)))

    # -- ingest --------------------------------------------------------------

    def ingest(self, reports: Iterable[Any], *, geoparser: Geoparser | None = None,
               extractor: Extractor | None = None, progress: Progress | None = None) -> IngestSummary:
        """Extract and store each report in its own transaction; failures are collected.

        ``reports`` yields Report or ReportError items (as ``read_reports`` does).
        A report already stored is skipped before extraction. ``extractor``
        defaults to :func:`incidents.extract.extract` with the process-wide
        geoparser; ``progress`` is called with 1 after each item (tqdm's update).
        """
        summary = IngestSummary()
        state: dict[str, Any] = {"extractor": extractor, "geoparser": geoparser}
        for item in reports:
            summary.reports_read += 1
            try:
                self._ingest_one(item, summary, state)
            finally:
                if progress is not None:
                    progress(1)
        return summary

    def _extractor(self, state: dict[str, Any]) -> tuple[Extractor, Any]:
        if state["extractor"] is None:
            from incidents.extract import extract

            state["extractor"] = extract
            if state["geoparser"] is None:
                from incidents.geoparse import get_geoparser

                state["geoparser"] = get_geoparser(self.settings)
        return state["extractor"], state["geoparser"]

    def _ingest_one(self, item: Any, summary: IngestSummary, state: dict[str, Any]) -> None:
        if isinstance(item, BaseException):
            origin = getattr(item, "origin", None) or "input"
            summary.failed.append((origin, getattr(item, "reason", None) or str(item)))
            return
        origin = getattr(item, "origin", None) or item.id
        if self.has_report(item.id):
            summary.skipped_duplicates += 1
            return
        try:
            extract, geoparser = self._extractor(state)
            incidents = extract(item, geoparser)
        except Exception as exc:  # a bad report must not stop the batch
            summary.failed.append((origin, f"extraction failed: {type(exc).__name__}: {exc}"))
            return
        try:
            added, merged = self._store_report(item, incidents)
        except _AlreadyStored:
            summary.skipped_duplicates += 1
            return
        except Exception as exc:
            summary.failed.append((origin, f"not stored: {type(exc).__name__}: {exc}"))
            return
        summary.incidents_added += added
        summary.merged += merged

    def add_report(self, report: Report, incidents: list[dict]) -> tuple[int, int]:
        """Store a report with incidents extracted elsewhere (e.g. reviewed in the dashboard).

        Returns (added, merged); (0, 0) when the report is already stored.
        """
        try:
            return self._store_report(report, incidents)
        except _AlreadyStored:
            return 0, 0

    def _store_report(self, report: Report, incidents: list[dict]) -> tuple[int, int]:
        with self._transaction("incidents_version") as conn:
            if conn.execute("SELECT 1 FROM reports WHERE id = ?", (report.id,)).fetchone():
                raise _AlreadyStored(report.id)
            store_ingest.insert_report(conn, report)
            return store_ingest.add_incidents(conn, report, incidents)

    # -- reading -------------------------------------------------------------

    def _resolve(self, event_id: str) -> str | None:
        """The stored incident's id for an id, or for the id a merged-away duplicate had."""
        if self._query("SELECT 1 FROM incidents WHERE event_id = ?", (event_id,)):
            return event_id
        rows = self._query("SELECT event_id FROM incident_sources WHERE source_event_id = ? LIMIT 1",
                           (event_id,))
        return rows[0]["event_id"] if rows else None

    def incident(self, event_id: str, *, apply_edits: bool = True) -> dict[str, Any] | None:
        """One incident as a dict (ISO dates, bools, weapons list), edits applied by default."""
        resolved = self._resolve(event_id)
        if resolved is None:
            return None
        row = self._query("SELECT * FROM incidents WHERE event_id = ?", (resolved,))[0]
        incident = decode_incident(row)
        if apply_edits:
            incident.update(effective_edits(self._edit_rows(resolved)).get(resolved, {}))
        return incident

    def sources(self, event_id: str) -> list[dict[str, Any]]:
        """Every report that states this incident, earliest first, with its own sentence."""
        resolved = self._resolve(event_id) or event_id
        rows = self._query(
            f"SELECT {', '.join(store_ingest.SOURCE_COLUMNS)} FROM incident_sources WHERE event_id = ?"
            " ORDER BY report_date, rowid", (resolved,))
        if rows:
            return [dict(r) for r in rows]
        # Imported rows have no link rows: their synthetic report is the source.
        rows = self._query(
            "SELECT report_id, source, source_type, source_url, report_date, claimed_by, evidence,"
            " event_date, actor1, actor2, event_id AS source_event_id FROM incidents"
            " WHERE event_id = ?", (resolved,))
        return [dict(r) for r in rows]

    def report(self, report_id: str) -> Report | None:
        rows = self._query("SELECT * FROM reports WHERE id = ?", (report_id,))
        return self._report_from_row(rows[0]) if rows else None

    @staticmethod
    def _report_from_row(row: sqlite3.Row) -> Report:
        from incidents.reports import Report

        return Report(id=row["id"], text=row["text"], title=row["title"], url=row["url"],
                      published=row["published"], outlet=row["outlet"],
                      source_type=row["source_type"], fictional=bool(row["fictional"]),
                      origin=row["origin"] or "")

    def place_candidates(self, event_id: str) -> list[dict[str, Any]]:
        """Places the geoparser considered, best first (the first is the one chosen)."""
        resolved = self._resolve(event_id) or event_id
        rows = self._query(f"SELECT {', '.join(store_ingest.CANDIDATE_COLUMNS)} FROM place_candidates"
                           " WHERE event_id = ? ORDER BY rank", (resolved,))
        return [dict(r) for r in rows]

    def detail(self, event_id: str) -> dict[str, Any] | None:
        """Everything the dashboard's incident view shows, in one call."""
        incident = self.incident(event_id)
        if incident is None:
            return None
        sources = self.sources(incident["event_id"])
        reports = {s["report_id"]: self.report(s["report_id"]) for s in sources}
        return {"incident": incident, "sources": sources, "reports": reports,
                "place_candidates": self.place_candidates(incident["event_id"]),
                "edits": self.edits(incident["event_id"])}

    # -- edits -----------------------------------------------------------------

    def edit(self, event_id: str, field: str, value: Any, editor: str) -> None:
        """Record an analyst's correction beside the extracted value (which is kept)."""
        self.edit_fields(event_id, {field: value}, editor)

    def edit_fields(self, event_id: str, values: dict[str, Any], editor: str) -> None:
        """Several edits of one incident in one transaction (e.g. all place fields)."""
        if not editor or not editor.strip():
            raise ValueError("an edit needs the editor's name")
        checked = {name: check_edit(name, value) for name, value in values.items()}
        resolved = self._resolve(event_id)
        if resolved is None:
            raise KeyError(f"no incident {event_id!r}")
        at = store_ingest.now()
        with self._transaction("edits_version") as conn:
            conn.executemany(
                "INSERT INTO edits(event_id, field, value, editor, at) VALUES (?, ?, ?, ?, ?)",
                [(resolved, name, json.dumps(value, ensure_ascii=False), editor.strip(), at)
                 for name, value in checked.items()],
            )

    def set_review_status(self, event_id: str, status: str, editor: str) -> None:
        """confirmed / edited / rejected (or back to auto); rejected hides it from the dataset."""
        self.edit(event_id, "review_status", status, editor)

    def choose_place(self, event_id: str, candidate: dict[str, Any] | int, editor: str) -> None:
        """Switch to another place candidate (a dict, or its rank in place_candidates)."""
        if isinstance(candidate, int):
            candidates = self.place_candidates(event_id)
            if not 0 <= candidate < len(candidates):
                raise ValueError(f"no place candidate {candidate} for {event_id}")
            candidate = candidates[candidate]
        self.edit_fields(event_id, place_edit(candidate), editor)

    def _edit_rows(self, event_id: str | None = None) -> list[tuple[str, str, Any]]:
        sql = "SELECT event_id, field, value FROM edits"
        rows = self._query(sql + " WHERE event_id = ? ORDER BY id", (event_id,)) if event_id \
            else self._query(sql + " ORDER BY id")
        return [(r["event_id"], r["field"], json.loads(r["value"])) for r in rows]

    def effective_edits(self) -> dict[str, dict[str, Any]]:
        """{event_id: {field: latest value}} over all edits, review_status included."""
        return effective_edits(self._edit_rows())

    def edits(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """The edit history (who, when, what), oldest first."""
        resolved = (self._resolve(event_id) or event_id) if event_id else None
        sql = "SELECT event_id, field, value, editor, at FROM edits"
        rows = self._query(sql + " WHERE event_id = ? ORDER BY id", (resolved,)) if resolved \
            else self._query(sql + " ORDER BY id")
        return [{**dict(r), "value": json.loads(r["value"])} for r in rows]

    def orphaned_edits(self) -> list[tuple[str, str]]:
        """(event_id, field) of edits whose incident no longer exists (kept, never deleted)."""
        rows = self._query(
            "SELECT DISTINCT event_id, field FROM edits e WHERE NOT EXISTS"
            " (SELECT 1 FROM incidents i WHERE i.event_id = e.event_id) AND NOT EXISTS"
            " (SELECT 1 FROM incident_sources s WHERE s.source_event_id = e.event_id)"
            " ORDER BY event_id, field")
        return [(r["event_id"], r["field"]) for r in rows]

    def review_queue(self, max_confidence: float = 0.6) -> pd.DataFrame:
        """Incidents still 'auto' with confidence at most ``max_confidence``, least sure first."""
        from incidents.dataset import frame_from_rows, apply_edits

        rows = self._query(
            f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incidents WHERE imported = 0"
            " AND (confidence IS NULL OR confidence <= ?) ORDER BY confidence, rowid",
            (max_confidence,))
        frame = apply_edits(frame_from_rows([tuple(r) for r in rows], INCIDENT_COLUMNS),
                            self.effective_edits())
        return frame[frame["review_status"] == "auto"].reset_index(drop=True)

    # -- bulk reading (snapshot builds) ----------------------------------------

    @contextmanager
    def incident_chunks(self, columns: Iterable[str] = INCIDENT_COLUMNS, *, imported: bool,
                        chunk_size: int = 100_000) -> Iterator[tuple[str, Iterator[list[tuple]]]]:
        """(snapshot version, chunks of row tuples) of imported or of extracted incidents.

        One consistent read transaction on its own read-only connection, so
        that writers and other threads are not blocked meanwhile.
        """
        columns = list(columns)
        conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute("BEGIN")
            versions = _snapshot_versions(dict(conn.execute("SELECT key, value FROM meta").fetchall()))
            cursor = conn.execute(f"SELECT {', '.join(columns)} FROM incidents WHERE imported = ?"
                                  " ORDER BY rowid", (1 if imported else 0,))

            def chunks() -> Iterator[list[tuple]]:
                while rows := cursor.fetchmany(chunk_size):
                    yield rows

            yield versions["imported" if imported else "extracted"], chunks()
        finally:
            conn.close()

    # -- re-extraction and bulk loading ----------------------------------------

    def reextract(self, geoparser: Geoparser | None = None, *, extractor: Extractor | None = None,
                  progress: Progress | None = None) -> ReextractSummary:
        """Run the current extractor over every stored report and re-derive their incidents.

        All or nothing: when any report fails to extract, nothing changes. Event
        ids are stable hashes and reports are replayed in ingestion order, so
        merged incidents keep their ids and edits keep applying; edits whose
        incident disappeared are kept and listed in the summary.
        """
        state: dict[str, Any] = {"extractor": extractor, "geoparser": geoparser}
        rows = self._query("SELECT * FROM reports WHERE kind = 'text' ORDER BY rowid")
        summary = ReextractSummary(reports=len(rows))
        extracted = []
        for row in rows:
            report = self._report_from_row(row)
            try:
                extract, parser = self._extractor(state)
                extracted.append((report, extract(report, parser)))
            except Exception as exc:
                summary.failed.append((report.origin or report.id, f"{type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(1)
        if summary.failed:
            return summary
        with self._transaction("incidents_version") as conn:
            conn.execute("DELETE FROM incidents WHERE imported = 0")
            for report, incidents in extracted:
                added, merged = store_ingest.add_incidents(conn, report, incidents)
                summary.incidents_added += added
                summary.merged += merged
        summary.applied = True
        summary.orphaned_edits = self.orphaned_edits()
        return summary

    def bulk_load(self, frame: pd.DataFrame, *, source: str = "bulk load",
                  snapshot: bool = True) -> int:
        """Insert ready-made incident rows fast (ACLED imports, synthetic data); returns rows added.

        One synthetic report is the source of the whole frame. Rows keep their
        event_id when given (an id already stored is skipped). Secondary indexes
        are rebuilt after a large load; ``snapshot`` also refreshes the columnar
        snapshot so the dashboard's first load is fast.
        """
        from incidents.store_bulk import bulk_columns, bulk_insert, synthetic_report

        report = synthetic_report(frame, source)
        columns = bulk_columns(frame, report)
        with self._transaction("incidents_version", "imported_version") as conn:
            load = bulk_insert(conn, report, columns, rebuild_indexes=len(frame) > 50_000)
        if snapshot:
            from incidents.dataset import append_to_snapshot, ensure_snapshot

            # Appending is only right when every row went in (no id was already stored).
            try:
                appended = load.inserted == len(frame) and append_to_snapshot(
                    self, columns, load.before, load.after, was_empty=load.was_empty)
            except Exception:  # the snapshot is a cache: rebuild it from the database instead
                appended = False
            if not appended:
                ensure_snapshot(self)
        return load.inserted
