"""The timeline: incidents per day, week or month stacked by type, stated
violations and fatalities beneath, and key dates (agreements) marked.

It must not mislead: each bar spans its whole period (a week bar is seven
days wide, placed over its week), the lines break where periods hold no
incident instead of joining across them, and key dates carry a number on the
chart with their full text listed beside it (:func:`key_date_rows`), so no
label is ever cut.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from incidents.views.charts import OKABE_ITO, TYPE_COLOURS, esc, shared_figure, type_colour

FREQUENCIES = {"day": "D", "week": "W", "month": "M"}
KEY_DATE_ROW_PX = 17  # height of one row of staggered key-date labels


def span_of_selection(points: Iterable[Mapping[str, Any]], frequency: str) -> tuple[dt.date, dt.date] | None:
    """Dates covered by the selected timeline bars: first period start to last period end."""
    stamps = []
    for point in points:
        x = point.get("x") if isinstance(point, Mapping) else getattr(point, "x", None)
        try:
            stamps.append(pd.Timestamp(x).to_datetime64())
        except (ValueError, TypeError):
            continue
    if not stamps:
        return None
    # Bars sit over the middle of their period: a point's period is the one holding its x.
    starts = [pd.Timestamp(v).date() for v in _period_starts(np.array(stamps, dtype="datetime64[s]"), frequency)]
    last = pd.Timestamp(max(starts))
    end = {"day": last, "week": last + pd.Timedelta(days=6), "month": last + pd.offsets.MonthEnd(0)}.get(
        frequency, last
    )
    return min(starts), pd.Timestamp(end).date()


def _period_starts(values: np.ndarray, frequency: str) -> np.ndarray:
    days = values.astype("datetime64[D]")
    if frequency == "week":
        # 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
        number = days.astype(np.int64)
        return (number - (number + 3) % 7).astype("datetime64[D]").astype("datetime64[s]")
    if frequency == "month":
        return days.astype("datetime64[M]").astype("datetime64[s]")
    return days.astype("datetime64[s]")


def _periods_of(dates: np.ndarray, frequency: str) -> tuple[np.ndarray, np.ndarray]:
    """The periods holding any of ``dates`` (sorted starts) and each date's index into them.

    Works through the span's calendar (a few thousand days) instead of sorting
    every date: on a million incidents ten times faster than ``np.unique``,
    with the same result.
    """
    days = dates.astype("datetime64[D]").astype(np.int64)
    first = int(days.min())
    offset = days - first
    calendar = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
    starts, day_period = np.unique(_period_starts(calendar, frequency), return_inverse=True)
    period = day_period.reshape(-1)[offset]
    used = np.bincount(period, minlength=len(starts)) > 0  # periods without any incident are left out
    renumber = np.cumsum(used) - 1
    return starts[used], renumber[period]


def period_ends(starts: np.ndarray, frequency: str) -> np.ndarray:
    """The start of the period after each of ``starts`` (exclusive ends)."""
    starts = np.asarray(starts, dtype="datetime64[s]")
    if frequency == "month":
        return (starts.astype("datetime64[M]") + 1).astype("datetime64[s]")
    return starts + np.timedelta64(7 if frequency == "week" else 1, "D").astype("timedelta64[s]")


def auto_frequency(frame: pd.DataFrame) -> str:
    """Day for up to two months of data, week up to two years, month beyond (readable bar counts)."""
    dates = frame["event_date"].dropna() if "event_date" in frame else pd.Series(dtype="datetime64[s]")
    if dates.empty:
        return "week"
    days = (dates.max() - dates.min()).days
    return "day" if days <= 62 else "week" if days <= 730 else "month"


def timeline_table(frame: pd.DataFrame, frequency: str = "week") -> pd.DataFrame:
    """Per period: incidents per event type, stated violations and fatalities (numpy bincounts)."""
    dates = frame["event_date"].to_numpy(dtype="datetime64[s]") if "event_date" in frame else np.array([])
    dated = ~np.isnat(dates)
    if not dated.any():
        return pd.DataFrame(columns=["period", "violations", "fatalities"])
    periods, period_index = _periods_of(dates[dated], frequency)
    types = frame["event_type"]
    if isinstance(types.dtype, pd.CategoricalDtype):
        type_codes = types.cat.codes.to_numpy()[dated]
        type_names = list(types.cat.categories)
        if (type_codes < 0).any():
            type_names.append("Unknown")
            type_codes = np.where(type_codes < 0, len(type_names) - 1, type_codes)
    else:
        type_codes, names = pd.factorize(types.astype(object).fillna("Unknown").to_numpy()[dated])
        type_names = list(names)
    n, k = len(periods), max(len(type_names), 1)
    counts = np.bincount(period_index * k + type_codes, minlength=n * k).reshape(n, k)
    table = pd.DataFrame({"period": periods})
    for j, name in enumerate(type_names):
        if counts[:, j].any():
            table[str(name)] = counts[:, j]
    stated = frame["violation_count"].to_numpy(dtype=float, na_value=np.nan)[dated] if "violation_count" in frame \
        else np.full(int(dated.sum()), np.nan)
    table["violations"] = np.bincount(period_index, weights=np.where(np.isnan(stated), 1, stated), minlength=n)
    table["violations"] = table["violations"].astype(np.int64)
    deaths = frame["fatalities"].to_numpy(dtype=np.int64, na_value=0)[dated]
    table["fatalities"] = np.bincount(period_index, weights=deaths, minlength=n).astype(np.int64)
    return table


# The two lines have their own ink, dash and marker, apart from the type palette of the bars
# (the fatalities line used to share the Battles vermillion): black for stated violations,
# a dashed grey for fatalities on its own axis (tens against hundreds of violations).
LINES = {
    "violations": {"label": "Stated violations", "colour": OKABE_ITO["black"], "dash": "solid",
                   "symbol": "circle", "secondary": False},
    "fatalities": {"label": "Fatalities", "colour": "#6e6e6e", "dash": "dash", "symbol": "diamond-open",
                   "secondary": True},
}


def _with_gaps(x: np.ndarray, starts: np.ndarray, ends: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line points with a break (a missing value) wherever the next period is not the adjacent one."""
    values = y.astype(float)
    if len(x) < 2:
        return x, values
    at = np.flatnonzero(ends[:-1] < starts[1:]) + 1
    return np.insert(x, at, ends[at - 1]), np.insert(values, at, np.nan)


