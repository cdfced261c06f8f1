"""Places page: the names that hold the most unplaced or roughly placed incidents.

Placing one name fixes every incident that carries it, and teaches the name
to the geocoder (the user's places), so the list is ordered by incidents held:
the first correction moves the most dots. The sidebar filters do not apply.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from incidents.ui import components, place_picker
from incidents.ui.data import current_view
from incidents.ui.text import md_escape
from incidents.views.place_gaps import AMBIGUOUS_SHARE, GAP_COLUMNS, place_gaps

TABLE_KEY = "places_table"


@st.cache_resource(show_spinner="Finding places to fix…", max_entries=2)
def gaps_table(db_path: str, version: str, _settings: object, _store: object) -> pd.DataFrame:
    """Names to place, per data version (every placing is an edit, so a new version). Read-only."""
    from incidents.store.dataset import load_incidents

    frame = load_incidents(_settings, columns=list(GAP_COLUMNS), store=_store)  # type: ignore[arg-type]
    return place_gaps(frame, _store.ambiguous_places(AMBIGUOUS_SHARE))  # type: ignore[attr-defined]


def render() -> None:
    view = current_view()
    st.title("Places to fix")
    place_picker.placed_notice()
    gaps = gaps_table(view.settings.db_path, view.version, view.settings, view.store)
    if gaps.empty:
        st.success("Every incident has a place the geocoder is sure of, or one an analyst gave it.")
        return
    held = int(gaps["incidents"].sum())
    st.caption(f"{len(gaps):,} names hold {held:,} incidents without a good place: unplaced (the gazetteer lacks "
               "the name), placed at a region instead (fallback), or an ambiguous match. Most incidents first; "
               "pick a row, then place its name once for all of them. The sidebar filters do not apply here.")
    shown = gaps[["name", "incidents", "problem", "countries"]]
    event = st.dataframe(
        shown, hide_index=True, key=TABLE_KEY, on_select="rerun", selection_mode="single-row",
        column_config={"name": st.column_config.TextColumn("Name as written"),
                       "incidents": st.column_config.NumberColumn("Incidents"),
                       "problem": st.column_config.TextColumn("Problem"),
                       "countries": st.column_config.TextColumn("Countries", help="Where the geocoder put them.")},
    )
    rows = event.selection.rows if hasattr(event, "selection") else []
    row = gaps.iloc[rows[0] if rows else 0]
    name = str(row["name"])
    st.subheader(f"Place “{md_escape(name)}”")
    event_ids = list(row["event_ids"])
    countries = list(dict.fromkeys(view.store.report_countries(row["report_ids"][:500])
                                   + [c for c in str(row["countries"]).split(", ") if c]))
    target = place_picker.PlaceTarget(name, event_ids, countries, view.store.place_candidates(event_ids[0]))
    analyst = components.analyst_name("places_analyst")
    slug = hashlib.sha1(name.casefold().encode()).hexdigest()[:10]
    place_picker.place_panel(view, target, f"places_{slug}", analyst)
