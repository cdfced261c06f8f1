"""Who blames whom: incidents in view by the side that claims them (``claimed_by``)
and the side said to have fired (``actor1``).

The first question a ceasefire monitor is asked is "who says the other side
fired, and how often". Each side's statements are claims, not findings, so
the breakdown also counts how many of them the other side disputes. Pure
functions on the view frame; the dashboard's "Who blames whom" page draws them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from incidents.views.charts import esc

NOT_STATED = "(claimant not stated)"
UNATTRIBUTED = "(no side named)"
BLAME_COLUMNS = ("claimed_by", "actor1", "incidents", "disputed", "fatalities", "injured")
HEATMAP_SIDES = 15  # claimants and accused drawn; the table lists them all


def _labels(frame: pd.DataFrame, column: str, missing: str) -> pd.Series:
    """The column as text with a readable label for missing values (categoricals kept cheap)."""
    if column not in frame:
        return pd.Series(missing, index=frame.index, dtype=object)
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        if missing not in values.cat.categories:
            values = values.cat.add_categories([missing])
        return values.fillna(missing)
    return values.astype(object).where(values.notna(), missing)


def blame_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (claimant, accused) pair: incidents, how many disputed, fatalities and injured.

    Sorted by incidents, most first. Missing claimants and unattributed
    incidents get their own rows, so the counts add up to the view.
    """
    if frame.empty:
        return pd.DataFrame({name: pd.Series(dtype=object if i < 2 else np.int64)
                             for i, name in enumerate(BLAME_COLUMNS)})
    work = pd.DataFrame({
        "claimed_by": _labels(frame, "claimed_by", NOT_STATED),
        "actor1": _labels(frame, "actor1", UNATTRIBUTED),
        "incidents": 1,
        "disputed": frame["disputed"].fillna(False).astype(bool).astype(np.int64) if "disputed" in frame else 0,
        "fatalities": frame["fatalities"].fillna(0).astype(np.int64) if "fatalities" in frame else 0,
        "injured": frame["injured"].fillna(0).astype(np.int64) if "injured" in frame else 0,
    })
    table = work.groupby(["claimed_by", "actor1"], observed=True, sort=False).sum().reset_index()
    table["claimed_by"] = table["claimed_by"].astype(str)
    table["actor1"] = table["actor1"].astype(str)
    table = table[table["incidents"] > 0]
    return table.sort_values(["incidents", "claimed_by", "actor1"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)[list(BLAME_COLUMNS)]


ROW_PX = 30  # height of one claimant's row in the grid


def blame_figure(table: pd.DataFrame, limit: int = HEATMAP_SIDES) -> go.Figure:
    """A claimant × accused grid of incident counts (the ``limit`` most frequent of each),
    each row tall enough to read."""
    claimants = table.groupby("claimed_by")["incidents"].sum().sort_values(ascending=False).index[:limit]
    accused = table.groupby("actor1")["incidents"].sum().sort_values(ascending=False).index[:limit]
    grid = (table[table["claimed_by"].isin(claimants) & table["actor1"].isin(accused)]
            .pivot_table(index="claimed_by", columns="actor1", values="incidents", aggfunc="sum", fill_value=0)
            .reindex(index=claimants, columns=accused, fill_value=0))
    counts = grid.to_numpy()
    fig = go.Figure(go.Heatmap(
        z=np.where(counts > 0, counts, np.nan), x=[esc(v) for v in grid.columns], y=[esc(v) for v in grid.index],
        text=np.where(counts > 0, counts.astype(str), ""), texttemplate="%{text}", colorscale="Blues",
        hovertemplate="%{y} says %{x} fired: %{z} incidents<extra></extra>", showscale=False, xgap=2, ygap=2,
    ))
    fig.update_layout(height=160 + ROW_PX * len(grid.index), margin={"l": 10, "r": 10, "t": 10, "b": 10})
    fig.update_xaxes(title_text="Said to have fired (actor1)", type="category", side="top", automargin=True)
    fig.update_yaxes(title_text="Claimed by", type="category", autorange="reversed", automargin=True)
    return fig
