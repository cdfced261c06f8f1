"""The analyst's own places: villages, positions and sectors the gazetteer lacks.

An analyst who places an incident by hand teaches the tracker the name: the
name, its aliases and its point join the user's places, scoped to one country,
so that every later report naming it is placed by itself. They are kept as JSON
Lines beside the database (the user's data, not the cache: rebuilding or deleting
the gazetteer cache never loses them) and merged into the loaded geoparser as
they are saved (:func:`incidents.geo.geoparse.get_geoparser` notices the file grew),
so no gazetteer rebuild is needed.

:class:`incidents.geo.geocoders.UserPlacesGeocoder` is a geopy ``Geocoder`` over
them, the second link of the geocoding chain, and
:func:`incidents.geo.geoparse.search_places` is what the analyst's place search asks
(gazetteer and user places together). Neither lives here: this module stays free
of geopy (~0.7 s to import), since the geoparser reads its file on every load.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from incidents.config import Settings, load_settings
from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import name_key
from incidents.geo.toponyms import Candidate

USER_PLACES_FILE = "user_places.jsonl"
# The nominal population a user's place carries, as the user's CSV entries do: it
# outranks same-named towns, since the analyst placed it for these reports.
USER_POPULATION = 1_000_000


@dataclass(frozen=True)
class UserPlace:
    """One place an analyst added: where, in which country, by whom and when."""

    name: str
    latitude: float
    longitude: float
    country_code: str
    aliases: tuple[str, ...] = ()
    analyst: str | None = None
    added: str = ""

    def candidate(self, score: float = 0.0) -> Candidate:
        return Candidate(name=self.name, lat=self.latitude, lon=self.longitude, country_code=self.country_code,
                         feature=kinds.USER, population=USER_POPULATION, score=score, source="user")


def user_places_path(settings: Settings | None = None) -> Path:
    """The user's places file: beside the database, so it travels with the user's data."""
    settings = settings or load_settings()
    return Path(settings.db_path).parent / USER_PLACES_FILE


def add_user_place(name: str, latitude: float, longitude: float, country_code: str, *,
                   aliases: Iterable[str] = (), settings: Settings | None = None,
                   analyst: str | None = None) -> None:
    """Keep a place for good; ValueError (with the reason) on a bad name, point or country code."""
    name = " ".join(str(name).split())
    aliases = tuple(a for a in (" ".join(str(a).split()) for a in aliases) if a and a != name)
    code = str(country_code or "").strip().upper()
    if not name_key(name):
        raise ValueError(f"a place needs a name with letters or digits, not {name!r}")
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValueError("latitude and longitude must be numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"({lat}, {lon}) is not a point: latitude -90..90, longitude -180..180")
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"country code {country_code!r} is not an ISO 3166 alpha-2 code such as 'UA'")
    record = {"name": name, "aliases": list(aliases), "lat": round(lat, 6), "lon": round(lon, 6),
              "country_code": code, "analyst": analyst or None,
              "added": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path = user_places_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    # One write of one line with O_APPEND: two processes saving at once never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], list[UserPlace]]] = {}


def read_user_places(settings: Settings | None = None, path: Path | None = None) -> list[UserPlace]:
    """Every saved place, oldest first (read again only when the file changed)."""
    path = path or user_places_path(settings)
    try:
        st = path.stat()
    except OSError:
        return []
    stamp = (st.st_mtime_ns, st.st_size)
    key = str(path)
    with _cache_lock:
        known = _cache.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
    places = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                row = json.loads(line)
                places.append(UserPlace(row["name"], float(row["lat"]), float(row["lon"]), row["country_code"],
                                        tuple(row.get("aliases") or ()), row.get("analyst"), row.get("added", "")))
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash: the others still count
    with _cache_lock:
        _cache[key] = (stamp, places)
    return places


def user_candidates(query: str, country_codes: str | Iterable[str] | None = None,
                    settings: Settings | None = None, places: list[UserPlace] | None = None) -> list[Candidate]:
    """The user's places of that name or alias (the part before a comma), newest first:
    an analyst's later correction wins."""
    key = name_key(str(query).split(",")[0])
    wanted = country_code_set(country_codes)
    found = []
    for place in reversed(places if places is not None else read_user_places(settings)):
        if wanted and place.country_code not in wanted:
            continue
        if key and key in {name_key(n) for n in (place.name, *place.aliases)}:
            found.append(place.candidate(score=1.0))
    return found


def country_code_set(country_codes: str | Iterable[str] | None) -> set[str]:
    if not country_codes:
        return set()
    return {c.upper() for c in ([country_codes] if isinstance(country_codes, str) else country_codes)}
