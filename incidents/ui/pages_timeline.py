"""Timeline page: incidents per day, week or month stacked by type, with stated
violations and fatalities, the key dates of the conflicts in view; selecting
bars sets the date filter. The period choice is in the URL (``?per=week``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from incidents.views import charts
from incidents.views import timeline_chart
from incidents.views import conflicts as conflict_table
from incidents.views import filters
from incidents.config import DATA_DIR
from incidents.ui import components, sidebar, url_state
from incidents.ui.data import View, current_view
from incidents.ui.text import md_escape

KEY_DATES_FILE = DATA_DIR / "key_dates.csv"
TIMELINE_KEY = "timeline_chart"
FREQUENCY_KEY = "timeline_frequency"


@st.cache_resource(show_spinner=False, max_entries=16)
def timeline_figure(version: str, query: str, frequency: str, key_dates_stamp: float, height: int,
                    _filtered: pd.DataFrame, _key_dates: pd.DataFrame) -> go.Figure:
    """Per data version, view and period; a shared read-only Figure (see pages_map.map_figure)."""
    return timeline_chart.timeline(_filtered, frequency, _key_dates, height=height)


def key_dates_stamp() -> float:
    """Modification time of the key dates file (part of the figure's cache key)."""
    return KEY_DATES_FILE.stat().st_mtime if KEY_DATES_FILE.is_file() else 0.0


@st.cache_data(show_spinner=False, max_entries=4)
def _key_dates(stamp: float) -> tuple[pd.DataFrame, list[str]]:
    return timeline_chart.read_key_dates(KEY_DATES_FILE)


def conflicts_in_view(view: View) -> list[str] | None:
    """Names of the conflicts the view shows: those chosen in the filter, else those with an
    incident in view (None without a conflicts table: every key date applies)."""
    table, _ = conflict_table.load_conflicts()
    if not table:
        return None
    return conflict_table.conflicts_in_view(view.filtered, table, view.spec.conflicts)


@dataclass(frozen=True)
class TimelineParts:
    """A view's timeline figure and the key dates it numbers (made before anything is drawn)."""

    figure: go.Figure
    key_dates: pd.DataFrame
    problems: list[str]


def timeline_parts(view: View, frequency: str, height: int) -> TimelineParts:
    """The figure (cached per data version, view, conflicts in view and period) and its key dates."""
    every, problems = _key_dates(key_dates_stamp())
    in_view = conflicts_in_view(view)
    key_dates = timeline_chart.key_dates_in_view(every, in_view)
    figure = timeline_figure(view.version, view.query_string + "|" + "|".join(in_view or ["*"]),
                             frequency, key_dates_stamp(), height, view.filtered, key_dates)
    return TimelineParts(figure, key_dates, problems)


def draw(parts: TimelineParts, key: str, selectable: bool) -> object:
    """The timeline chart and, under it, its key dates in full; returns the chart's selection event."""
    figure = parts.figure
    options = {"on_select": "rerun", "selection_mode": ("box", "points")} if selectable else {}
    event = st.plotly_chart(figure, key=key, config=charts.chart_config("incident-timeline"), width="stretch",
                            **options)
    for problem in parts.problems:
        st.warning(md_escape(problem))
    shown = [a for a in figure.layout.annotations if a.hovertext]
    if shown:
        rows = timeline_chart.key_date_rows(parts.key_dates, *(pd.Timestamp(v) for v in figure.layout.xaxis.range))
        st.markdown("  \n".join(f"**{row.n}** · {row.date:%Y-%m-%d} · {md_escape(row.label)}"
                                + (f" ({md_escape(row.theatre)})" if getattr(row, "theatre", "") else "")
                                for row in rows.itertuples(index=False)))
    return event


def _frequency_problem(value: str) -> str | None:
    return None if value in timeline_chart.FREQUENCIES else "choose " + ", ".join(timeline_chart.FREQUENCIES)


def render() -> None:
    view = current_view()
    st.title("Timeline")
    url_state.take_from_url(url_state.PERIOD_PARAM, FREQUENCY_KEY, _frequency_problem)
    url_state.show_problem(url_state.PERIOD_PARAM)
    if FREQUENCY_KEY not in st.session_state:  # first visit: bars readable for the data's span
        st.session_state[FREQUENCY_KEY] = timeline_chart.auto_frequency(view.filtered)
    frequency = st.radio("Count per", list(timeline_chart.FREQUENCIES), horizontal=True, key=FREQUENCY_KEY)
    url_state.write(url_state.PERIOD_PARAM, frequency)
    if view.filtered.empty:
        st.info("No incidents match the filters. Widen them in the sidebar, or press Reset filters.")
        return
    event = draw(timeline_parts(view, frequency, 460), TIMELINE_KEY, selectable=True)
    st.caption(f"Each bar is one {frequency}; an empty {frequency} has no bar and breaks the lines. Drag across "
               "bars to set the date filter to that span. Numbered dashed lines are key dates of the conflicts "
               "in view, from data/key_dates.csv (edit it to add your own). Undated incidents are not counted here.")
    points = list(getattr(getattr(event, "selection", None), "points", None) or [])
    span = timeline_chart.span_of_selection(points, frequency)
    token = repr(span)
    if span and st.session_state.get("timeline_applied") != token:
        st.session_state["timeline_applied"] = token
        sidebar.request_filters(filters.with_dates(view.spec, *span))
    components.export_buttons(view, key="timeline_export")
