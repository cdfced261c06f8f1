"""Hover text of the map's places: everything about a lone incident, a summary for a group.

Report text enters it only escaped (``charts.esc``); it is built for every place
in view at each filter change, so columns are turned into strings at once
(categories escaped once each, dates formatted by NumPy), not cell by cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incidents import schema
from incidents.views.charts import esc


def texts(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as escaped strings ('' when missing); a categorical's values are escaped once each."""
    if column not in frame:
        return [""] * len(frame)
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        used = np.unique(codes[codes >= 0])  # a view uses few of a million-row frame's categories
        escaped = np.full(len(values.cat.categories) + 1, "", dtype=object)
        escaped[used] = [esc(v) for v in values.cat.categories[used]]
        return escaped[codes].tolist()  # code -1 (missing) takes the last: ""
    return [esc(v) for v in values.astype(object).tolist()]


def place_hover(first: pd.DataFrame, out: pd.DataFrame, precision: np.ndarray, span: pd.DataFrame) -> list[str]:
    """Hover lines: everything about a lone incident, a summary for a group."""
    locations = texts(first, "location")
    types = texts(first, "event_type")
    subs = texts(first, "sub_event_type")
    actor1, actor2 = texts(first, "actor1"), texts(first, "actor2")
    sources, source_types = texts(first, "source"), texts(first, "source_type")
    dates = iso_days(first["event_date"])
    starts, ends = iso_days(span["min"]), iso_days(span["max"])
    main = [esc(v) for v in out["event_type"].tolist()]
    hovers = []
    for i, (count, casualties) in enumerate(zip(out["count"].tolist(), out["casualties"].tolist())):
        place = locations[i] or "(unnamed place)"
        how = schema.GEO_PRECISION.get(int(precision[i]) if np.isfinite(precision[i]) else 1, "exact")
        if count == 1:
            actors = " vs ".join(a for a in (actor1[i], actor2[i]) if a) or "unattributed"
            lines = [
                f"<b>{dates[i]}</b> · {place} ({how})",
                f"{types[i]}: {subs[i]}",
                f"Actors: {actors}",
                f"Source: {sources[i]} ({source_types[i]})",
                f"Casualties: {casualties}",
            ]
        else:
            lines = [
                f"<b>{count} incidents</b> at {place} ({how})",
                f"{starts[i]} to {ends[i]}",
                f"Mostly: {main[i]}",
                f"Casualties: {casualties}",
                "Select the marker to list them",
            ]
        hovers.append("<br>".join(lines))
    return hovers


def iso_days(dates: pd.Series) -> list[str]:
    """Dates as YYYY-MM-DD, "date unknown" when missing (all at once: a Timestamp per place was slow)."""
    days = np.datetime_as_string(pd.to_datetime(dates, errors="coerce").to_numpy(dtype="datetime64[D]"), unit="D")
    return np.where(days == "NaT", "date unknown", days).tolist()
