"""Pieces several pages share: headline figures, the incident table, the detail
view, export buttons, and the analyst's name.

Report text is data. It is shown with ``st.text``/``st.dataframe`` (never
Markdown), or, for the highlighted evidence, as HTML built only from
``html.escape``-d text plus our own ``<mark>`` tags.
"""

from __future__ import annotations

import html
import re
import numpy as np
import pandas as pd
import streamlit as st

from incidents.views import exports
from incidents.views import filters
from incidents.schema import GEO_PRECISION
from incidents.ui import place_picker
from incidents.ui.access import writes_allowed
from incidents.ui import url_state
from incidents.ui.data import View, export_frame
from incidents.ui.text import md_escape, plural

MAX_TABLE_ROWS = 1_000
TABLE_ROW_PX = 35  # Streamlit's default row height: tables grow to about 17 rows, then scroll
TABLE_COLUMNS = [
    "event_date", "event_type", "sub_event_type", "location", "admin1", "country", "actor1", "actor2",
    "fatalities", "injured", "violation_count", "claimed_by", "source_type", "source", "source_url",
    "n_sources", "corroborated", "disputed", "geo_precision", "confidence", "review_status", "fictional", "event_id",
]


# Headers a reader understands; the raw names stay in exports (ACLED's, for tools).
COLUMN_LABELS: dict[str, tuple[str, str | None]] = {
    "event_date": ("Event date", None), "event_type": ("Type", None), "sub_event_type": ("Sub-type", None),
    "location": ("Place", "The place name; as written in the report when the gazetteer has no match."),
    "admin1": ("Region", None), "admin2": ("District", None), "country": ("Country", None),
    "actor1": ("Actor 1 (fired)", "Who is said to have fired or attacked."),
    "actor2": ("Actor 2 (targeted)", None), "fatalities": ("Killed", None), "injured": ("Injured", None),
    "violation_count": ("Stated violations", "As stated in the report, e.g. 'violated the ceasefire 14 times'."),
    "claimed_by": ("Claimed by", "Who states it (a ministry, a monitor); not necessarily a party."),
    "source_type": ("Source type", None), "source": ("Source", None),
    "n_sources": ("No. of sources", "Reports linked to this incident (merged duplicates included)."),
    "corroborated": ("Corroborated", "Reported by more than one independent kind of source."),
    "disputed": ("Disputed", "The other side denies it or counter-claims."),
    "review_status": ("Review", None), "fictional": ("Fictional", "From the invented sample reports."),
    "evidence": ("Evidence", "The sentence(s) the incident was read from."), "report_id": ("Report", None),
    "report_date": ("Published", None),
}


def column_config(frame: pd.DataFrame) -> dict[str, object]:
    """Readable headers (with help) for the incident columns a table shows."""
    dates = {name for name in ("event_date", "report_date")
             if name in frame and pd.api.types.is_datetime64_any_dtype(frame[name])}
    special = {
        **{name: st.column_config.DateColumn(COLUMN_LABELS[name][0], format="YYYY-MM-DD") for name in dates},
        "source_url": st.column_config.LinkColumn("Link", display_text="open", help="The source, if online."),
        "geo_precision": st.column_config.NumberColumn("Precision", help="1 exact, 2 near a place, 3 region only"),
        "confidence": st.column_config.NumberColumn("Confidence", format="%.2f",
                                                    help="The extractor's confidence, 0 to 1."),
        "event_id": st.column_config.TextColumn("Id"),
        "permalink": st.column_config.LinkColumn("Permalink", display_text="open",
                                                 help="A link that opens this incident (copy it to share)."),
    }
    config: dict[str, object] = {}
    for name in frame.columns:
        if name in special:
            config[name] = special[name]
        elif name in COLUMN_LABELS:
            label, help_text = COLUMN_LABELS[name]
            config[name] = st.column_config.Column(label, help=help_text)
    return config


def fictional_note(frame: pd.DataFrame) -> None:
    """Say so whenever invented sample events are in view."""
    if "fictional" not in frame or frame.empty:
        return
    count = int(frame["fictional"].fillna(False).astype(bool).sum())
    if count:
        st.warning(
            f"{count:,} of the {plural(len(frame), 'incident')} in view {'is' if count == 1 else 'are'} "
            "**fictional**: the bundled sample "
            "reports describe invented events for trying the tool out. Exports carry the same flag.",
            icon=":material/science:",
        )


