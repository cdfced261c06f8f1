"""The Streamlit dashboard (the only package, with app.py, that imports streamlit).

Stable interface (links, bookmarks and tests/browser/ rely on it):

Pages (title, URL path; :mod:`incidents.ui.pages`): Map (default, ``/``),
Timeline ``/timeline``, Incidents ``/incidents``, Compare periods
``/compare``, Add reports ``/ingest``, Review queue ``/review``, Places ``/places``,
Settings ``/settings``. The browser tab title is "Ceasefire incidents".

URL parameters (:mod:`incidents.views.filters`): ``preset`` (7d/30d/90d), ``since``,
``until`` (YYYY-MM-DD), ``country``, ``region``, ``type``, ``subtype``,
``actor``, ``claimed_by``, ``source_type`` (repeatable), ``corroborated=1``,
``min_casualties``, ``precision`` (1/2/3, repeatable), ``q`` (free text),
``bbox`` (lon_min,lat_min,lon_max,lat_max). Bad values are ignored with a
warning above the page.

Widget keys: sidebar ``f_preset`` (radio), ``f_dates``, ``f_country``,
``f_region``, ``f_type``, ``f_subtype``, ``f_actor``, ``f_claimed_by``,
``f_source_type``, ``f_corroborated``, ``f_min_casualties``, ``f_precision``,
``f_q``, ``f_reset``, ``f_clear_bbox``; charts ``incident_map`` (selection),
``home_timeline``, ``timeline_chart`` (selection sets the dates),
``compare_chart``, ``ingest_map``; tables ``data_table``,
``map_selection_table``, ``review_table``; downloads ``home_export_csv`` /
``home_export_geojson`` (also ``timeline_export_*``, ``data_export_*``);
ingest ``ingest_text``, ``ingest_extract_text``, ``ingest_files``,
``ingest_extract_files``, ``ingest_analyst``, ``ingest_save``; review
``review_threshold``, ``review_analyst``; detail by id ``data_event_id``;
placing by hand (:mod:`incidents.ui.place_picker`, ``<panel>`` is ``review_<id>_pick``,
``data_detail_pick``/``map_detail_pick``, or ``places_<hash>`` on the Places page,
whose table is ``places_table`` and name field ``places_analyst``):
``<panel>_how`` (radio), ``<panel>_query``, ``<panel>_result``, ``<panel>_map_area`` /
``<panel>_map_fine`` (point selection), ``<panel>_coords``, ``<panel>_name``,
``<panel>_save``; Settings dump upload ``settings_dump``, ``settings_add_dump``.
"""
