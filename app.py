"""Ceasefire incident dashboard: ``streamlit run app.py``.

A thin frame: page setup, first start, the shared sidebar filters (kept in
the URL), then the page the analyst chose. Everything else is in incidents/ui/.
"""

import streamlit as st

from incidents.ui import frame
from incidents.ui.pages import PAGES

st.set_page_config(page_title="Ceasefire incidents", page_icon=":material/crisis_alert:", layout="wide")

navigation = st.navigation([
    st.Page(p.render, title=p.title, url_path=p.url_path, icon=p.icon, default=p.default) for p in PAGES
])
view = frame.build_view()
frame.notices(view)
navigation.run()
