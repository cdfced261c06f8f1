"""The Streamlit dashboard (the only package that imports streamlit).

Pages, their titles and URL paths are listed in :data:`PAGES` so that
``app.py`` and the browser tests agree on them.
"""
