"""Ceasefire incident tracker: reports in, geocoded incidents out.

The pipeline is a chain of plain functions on plain data::

    reports -> extract -> geoparse/geocode -> store -> dataset -> dashboard

Only :mod:`incidents.ui` imports Streamlit; every other module is usable
from the command line (``python -m incidents ...``) and from tests.
"""

__version__ = "0.1.0"