@lru_cache(maxsize=1)
def _subplots_layout() -> str:
    """The layout plotly's ``make_subplots`` gives two rows sharing the time axis, the lower
    one with a second y axis (x/y above, x2/y2 and y3 below), as JSON: made once, copied per chart."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06,
                        specs=[[{}], [{"secondary_y": True}]])
    return json.dumps(fig.layout.to_plotly_json())


def timeline(
    frame: pd.DataFrame, frequency: str = "week", key_dates: pd.DataFrame | None = None, height: int = 460
) -> go.Figure:
    """Stacked incident counts by type, with stated violations and fatalities below.

    Bars are placed over the middle of their period and are as wide as it
    (less a thin gap), so a sparse weekly series never shows two-month bars.
    Built from plain dicts without plotly's validation (see ``charts.shared_figure``).
    """
    table = timeline_table(frame, frequency)
    starts = table["period"].to_numpy(dtype="datetime64[s]")
    ends = period_ends(starts, frequency)
    widths = (ends - starts).astype("timedelta64[ms]").astype(np.int64) * 0.86
    middles = starts + (ends - starts) // 2
    labels = [period_label(s, frequency) for s in starts]
    type_columns = [c for c in table.columns if c not in ("period", "violations", "fatalities")]
    ordered = [t for t in TYPE_COLOURS if t in type_columns] + sorted(set(type_columns) - set(TYPE_COLOURS))
    traces: list[dict[str, Any]] = [{
        "type": "bar", "x": middles, "y": table[event_type].to_numpy(), "width": widths, "name": esc(event_type),
        "marker": {"color": type_colour(event_type)}, "customdata": labels, "xaxis": "x", "yaxis": "y",
        # The type may come from an imported or edited row: it enters the template only by
        # reference (fullData.name), since a literal "%{...}" in it would be expanded.
        "hovertemplate": "%{customdata}: %{y} incidents<extra>%{fullData.name}</extra>",
    } for event_type in ordered]
    for column, line in LINES.items():
        if column in table:
            x, y = _with_gaps(middles, starts, ends, table[column].to_numpy())
            traces.append({
                "type": "scatter", "x": x, "y": y, "name": line["label"], "mode": "lines+markers",
                "connectgaps": False, "line": {"color": line["colour"], "width": 2, "dash": line["dash"]},
                "marker": {"symbol": line["symbol"], "size": 7, "color": line["colour"]},
                "hovertemplate": "%{x|%Y-%m-%d}: %{y}<extra>%{fullData.name}</extra>",
                "xaxis": "x2", "yaxis": "y3" if line["secondary"] else "y2",
            })
    layout = json.loads(_subplots_layout())
    layout["yaxis"]["title"] = {"text": "Incidents"}
    layout["yaxis2"].update(title={"text": "Violations", "font": {"color": LINES["violations"]["colour"]}},
                            rangemode="tozero")
    most = int(table["fatalities"].max()) if "fatalities" in table and len(table) else 0
    fatalities_colour = LINES["fatalities"]["colour"]
    layout["yaxis3"].update(title={"text": "Fatalities", "font": {"color": fatalities_colour}}, rangemode="tozero",
                            showgrid=False, tickfont={"color": fatalities_colour}, tick0=0, dtick=whole_step(most),
                            tickformat=",d")
    shown = x_range(starts.min(), ends.max()) if len(table) else None
    if shown is not None:
        for axis in ("xaxis", "xaxis2"):
            layout[axis]["range"] = [pd.Timestamp(v) for v in shown]
    layout.update(
        barmode="stack", bargap=0, height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, dragmode="select",
        selectdirection="h", legend={"orientation": "h", "y": -0.12}, uirevision="timeline",
    )
    if key_dates is not None and shown is not None:
        add_key_dates(layout, key_dates, *shown)  # every key date in the span shown, as key_date_rows lists them
    return shared_figure(traces, layout)


def x_range(first: np.datetime64, end: np.datetime64, least_days: int = 30) -> tuple[np.datetime64, np.datetime64]:
    """The span shown: the periods in view, widened to at least ``least_days`` so a lone bar stays narrow."""
    short = np.timedelta64(least_days, "D").astype("timedelta64[s]") - (end - first)
    pad = max(short // 2, np.timedelta64(0, "s")) + np.timedelta64(12, "h").astype("timedelta64[s]")
    return first - pad, end + pad


def period_label(start: np.datetime64, frequency: str) -> str:
    """How a bar's period reads in its hover: a day, "week of 2024-03-04", "March 2024"."""
    first = pd.Timestamp(start)
    return {"month": f"{first:%B %Y}", "week": f"week of {first:%Y-%m-%d}"}.get(frequency, f"{first:%Y-%m-%d}")


