"""Which place names hold the most badly placed incidents: one correction fixes the most dots.

A name is worth placing by hand when its incidents are unplaced (no
coordinates: the gazetteer lacks the village), placed by a region fallback
(the village's district or province stands in for it; the geocoder marks it
so), or placed on an ambiguous match (another candidate scored almost as
well). Names are grouped as written, folded, so "Novo-Sélo" and "Novo-Selo"
count together.
"""

from __future__ import annotations

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


def name_to_place(location: object) -> str:
    """The name an analyst would place: a fallback's "Village, District" is the village."""
    text = "" if location is None or (isinstance(location, float) and np.isnan(location)) else str(location)
    return text.split(",")[0].strip()


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
    geocoder = frame["geocoder"].astype(object)
    analyst = geocoder.eq("analyst").to_numpy(dtype=bool, na_value=False)
    unplaced = frame["latitude"].isna().to_numpy()
    fallback = ~unplaced & geocoder.map(is_fallback).to_numpy(dtype=bool)
    ambiguous = ~unplaced & ~fallback & ~analyst & frame["event_id"].astype(str).isin(ambiguous_ids).to_numpy()
    problem = np.select([unplaced, fallback, ambiguous], [UNPLACED, FALLBACK, AMBIGUOUS], default="")
    rows = frame.loc[problem != "", ["event_id", "report_id", "location", "country_code"]].copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["problem"] = problem[problem != ""]
    rows["name"] = rows["location"].astype(object).map(name_to_place)
    rows = rows[rows["name"] != ""]
    rows["key"] = rows["name"].map(lambda n: " ".join(fold(n).split()))
    grouped = []
    for _, group in rows.groupby("key", sort=False):
        names = group["name"].value_counts()
        problems = group["problem"].value_counts()
        countries = sorted({str(c) for c in group["country_code"].dropna().astype(str) if c})
        grouped.append({
            "name": str(names.index[0]), "problem": ", ".join(str(p) for p in problems.index),
            "incidents": len(group), "countries": ", ".join(countries),
            "event_ids": list(group["event_id"].astype(str)),
            "report_ids": sorted({str(r) for r in group["report_id"].dropna().astype(str)}),
        })
    result = pd.DataFrame(grouped, columns=columns)
    return result.sort_values(["incidents", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def report_countries(frame: pd.DataFrame, report_ids: list[str]) -> list[str]:
    """Countries of every incident of these reports, most frequent first: where a name must lie."""
    if frame.empty or not report_ids:
        return []
    codes = frame.loc[frame["report_id"].astype(str).isin(report_ids), "country_code"].dropna().astype(str)
    return [str(c) for c in codes[codes != ""].value_counts().index]
