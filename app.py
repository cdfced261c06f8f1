"""Ceasefire incident dashboard: ``streamlit run app.py``.

A thin frame: page setup, first start, the shared sidebar filters (kept in
the URL), then the page the analyst chose. Everything else is in incidents/ui/.
"""

import streamlit as st

from incidents.ui import frame
from incidents.ui.access import read_only
from incidents.ui.pages import visible_pages

# No page or page_icon icons: Streamlit turns the page's material-symbol icon into the
# favicon, fetched from fonts.gstatic.com, a request off this machine.
st.set_page_config(page_title="Ceasefire incidents", layout="wide")

navigation = st.navigation([
    st.Page(p.render, title=p.title, url_path=p.url_path, default=p.default) for p in visible_pages(read_only())
])
view = frame.build_view(navigation.title)
frame.notices(view, navigation.title)
navigation.run()
