"""Which place names hold the most badly placed incidents: one correction fixes the most dots.

A name is worth placing by hand when its incidents are unplaced (no
coordinates: the gazetteer lacks the village), placed by a region fallback
(the village's district or province stands in for it; the geocoder marks it
so), or placed on an ambiguous match (another candidate scored almost as
well). Names are grouped as written, folded, so "Novo-Sélo" and "Novo-Selo"
count together.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from incidents.text.fold import fold

UNPLACED, FALLBACK, AMBIGUOUS = "unplaced", "region fallback", "ambiguous match"
GAP_COLUMNS = ("event_id", "report_id", "location", "country_code", "latitude", "geo_precision", "geocoder")
# The runner-up within this share of the best candidate's score makes a match ambiguous.
AMBIGUOUS_SHARE = 0.8


def is_fallback(geocoder: object) -> bool:
    """Whether the geocoder says a region stood in for a place it could not find."""
    return isinstance(geocoder, str) and "fallback" in geocoder


_AS_WRITTEN = re.compile(r"\(([^()]+)\)\s*$")


def name_to_place(location: object) -> str:
    """The name an analyst would place: a fallback's "Village, District" is the village, and a match
    labelled "Gazetteer name (as written)" is the name as the reports write it."""
    text = "" if location is None or (isinstance(location, float) and np.isnan(location)) else str(location)
    written = _AS_WRITTEN.search(text)
    return written.group(1).strip() if written else text.split(",")[0].strip()


def place_gaps(frame: pd.DataFrame, ambiguous_ids: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """One row per name to place: name, problem, incidents, countries, event_ids; most incidents first.

    ``frame`` has :data:`GAP_COLUMNS` (edits applied, so what an analyst
    already placed is no longer listed); ``ambiguous_ids`` are the incidents
    whose best place candidate barely beat the next (see the store's
    ``ambiguous_places``).
    """
    columns = ["name", "problem", "incidents", "countries", "event_ids", "report_ids"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    geocoder = frame["geocoder"].astype(object).fillna("").astype(str)
    analyst = geocoder.eq("analyst").to_numpy(dtype=bool)
    unplaced = frame["latitude"].isna().to_numpy()
    fallback = ~unplaced & geocoder.str.contains("fallback", regex=False).to_numpy(dtype=bool)
    ambiguous = ~unplaced & ~fallback & ~analyst & frame["event_id"].astype(str).isin(ambiguous_ids).to_numpy()
    problem = np.select([unplaced, fallback, ambiguous], [UNPLACED, FALLBACK, AMBIGUOUS], default="")
    rows = frame.loc[problem != "", ["event_id", "report_id", "location", "country_code"]].copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["problem"] = problem[problem != ""]
    locations = rows["location"].astype(object)
    rows["name"] = locations.map({loc: name_to_place(loc) for loc in locations.unique()})
    rows = rows[rows["name"] != ""]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    spellings = rows["name"].unique()
    rows["key"] = rows["name"].map({n: " ".join(fold(n).split()) for n in spellings})  # fold each spelling once
    rows = rows.sort_values("key", kind="stable")
    keys = rows["key"].to_numpy(dtype=object)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    result = pd.DataFrame({
        "name": _most_common(rows, "name"),
        "problem": [", ".join(p) for p in _most_common(rows, "problem", every=True)],
        "incidents": np.diff(np.r_[starts, len(rows)]),
        "countries": [", ".join(c) for c in _distinct(rows["country_code"], starts)],
        "event_ids": [list(ids) for ids in np.split(rows["event_id"].astype(str).to_numpy(dtype=object), starts[1:])],
        "report_ids": _distinct(rows["report_id"], starts),
    }, index=keys[starts])
    result = result.sort_values(["incidents", "name"], ascending=[False, True], kind="stable")
    return result.reset_index(drop=True)[columns]


def _most_common(rows: pd.DataFrame, column: str, every: bool = False) -> list:
    """Per key (rows sorted by key), the most frequent value of ``column``, ties to the first
    seen; or, with ``every``, all its values, most frequent first."""
    counts = rows.groupby(["key", column], sort=False).size().reset_index(name="n")
    counts["first"] = np.arange(len(counts))
    counts = counts.sort_values(["key", "n", "first"], ascending=[True, False, True], kind="stable")
    if every:
        keys = counts["key"].to_numpy(dtype=object)
        starts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        return [list(group) for group in np.split(counts[column].to_numpy(dtype=object), starts)]
    return list(counts.drop_duplicates("key")[column])


def _distinct(values: pd.Series, starts: np.ndarray) -> list[list[str]]:
    """Per key (rows sorted by key, groups beginning at ``starts``), the sorted distinct non-empty values."""
    texts = values.astype(object).where(values.notna(), "").astype(str).to_numpy(dtype=object)
    return [sorted({v for v in group if v}) for group in np.split(texts, starts[1:])]
