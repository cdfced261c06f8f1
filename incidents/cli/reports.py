"""``extract``, ``ingest`` and ``reextract``: the report pipeline from the command line.

Exit codes follow :mod:`incidents.cli.main`: 0 every report processed, 1 some
failed (each named on standard error, the others still written or stored),
2 usage error (bad option, a database that cannot be opened).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sqlite3
import sys
from typing import Any, Callable, TextIO

from incidents.pipeline import load_extractor
from incidents.schema import EXTRACT_FIELDS

# Keys of an extractor's dict that the JSON Lines output leaves out (the store keeps them).
_NOT_WRITTEN = frozenset({"place_candidates"})
_EXTRACT_FIELD_SET = frozenset(EXTRACT_FIELDS)


def add_parsers(sub: Any) -> None:
    """Register the report pipeline's commands."""
    extract = sub.add_parser(
        "extract", help="print incidents found in reports as JSON Lines (stores nothing)",
        description="Extract incidents from each report on its own (no merging across reports) "
                    "and write one JSON object per incident. '-' reads JSON Lines from standard input.")
    extract.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    extract.add_argument("--explain", action="store_true",
                         help="print, per sentence, what was found and why it became an incident or not")
    _add_report_inputs(extract)
    extract.set_defaults(handler=run_extract)

    ingest = sub.add_parser(
        "ingest", help="extract and store reports (a report already stored is skipped)",
        description="Store reports and their incidents; the same event in several reports "
                    "becomes one incident with several sources.")
    ingest.add_argument("--db", metavar="PATH", help="database file (default: the db_path setting)")
    _add_report_inputs(ingest)
    ingest.set_defaults(handler=run_ingest)

    reextract = sub.add_parser(
        "reextract", help="run the current extractor over every stored report, keeping edits",
        description="Re-derive incidents of stored reports with the current extractor. Nothing "
                    "changes unless every report extracts; analysts' edits are kept.")
    reextract.add_argument("--db", metavar="PATH", help="database file (default: the db_path setting)")
    reextract.set_defaults(handler=run_reextract)


