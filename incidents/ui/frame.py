"""What app.py runs before any page: first start, data, shared filters, notices.

The filters and the fictional-data banner belong to the pages that show the
filtered data; the pages that do not (adding reports, the review queue,
settings) are drawn without them, and the filters keep their values meanwhile.
"""

from __future__ import annotations

import streamlit as st

from incidents.views import filters
from incidents.config import load_settings
from incidents.ui import components, data, sidebar
from incidents.ui.access import read_only
from incidents.ui.text import md_escape, plural
from incidents.views import conflicts as conflict_table

# Pages the sidebar filters do not apply to (titles as in incidents.ui.pages).
UNFILTERED_PAGES = frozenset({"Add reports", "Review queue", "Places", "Settings"})


def build_view(page_title: str | None = None) -> data.View:
    """Load settings and data (ingesting the sample on first start), draw the filters.

    When the database cannot be read, every page but Settings stops with a
    message, and Settings still opens so that the path can be fixed.
    """
    try:
        settings = load_settings()
    except ValueError as exc:
        st.error(f"Settings file problem: {md_escape(exc)}. Using the defaults.")
        from incidents.config import Settings

        settings = Settings()
    try:
        store = data.store_for(settings)
        if store.count() == 0 and not st.session_state.get("first_start_done") and not read_only():
            _first_start(settings)
        store, version, frame = data.load(settings)
    except Exception as exc:  # noqa: BLE001 - a broken database must give a message, not a traceback
        st.error(f"Could not read the incident database {md_escape(settings.db_path)}: "
                 f"{type(exc).__name__}: {md_escape(exc)}. Check the path on the Settings page or in "
                 "INCIDENTS_DB_PATH.")
        if page_title != "Settings":
            st.stop()
        from incidents.store.frames import empty_frame

        empty = data.categorise(empty_frame(data.VIEW_COLUMNS))
        view = data.View(settings=settings, store=None, version="", frame=empty, filtered=empty,
                         spec=filters.FilterSpec(), newest=None)
        st.session_state["_view"] = view
        return view
    newest = filters.newest_date(frame)
    oldest = None if frame.empty or frame["event_date"].isna().all() else frame["event_date"].min().date()
    known = data.known_values(settings.db_path, version, data.conflicts_stamp(), frame)
    if page_title in UNFILTERED_PAGES:
        sidebar.keep_state()
        spec, problems = sidebar.spec_from_state(), []
    else:
        spec, problems = sidebar.render(known, newest, oldest)
    view = data.View(settings=settings, store=store, version=version, frame=frame, filtered=frame,
                     spec=spec, newest=newest, problems=problems)
    view.filtered = filters.apply(frame, spec, newest, text_source=view.text_source())
    st.session_state["_view"] = view
    return view


def _first_start(settings) -> None:
    """Empty store: ingest the bundled sample with a progress bar, once."""
    box = st.empty()
    with box.container():
        st.info("First start: preparing the place-name index and reading the bundled sample reports "
                "(fictional events) into an empty database. This happens once.")
        bar = st.progress(0.0, text="Checking the place-name index…")
        summary = data.first_start(settings, lambda share, text: bar.progress(share, text=text))
    box.empty()
    st.session_state["first_start_done"] = True
    if summary is not None:
        st.session_state["first_start_summary"] = summary


def notices(view: data.View, page_title: str | None = None) -> None:
    """Above every page: ignored URL values, conflicts-table problems, first-start result, and
    fictional data in view (the last only where the filtered data is shown)."""
    for problem in view.problems:
        st.warning(md_escape(problem), icon=":material/link_off:")
    for problem in conflict_table.load_conflicts()[1]:
        st.warning(md_escape(problem))
    summary = st.session_state.pop("first_start_summary", None)
    if summary is not None:
        failed = len(summary.failed)
        st.success(f"First start: {plural(summary.incidents_added, 'sample incident')} added from "
                   f"{plural(summary.reports_read, 'report')}" + (f" ({failed} could not be read)." if failed else "."))
    if page_title not in UNFILTERED_PAGES:
        components.fictional_note(view.filtered)
