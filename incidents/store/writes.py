"""The write path of ingest: one report's incidents into the tables, merged across reports.

Functions on an open connection inside the caller's transaction (the
:class:`incidents.store.Store` owns transactions), so a failure anywhere
rolls the whole report back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from typing import Any

from incidents.store import merge
from incidents.reports.model import clean_url
from incidents.store.tables import INCIDENT_COLUMNS, decode_weapons, encode_incident

SOURCE_COLUMNS = ("report_id", "source", "source_type", "source_url", "report_date",
                  "claimed_by", "evidence", "event_date", "actor1", "actor2", "source_event_id")
CANDIDATE_COLUMNS = ("name", "lat", "lon", "geonameid", "country_code", "admin1", "feature", "score")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def make_event_id(report_id: str, row: dict[str, Any]) -> str:
    """Stable id from what makes an incident one (report, type, place, date)."""
    key = "|".join(str(row.get(k) or "") for k in ("event_type", "location", "latitude",
                                                   "longitude", "event_date"))
    return hashlib.sha1(f"{report_id}|{key}".encode()).hexdigest()[:16]


class ReportIdTaken(ValueError):
    """A record reuses the id of a stored report whose text or outlet differ: refused, never dropped."""

    def __init__(self, report_id: str, differs: list[str]) -> None:
        super().__init__(
            f"id {report_id!r} already names a stored report with a different {' and '.join(differs)}; "
            "not stored. Give this record an id of its own, or leave 'id' out so that one is made "
            "from its text")
        self.report_id = report_id


def already_stored(conn: sqlite3.Connection, report: Any) -> bool:
    """Whether this very report is stored; raises ReportIdTaken when its id names another one.

    Ids of JSON records are the user's; the same id with another text or
    outlet is a different report, and counting it "already stored" would
    drop it without a word.
    """
    row = conn.execute("SELECT text, outlet FROM reports WHERE id = ?", (report.id,)).fetchone()
    if row is None:
        return False
    differs = [name for name, stored, new in (("text", row["text"], report.text),
                                              ("outlet", row["outlet"], report.outlet))
               if (stored or None) != (new or None)]
    if differs:
        raise ReportIdTaken(report.id, differs)
    return True


def insert_report(conn: sqlite3.Connection, report: Any, kind: str = "text") -> None:
    """The report itself, kept whole so that it can be shown and re-extracted later."""
    conn.execute(
        "INSERT INTO reports(id, text, title, url, published, outlet, source_type, fictional,"
        " origin, kind, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (report.id, report.text, report.title, report.url, report.published, report.outlet,
         report.source_type, 1 if report.fictional else 0, report.origin or None, kind, now()),
    )


def add_incidents(conn: sqlite3.Connection, report: Any, incidents: list[dict]) -> tuple[int, int]:
    """Insert a report's incidents (or link them to the incident they repeat); (added, merged)."""
    added = merged = 0
    used_ids: set[str] = set()
    for incident in incidents:
        row = row_for(report, incident)
        source_id = row["event_id"]
        suffix = 1
        while source_id in used_ids:  # the extractor gave two incidents one id
            suffix += 1
            source_id = f"{row['event_id']}-{suffix}"
        used_ids.add(source_id)
        target = merge_target(conn, row, report.id)
        if target is None:
            event_id = source_id
            while conn.execute("SELECT 1 FROM incidents WHERE event_id = ?", (event_id,)).fetchone():
                suffix += 1
                event_id = f"{row['event_id']}-{suffix}"
            row["event_id"] = event_id
            insert_incident(conn, row, incident.get("place_candidates") or [])
            added += 1
        else:
            event_id = target["event_id"]
            merged += 1
        link_source(conn, event_id, row, source_id)
        if target is not None:
            merge_into(conn, target, row)
    return added, merged


def row_for(report: Any, incident: dict[str, Any]) -> dict[str, Any]:
    """The stored row: the extractor's values, gaps filled from the report, counts reset."""
    row = encode_incident(incident)
    row["report_id"] = row["report_id"] or report.id
    row["source"] = row["source"] or report.outlet
    row["source_url"] = clean_url(row["source_url"] or report.url)
    row["source_type"] = row["source_type"] or report.source_type
    row["report_date"] = row["report_date"] or encode_incident(
        {"report_date": report.published})["report_date"]
    row["fictional"] = 1 if (row["fictional"] or report.fictional) else 0
    row["review_status"] = row["review_status"] or "auto"
    row["n_sources"], row["corroborated"] = 1, 0
    row["event_id"] = row["event_id"] or make_event_id(report.id, row)
    row["location_key"] = merge.normalise_place(row["location"])
    return row


def insert_incident(conn: sqlite3.Connection, row: dict[str, Any], candidates: list[dict]) -> None:
    """A new incident with the runner-up places the geoparser kept (best first)."""
    names = (*INCIDENT_COLUMNS, "location_key")
    conn.execute(
        f"INSERT INTO incidents({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [row[n] for n in names],
    )
    conn.executemany(
        f"INSERT INTO place_candidates(event_id, rank, {', '.join(CANDIDATE_COLUMNS)})"
        f" VALUES (?, ?, {', '.join('?' * len(CANDIDATE_COLUMNS))})",
        [(row["event_id"], rank, *(c.get(k) for k in CANDIDATE_COLUMNS))
         for rank, c in enumerate(candidates)],
    )


def _signature(report_id: str, sub_event_type: Any, event_date: Any, evidence: Any) -> tuple[str, str, str, str]:
    return (str(report_id), str(sub_event_type or ""), str(event_date or "")[:10], " ".join(str(evidence or "").split()))


