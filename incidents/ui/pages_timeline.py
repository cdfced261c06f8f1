"""Timeline page: incidents per day, week or month stacked by type, with stated
violations and fatalities, key dates marked; selecting bars sets the date filter."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from incidents.views import charts
from incidents.views import timeline_chart
from incidents.views import filters
from incidents.config import DATA_DIR
from incidents.ui import components, sidebar
from incidents.ui.data import current_view
from incidents.ui.text import md_escape

KEY_DATES_FILE = DATA_DIR / "key_dates.csv"
TIMELINE_KEY = "timeline_chart"


@st.cache_resource(show_spinner=False, max_entries=16)
def timeline_figure(version: str, query: str, frequency: str, key_dates_stamp: float, height: int,
                    _filtered: pd.DataFrame) -> tuple[go.Figure, list[str]]:
    """Per data version and view; a shared read-only Figure (see pages_map.map_figure)."""
    key_dates, problems = timeline_chart.read_key_dates(KEY_DATES_FILE)
    return timeline_chart.timeline(_filtered, frequency, key_dates, height=height), problems


def key_dates_stamp() -> float:
    """Modification time of the key dates file (part of the figure's cache key)."""
    return KEY_DATES_FILE.stat().st_mtime if KEY_DATES_FILE.is_file() else 0.0


def render() -> None:
    view = current_view()
    st.title("Timeline")
    if "timeline_frequency" not in st.session_state:  # first visit: bars readable for the data's span
        st.session_state["timeline_frequency"] = timeline_chart.auto_frequency(view.filtered)
    frequency = st.radio("Count per", list(timeline_chart.FREQUENCIES), horizontal=True, key="timeline_frequency")
    if view.filtered.empty:
        st.info("No incidents match the filters. Widen them in the sidebar, or press Reset filters.")
        return
    figure, problems = timeline_figure(view.version, view.query_string, frequency, key_dates_stamp(), 460,
                                       view.filtered)
    event = st.plotly_chart(figure, key=TIMELINE_KEY, on_select="rerun", selection_mode=("box", "points"),
                            config=charts.chart_config("incident-timeline"), width="stretch")
    for problem in problems:
        st.warning(md_escape(problem))
    st.caption("Drag across bars to set the date filter to that span. Dashed lines are key dates from "
               "data/key_dates.csv (edit it to add your own). Undated incidents are not counted here.")
    points = list(getattr(getattr(event, "selection", None), "points", None) or [])
    span = timeline_chart.span_of_selection(points, frequency)
    token = repr(span)
    if span and st.session_state.get("timeline_applied") != token:
        st.session_state["timeline_applied"] = token
        sidebar.request_filters(filters.with_dates(view.spec, *span))
    components.export_buttons(view, key="timeline_export")
