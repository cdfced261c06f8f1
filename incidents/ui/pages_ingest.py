"""Ingest page: paste text or upload files, check the extracted incidents on a map,
correct them, then save (the report and its incidents; corrections as edits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from incidents.reports.formats import failure_reason
from incidents.reports.model import MAX_REPORT_CHARS
from incidents.schema import EARLIEST_DATE, SOURCE_TYPES, latest_date
from incidents.views import basemap, charts, map_chart
from incidents.ui import components
from incidents.ui.access import writes_allowed
from incidents.ui.corrections import correction_form
from incidents.ui.data import current_view, frame_from_incidents
from incidents.ui.ingest_save import SaveOutcome, save_checked_report
from incidents.ui.text import md_escape, plural

BATCH = "ingest_batch"
UPLOAD_TYPES = ["txt", "text", "md", "markdown", "html", "htm", "json", "jsonl", "ndjson"]


@st.cache_resource(show_spinner="Loading the gazetteer…")
def geoparser(cache_dir: str, db_path: str, online: tuple[bool, str, str], _settings: Any) -> Any:
    """The geocoding chain for these settings (the user's places and online geocoding count)."""
    from incidents.geo.geoparse import geocoding_chain

    chain = geocoding_chain(_settings)
    chain.parse("")  # loads the gazetteer here, under the spinner
    return chain


def extract_batch(items: list[Any], settings: Any) -> dict[str, Any]:
    """Extract every Report; keep ReportErrors (and extraction failures) per origin."""
    from incidents.extract.extractor import extract

    parser = geoparser(settings.cache_dir, settings.db_path, (settings.online_geocoding, settings.nominatim_url,
                                                             settings.nominatim_user_agent), settings)
    batch: dict[str, Any] = {"reports": [], "errors": []}
    for item in items:
        if isinstance(item, BaseException):
            batch["errors"].append((getattr(item, "origin", "input"), getattr(item, "reason", str(item))))
            continue
        try:
            incidents = extract(item, parser)
        except Exception as exc:  # noqa: BLE001 - one bad report must not hide the others
            batch["errors"].append((item.origin or item.id, f"extraction failed: {failure_reason(exc)}"))
            continue
        batch["reports"].append({"report": item, "incidents": incidents})
    return batch


def _pasted(published: dt.date | None) -> list[Any]:
    from incidents.reports.model import ReportError, report_from_text

    text = st.session_state.get("ingest_text", "")
    try:
        return [report_from_text(
            text, title=st.session_state.get("ingest_title") or None, url=st.session_state.get("ingest_url") or None,
            published=published.isoformat() if published else None,
            outlet=st.session_state.get("ingest_outlet") or None,
            source_type=st.session_state.get("ingest_source_type") or None,
        )]
    except ReportError as exc:
        return [exc]


def _uploaded(files: list[Any], published: dt.date | None) -> list[Any]:
    """Uploaded files go through read_reports (same rules and messages as the CLI)."""
    from incidents.reports.reading import read_reports

    items: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="incidents-upload-") as folder:
        paths = []
        for index, upload in enumerate(files):
            name = Path(upload.name).name or f"upload-{index}.txt"
            path = Path(folder) / f"{index:03d}-{name}"
            path.write_bytes(upload.getvalue())
            paths.append(path)
        for item in read_reports(paths, published=published.isoformat() if published else None):
            origin = getattr(item, "origin", "")
            if isinstance(origin, str) and folder in origin:  # show the user's file name, not the temp path
                item.origin = origin.replace(folder + "/", "").split("-", 1)[-1]
                if isinstance(item, Exception):
                    item.args = (f"{item.origin}: {item.reason}",)
            items.append(item)
    return items