def headline(view: View) -> None:
    """Incidents, stated violations, fatalities, injured, places, each against the previous period."""
    now = filters.headline(view.filtered)
    previous_frame = filters.previous_period(view.frame, view.spec, view.newest, view.text_source())
    before = filters.headline(previous_frame) if previous_frame is not None else None
    earlier = before is not None and filters.has_data_before(view.frame, view.spec, view.newest)
    change = now.change(before)
    labels = {
        "incidents": ("Incidents", "Incidents matching the filters."),
        "violations": ("Stated violations", "Each incident counts once unless its report states a number."),
        "fatalities": ("Fatalities", "Deaths reported."),
        "injured": ("Injured", "Injuries reported."),
        "places": ("Places", "Distinct map positions."),
    }
    columns = st.columns(len(labels))
    for column, (name, (label, help_text)) in zip(columns, labels.items()):
        text, arrow = delta_words(change[name], earlier)
        column.metric(
            label, f"{getattr(now, name):,}", delta=text, delta_color="off", delta_arrow=arrow,
            delta_description="vs previous period" if earlier and change[name] else None,
            help=help_text + (" Change: against the previous period of the same length."
                              if before is not None else ""),
        )


def delta_words(delta: int | None, earlier: bool = True) -> tuple[str | None, str]:
    """A metric's change as words: none without a period to compare, "no earlier data" when
    the data starts inside this period, "no change" for zero (never "↑ +0"), else "+3"/"-2"."""
    if delta is None:
        return None, "off"
    if not earlier:
        return "no earlier data", "off"
    if delta == 0:
        return "no change", "off"
    return f"{delta:+,}", "auto"


def _safe_links(series: pd.Series) -> pd.Series:
    """Only http(s) links become clickable (the same rule as for reports read from files)."""
    from incidents.reports.model import clean_url

    return series.astype(object).map(clean_url)