def _add_report_inputs(parser: argparse.ArgumentParser) -> None:
    """The report arguments ``extract`` and ``ingest`` share: paths and a default publication date."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, or '-'")
    parser.add_argument("--published", metavar="DATE", type=_iso_date,
                        help="publication date for reports that carry none (ISO 8601)")


def _iso_date(value: str) -> str:
    from incidents.reports.model import parse_published

    try:
        dt.datetime.fromisoformat(value)
        parse_published(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc) if "published" in str(exc)
                                         else f"not an ISO 8601 date: {value!r}") from None
    return value


def _settings(db: str | None = None) -> Any:
    from incidents.config import load_settings

    settings = load_settings()
    if db:
        settings.db_path = db
    return settings


def _progress_bar(desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(desc=desc, unit=" reports", file=sys.stderr, disable=not sys.stderr.isatty())


def _fail(origin: str, reason: str) -> None:
    print(f"failed: {origin}: {reason}", file=sys.stderr)


# ---------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, (str, int, type(None))):  # most fields, written as they are
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return value


def incident_json(incident: dict[str, Any]) -> str:
    """One JSON Lines record: EXTRACT_FIELDS first in their order, then the rest."""
    keys = [*EXTRACT_FIELDS, *(k for k in incident if k not in _EXTRACT_FIELD_SET and k not in _NOT_WRITTEN)]
    record = {k: _json_value(incident.get(k)) for k in keys}
    if record.get("weapons") is None:
        record["weapons"] = []
    return json.dumps(record, ensure_ascii=False, default=str)


def write_incidents(paths: list[str], out: TextIO, *, published: str | None,
                    extractor: Callable[[Any, Any], list[dict]], geoparser: Any) -> int:
    """Extract each report on its own and write its incidents; returns the failed count."""
    from incidents.reports.formats import failure_reason
    from incidents.reports.reading import read_reports

    failed = 0
    for item in read_reports(paths, published=published):
        if isinstance(item, BaseException):
            _fail(getattr(item, "origin", "input"), getattr(item, "reason", str(item)))
            failed += 1
            continue
        try:
            lines = [incident_json(incident) for incident in extractor(item, geoparser)]
        except Exception as exc:  # one bad report must not stop the batch
            _fail(item.origin or item.id, f"extraction failed: {failure_reason(exc)}")
            failed += 1
            continue
        if lines:
            out.write("\n".join(lines) + "\n")
    return failed


def write_explanations(paths: list[str], out: TextIO, *, published: str | None, geoparser: Any) -> int:
    """Per report and sentence, what extraction found and why (for analysts asking "why is this dot here")."""
    from incidents.extract.extractor import extract_explained
    from incidents.reports.reading import read_reports

    failed = 0
    for item in read_reports(paths, published=published):
        if isinstance(item, BaseException):
            _fail(getattr(item, "origin", "input"), getattr(item, "reason", str(item)))
            failed += 1
            continue
        incidents, notes = extract_explained(item, geoparser)
        out.write(f"== report {item.id}" + (f": {item.title}" if item.title else "") + "\n")
        for note in notes:
            sentence = " ".join(item.text[note.start:note.end].split())
            shown = sentence if len(sentence) <= 160 else sentence[:159] + "…"
            out.write(f"[{note.number + 1}] {shown}\n    -> {note.decision}; date: {note.date}\n")
        out.write(f"incidents: {len(incidents)}\n")
        for incident in incidents:
            out.write(f"  {incident['event_date']} {incident['sub_event_type']} at {incident['location']} "
                      f"(precision {incident['geo_precision']}, geocoder {incident['geocoder']})\n")
        out.write("\n")
    return failed


def run_extract(args: argparse.Namespace) -> int:
    settings = _settings()
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        extractor, geoparser = load_extractor(settings)
        if args.explain:
            failed = write_explanations(args.paths, out, published=args.published, geoparser=geoparser)
        else:
            failed = write_incidents(args.paths, out, published=args.published,
                                     extractor=extractor, geoparser=geoparser)
    finally:
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    return 1 if failed else 0


# ---------------------------------------------------------------------------
# ingest / reextract
# ---------------------------------------------------------------------------


def _open_store(settings: Any) -> Any:
    from incidents.store.database import open_store

    try:
        return open_store(settings)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        print(f"error: cannot open database {settings.db_path}: {exc}", file=sys.stderr)
        return None


def _run_on_store(db: str | None, desc: str, work: Callable[..., Any]) -> tuple[Any, Any] | None:
    """Open the store, call ``work(store, extractor, geoparser, progress)`` under a progress
    bar, close the store and name each failure; (settings, summary), or None when the
    database cannot be opened (the message is printed)."""
    settings = _settings(db)
    store = _open_store(settings)
    if store is None:
        return None
    extractor, geoparser = load_extractor(settings)
    bar = _progress_bar(desc)
    try:
        summary = work(store, extractor, geoparser, bar.update)
    finally:
        bar.close()
        store.close()
    for origin, reason in summary.failed:
        _fail(origin, reason)
    return settings, summary


def run_ingest(args: argparse.Namespace) -> int:
    from incidents.reports.reading import read_reports

    def ingest(store: Any, extractor: Any, geoparser: Any, progress: Any) -> Any:
        return store.ingest(read_reports(args.paths, published=args.published),
                            extractor=extractor, geoparser=geoparser, progress=progress)

    done = _run_on_store(args.db, "ingest", ingest)
    if done is None:
        return 2
    settings, summary = done
    print("\n".join(summary.lines()))
    print(f"database:             {settings.db_path}")
    return 1 if summary.failed else 0


def run_reextract(args: argparse.Namespace) -> int:
    def reextract(store: Any, extractor: Any, geoparser: Any, progress: Any) -> Any:
        return store.reextract(geoparser, extractor=extractor, progress=progress)

    done = _run_on_store(args.db, "re-extract", reextract)
    if done is None:
        return 2
    _, summary = done
    if not summary.applied:
        print(f"nothing changed: {len(summary.failed)} of {summary.reports} reports failed to extract",
              file=sys.stderr)
        return 1
    print(f"reports re-extracted: {summary.reports}")
    print(f"incidents:            {summary.incidents_added}")
    print(f"merged as duplicates: {summary.merged}")
    print(f"edits kept:           all; {len(summary.orphaned_edits)} now match no incident")
    for event_id, field in summary.orphaned_edits[:20]:
        print(f"  edit of {field} on {event_id} (incident gone; edit kept)")
    if len(summary.orphaned_edits) > 20:
        print(f"  ... and {len(summary.orphaned_edits) - 20} more")
    return 0
