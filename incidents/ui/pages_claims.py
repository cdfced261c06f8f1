"""Who blames whom: the incidents in view by claimant and by the side said to have fired,
as a grid and a table, exportable like the rest (plain CSV, or with its provenance)."""

from __future__ import annotations

import streamlit as st

from incidents.ui import components
from incidents.ui.data import current_view
from incidents.ui.text import plural
from incidents.views import charts, claims, exports, filters

LABELS = {"claimed_by": "Claimed by", "actor1": "Said to have fired (actor1)", "incidents": "Incidents",
          "disputed": "Disputed", "fatalities": "Killed", "injured": "Injured"}


def render() -> None:
    view = current_view()
    st.title("Who blames whom")
    st.caption("Each incident counts once, under the side that states it (a ministry, a monitor, an outlet) and "
               "the side it says fired. These are claims, not findings: 'Disputed' counts those the other side "
               "denies or counters.")
    if view.filtered.empty:
        st.info("No incidents match the filters. Widen them in the sidebar, or press Reset filters.")
        return
    table = claims.blame_table(view.filtered)
    st.plotly_chart(claims.blame_figure(table), key="claims_chart", config=charts.chart_config("who-blames-whom"),
                    width="stretch")
    if table["claimed_by"].nunique() > claims.HEATMAP_SIDES or table["actor1"].nunique() > claims.HEATMAP_SIDES:
        st.caption(f"The grid shows the {claims.HEATMAP_SIDES} most frequent of each side; the table lists all.")
    st.dataframe(table, hide_index=True, placeholder="", key="claims_table",
                 column_config={name: st.column_config.Column(label) for name, label in LABELS.items()})
    st.caption(f"{plural(len(table), 'pair')} of claimant and accused, {plural(len(view.filtered), 'incident')} "
               "in view.")
    provenance = exports.provenance_for(view.filtered, components.view_url(view),
                                        filters=filters.describe(view.spec, view.newest))
    data = exports.to_csv(table)
    stem = exports.file_stem(provenance.exported_at) + "-who-blames-whom"
    left, right, _ = st.columns([1, 1.6, 1.4])
    left.download_button("Breakdown CSV", data, file_name=f"{stem}.csv", mime="text/csv", key="claims_csv",
                         on_click="ignore", icon=":material/download:")
    right.download_button("Breakdown + provenance (zip)", exports.to_zip(data, provenance, f"{stem}.csv"),
                          file_name=f"{stem}.zip", mime="application/zip", key="claims_zip", on_click="ignore",
                          icon=":material/download:")
    st.divider()
    components.export_buttons(view, key="claims_export")
