"""What the analyst is looking at: a filter spec, its URL form, and applying it.

A view must be shareable as a link, so every filter lives in the URL's query
string. Parsing is strict but forgiving: a malformed or unknown value is
dropped and reported in a list of problems (the dashboard shows them), never
raised, so a hand-edited link cannot break the page.

Everything here is pure (no Streamlit): vectorised pandas masks, so a filter
change on a million incidents stays well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from incidents.schema import GEO_PRECISION, SOURCE_TYPES

# Date presets, counted back from the newest incident in the data (not from
# today: a researcher opening an archive from 2020 wants its last 30 days).
PRESETS: dict[str, int | None] = {"all": None, "7d": 7, "30d": 30, "90d": 90}
PRESET_LABELS = {"all": "All", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days"}

# URL parameter of each list field (repeated parameters: ?type=A&type=B).
LIST_PARAMS: dict[str, str] = {
    "countries": "country",
    "regions": "region",
    "event_types": "type",
    "sub_event_types": "subtype",
    "actors": "actor",
    "claimed_by": "claimed_by",
    "source_types": "source_type",
}
# Column(s) each list field matches (an actor matches either side).
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries": ("country",),
    "regions": ("admin1",),
    "event_types": ("event_type",),
    "sub_event_types": ("sub_event_type",),
    "actors": ("actor1", "actor2"),
    "claimed_by": ("claimed_by",),
    "source_types": ("source_type",),
}
SCALAR_PARAMS = ("preset", "since", "until", "corroborated", "min_casualties", "precision", "q", "bbox")
PARAMS: tuple[str, ...] = tuple(LIST_PARAMS.values()) + SCALAR_PARAMS
TEXT_COLUMNS = ("notes", "evidence")
MAX_TEXT = 200


@dataclass(frozen=True)
class FilterSpec:
    """A dashboard view. Empty tuples and None mean "no restriction"."""

    preset: str = "all"
    since: dt.date | None = None  # explicit dates win over the preset
    until: dt.date | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    claimed_by: tuple[str, ...] = ()
    source_types: tuple[str, ...] = ()
    corroborated_only: bool = False
    min_casualties: int = 0  # fatalities + injured
    precision: tuple[int, ...] = ()  # geo_precision values kept; () keeps all, unplaced too
    text: str = ""
    bbox: tuple[float, float, float, float] | None = None  # lon_min, lat_min, lon_max, lat_max

    @property
    def is_default(self) -> bool:
        return self == FilterSpec()


# ---------------------------------------------------------------------------
# URL <-> spec
# ---------------------------------------------------------------------------


def _values(params: Mapping[str, object], name: str) -> list[str]:
    """All values of one parameter, whether the mapping holds a str or a list."""
    getter = getattr(params, "get_all", None)
    if callable(getter):
        raw = getter(name)
    else:
        raw = params.get(name, [])
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]  # type: ignore[union-attr]


def _parse_date(value: str) -> dt.date:
    value = value.strip()
    if len(value) != 10:  # fromisoformat also takes 20240301; links use YYYY-MM-DD only
        raise ValueError(value)
    return dt.date.fromisoformat(value)


def from_query_params(
    params: Mapping[str, object], known: Mapping[str, Iterable[str]] | None = None
) -> tuple[FilterSpec, list[str]]:
    """Build a spec from URL parameters; return it with one message per ignored value.

    ``known`` optionally maps a list field (``countries``...) to the values the
    data holds, so that a value nobody could match is reported, not silently kept.
    Unknown parameter names are left alone (other parts of the app use the URL too).
    """
    problems: list[str] = []
    values: dict[str, object] = {}

    for attr, param in LIST_PARAMS.items():
        items: list[str] = []
        allowed = set(known[attr]) if known and attr in known else None
        if attr == "source_types":
            allowed = set(SOURCE_TYPES) if allowed is None else allowed | set(SOURCE_TYPES)
        for value in _values(params, param):
            value = value.strip()
            if not value:
                continue
            if allowed is not None and value not in allowed:
                problems.append(f"Ignored {param}={value!r}: no such value in the data.")
                continue
            if value not in items:
                items.append(value)
        values[attr] = tuple(items)

    preset = _last(params, "preset")
    if preset is not None:
        if preset in PRESETS:
            values["preset"] = preset
        else:
            problems.append(f"Ignored preset={preset!r}: use one of {', '.join(PRESETS)}.")

    for name in ("since", "until"):
        raw = _last(params, name)
        if raw is None:
            continue
        try:
            values[name] = _parse_date(raw)
        except ValueError:
            problems.append(f"Ignored {name}={raw!r}: not a date (YYYY-MM-DD).")
    since, until = values.get("since"), values.get("until")
    if isinstance(since, dt.date) and isinstance(until, dt.date) and since > until:
        problems.append(f"Ignored since/until: {since} is after {until}.")
        values.pop("since")
        values.pop("until")

    raw = _last(params, "corroborated")
    if raw is not None:
        if raw.lower() in ("1", "true", "yes", "on"):
            values["corroborated_only"] = True
        elif raw.lower() not in ("0", "false", "no", "off"):
            problems.append(f"Ignored corroborated={raw!r}: use 1 or 0.")

    raw = _last(params, "min_casualties")
    if raw is not None:
        try:
            number = int(raw)
            if number < 0:
                raise ValueError
            values["min_casualties"] = number
        except ValueError:
            problems.append(f"Ignored min_casualties={raw!r}: not a whole number >= 0.")

    precision: list[int] = []
    for raw in _values(params, "precision"):
        try:
            level = int(raw)
        except ValueError:
            level = -1
        if level in GEO_PRECISION:
            if level not in precision:
                precision.append(level)
        else:
            problems.append(f"Ignored precision={raw!r}: use 1 (exact), 2 (near) or 3 (region).")
    values["precision"] = tuple(sorted(precision))

    raw = _last(params, "q")
    if raw is not None:
        text = raw.strip()
        if len(text) > MAX_TEXT:
            problems.append(f"Search text cut to {MAX_TEXT} characters.")
            text = text[:MAX_TEXT]
        values["text"] = text

    raw = _last(params, "bbox")
    if raw is not None:
        try:
            values["bbox"] = parse_bbox(raw)
        except ValueError as exc:
            problems.append(f"Ignored bbox={raw!r}: {exc}.")

    return FilterSpec(**values), problems  # type: ignore[arg-type]


def _last(params: Mapping[str, object], name: str) -> str | None:
    found = _values(params, name)
    return found[-1] if found else None


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """``lon_min,lat_min,lon_max,lat_max`` in WGS84 degrees."""
    parts = raw.split(",")
    if len(parts) != 4:
        raise ValueError("need lon_min,lat_min,lon_max,lat_max")
    lon0, lat0, lon1, lat1 = (float(p) for p in parts)
    if not all(np.isfinite([lon0, lat0, lon1, lat1])):
        raise ValueError("not finite")
    if not (-180 <= lon0 < lon1 <= 180 and -90 <= lat0 < lat1 <= 90):
        raise ValueError("corners out of range or in the wrong order")
    return (lon0, lat0, lon1, lat1)


def to_query_params(spec: FilterSpec) -> dict[str, str | list[str]]:
    """The URL form of a spec; default values are left out so links stay short."""
    out: dict[str, str | list[str]] = {}
    for attr, param in LIST_PARAMS.items():
        items = getattr(spec, attr)
        if items:
            out[param] = list(items)
    if spec.preset != "all":
        out["preset"] = spec.preset
    if spec.since:
        out["since"] = spec.since.isoformat()
    if spec.until:
        out["until"] = spec.until.isoformat()
    if spec.corroborated_only:
        out["corroborated"] = "1"
    if spec.min_casualties:
        out["min_casualties"] = str(spec.min_casualties)
    if spec.precision:
        out["precision"] = [str(p) for p in spec.precision]
    if spec.text:
        out["q"] = spec.text
    if spec.bbox:
        out["bbox"] = ",".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in spec.bbox)
    return out


def query_string(spec: FilterSpec) -> str:
    """``?a=1&b=2`` for links and export provenance ('' for the default view)."""
    from urllib.parse import urlencode

    encoded = urlencode(to_query_params(spec), doseq=True)
    return f"?{encoded}" if encoded else ""


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def newest_date(frame: pd.DataFrame) -> dt.date | None:
    """The newest event date in the data (presets count back from it)."""
    if frame.empty or "event_date" not in frame:
        return None
    newest = frame["event_date"].max()
    return None if pd.isna(newest) else pd.Timestamp(newest).date()


def date_window(spec: FilterSpec, newest: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive (start, end) the spec selects; (None, None) means all dates."""
    if spec.since or spec.until:
        return spec.since, spec.until
    days = PRESETS.get(spec.preset)
    if days is None or newest is None:
        return None, None
    return newest - dt.timedelta(days=days - 1), newest


