"""When two incidents from different reports are one event, and what the merged one says.

Pure functions on incident dicts (stored coding: ISO date strings, 0/1 flags),
so the rule is tested by a table and the store only asks the database for
nearby candidates. The rule (design notes): same event type, at most a day
apart, within 10 km; incidents without coordinates merge only on the same
normalised place name; mutual accusations (each side says the other fired)
about the same place and day merge whatever type each side gave, and the
merged incident is disputed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Mapping

from incidents.text.fold import fold

MERGE_DAYS = 1
MERGE_KM = 10.0
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.2


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; good to well under 1% at 10 km, which is all merging needs."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, km: float = MERGE_KM) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lon_min, lon_max) that holds every point within ``km``.

    Slightly generous so the exact haversine test decides; near the poles or
    the antimeridian the longitude band is the whole circle.
    """
    dlat = km / KM_PER_DEGREE_LAT * 1.01
    cos_lat = math.cos(math.radians(lat))
    if cos_lat < 0.01:
        return lat - dlat, lat + dlat, -180.0, 180.0
    dlon = km / (KM_PER_DEGREE_LAT * cos_lat) * 1.01
    if lon - dlon < -180.0 or lon + dlon > 180.0:
        return lat - dlat, lat + dlat, -180.0, 180.0
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def shift_days(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def days_apart(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


_NON_WORD = re.compile(r"[^a-z0-9]+")
_PLACE_PREFIX = re.compile(r"^(?:(?:the|village of|town of|city of|village|town|city)\s+)+")


def normalise_place(name: str | None) -> str | None:
    """A spelling-insensitive key: accents folded, case and punctuation dropped."""
    if not name:
        return None
    key = _NON_WORD.sub(" ", fold(name)).strip()
    key = _PLACE_PREFIX.sub("", key)
    return key or None


def _actor(value: Any) -> str | None:
    if not value:
        return None
    return " ".join(str(value).lower().split())


def is_mutual_accusation(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Each side names the other as the one who fired (or a counter-claim of it)."""
    a1, b1 = _actor(a.get("actor1")), _actor(b.get("actor1"))
    if not a1 or not b1 or a1 == b1:
        return False
    a2, b2 = _actor(a.get("actor2")), _actor(b.get("actor2"))
    # Without a named target, two different shooters at one place and day still counter-claim.
    return (a2 is None or a2 == b1) and (b2 is None or b2 == a1)


def same_place(a: Mapping[str, Any], b: Mapping[str, Any], km: float = MERGE_KM) -> bool:
    placed_a = a.get("latitude") is not None and a.get("longitude") is not None
    placed_b = b.get("latitude") is not None and b.get("longitude") is not None
    if placed_a and placed_b:
        return haversine_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) <= km
    if placed_a or placed_b:
        return False
    key_a = a.get("location_key") or normalise_place(a.get("location"))
    key_b = b.get("location_key") or normalise_place(b.get("location"))
    return key_a is not None and key_a == key_b


def should_merge(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    """True when ``new`` (from one report) is the same event as ``old`` (from another)."""
    apart = days_apart(new.get("event_date"), old.get("event_date"))
    if apart is None or apart > MERGE_DAYS:
        return False
    if not same_place(new, old):
        return False
    return new.get("event_type") == old.get("event_type") or is_mutual_accusation(new, old)


def merged_values(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Updates to ``old`` when ``new`` joins it (n_sources/corroborated are derived elsewhere).

    The first report's place, type and wording stay; the date becomes the
    earliest, the span covers both, casualties take the higher figure (later
    reports usually update a toll), flags are or-ed and weapons united.
    """
    updates: dict[str, Any] = {}
    if new.get("event_date") and new["event_date"] < (old.get("event_date") or "9999"):
        updates["event_date"] = new["event_date"]
    starts = [d for d in (old.get("date_start"), new.get("date_start")) if d]
    ends = [d for d in (old.get("date_end"), new.get("date_end")) if d]
    if starts and min(starts) != old.get("date_start"):
        updates["date_start"] = min(starts)
    if ends and max(ends) != old.get("date_end"):
        updates["date_end"] = max(ends)
    for column in ("fatalities", "injured"):
        if (new.get(column) or 0) > (old.get(column) or 0):
            updates[column] = new[column]
    if old.get("violation_count") is None and new.get("violation_count") is not None:
        updates["violation_count"] = new["violation_count"]
    for flag in ("civilian_targeting", "disputed"):
        if new.get(flag) and not old.get(flag):
            updates[flag] = 1
    if is_mutual_accusation(old, new) and not old.get("disputed"):
        updates["disputed"] = 1
    return updates


def union_weapons(old: list[str], new: list[str]) -> list[str]:
    seen = list(old)
    for weapon in new:
        if weapon not in seen:
            seen.append(weapon)
    return seen


def is_corroborated(source_types: list[str | None]) -> bool:
    """More than one independent kind of source (a ministry and a monitor, say)."""
    return len({t for t in source_types if t}) > 1