def render() -> None:
    if not writes_allowed("Adding reports"):  # left out of the navigation too; this guards a direct call
        return
    view = current_view()
    st.title("Add reports")
    saved_notice()
    st.caption("Nothing is saved until you press Save. Extraction runs on this machine; nothing is sent "
               "anywhere. The sidebar filters do not apply to this page.")
    # Before the tabs: it applies to both Extract buttons, so it must be set before either is pressed.
    published = st.date_input(
        "Published on (leave empty to take it from the text)", value=None, key="ingest_published",
        min_value=EARLIEST_DATE, max_value=latest_date(), format="YYYY-MM-DD",
        help="The day the report came out: 'yesterday' and 'on Thursday' are counted back from it. Left "
             "empty, it is inferred from the text's own dates (its dateline, the statement's date, the latest "
             "day an event is reported on) and shown for you to check before saving. For uploaded files, a "
             "date the file carries (its metadata or a wire dateline) takes precedence.")
    paste, upload = st.tabs(["Paste text", "Upload files"])
    with paste:
        st.text_area("Report text", key="ingest_text", height=200, max_chars=MAX_REPORT_CHARS)
        left, right = st.columns(2)
        left.text_input("Title", key="ingest_title", max_chars=300)
        left.text_input("Outlet or issuing body", key="ingest_outlet", max_chars=200)
        right.text_input("Link (http/https)", key="ingest_url", max_chars=2000)
        right.selectbox("Source type", ["", *SOURCE_TYPES], key="ingest_source_type")
        if st.button("Extract incidents", key="ingest_extract_text", type="primary"):
            st.session_state[BATCH] = extract_batch(_pasted(published), view.settings)
    with upload:
        files = st.file_uploader("Report files", type=UPLOAD_TYPES, accept_multiple_files=True,
                                 key="ingest_files", max_upload_size=50)
        if st.button("Extract incidents", key="ingest_extract_files", type="primary", disabled=not files):
            st.session_state[BATCH] = extract_batch(_uploaded(files or [], published), view.settings)
    batch = st.session_state.get(BATCH)
    if batch:
        show_batch(view, batch)


def show_batch(view: Any, batch: dict[str, Any]) -> None:
    st.divider()
    for origin, reason in batch["errors"]:
        st.error(f"{md_escape(origin)}: {md_escape(reason)}")
    entries = batch["reports"]
    incidents = [i for entry in entries for i in entry["incidents"]]
    if not entries:  # every file failed: the errors above say why, and there is nothing to save
        st.info("No report could be read, so there is nothing to preview or save.")
        return
    st.subheader(extracted_heading(len(incidents), len(entries)))
    if incidents:
        frame = frame_from_incidents(incidents)
        theatre = map_chart.view_for(view.frame["latitude"].to_numpy(dtype=float, na_value=np.nan),
                                      view.frame["longitude"].to_numpy(dtype=float, na_value=np.nan))
        style = charts.map_style(view.settings.map_style, view.settings.online_tiles)
        fig, _ = map_chart.incident_map(frame, style=style, height=380, uirevision="ingest-preview",
                                         empty_view=theatre,
                                         layers=basemap.border_layers(map_chart.data_box(frame, theatre)))
        st.plotly_chart(fig, key="ingest_map", config=charts.chart_config("ingest-preview", *charts.MAP_IMAGE_SIZE),
                        width="stretch")
        unplaced = int(frame["latitude"].isna().sum())
        if unplaced:
            st.caption(f"{plural(unplaced, 'incident')} without a place found: not on the map; pick a place below "
                       "or save them as they are (they still count in tables and timelines).")
    elif entries:
        st.info("No incident found in these reports (talks, totals and troop movements give none).")
    for r, entry in enumerate(entries):
        report = entry["report"]
        st.markdown(f"**Report {r + 1}**")
        published = f"published {report.published or 'unknown'}" + (" (inferred)" if report.date_inferred else "")
        st.text(" · ".join(part for part in (report.title or report.origin or report.id, report.outlet, published)
                           if part))
        publication_check(view, batch, r)
        for i, incident in enumerate(entry["incidents"]):
            label = (f"{incident.get('event_date') or 'no date'} · {incident.get('sub_event_type') or ''} · "
                     f"{incident.get('location') or 'no place'} · confidence {float(incident.get('confidence') or 0):.2f}")
            with st.expander(md_escape(label), expanded=False):
                st.text(f"Evidence: {incident.get('evidence') or ''}")
                key = f"ingest_{r}_{i}"
                st.checkbox("Keep this incident", value=True, key=f"{key}_keep",
                            help="Unticked incidents are not saved (so they cannot merge into another report's "
                                 "incident); the report text itself is kept.")
                entry.setdefault("changes", {})[i] = correction_form(
                    incident, incident.get("place_candidates") or [], key)
    if not entries:
        return
    name = components.analyst_name("ingest_analyst")
    if st.button("Save to the store", key="ingest_save", type="primary", disabled=not name):
        save_batch(view, batch, name)
    if not name:
        st.caption("Enter your name to save: corrections are recorded with it.")