def previous_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before ``start..end``."""
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


# ---------------------------------------------------------------------------
# Applying a spec
# ---------------------------------------------------------------------------


def date_mask(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> np.ndarray:
    """Rows whose event_date lies in start..end (inclusive; None is open)."""
    mask = np.ones(len(frame), dtype=bool)
    if start is None and end is None:
        return mask
    dates = frame["event_date"]
    if start is not None:
        mask &= (dates >= pd.Timestamp(start)).to_numpy(dtype=bool, na_value=False)
    if end is not None:
        mask &= (dates < pd.Timestamp(end) + pd.Timedelta(days=1)).to_numpy(dtype=bool, na_value=False)
    return mask


def attribute_mask(frame: pd.DataFrame, spec: FilterSpec) -> np.ndarray:
    """Rows that pass every filter except the dates (reused for the previous period)."""
    mask = np.ones(len(frame), dtype=bool)
    for attr, columns in LIST_COLUMNS.items():
        wanted = getattr(spec, attr)
        if not wanted:
            continue
        hit = np.zeros(len(frame), dtype=bool)
        for column in columns:
            if column in frame:
                hit |= frame[column].isin(wanted).to_numpy(dtype=bool, na_value=False)
        mask &= hit
    if spec.corroborated_only and "corroborated" in frame:
        mask &= frame["corroborated"].to_numpy(dtype=bool, na_value=False)
    if spec.min_casualties:
        casualties = _int_column(frame, "fatalities") + _int_column(frame, "injured")
        mask &= casualties >= spec.min_casualties
    if spec.precision and "geo_precision" in frame:
        mask &= frame["geo_precision"].isin(spec.precision).to_numpy(dtype=bool, na_value=False)
    if spec.bbox:
        lon0, lat0, lon1, lat1 = spec.bbox
        lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan)
        lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            mask &= (lon >= lon0) & (lon <= lon1) & (lat >= lat0) & (lat <= lat1)
    if spec.text:
        mask &= text_mask(frame, spec.text, mask)
    return mask


def text_mask(frame: pd.DataFrame, text: str, within: np.ndarray | None = None) -> np.ndarray:
    """Case-insensitive plain-substring search over notes and evidence.

    Only rows still in ``within`` are searched: string scans are the slowest
    filter, so they run last, on what the cheap masks left.
    """
    result = np.zeros(len(frame), dtype=bool)
    rows = np.flatnonzero(within) if within is not None else np.arange(len(frame))
    if len(rows) == 0:
        return result
    for column in TEXT_COLUMNS:
        if column not in frame:
            continue
        values = frame[column].iloc[rows]
        # case=False without a regex: about 6x faster than lower() + contains on Arrow strings
        found = values.str.contains(text, case=False, regex=False)
        result[rows] |= found.to_numpy(dtype=bool, na_value=False)
    return result


def _int_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame), dtype=np.int64)
    return frame[column].to_numpy(dtype=np.int64, na_value=0)


def not_rejected(frame: pd.DataFrame) -> np.ndarray:
    """Rows an analyst has not rejected (rejected incidents stay stored but leave every view)."""
    if "review_status" not in frame:
        return np.ones(len(frame), dtype=bool)
    return (frame["review_status"] != "rejected").to_numpy(dtype=bool, na_value=True)


def apply(
    frame: pd.DataFrame, spec: FilterSpec, newest: dt.date | None = None, text_source: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The rows of ``frame`` the spec selects (presets count back from ``newest``).

    ``text_source`` holds notes/evidence row-aligned with ``frame`` when the
    frame itself leaves those heavy columns out.
    """
    if newest is None:
        newest = newest_date(frame)
    start, end = date_window(spec, newest)
    mask = date_mask(frame, start, end) & not_rejected(frame)
    mask &= attribute_mask_within(frame, spec, mask, text_source)
    return frame if mask.all() else frame[mask]