def keep_identities(conn: sqlite3.Connection, extracted: list[tuple[Any, list[dict]]]) -> int:
    """Give re-extracted incidents the ids they had, when only their place changed.

    An incident's id hashes its place, so a village that the user's places
    (or a new gazetteer) now resolve would get a new id and leave its edits
    and links behind. A new incident takes the old id when it is the only one
    of its report with the same sentence, type and date, and that old id is
    the only one with them that the new extraction no longer produces.
    Changes the ``event_id`` of ``extracted`` incidents in place; returns how many.
    """
    old: dict[tuple[str, str, str, str], list[str]] = {}
    for row in conn.execute(
            "SELECT s.report_id, s.source_event_id, s.event_date, s.evidence, i.sub_event_type"
            " FROM incident_sources s JOIN incidents i ON i.event_id = s.event_id WHERE i.imported = 0"):
        old.setdefault(_signature(row[0], row[4], row[2], row[3]), []).append(row[1])
    new: dict[tuple[str, str, str, str], list[dict]] = {}
    produced = set()
    for report, incidents in extracted:
        for incident in incidents:
            produced.add(incident.get("event_id"))
            key = _signature(incident.get("report_id") or report.id, incident.get("sub_event_type"),
                             incident.get("event_date"), incident.get("evidence"))
            new.setdefault(key, []).append(incident)
    kept = 0
    for key, incidents in new.items():
        gone = [i for i in dict.fromkeys(old.get(key, ())) if i not in produced]
        if len(incidents) == 1 and len(gone) == 1 and incidents[0].get("event_id") not in old.get(key, ()):
            incidents[0]["event_id"] = gone[0]
            kept += 1
    return kept


def link_source(conn: sqlite3.Connection, event_id: str, row: dict[str, Any], source_id: str) -> None:
    """Record that this report states the incident, with its own sentence, claimant and date."""
    values = {**row, "source_event_id": source_id}
    conn.execute(
        f"INSERT INTO incident_sources(event_id, {', '.join(SOURCE_COLUMNS)})"
        f" VALUES (?, {', '.join('?' * len(SOURCE_COLUMNS))})",
        (event_id, *(values[k] for k in SOURCE_COLUMNS)),
    )


def merge_target(conn: sqlite3.Connection, row: dict[str, Any], report_id: str) -> sqlite3.Row | None:
    """The stored incident (of another report) this one repeats, if any.

    The index on (event_date, latitude, longitude) narrows the search to a
    three-day window and a box around the point before the exact rule runs.
    """
    date = row["event_date"]
    if not date:
        return None
    low, high = merge.shift_days(date, -merge.MERGE_DAYS), merge.shift_days(date, merge.MERGE_DAYS)
    not_same_report = ("AND imported = 0 AND NOT EXISTS (SELECT 1 FROM incident_sources s"
                       " WHERE s.event_id = incidents.event_id AND s.report_id = ?)")
    if row["latitude"] is not None and row["longitude"] is not None:
        lat0, lat1, lon0, lon1 = merge.bounding_box(row["latitude"], row["longitude"])
        rows = conn.execute(
            "SELECT * FROM incidents WHERE event_date BETWEEN ? AND ?"
            " AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? " + not_same_report,
            (low, high, lat0, lat1, lon0, lon1, report_id),
        ).fetchall()
    elif row["location_key"]:
        rows = conn.execute(
            "SELECT * FROM incidents WHERE location_key = ? AND latitude IS NULL"
            " AND event_date BETWEEN ? AND ? " + not_same_report,
            (row["location_key"], low, high, report_id),
        ).fetchall()
    else:
        return None
    matches = [r for r in rows if merge.should_merge(row, dict(r)) and not is_rejected(conn, r)]
    if not matches:
        return None

    def rank(r: sqlite3.Row) -> tuple[int, int, float]:
        same_type = 0 if r["event_type"] == row["event_type"] else 1
        distance = 0.0
        if r["latitude"] is not None and row["latitude"] is not None:
            distance = merge.haversine_km(r["latitude"], r["longitude"],
                                          row["latitude"], row["longitude"])
        return same_type, merge.days_apart(r["event_date"], date) or 0, distance

    return min(matches, key=rank)


def is_rejected(conn: sqlite3.Connection, incident: sqlite3.Row) -> bool:
    """Whether an analyst rejected this incident (its latest review_status edit, else as stored).

    A rejected incident leaves every view, so a new report merged into it would
    vanish with it: it must become an incident of its own instead. One indexed
    lookup per merge candidate (edits_event), and candidates are few.
    """
    latest = conn.execute(
        "SELECT value FROM edits WHERE event_id = ? AND field = 'review_status'"
        " ORDER BY id DESC LIMIT 1", (incident["event_id"],)).fetchone()
    status = json.loads(latest["value"]) if latest else incident["review_status"]
    return status == "rejected"


def merge_into(conn: sqlite3.Connection, target: sqlite3.Row, row: dict[str, Any]) -> None:
    """Update the stored incident a new source joined (its link row is already written)."""
    old = dict(target)
    updates = merge.merged_values(old, row)
    weapons = merge.union_weapons(decode_weapons(old["weapons"]), decode_weapons(row["weapons"]))
    if weapons != decode_weapons(old["weapons"]):
        updates["weapons"] = json.dumps(weapons, ensure_ascii=False)
    links = conn.execute("SELECT report_id, source_type FROM incident_sources WHERE event_id = ?",
                         (old["event_id"],)).fetchall()
    updates["n_sources"] = len({link["report_id"] for link in links})
    updates["corroborated"] = int(merge.is_corroborated([link["source_type"] for link in links]))
    assignments = ", ".join(f"{name} = ?" for name in updates)
    conn.execute(f"UPDATE incidents SET {assignments} WHERE event_id = ?",
                 (*updates.values(), old["event_id"]))
