"""The store's read API: incidents, their sources, reports, place candidates and edit history.

Ids are resolved first (:meth:`StoreReads._resolve`), so an event id that was
merged into another incident still finds it. Edits are applied on read, never
written over the extracted values.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from incidents.store import writes
from incidents.store.base import BUSY_TIMEOUT_S, StoreBase, snapshot_versions_of
from incidents.store.edit_rules import effective_edits
from incidents.store.tables import INCIDENT_COLUMNS, decode_incident

if TYPE_CHECKING:
    import pandas as pd

    from incidents.reports.model import Report


class StoreReads(StoreBase):
    """Reading incidents, sources, reports and edits (see the module docstring)."""

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
            f"SELECT {', '.join(writes.SOURCE_COLUMNS)} FROM incident_sources WHERE event_id = ?"
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
        from incidents.reports.model import Report

        return Report(id=row["id"], text=row["text"], title=row["title"], url=row["url"],
                      published=row["published"], outlet=row["outlet"],
                      source_type=row["source_type"], fictional=bool(row["fictional"]),
                      origin=row["origin"] or "")

    def place_candidates(self, event_id: str) -> list[dict[str, Any]]:
        """Places the geoparser considered, best first (the first is the one chosen)."""
        resolved = self._resolve(event_id) or event_id
        rows = self._query(f"SELECT {', '.join(writes.CANDIDATE_COLUMNS)} FROM place_candidates"
                           " WHERE event_id = ? ORDER BY rank", (resolved,))
        return [dict(r) for r in rows]

    def ambiguous_places(self, share: float = 0.8) -> set[str]:
        """Incidents whose runner-up place candidate scored at least ``share`` of the best one."""
        rows = self._query(
            "SELECT event_id FROM place_candidates WHERE rank < 2 GROUP BY event_id"
            " HAVING COUNT(*) = 2 AND MAX(CASE WHEN rank = 1 THEN score END)"
            " >= ? * MAX(CASE WHEN rank = 0 THEN score END)", (share,))
        return {r["event_id"] for r in rows}

    def report_countries(self, report_ids: Iterable[str]) -> list[str]:
        """Countries (ISO codes) the geocoder found in these reports, most incidents first."""
        ids = sorted({str(r) for r in report_ids})
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self._query(
            "SELECT country_code, COUNT(*) AS n FROM incidents WHERE country_code IS NOT NULL AND country_code != ''"
            f" AND event_id IN (SELECT event_id FROM incident_sources WHERE report_id IN ({marks}))"
            " GROUP BY country_code ORDER BY n DESC, country_code", ids)
        return [r["country_code"] for r in rows]

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
        from incidents.store.frames import frame_from_rows, apply_edits

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
            versions = snapshot_versions_of(dict(conn.execute("SELECT key, value FROM meta").fetchall()))
            cursor = conn.execute(f"SELECT {', '.join(columns)} FROM incidents WHERE imported = ?"
                                  " ORDER BY rowid", (1 if imported else 0,))

            def chunks() -> Iterator[list[tuple]]:
                while rows := cursor.fetchmany(chunk_size):
                    yield rows

            yield versions["imported" if imported else "extracted"], chunks()
        finally:
            conn.close()