def attribute_mask_within(
    frame: pd.DataFrame, spec: FilterSpec, within: np.ndarray, text_source: pd.DataFrame | None = None
) -> np.ndarray:
    """attribute_mask, but the text scan only looks at rows already in ``within``."""
    if not spec.text:
        return attribute_mask(frame, spec)
    cheap = attribute_mask(frame, replace(spec, text=""))
    source = frame if text_source is None else text_source
    return cheap & text_mask(source, spec.text, cheap & within)


def previous_period(
    frame: pd.DataFrame, spec: FilterSpec, newest: dt.date | None = None, text_source: pd.DataFrame | None = None
) -> pd.DataFrame | None:
    """The same filters over the period of equal length just before; None for "all dates"."""
    if newest is None:
        newest = newest_date(frame)
    start, end = date_window(spec, newest)
    if start is None or end is None:
        return None
    prev_start, prev_end = previous_window(start, end)
    mask = date_mask(frame, prev_start, prev_end) & not_rejected(frame)
    mask &= attribute_mask_within(frame, spec, mask, text_source)
    return frame[mask]


# ---------------------------------------------------------------------------
# Headline figures
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """Totals of a view. ``violations`` counts each incident once unless its
    report states a number ("violated the ceasefire 14 times" counts 14)."""

    incidents: int = 0
    violations: int = 0
    fatalities: int = 0
    injured: int = 0
    places: int = 0

    def change(self, before: Headline | None) -> dict[str, int | None]:
        """Difference against an earlier period, per figure (None when unknown)."""
        return {
            f.name: (None if before is None else getattr(self, f.name) - getattr(before, f.name))
            for f in fields(self)
        }


