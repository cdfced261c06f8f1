"""Data page: the filtered incidents as a sortable table, and one incident in detail."""

from __future__ import annotations

import streamlit as st

from incidents.ui import components
from incidents.ui.data import current_view


def render() -> None:
    view = current_view()
    st.title("Incidents")
    st.caption("Select a row to read the report it comes from, its other sources and the places the "
               "geocoder considered.")
    picked = components.incident_table(view, view.filtered, key="data_table")
    typed = st.text_input("…or open an incident by id", key="data_event_id", max_chars=64).strip()
    event_id = picked or typed or None
    if event_id:
        st.divider()
        components.incident_detail(view, event_id, key="data_detail")
    st.divider()
    components.export_buttons(view, key="data_export")
