"""Compare page: two periods side by side, incidents per region and per type, and the change.

Only the date filter is replaced by the two periods; every other sidebar
filter still applies, so "shelling in Syunik before and after the truce" is
two clicks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from incidents.views import charts
from incidents.views import filters
from incidents.ui.components import delta_words
from incidents.ui.data import current_view

BREAKDOWNS = {"region": "Region", "event_type": "Event type", "sub_event_type": "Sub-event type",
              "country": "Country", "actor1": "Actor 1", "source_type": "Source type"}


def _default_periods(newest: dt.date | None, oldest: dt.date | None) -> tuple[tuple[dt.date, dt.date], ...]:
    """The data's span cut in two halves, inside the range the date widgets accept (they raise outside)."""
    newest = filters.clamp_date(newest or dt.date.today())
    oldest = filters.clamp_date(oldest or newest)
    middle = min(oldest + (newest - oldest) / 2, filters.DATE_MAX - dt.timedelta(days=1))
    oldest = min(oldest, middle)
    return (oldest, middle), (middle + dt.timedelta(days=1), max(newest, middle + dt.timedelta(days=1)))


def _period(label: str, key: str, default: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date] | None:
    value = st.date_input(label, value=default, key=key, min_value=filters.DATE_MIN, max_value=filters.DATE_MAX)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value[0], value[1]
    return None


def render() -> None:
    view = current_view()
    st.title("Compare periods")
    st.caption("Choose a period to compare with another: every other sidebar filter applies to both.")
    frame = view.frame
    oldest = frame["event_date"].min()
    oldest = None if frame.empty or oldest is None or oldest != oldest else oldest.date()
    default_a, default_b = _default_periods(view.newest, oldest)
    left, right = st.columns(2)
    with left:
        period_a = _period("Period A", "compare_a", default_a)
    with right:
        period_b = _period("Period B", "compare_b", default_b)
    if not period_a or not period_b:
        st.info("Pick a start and an end date for both periods.")
        return
    others = replace(view.spec, preset="all", since=None, until=None)
    text = view.text_source()
    before = filters.apply(frame, filters.with_dates(others, *period_a), view.newest, text)
    after = filters.apply(frame, filters.with_dates(others, *period_b), view.newest, text)
    labels = (f"A {period_a[0]}…{period_a[1]}", f"B {period_b[0]}…{period_b[1]}")

    a, b = filters.headline(before), filters.headline(after)
    change = b.change(a)
    # A period A before the first incident holds no data: a change from it would be from nothing.
    earlier = not frame.empty and oldest is not None and oldest <= period_a[1]
    cols = st.columns(4)
    for col, name, label in zip(cols, ("incidents", "violations", "fatalities", "injured"),
                                ("Incidents", "Stated violations", "Fatalities", "Injured")):
        text, arrow = delta_words(change[name], earlier)
        col.metric(f"{label} (B)", f"{getattr(b, name):,}", delta=text, delta_color="off", delta_arrow=arrow,
                   delta_description="vs A" if earlier and change[name] else None)
    days_a = (period_a[1] - period_a[0]).days + 1
    days_b = (period_b[1] - period_b[0]).days + 1
    if days_a != days_b:
        st.caption(f"The periods differ in length ({days_a} and {days_b} days): compare rates, not totals.")

    by = st.selectbox("Break down by", list(BREAKDOWNS), format_func=BREAKDOWNS.__getitem__, key="compare_by")
    table = charts.compare_counts(before, after, by, labels)
    st.plotly_chart(charts.compare_figure(table, by, labels), key="compare_chart",
                    config=charts.chart_config("incident-comparison"), width="stretch")
    if len(table) > charts.COMPARE_BARS:
        st.caption(f"The chart shows the {charts.COMPARE_BARS} largest of {len(table):,}; the table lists them all.")
    st.dataframe(table, hide_index=True, placeholder="", key="compare_table", column_config=_compare_columns(by))
    second = "event_type" if by != "event_type" else "region"
    st.subheader(f"By {BREAKDOWNS[second].lower()}")
    st.dataframe(charts.compare_counts(before, after, second, labels), hide_index=True, placeholder="", key="compare_table_2",
                 column_config=_compare_columns(second))


def _compare_columns(by: str) -> dict[str, object]:
    return {by: st.column_config.TextColumn(BREAKDOWNS.get(by, by)),
            "Change %": st.column_config.NumberColumn(format="%.1f %%", help="Empty when period A has none.")}