def publication_check(view: Any, batch: dict[str, Any], r: int) -> None:
    """Say where report ``r``'s publication date came from; let the analyst fix it and re-read.

    Relative dates are counted back from it, so a date inferred from the text
    is shown as such, and a missing one is a warning, never today's date silently.
    """
    report = batch["reports"][r]["report"]
    if report.date_inferred:
        st.info(f"Publication date inferred from the text: {md_escape(report.published)}, from "
                f"{md_escape(report.published_evidence)}. Check it: 'yesterday' and 'on Thursday' count back "
                "from it.", icon=":material/event:")
    elif not report.published:
        st.warning("No publication date was given and the text names none: relative dates ('yesterday', "
                   "'on Thursday') were counted back from today. Enter the date and re-read.",
                   icon=":material/event_busy:")
    current = _day(report.published)
    chosen = st.date_input("Publication date of this report", value=current, key=f"ingest_pub_{r}",
                           min_value=EARLIEST_DATE, max_value=latest_date(), format="YYYY-MM-DD")
    if chosen and chosen != current and st.button("Re-read with this date", key=f"ingest_reread_{r}"):
        fixed = replace(report, published=chosen.isoformat(), date_inferred=False, published_evidence=None)
        again = extract_batch([fixed], view.settings)
        if again["reports"]:
            batch["reports"][r] = again["reports"][0]
        batch["errors"].extend(again["errors"])
        for key in [k for k in st.session_state if str(k).startswith(f"ingest_{r}_")]:
            del st.session_state[key]  # the corrections were of the incidents read with the old date
        st.rerun()


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def extracted_heading(incidents: int, reports: int) -> str:
    """The preview's heading (tests/browser waits for "Extracted: <n> incident(s)")."""
    return f"Extracted: {plural(incidents, 'incident')} from {plural(reports, 'report')}"


def save_batch(view: Any, batch: dict[str, Any], analyst: str) -> None:
    """Save every report of the batch (see incidents.ui.ingest_save for what is applied where)."""
    total = SaveOutcome()
    skipped: list[str] = []
    for r, entry in enumerate(batch["reports"]):
        report, incidents = entry["report"], entry["incidents"]
        keep = [bool(st.session_state.get(f"ingest_{r}_{i}_keep", True)) for i in range(len(incidents))]
        changes = [entry.get("changes", {}).get(i) or {} for i in range(len(incidents))]
        try:
            outcome = save_checked_report(view.store, report, incidents, keep, changes, analyst)
        except Exception as exc:  # noqa: BLE001 - say which report failed, keep the others
            total.errors.append(f"{report.origin or report.id}: not saved: {failure_reason(exc)}")
            continue
        if outcome.already_stored:
            skipped.append(str(report.title or report.origin or report.id))
        total.add(outcome)
    st.session_state.pop(BATCH, None)
    # Wording kept: tests/browser waits for "Saved: <n> incidents added".
    lines = [f"Saved: {plural(total.added, 'incident')} added, {total.merged} merged into existing ones, "
             f"{total.edited} corrected, {total.left_out} left out (unticked)."]
    if total.not_applied:
        lines.append(f"{plural(len(total.not_applied), 'correction')} not applied: the incident merged into one "
                     "already stored (" + ", ".join(md_escape(target) for _, target in total.not_applied)
                     + "); correct that incident itself on the Review page if needed.")
    if skipped:
        lines.append("Already in the store, nothing changed: " + "; ".join(md_escape(s) for s in skipped) + ".")
    lines += [md_escape(error) for error in total.errors]
    st.session_state["ingest_saved"] = lines
    st.rerun()


def saved_notice() -> None:
    lines = st.session_state.pop("ingest_saved", None)  # report-derived parts escaped by save_batch
    if lines:
        st.success(lines[0])
        for line in lines[1:]:
            st.warning(line)
