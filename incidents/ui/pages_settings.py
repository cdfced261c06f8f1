"""Settings page: one place for the database, the map base and online geocoding.

Everything that sends a request off this machine is off by default and says
what it reveals next to its switch.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import streamlit as st

from incidents.config import Settings, save_settings, settings_file
from incidents.ui import gazetteer_upload
from incidents.ui.access import writes_allowed
from incidents.ui.data import current_view

MAP_STYLES = ["white-bg", "open-street-map", "carto-positron", "carto-darkmatter", "carto-voyager"]


def render() -> None:
    view = current_view()
    current = view.settings
    st.title("Settings")
    message = st.session_state.pop("settings_saved", None)
    if message:
        st.success(message)
    overridden = [f"INCIDENTS_{f.name.upper()}" for f in dataclasses.fields(Settings)
                  if f"INCIDENTS_{f.name.upper()}" in os.environ]
    if overridden:
        st.info(f"Set in the environment, and winning over the saved file: {', '.join(overridden)}.")
    if not writes_allowed("Saving settings"):
        shown = {f.name: getattr(current, f.name) for f in dataclasses.fields(Settings)}
        st.dataframe({"Setting": list(shown), "Value": [str(v) for v in shown.values()]},
                     hide_index=True, key="settings_read_only")
        return
    with st.form("settings_form"):
        db_path = st.text_input("Database file", value=current.db_path, key="settings_db_path",
                                help=_help("db_path"))
        style_options = MAP_STYLES if current.map_style in MAP_STYLES else [current.map_style, *MAP_STYLES]
        map_style = st.selectbox("Map style", style_options, index=style_options.index(current.map_style),
                                 key="settings_map_style", help=_help("map_style"))
        online_tiles = st.toggle("Use online map tiles", value=current.online_tiles, key="settings_online_tiles",
                                 help=_help("online_tiles"))
        st.caption("Off: the map draws on a blank background with the country borders shipped with the tool. "
                   "On: the chosen style's tile server learns which area you are looking at.")
        online_geocoding = st.toggle("Online geocoding (Nominatim)", value=current.online_geocoding,
                                     key="settings_online_geocoding", help=_help("online_geocoding"))
        user_agent = st.text_input("Nominatim User-Agent", value=current.nominatim_user_agent,
                                   key="settings_user_agent", help=_help("nominatim_user_agent"))
        nominatim_url = st.text_input("Nominatim URL (empty: public service)", value=current.nominatim_url,
                                      key="settings_nominatim_url", help=_help("nominatim_url"))
        submitted = st.form_submit_button("Save settings", type="primary")
    if submitted:
        if online_geocoding and not user_agent.strip():
            st.error("Online geocoding needs an identifying User-Agent (Nominatim's usage policy).")
            return
        updated = dataclasses.replace(
            current, db_path=db_path.strip() or Settings().db_path, map_style=map_style, online_tiles=online_tiles,
            online_geocoding=online_geocoding, nominatim_user_agent=user_agent.strip(),
            nominatim_url=nominatim_url.strip(),
        )
        path = st.session_state.get("settings_file")  # tests point this at a temporary file
        save_settings(updated, Path(path) if path else None)
        st.session_state["settings_saved"] = f"Saved to {path or settings_file()}."
        st.rerun()
    st.caption("Usage statistics are off and error details are hidden from browsers (.streamlit/config.toml). "
               "Environment variables INCIDENTS_<NAME> override these settings.")
    gazetteer_upload.section(current)


def _help(name: str) -> str:
    for field in dataclasses.fields(Settings):
        if field.name == name:
            return str(field.metadata.get("help", ""))
    return ""