def headline(frame: pd.DataFrame | None) -> Headline:
    """Totals shown above the map."""
    if frame is None or frame.empty:
        return Headline()
    if "violation_count" in frame:
        stated = frame["violation_count"].to_numpy(dtype=float, na_value=np.nan)
        violations = int(np.where(np.isnan(stated), 1, stated).sum())
    else:
        violations = len(frame)
    places = 0
    if "latitude" in frame and "longitude" in frame:
        lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan)
        lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan)
        ok = np.isfinite(lat) & np.isfinite(lon)
        # positions rounded to 5 decimals (about 1 m), as the map groups them
        codes = (np.round(lat[ok] * 1e5).astype(np.int64) + 9_000_000) * 40_000_000 + np.round(
            lon[ok] * 1e5).astype(np.int64) + 18_000_000
        places = len(pd.unique(codes))
    return Headline(
        incidents=len(frame),
        violations=violations,
        fatalities=int(_int_column(frame, "fatalities").sum()),
        injured=int(_int_column(frame, "injured").sum()),
        places=int(places),
    )


def options(frame: pd.DataFrame, attr: str) -> list[str]:
    """Sorted distinct values the data holds for a list field (for the widgets)."""
    found: set[str] = set()
    for column in LIST_COLUMNS[attr]:
        if column in frame:
            found.update(str(v) for v in frame[column].dropna().unique() if str(v))
    return sorted(found, key=str.casefold)


def known_values(frame: pd.DataFrame) -> dict[str, list[str]]:
    """``options`` for every list field (feeds ``from_query_params(known=...)``)."""
    return {attr: options(frame, attr) for attr in LIST_COLUMNS}


def region_countries(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Countries each admin1 value occurs in (to label regions whose names are codes)."""
    if "admin1" not in frame or "country" not in frame:
        return {}
    pairs = frame[["admin1", "country"]].dropna().drop_duplicates()
    out: dict[str, list[str]] = {}
    for region, country in zip(pairs["admin1"], pairs["country"]):
        out.setdefault(str(region), []).append(str(country))
    return {k: sorted(v) for k, v in out.items()}


def with_dates(spec: FilterSpec, since: dt.date | None, until: dt.date | None) -> FilterSpec:
    """A copy of the spec with an explicit date range (e.g. from a timeline selection)."""
    return replace(spec, since=since, until=until, preset="all")


__all__ = [
    "FilterSpec",
    "Headline",
    "PARAMS",
    "PRESETS",
    "apply",
    "date_window",
    "from_query_params",
    "headline",
    "known_values",
    "newest_date",
    "options",
    "previous_period",
    "previous_window",
    "query_string",
    "to_query_params",
    "with_dates",
]
