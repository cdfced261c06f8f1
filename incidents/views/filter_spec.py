"""What the analyst is looking at: a filter spec and its URL form.

A view must be shareable as a link, so every filter lives in the URL's query
string. Parsing is strict but forgiving: a malformed or unknown value is
dropped and reported in a list of problems (the dashboard shows them), never
raised, so a hand-edited link cannot break the page. Applying a spec to the
data is :mod:`incidents.views.filters`, which also re-exports these names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from incidents.schema import GEO_PRECISION, SOURCE_TYPES

# Date presets, counted back from the newest incident in the data (not from
# today: a researcher opening an archive from 2020 wants its last 30 days).
PRESETS: dict[str, int | None] = {"all": None, "7d": 7, "30d": 30, "90d": 90}
PRESET_LABELS = {"all": "All", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days"}

# URL parameter of each list field (repeated parameters: ?type=A&type=B).
LIST_PARAMS: dict[str, str] = {
    "conflicts": "conflict",
    "countries": "country",
    "regions": "region",
    "event_types": "type",
    "sub_event_types": "subtype",
    "actors": "actor",
    "claimed_by": "claimed_by",
    "source_types": "source_type",
}
# Column(s) each list field matches (an actor matches either side). Conflicts match
# through the conflicts table (incidents.views.conflicts), not one column.
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
# The dates a link may carry: the sidebar's date widget refuses anything outside
# (it raises), and a previous period must still fit in a datetime.date.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


@dataclass(frozen=True)
class FilterSpec:
    """A dashboard view. Empty tuples and None mean "no restriction"."""

    preset: str = "all"
    since: dt.date | None = None  # explicit dates win over the preset
    until: dt.date | None = None
    conflicts: tuple[str, ...] = ()  # names from data/conflicts.csv
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


def clamp_date(day: dt.date | None) -> dt.date | None:
    """``day`` moved into DATE_MIN..DATE_MAX (a date widget raises on anything outside)."""
    return None if day is None else min(max(day, DATE_MIN), DATE_MAX)


def _parse_date(value: str) -> dt.date:
    value = value.strip()
    if len(value) != 10:  # fromisoformat also takes 20240301; links use YYYY-MM-DD only
        raise ValueError(value)
    date = dt.date.fromisoformat(value)
    if not DATE_MIN <= date <= DATE_MAX:
        raise ValueError(f"outside {DATE_MIN}..{DATE_MAX}")
    return date


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
            if len(value) > MAX_TEXT:
                problems.append(f"Ignored {param}={shown(value)}: longer than {MAX_TEXT} characters.")
                continue
            if allowed is not None and value not in allowed:
                problems.append(f"Ignored {param}={shown(value)}: no such value in the data.")
                continue
            if value not in items:
                items.append(value)
        values[attr] = tuple(items)

    preset = _last(params, "preset")
    if preset is not None:
        if preset in PRESETS:
            values["preset"] = preset
        else:
            problems.append(f"Ignored preset={shown(preset)}: use one of {', '.join(PRESETS)}.")

    for name in ("since", "until"):
        raw = _last(params, name)
        if raw is None:
            continue
        try:
            values[name] = _parse_date(raw)
        except ValueError:
            problems.append(f"Ignored {name}={shown(raw)}: not a date (YYYY-MM-DD) from {DATE_MIN} to {DATE_MAX}.")
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
            problems.append(f"Ignored corroborated={shown(raw)}: use 1 or 0.")

    raw = _last(params, "min_casualties")
    if raw is not None:
        try:
            number = int(raw)
            if number < 0:
                raise ValueError
            values["min_casualties"] = number
        except ValueError:
            problems.append(f"Ignored min_casualties={shown(raw)}: not a whole number >= 0.")

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
            problems.append(f"Ignored precision={shown(raw)}: use 1 (exact), 2 (near) or 3 (region).")
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
            problems.append(f"Ignored bbox={shown(raw)}: {exc}.")

    return FilterSpec(**values), problems  # type: ignore[arg-type]


def shown(value: str, limit: int = 60) -> str:
    """A URL value as a notice quotes it: shortened when long (a 100 KB value once filled the page)."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value):,} characters)"


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


LIST_WORDS: dict[str, str] = {
    "conflicts": "conflict", "countries": "country", "regions": "region", "event_types": "event type",
    "sub_event_types": "sub-event type", "actors": "actor (either side)", "claimed_by": "claimed by",
    "source_types": "source type",
}


def describe(spec: FilterSpec, newest: dt.date | None = None) -> str:
    """The view in words, for export provenance ("30 days to 2024-03-20; country: Armenia")."""
    start, end = date_window(spec, newest)
    if start or end:
        dates = f"dates {start or 'any'} to {end or 'any'}"
        if not (spec.since or spec.until):
            dates = f"{PRESET_LABELS.get(spec.preset, spec.preset).lower()} ({start} to {end})"
    else:
        dates = "all dates"
    parts = [dates]
    for attr, words in LIST_WORDS.items():
        items = getattr(spec, attr)
        if items:
            parts.append(f"{words}: " + ", ".join(items))
    if spec.corroborated_only:
        parts.append("corroborated only")
    if spec.min_casualties:
        parts.append(f"at least {spec.min_casualties} casualties (killed + injured)")
    if spec.precision:
        parts.append("location precision: " + ", ".join(GEO_PRECISION.get(p, str(p)) for p in spec.precision))
    if spec.text:
        parts.append(f"notes or evidence contain {spec.text!r}")
    if spec.bbox:
        lon0, lat0, lon1, lat1 = spec.bbox
        parts.append(f"map area {lat0:.2f} to {lat1:.2f} N, {lon0:.2f} to {lon1:.2f} E")
    return "; ".join(parts)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def newest_date(frame: pd.DataFrame) -> dt.date | None:
    """The newest event date not after today (presets count back from it).

    A date in the future is a typo or a misreading: counting back from it
    would leave every real incident out of "the last 7 days".
    """
    if frame.empty or "event_date" not in frame:
        return None
    dates = frame["event_date"]
    newest = dates[dates <= pd.Timestamp(dt.date.today())].max()
    return None if pd.isna(newest) else pd.Timestamp(newest).date()


def date_window(spec: FilterSpec, newest: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive (start, end) the spec selects; (None, None) means all dates."""
    if spec.since or spec.until:
        return spec.since, spec.until
    days = PRESETS.get(spec.preset)
    if days is None or newest is None:
        return None, None
    return newest - dt.timedelta(days=days - 1), newest


def previous_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period of the same length just before ``start..end``; None when it
    would begin before the first day a date can hold (no period to compare)."""
    length = (end - start).days + 1
    try:
        return start - dt.timedelta(days=length), start - dt.timedelta(days=1)
    except OverflowError:
        return None


def with_dates(spec: FilterSpec, since: dt.date | None, until: dt.date | None) -> FilterSpec:
    """A copy of the spec with an explicit date range (e.g. from a timeline selection)."""
    return replace(spec, since=since, until=until, preset="all")
