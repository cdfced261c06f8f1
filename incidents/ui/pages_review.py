"""Review page: low-confidence incidents to confirm, fix or reject.

Every action is an edit with the analyst's name; the extracted values stay
in the store, so a better extractor can re-extract and the edits still apply.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from incidents.ui import components, place_picker
from incidents.ui.access import writes_allowed
from incidents.ui.corrections import correction_form
from incidents.ui.data import current_view
from incidents.ui.text import md_escape, plural

QUEUE_COLUMNS = ["confidence", "event_date", "sub_event_type", "location", "actor1", "actor2", "evidence", "event_id"]


@st.cache_data(show_spinner=False, max_entries=8)
def review_queue(db_path: str, version: str, threshold: float, _store: object) -> pd.DataFrame:
    """The store's queue, per data version (every confirm/fix/reject changes the version)."""
    return _store.review_queue(max_confidence=threshold)  # type: ignore[attr-defined]


def render() -> None:
    if not writes_allowed("Reviewing"):  # left out of the navigation too; this guards a direct call
        return
    view = current_view()
    st.title("Review queue")
    message = st.session_state.pop("review_done", None)
    if message:
        st.success(message)
        st.session_state.pop("review_table", None)  # the queue moved on: review its first item next
    place_picker.placed_notice()
    threshold = st.slider("Show incidents with confidence up to", 0.0, 1.0, 0.6, 0.05, key="review_threshold")
    queue = review_queue(view.settings.db_path, view.version, threshold, view.store)
    if queue.empty:
        st.info("Nothing to review at this confidence: every incident up to it is confirmed, corrected or "
                "rejected. Raise the threshold to check surer ones.")
        return
    st.caption(f"{plural(len(queue), 'incident')} still marked 'auto', least sure first"
               + (" (the 500 least sure are listed)" if len(queue) > 500 else "")
               + ". The sidebar filters do not apply to this queue.")
    shown = queue[[c for c in QUEUE_COLUMNS if c in queue]].head(500)
    event = st.dataframe(shown, hide_index=True, placeholder="", key="review_table", on_select="rerun",
                         selection_mode="single-row",
                         column_config=components.column_config(shown))
    rows = event.selection.rows if hasattr(event, "selection") else []
    position = rows[0] if rows else 0
    event_id = str(shown["event_id"].iloc[position])
    review_one(view, event_id, f"{position + 1} of {len(queue):,}", announce=bool(message))


def describe_incident(incident: dict) -> str:
    """"Shelling/artillery/missile attack at Zod on 2024-03-10" (Markdown-escaped)."""
    return (f"{md_escape(incident.get('sub_event_type') or 'Incident')} at "
            f"{md_escape(incident.get('location') or 'an unknown place')} on "
            f"{md_escape(incident.get('event_date') or 'an unknown date')}")


def review_one(view, event_id: str, position: str = "", announce: bool = False) -> None:
    detail = view.store.detail(event_id)
    if detail is None:
        st.info("That incident is no longer in the store.")
        return
    incident = detail["incident"]
    title = describe_incident(incident)
    if announce:
        st.info(f"Next in the queue: {title}.", icon=":material/arrow_downward:")
    st.subheader(title)
    if position:
        st.caption(f"Reviewing {position} · confidence {float(incident.get('confidence') or 0):.2f}")
    st.text(f"Evidence: {incident.get('evidence') or ''}")
    reports = detail.get("reports") or {}
    sources = detail.get("sources") or []
    if sources and reports.get(sources[0].get("report_id")) is not None:
        with st.expander("Report text"):
            report = reports[sources[0]["report_id"]]
            st.html(components.highlighted_html(report.text, incident.get("evidence")))
    key = f"review_{event_id}"
    changes = correction_form(incident, detail.get("place_candidates") or [], key)
    name = components.analyst_name("review_analyst")
    confirm, fix, reject = st.columns(3)
    if confirm.button("Confirm as extracted", key=f"{key}_confirm", disabled=not name or bool(changes)):
        view.store.set_review_status(event_id, "confirmed", name)
        _done(f"Confirmed: {title} (by {md_escape(name)}).")
    if fix.button("Save corrections", key=f"{key}_fix", disabled=not name or not changes, type="primary"):
        try:
            view.store.edit_fields(event_id, changes, name)
        except (KeyError, ValueError) as exc:
            st.error(md_escape(exc))
        else:
            _done(f"Corrected {', '.join(sorted(changes))}: {title} (by {md_escape(name)}).")
    if reject.button("Reject (not an incident)", key=f"{key}_reject", disabled=not name):
        view.store.set_review_status(event_id, "rejected", name)
        _done(f"Rejected: {title} (by {md_escape(name)}); kept in the store, left out of the data.")
    if not name:
        st.caption("Enter your name to confirm, fix or reject.")
    elif changes:
        st.caption("Changed: " + ", ".join(sorted(changes)) + ". Save corrections, or undo them to confirm.")
    if place_picker.needs_place(incident):
        st.markdown("**Place it by hand**: the geocoder found no good place for this incident.")
        place_picker.place_panel(view, place_picker.target_for_incident(view, detail), f"{key}_pick", name)


def _done(message: str) -> None:
    st.session_state["review_done"] = message
    st.rerun()