def whole_step(most: int, ticks: int = 3) -> int:
    """A whole-number tick step giving about ``ticks`` ticks up to ``most`` (deaths come in ones)."""
    raw = max(most / ticks, 1.0)
    magnitude = 10 ** int(np.floor(np.log10(raw)))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def read_key_dates(path: Any) -> tuple[pd.DataFrame, list[str]]:
    """Key dates (``date,label,kind[,...]``) from a user-editable CSV; bad rows are reported, not fatal."""
    empty = pd.DataFrame(columns=["date", "label", "kind"])
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        return empty, []
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return empty, [f"Key dates file skipped: {exc}"]
    missing = {"date", "label"} - set(table.columns)
    if missing:
        return empty, [f"Key dates file skipped: no column {', '.join(sorted(missing))}"]
    if "kind" not in table:
        table["kind"] = ""
    parsed = pd.to_datetime(table["date"], format="%Y-%m-%d", errors="coerce")
    problems = [f"Key date {value!r} (line {i + 2}) is not YYYY-MM-DD; skipped."
                for i, value in enumerate(table["date"]) if pd.isna(parsed.iat[i])]
    table = table.assign(date=parsed)[parsed.notna()].reset_index(drop=True)
    return table, problems


def key_dates_in_view(key_dates: pd.DataFrame, conflicts: Iterable[str] | None) -> pd.DataFrame:
    """The key dates of the conflicts in view (column ``theatre``); ``None`` keeps them all.

    A row without a theatre is general and shows with any conflict.
    """
    if conflicts is None or "theatre" not in key_dates:
        return key_dates
    theatre = key_dates["theatre"].fillna("").astype(str).str.strip()
    return key_dates[theatre.isin(set(conflicts)) | (theatre == "")].reset_index(drop=True)


def key_date_rows(key_dates: pd.DataFrame | None, start: object, end: object) -> pd.DataFrame:
    """Key dates inside ``start..end`` in date order, numbered as on the chart (columns n, date, label, ...)."""
    if key_dates is None or not len(key_dates):
        return pd.DataFrame(columns=["n", "date", "label"])
    dates = pd.to_datetime(key_dates["date"])
    inside = key_dates[(dates >= pd.Timestamp(start)) & (dates < pd.Timestamp(end))].assign(
        date=lambda t: pd.to_datetime(t["date"]))
    inside = inside.sort_values("date", kind="stable").reset_index(drop=True)
    inside.insert(0, "n", range(1, len(inside) + 1))
    return inside


def add_key_dates(layout: dict[str, Any], key_dates: pd.DataFrame, start: object, end: object) -> None:
    """Dashed vertical lines for agreements and other key dates inside the plotted span (into ``layout``).

    Each line carries its number; the full text is in its hover and in the list
    the pages show under the chart (:func:`key_date_rows`), so no label is cut.
    Numbers are staggered on two rows so that neighbours do not overprint.
    """
    rows = key_date_rows(key_dates, start, end)
    shapes, notes = [], []
    for row in rows.itertuples(index=False):
        when = pd.Timestamp(row.date)
        shapes.append({"type": "line", "x0": when, "x1": when, "y0": 0, "y1": 1, "xref": "x", "yref": "paper",
                       "line": {"color": "#444444", "width": 1.5, "dash": "dash"}})
        notes.append({"x": when, "y": 1.0, "yshift": 3 + KEY_DATE_ROW_PX * ((row.n - 1) % 2), "xref": "x",
                      "yref": "paper", "text": str(row.n), "hovertext": esc(f"{when.date()}: {row.label}"),
                      "showarrow": False, "font": {"size": 12, "color": "#222222"}, "xanchor": "center",
                      "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.9)", "bordercolor": "#444444",
                      "borderwidth": 1, "borderpad": 1})
    if len(rows):
        layout["shapes"] = [*layout.get("shapes", []), *shapes]
        layout["annotations"] = [*layout.get("annotations", []), *notes]
        layout["margin"] = {**layout.get("margin", {}), "t": 16 + KEY_DATE_ROW_PX * min(len(rows), 2)}
