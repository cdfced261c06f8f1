"""The incident store: reports, incidents, their sources and analysts' edits in SQLite.

Every other module reaches the database through :class:`Store`, so a
PostgreSQL backend can be added behind the same methods. Its layers, bottom up:
:mod:`~incidents.store.base` (connection, transactions, version tokens),
:mod:`~incidents.store.reads` (the read API), :mod:`~incidents.store.edits`
(analysts' edits), and this module (ingest, re-extraction, bulk loads). The
SQL helpers: :mod:`~incidents.store.tables` (tables, migrations, value coding),
:mod:`~incidents.store.edit_rules` (which fields may be edited, and how),
:mod:`~incidents.store.writes` (the write path with merging) and
:mod:`~incidents.store.bulk`. Choices, and why:

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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from incidents.reports.formats import failure_reason
from incidents.store import writes
from incidents.store.bulk import BulkLoad, bulk_columns, bulk_insert, synthetic_report
from incidents.store.edits import StoreEdits

if TYPE_CHECKING:
    import pandas as pd

    from incidents.config import Settings
    from incidents.reports.model import Report

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


REEXTRACT_REPORTS = "SELECT * FROM reports WHERE kind = 'text' ORDER BY rowid"


class _AlreadyStored(Exception):
    """Raised inside a transaction to roll it back when another writer stored the report first."""


class _Abandoned(Exception):
    """Raised inside a re-extraction's transaction to roll it back when a new report failed."""


def open_store(settings: Settings | None = None) -> Store:
    """The store at ``settings.db_path`` (the user's settings when none are given)."""
    if settings is None:
        from incidents.config import load_settings

        settings = load_settings()
    return Store(settings.db_path, settings=settings)


class Store(StoreEdits):
    """The incident store: reading and edits (inherited), plus ingest, re-extraction and bulk loads."""

    # -- ingest --------------------------------------------------------------

    def ingest(self, reports: Iterable[Any], *, extractor: Extractor, geoparser: Any = None,
               progress: Progress | None = None) -> IngestSummary:
        """Extract and store each report in its own transaction; failures are collected.

        ``reports`` yields Report or ReportError items (as ``read_reports`` does).
        A report already stored is skipped before extraction. ``extractor(report,
        geoparser)`` gives a report's incidents (:mod:`incidents.pipeline` chooses
        it); ``progress`` is called with 1 after each item (tqdm's update).
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

    def _ingest_one(self, item: Any, summary: IngestSummary, state: dict[str, Any]) -> None:
        if isinstance(item, BaseException):
            origin = getattr(item, "origin", None) or "input"
            summary.failed.append((origin, getattr(item, "reason", None) or str(item)))
            return
        origin = getattr(item, "origin", None) or item.id
        try:
            with self._lock:
                stored = writes.already_stored(self._conn, item)
        except writes.ReportIdTaken as exc:
            summary.failed.append((origin, str(exc)))
            return
        if stored:
            summary.skipped_duplicates += 1
            return
        try:
            incidents = state["extractor"](item, state["geoparser"])
        except Exception as exc:  # a bad report must not stop the batch
            summary.failed.append((origin, f"extraction failed: {failure_reason(exc)}"))
            return
        try:
            added, merged = self._store_report(item, incidents)
        except _AlreadyStored:
            summary.skipped_duplicates += 1
            return
        except writes.ReportIdTaken as exc:  # another writer stored a different report first
            summary.failed.append((origin, str(exc)))
            return
        except Exception as exc:
            summary.failed.append((origin, f"not stored: {failure_reason(exc)}"))
            return
        summary.incidents_added += added
        summary.merged += merged

    def add_report(self, report: Report, incidents: list[dict]) -> tuple[int, int]:
        """Store a report with incidents extracted elsewhere (e.g. reviewed in the dashboard).

        Returns (added, merged); (0, 0) when the report is already stored.
        Raises ReportIdTaken when its id names a different stored report.
        """
        try:
            return self._store_report(report, incidents)
        except _AlreadyStored:
            return 0, 0

    def _store_report(self, report: Report, incidents: list[dict]) -> tuple[int, int]:
        with self._transaction("incidents_version") as conn:
            if writes.already_stored(conn, report):
                raise _AlreadyStored(report.id)
            writes.insert_report(conn, report)
            return writes.add_incidents(conn, report, incidents)
    # -- re-extraction and bulk loading ----------------------------------------

    def reextract(self, geoparser: Any = None, *, extractor: Extractor,
                  progress: Progress | None = None) -> ReextractSummary:
        """Run the current extractor over every stored report and re-derive their incidents.

        All or nothing: when any report fails to extract, nothing changes. Event
        ids are stable hashes and reports are replayed in ingestion order, so
        merged incidents keep their ids and edits keep applying; an incident
        whose place improved keeps its id (:func:`writes.keep_identities`);
        edits whose incident disappeared are kept and listed in the summary.

        Extraction runs outside the write transaction (it is slow, and an ingest
        must not wait on it), so another process may store reports meanwhile.
        Inside the transaction the report set is read again: reports that came
        in since are extracted there, under the lock, so the replacement always
        covers exactly the reports stored and none loses its incidents.
        """
        state: dict[str, Any] = {"extractor": extractor, "geoparser": geoparser}
        summary = ReextractSummary()
        extracted: dict[str, list[dict]] = {}
        rows = self._query(REEXTRACT_REPORTS)
        summary.reports = len(rows)
        self._extract_all(rows, extracted, summary, state, progress)
        if summary.failed:
            return summary
        try:
            with self._transaction("incidents_version") as conn:
                rows = conn.execute(REEXTRACT_REPORTS).fetchall()
                self._extract_all([r for r in rows if r["id"] not in extracted], extracted, summary,
                                  state, progress)
                if summary.failed:
                    raise _Abandoned()
                pairs = [(self._report_from_row(row), extracted[row["id"]]) for row in rows]
                writes.keep_identities(conn, pairs)
                conn.execute("DELETE FROM incidents WHERE imported = 0")
                for report, incidents in pairs:
                    added, merged = writes.add_incidents(conn, report, incidents)
                    summary.incidents_added += added
                    summary.merged += merged
        except _Abandoned:
            return summary
        summary.reports = len(rows)
        summary.applied = True
        summary.orphaned_edits = self.orphaned_edits()
        return summary

    def _extract_all(self, rows: list[Any], extracted: dict[str, list[dict]], summary: ReextractSummary,
                     state: dict[str, Any], progress: Progress | None) -> None:
        """Extract each stored report into ``extracted``; failures go to the summary."""
        for row in rows:
            report = self._report_from_row(row)
            try:
                extracted[report.id] = state["extractor"](report, state["geoparser"])
            except Exception as exc:
                summary.failed.append((report.origin or report.id, failure_reason(exc)))
            if progress is not None:
                progress(1)

    def bulk_insert(self, frame: pd.DataFrame, *, source: str = "bulk load") -> tuple[BulkLoad, dict[str, list]]:
        """Insert ready-made incident rows fast (ACLED imports, synthetic data).

        One synthetic report is the source of the whole frame. Rows keep their
        event_id when given (an id already stored is skipped). Secondary indexes
        are rebuilt after a large load. Returns what was inserted and the columns
        as stored; :func:`incidents.store.dataset.bulk_load` also refreshes the snapshot.
        """
        report = synthetic_report(frame, source)
        columns = bulk_columns(frame, report)
        with self._transaction("incidents_version", "imported_version") as conn:
            load = bulk_insert(conn, report, columns, rebuild_indexes=len(frame) > 50_000)
        return load, columns
