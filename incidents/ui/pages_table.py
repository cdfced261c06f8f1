"""Incidents page: the filtered incidents as a sortable table, and one incident in detail.

The incident open in the detail view is in the URL (``?incident=ID``), so a
link opens it; every row of the table carries that link.
"""

from __future__ import annotations

import streamlit as st

from incidents.ui import components, url_state
from incidents.ui.data import current_view

TYPED_KEY = "data_event_id"


def render() -> None:
    view = current_view()
    st.title("Incidents")
    url_state.take_from_url(url_state.INCIDENT_PARAM, TYPED_KEY, url_state.incident_id_problem)
    url_state.show_problem(url_state.INCIDENT_PARAM)
    st.caption("Select a row to read the report it comes from, its other sources and the places the "
               "geocoder considered. Each incident has its own link (column 'Permalink').")
    picked = components.incident_table(view, view.filtered, key="data_table")
    typed = st.text_input("…or open an incident by id", key=TYPED_KEY, max_chars=80).strip()
    event_id = picked or typed or None
    url_state.write(url_state.INCIDENT_PARAM, event_id)
    if event_id:
        st.divider()
        components.incident_detail(view, event_id, key="data_detail")
    st.divider()
    components.export_buttons(view, key="data_export")