def incident_table(view: View, frame: pd.DataFrame, key: str, *, selectable: bool = True) -> str | None:
    """A sortable table (at most MAX_TABLE_ROWS, newest first); returns the selected event_id.

    Only the rows shown are sent to the browser, and only they are joined with
    their ids and links (read on demand beside the lean view frame).
    """
    if frame.empty:
        st.info("No incidents match the filters. Widen them in the sidebar, or press Reset filters.")
        return None
    stamps = frame["event_date"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    stamps[stamps == np.iinfo(np.int64).min] = np.iinfo(np.int64).min + 1  # undated (NaT) rows last
    newest_first = np.argsort(-stamps, kind="stable")
    shown = frame.iloc[newest_first[:MAX_TABLE_ROWS]]
    if "event_id" not in shown:
        shown = view.with_extras(shown)
    columns = [c for c in TABLE_COLUMNS if c in shown]
    shown = shown[columns].copy()
    if "source_url" in shown:
        shown["source_url"] = _safe_links(shown["source_url"])
    if "event_id" in shown:
        shown["permalink"] = shown["event_id"].astype(str).map(url_state.incident_link)
    if len(frame) > MAX_TABLE_ROWS:
        st.caption(f"Showing the newest {MAX_TABLE_ROWS:,} of {len(frame):,} incidents; narrow the filters "
                   "or export to see them all.")
    else:
        st.caption(f"{plural(len(frame), 'incident')}, newest first; click a header to sort.")
    config = column_config(shown)
    event = st.dataframe(
        shown, hide_index=True, placeholder="", column_config=config, key=key,
        height=min(TABLE_ROW_PX * (len(shown) + 1) + 3, 640), on_select="rerun" if selectable else "ignore", selection_mode="single-row",
    )
    if not selectable:
        return None
    rows = event.selection.rows if hasattr(event, "selection") else []
    if rows:
        return str(shown["event_id"].iloc[rows[0]])
    return None


def evidence_spans(text: str, evidence: str | None) -> list[tuple[int, int]]:
    """Where the evidence sentences occur in the report text.

    Whitespace is matched loosely (the extractor joins sentences with a space
    that may be a paragraph break in the report); a part not found whole is
    looked for sentence by sentence.
    """
    spans: list[tuple[int, int]] = []
    for part in _evidence_parts(evidence):
        found = _find_loosely(text, part)
        if not found:
            for sentence in re.split(r"(?<=[.!?])\s+", part):
                if len(sentence) >= 8:
                    found.extend(_find_loosely(text, sentence))
        spans.extend(found)
    return sorted(spans)


def _find_loosely(text: str, fragment: str) -> list[tuple[int, int]]:
    words = fragment.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def highlighted_html(text: str, evidence: str | None) -> str:
    """Escaped report text with the evidence sentence(s) in <mark>: no report markup survives."""
    out: list[str] = []
    position = 0
    for start, end in evidence_spans(text, evidence):
        if start < position:
            continue
        out.append(html.escape(text[position:start]))
        out.append('<mark style="background: #ffe08a; padding: 0 0.1em;">' + html.escape(text[start:end]) + "</mark>")
        position = end
    out.append(html.escape(text[position:]))
    body = "".join(out)
    return ('<div style="white-space: pre-wrap; font-family: inherit; line-height: 1.5; max-height: 28rem; '
            f'overflow-y: auto; padding: 0.5rem; border: 1px solid #ddd; border-radius: 0.4rem;">{body}</div>')


def _evidence_parts(evidence: str | None) -> list[str]:
    if not evidence:
        return []
    parts = [p.strip() for p in re.split(r"\s*(?:\n| \| | … )\s*", evidence) if p.strip()]
    return [p for p in parts if len(p) >= 8] or [evidence.strip()]


def analyst_name(key: str) -> str:
    """The analyst's name for edits; kept for the session across pages."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get("analyst", "")
    name = st.text_input("Your name (recorded with every correction)", key=key, max_chars=80)
    st.session_state["analyst"] = name.strip()
    return name.strip()


# Which link of the geocoding chain placed an incident (its ``geocoder``), as a reader says it.
GEOCODER_LABELS = {"gazetteer": "offline gazetteer (GeoNames)", "user": "your own places",
                   "nominatim": "Nominatim (online)", "analyst": "an analyst, by hand"}


def _report_date(incident: dict) -> str:
    """The first report's date, saying so when it was read from the report's text, not given."""
    published = str(incident.get("report_date") or "")[:10] or "unknown"
    return f"{published} (inferred from the report's text)" if incident.get("date_inferred") else published


def incident_detail(view: View, event_id: str, key: str) -> None:
    """One incident: its fields, the report text with the evidence marked, every source,
    and the geocoder's other candidates (switching is an edit)."""
    detail = view.store.detail(event_id)
    if detail is None:
        st.info(f"No incident with id {md_escape(event_id)} in the store: check the id, or it may have been "
                "merged into another incident since.")
        return
    incident = detail["incident"]
    st.subheader(f"{md_escape(incident.get('event_type') or 'Incident')} at "
                 f"{md_escape(incident.get('location') or 'unknown place')}")
    facts = {
        "Date": incident.get("event_date"), "Sub-event": incident.get("sub_event_type"),
        "Actor 1": incident.get("actor1"), "Actor 2": incident.get("actor2"),
        "Claimed by": incident.get("claimed_by"), "Source type": incident.get("source_type"),
        "Fatalities": incident.get("fatalities"), "Injured": incident.get("injured"),
        "Stated violations": incident.get("violation_count"),
        "Report published": _report_date(incident),
        "Place": f"{incident.get('location') or ''} · {incident.get('admin1') or ''} · {incident.get('country') or ''}",
        "Precision": GEO_PRECISION.get(incident.get("geo_precision") or 0, "not placed"),
        "Placed by": GEOCODER_LABELS.get(incident.get("geocoder") or "", incident.get("geocoder")),
        "Confidence": incident.get("confidence"), "Review": incident.get("review_status"),
        "Disputed": incident.get("disputed"), "Fictional": incident.get("fictional"),
        "Id": incident.get("event_id"),
    }
    st.dataframe(pd.DataFrame({"Field": list(facts), "Value": [("" if v is None else str(v)) for v in facts.values()]}),
                 hide_index=True, placeholder="", key=f"{key}_facts")
    st.caption("Link to this incident:")
    st.code(url_state.absolute_incident_link(incident["event_id"]), language=None)
    if incident.get("fictional"):
        st.warning("This incident comes from the fictional sample reports.", icon=":material/science:")
    if incident.get("explanation"):
        # "Why is this dot here": the extractor's reasons, sentence by sentence (plain text, never markup).
        st.caption("Why the extractor made this incident")
        st.text(incident["explanation"])

    sources = detail.get("sources") or []
    reports = detail.get("reports") or {}
    st.markdown(f"**Sources** ({len(sources)})")
    if sources:
        table = pd.DataFrame(sources)
        if "source_url" in table:
            table["source_url"] = _safe_links(table["source_url"])
        st.dataframe(table, hide_index=True, placeholder="", key=f"{key}_sources", column_config=column_config(table))
    for index, source in enumerate(sources):
        report = reports.get(source.get("report_id"))
        if report is None:
            continue
        title = f"Report {index + 1}: {md_escape(report.title or report.outlet or report.id)}"
        with st.expander(title, expanded=index == 0):
            st.caption(f"{md_escape(report.outlet or 'unknown outlet')} · {md_escape(report.source_type or 'unknown type')}"
                       f" · published {md_escape(report.published or 'unknown')}")
            st.html(highlighted_html(report.text, source.get("evidence") or incident.get("evidence")))

    candidates = detail.get("place_candidates") or []
    needs_place = place_picker.needs_place(incident)
    writable = (len(candidates) > 1 or needs_place) and writes_allowed("Switching places and placing by hand")
    name = analyst_name(f"{key}_analyst") if writable else ""
    if len(candidates) > 1:
        st.markdown("**Other places the geocoder considered**")
        for rank, candidate in enumerate(candidates):
            label = (f"{candidate.get('name')} · {candidate.get('admin1') or ''} {candidate.get('country_code') or ''}"
                     f" · {candidate.get('feature') or ''} · score {float(candidate.get('score') or 0):.2f}")
            left, right = st.columns([4, 1])
            left.text(("✓ " if rank == 0 else "   ") + label)
            if writable and rank > 0 and right.button("Use this place", key=f"{key}_place_{rank}",
                                                      disabled=not name):
                view.store.choose_place(incident["event_id"], rank, name)
                st.success(f"Place changed to {md_escape(candidate.get('name'))} (recorded as an edit by "
                           f"{md_escape(name)}).")
                st.rerun()
        if writable and not name:
            st.caption("Enter your name to switch places.")
    place_picker.placed_notice()
    if needs_place and writable:
        with st.expander("Place it by hand: search a name, pick on a map, or type coordinates", expanded=True):
            place_picker.place_panel(view, place_picker.target_for_incident(view, detail), f"{key}_pick", name)
    edits = detail.get("edits") or []
    if edits:
        with st.expander(f"Edit history ({len(edits)})"):
            st.dataframe(pd.DataFrame(edits), hide_index=True, placeholder="", key=f"{key}_edits")


def export_buttons(view: View, key: str) -> None:
    """CSV (plain), CSV with its provenance (zip), ACLED's layout and GeoJSON of exactly the
    filtered rows, each built only when clicked."""
    settings, store, spec, newest = view.settings, view.store, view.spec, view.newest
    link = view_url(view)
    in_words = filters.describe(spec, newest)
    stem = exports.file_stem()

    def rows() -> pd.DataFrame:
        return export_frame(settings, store, spec, newest)

    def provenance(frame: pd.DataFrame) -> exports.Provenance:
        return exports.provenance_for(frame, link, filters=in_words)

    def zip_bytes() -> bytes:
        frame = rows()
        return exports.to_zip(exports.to_csv(frame), provenance(frame), csv_name=f"{stem}.csv")

    def geojson_bytes() -> bytes:
        frame = rows()
        return exports.to_geojson(frame, provenance(frame))

    buttons = (
        ("Download CSV", lambda: exports.to_csv(rows()), f"{stem}.csv", "text/csv", "csv"),
        ("CSV + provenance (zip)", zip_bytes, f"{stem}.zip", "application/zip", "zip"),
        ("CSV in ACLED's layout", lambda: exports.to_acled_csv(rows()), f"{stem}-acled.csv", "text/csv", "acled"),
        ("Download GeoJSON", geojson_bytes, f"{stem}.geojson", "application/geo+json", "geojson"),
    )
    for column, (label, build, name, mime, suffix) in zip(st.columns(len(buttons)), buttons):
        column.download_button(label, build, file_name=name, mime=mime, key=f"{key}_{suffix}",
                               on_click="ignore", icon=":material/download:")
    count = len(view.filtered)
    st.caption(f"Exports hold the {plural(count, 'incident')} in view ({md_escape(in_words)}). The CSVs open "
               "as they are in pandas and spreadsheets; the zip adds the view's link, the export time, the tool "
               "version and the fictional flag beside the CSV, and GeoJSON carries them in its metadata.")


def view_url(view: View) -> str:
    """The shareable link of the current view."""
    base = ""
    try:
        base = str(st.context.url or "").split("?")[0]
    except Exception:  # noqa: BLE001 - no browser context (tests): a relative link is still useful
        base = ""
    return (base or "/") + view.query_string

