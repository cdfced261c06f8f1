"""The timeline: incidents per day, week or month stacked by type, stated
violations and fatalities beneath, and key dates (agreements) marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from incidents.views.charts import OKABE_ITO, TYPE_COLOURS, esc, type_colour

FREQUENCIES = {"day": "D", "week": "W", "month": "M"}
KEY_DATE_LABEL = 26  # characters shown above the timeline; the rest on hover
KEY_DATE_ROW_PX = 17  # height of one row of staggered key-date labels


def span_of_selection(points: Iterable[Mapping[str, Any]], frequency: str) -> tuple[dt.date, dt.date] | None:
    """Dates covered by the selected timeline bars: first period start to last period end."""
    starts = []
    for point in points:
        x = point.get("x") if isinstance(point, Mapping) else getattr(point, "x", None)
        try:
            starts.append(pd.Timestamp(x).date())
        except (ValueError, TypeError):
            continue
    if not starts:
        return None
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


def timeline(
    frame: pd.DataFrame, frequency: str = "week", key_dates: pd.DataFrame | None = None, height: int = 460
) -> go.Figure:
    """Stacked incident counts by type, with stated violations and fatalities below."""
    table = timeline_table(frame, frequency)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06,
                        specs=[[{}], [{"secondary_y": True}]])
    type_columns = [c for c in table.columns if c not in ("period", "violations", "fatalities")]
    ordered = [t for t in TYPE_COLOURS if t in type_columns] + sorted(set(type_columns) - set(TYPE_COLOURS))
    for event_type in ordered:
        fig.add_trace(go.Bar(
            x=table["period"], y=table[event_type], name=esc(event_type), marker_color=type_colour(event_type),
            # The type may come from an imported or edited row: it enters the template only by
            # reference (fullData.name), since a literal "%{...}" in it would be expanded.
            hovertemplate="%{x|%Y-%m-%d}: %{y} incidents<extra>%{fullData.name}</extra>",
        ), row=1, col=1)
    for column, line in LINES.items():
        if column in table:
            fig.add_trace(go.Scatter(
                x=table["period"], y=table[column], name=line["label"], mode="lines+markers",
                line={"color": line["colour"], "width": 2, "dash": line["dash"]},
                marker={"symbol": line["symbol"], "size": 7, "color": line["colour"]},
                hovertemplate="%{x|%Y-%m-%d}: %{y}<extra>%{fullData.name}</extra>",
            ), row=2, col=1, secondary_y=line["secondary"])
    fig.update_yaxes(title_text="Incidents", row=1, col=1)
    fig.update_yaxes(title_text="Violations", row=2, col=1, secondary_y=False, rangemode="tozero",
                     title_font={"color": LINES["violations"]["colour"]})
    most = int(table["fatalities"].max()) if "fatalities" in table and len(table) else 0
    fig.update_yaxes(title_text="Fatalities", row=2, col=1, secondary_y=True, rangemode="tozero", showgrid=False,
                     title_font={"color": LINES["fatalities"]["colour"]},
                     tickfont={"color": LINES["fatalities"]["colour"]},
                     tick0=0, dtick=whole_step(most), tickformat=",d")
    fig.update_layout(
        barmode="stack", height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, dragmode="select",
        selectdirection="h", legend={"orientation": "h", "y": -0.12}, uirevision="timeline",
    )
    if key_dates is not None and len(table):
        add_key_dates(fig, key_dates, table["period"].min(), table["period"].max(), frequency)
    return fig


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


def add_key_dates(fig: go.Figure, key_dates: pd.DataFrame, start: object, end: object, frequency: str) -> None:
    """Vertical markers for agreements and other key dates inside the plotted span.

    Labels are short (the full text, with the date, is in the label's hover),
    staggered on three rows so that nearby dates do not overprint, and those
    in the right part of the chart extend leftwards so that they are not cut off.
    """
    start_ts = pd.Timestamp(start)
    end_ts = pd.Timestamp(end) + {"day": pd.Timedelta(days=1), "week": pd.Timedelta(days=7)}.get(
        frequency, pd.Timedelta(days=31)
    )
    inside = [row for row in key_dates.itertuples(index=False) if start_ts <= pd.Timestamp(row.date) <= end_ts]
    width = max((end_ts - start_ts).total_seconds(), 1.0)
    shapes, notes = [], []
    for level, row in enumerate(sorted(inside, key=lambda r: pd.Timestamp(r.date))):
        when = pd.Timestamp(row.date)
        label = str(row.label)
        shapes.append({"type": "line", "x0": when, "x1": when, "y0": 0, "y1": 1, "xref": "x", "yref": "paper",
                       "line": {"color": "#444444", "width": 1.5, "dash": "dash"}})
        rightwards = (when - start_ts).total_seconds() / width < 0.6
        # Rows in pixels, not in fractions of the plot: the home page's short timeline has less height.
        notes.append({"x": when, "y": 1.0, "yshift": 3 + KEY_DATE_ROW_PX * (level % 3), "xref": "x", "yref": "paper",
                      "text": esc(short_label(label)), "hovertext": esc(f"{when.date()}: {label}"),
                      "showarrow": False, "font": {"size": 11, "color": "#333333"},
                      "xanchor": "left" if rightwards else "right", "yanchor": "bottom",
                      "bgcolor": "rgba(255,255,255,0.85)"})
    if inside:
        # One layout update: add_shape/add_annotation validate the whole layout each time.
        fig.update_layout(shapes=list(fig.layout.shapes) + shapes, annotations=list(fig.layout.annotations) + notes,
                          margin={"t": 14 + KEY_DATE_ROW_PX * min(len(inside), 3)})


def short_label(label: str, limit: int = KEY_DATE_LABEL) -> str:
    """At most ``limit`` characters, cut at a word where possible, with an ellipsis."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"
