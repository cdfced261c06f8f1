"""geopy geocoders: the offline gazetteer, and Nominatim when the user allows it.

:class:`GazetteerGeocoder` is an ordinary geopy ``Geocoder`` (``geocode()`` and
``reverse()`` return ``geopy.location.Location``), so code written for geopy,
including ``geopy.extra.rate_limiter.RateLimiter``, uses it unchanged.

Nominatim is opt-in (``online_geocoding``): every request reveals what an
analyst is looking at, and the public service's usage policy
(https://operations.osmfoundation.org/policies/nominatim/) asks for an
identifying User-Agent, at most one request per second, and caching of
results. :func:`online_geocoder` enforces all three.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

from geopy.exc import ConfigurationError, GeopyError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from incidents import __version__
from incidents.config import Settings, cache_dir, load_settings
from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import REGION_WORDS, Gazetteer, load_gazetteer, name_key
from incidents.geo.toponyms import Candidate
from incidents.geo.user_places import UserPlace, user_candidates

# A bare name means the town ("Donetsk"); "Donetsk oblast" asks for the region.
_FEATURE_RANK = {kinds.USER: 3.0, kinds.REGION: 2.5, kinds.COUNTRY: 2.0, kinds.SETTLEMENT: 1.0,
                 kinds.ADMIN1: 0.6, kinds.ADMIN2: 0.0}
_ADMIN = (kinds.ADMIN1, kinds.ADMIN2, kinds.REGION)
log = logging.getLogger(__name__)


class OnlineGeocodingDisabled(ConfigurationError):
    """Raised when Nominatim is asked for while the user has not turned it on."""


class GazetteerGeocoder(Geocoder):
    """Offline geocoder over the project's gazetteer.

    ``geocode("Akhnoor, India")``: the first comma-separated part is the place,
    the others (country or region names) narrow it down; population breaks ties.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, settings: Settings | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer(settings)

    def geocode(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL,
                country_codes: str | list[str] | None = None, limit: int | None = None):
        """Location (or a list of them, best first) for a place name; None when unknown."""
        ranked = self.candidates(str(query), country_codes=country_codes)
        if not ranked:
            return None
        if exactly_one:
            return _location(ranked[0])
        return [_location(c) for c in ranked[: limit or len(ranked)]]

    def candidates(self, query: str, country_codes: str | list[str] | None = None) -> list[Candidate]:
        """Gazetteer entries matching ``query``, best first, with scores."""
        g = self.gazetteer
        parts = [p.strip() for p in query.split(",") if p.strip()]
        if not parts:
            return []
        words = parts[0].split()
        asks_region = len(words) > 1 and words[-1].lower() in REGION_WORDS
        ids = g.lookup(name_key(parts[0])) or (g.lookup(name_key(" ".join(words[:-1]))) if asks_region else ())
        wanted = {c.upper() for c in ([country_codes] if isinstance(country_codes, str) else country_codes or [])}
        context_countries, context_admin1 = set(), set()
        for part in parts[1:]:
            for k in g.lookup(name_key(part)):
                if g.feature[k] == kinds.COUNTRY:
                    context_countries.add(g.country[k])
                elif g.feature[k] == kinds.ADMIN1:
                    context_admin1.add((g.country[k], g.admin1[k]))
        scored = []
        for k in ids:
            if wanted and g.country[k] not in wanted:
                continue
            score = math.log10(g.population[k] + 10) / 7 + _FEATURE_RANK.get(g.feature[k], 0.0) / 4
            if g.country[k] in context_countries:
                score += 1.0
            if (g.country[k], g.admin1[k]) in context_admin1:
                score += 1.5
            if asks_region and g.feature[k] in _ADMIN:
                score += 1.0
            scored.append((score, k))
        scored.sort(key=lambda pair: -pair[0])
        return [g.candidate(k, score) for score, k in scored]

    def reverse(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL):
        """The nearest settlement to a point ("lat, lon", a tuple or a geopy Point)."""
        point = Point(query)
        k = self.gazetteer.nearest(point.latitude, point.longitude)
        if k is None:
            return None
        location = _location(self.gazetteer.candidate(k))
        return location if exactly_one else [location]


class UserPlacesGeocoder(Geocoder):
    """geopy geocoder over the user's places: the name or an alias, in the country asked for.

    The newest place of a name comes first: an analyst's later correction wins.
    """

    def __init__(self, places: Iterable[UserPlace] | None = None, settings: Settings | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._places = list(places) if places is not None else None
        self._settings = settings

    def candidates(self, query: str, country_codes: str | Iterable[str] | None = None) -> list[Candidate]:
        """The user's places of that name (the part before a comma), newest first."""
        return user_candidates(query, country_codes, self._settings, self._places)

    def geocode(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL,
                country_codes: str | list[str] | None = None, limit: int | None = None):
        """Location (or a list, newest first) for a name the user placed; None when none."""
        found = self.candidates(str(query), country_codes)
        if not found:
            return None
        locations = [_location(c) for c in found[: limit or len(found)]]
        return locations[0] if exactly_one else locations


def _location(candidate: Candidate) -> Location:
    parts = [candidate.name]
    if candidate.country_code and candidate.feature != kinds.COUNTRY:
        parts.append(candidate.country_code)
    raw = {
        "name": candidate.name, "lat": candidate.lat, "lon": candidate.lon,
        "geonameid": candidate.geonameid, "country_code": candidate.country_code,
        "admin1": candidate.admin1, "feature": candidate.feature,
        "population": candidate.population, "score": candidate.score, "source": candidate.source,
    }
    return Location(", ".join(parts), (candidate.lat, candidate.lon), raw)


# ---------------------------------------------------------------------------
# Nominatim, opt-in, rate-limited, cached
# ---------------------------------------------------------------------------


class AnswerCache:
    """Every online answer on disk (SQLite), so a place is asked for only once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.commit()

    def get(self, key: str) -> tuple[bool, object]:
        with self._lock:
            row = self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return (False, None) if row is None else (True, json.loads(row[0]))

    def put(self, key: str, value: object) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(value)))
            self._db.commit()

    def close(self) -> None:
        self._db.close()


def _to_json(answer) -> object:
    if answer is None:
        return None
    if isinstance(answer, list):
        return [_to_json(a) for a in answer]
    return {"address": answer.address, "lat": answer.latitude, "lon": answer.longitude, "raw": answer.raw}


def _from_json(value) -> Location | list[Location] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return Location(value["address"], (value["lat"], value["lon"]), value["raw"])


class CachedGeocoder:
    """Wraps a geocoder's (rate-limited) calls with the on-disk answer cache."""

    def __init__(self, geocode, reverse, cache: AnswerCache, name: str) -> None:
        self._geocode, self._reverse, self.cache, self.name = geocode, reverse, cache, name

    def _cached(self, kind: str, call, query, kwargs):
        key = json.dumps([self.name, kind, str(query), sorted((k, str(v)) for k, v in kwargs.items())])
        hit, value = self.cache.get(key)
        if hit:
            return _from_json(value)
        answer = call(query, **kwargs)
        self.cache.put(key, _to_json(answer))
        return answer

    def geocode(self, query, **kwargs):
        return self._cached("geocode", self._geocode, query, kwargs)

    def reverse(self, query, **kwargs):
        return self._cached("reverse", self._reverse, query, kwargs)


DEFAULT_USER_AGENT = f"ceasefire-incident-tracker/{__version__}"


def online_geocoder(settings: Settings | None = None, *, min_delay_seconds: float = 1.0) -> CachedGeocoder:
    """Nominatim through geopy, rate-limited and cached; only when the user turned it on.

    The User-Agent is ``nominatim_user_agent``, or this application's name and version
    when that is empty (the usage policy asks that requests identify the application;
    a contact address is better, and is what the setting is for).
    """
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    settings = settings or load_settings()
    if not settings.online_geocoding:
        raise OnlineGeocodingDisabled(
            "online geocoding is off: set online_geocoding = true in data/settings.toml "
            "(or INCIDENTS_ONLINE_GEOCODING=1) to let Nominatim see the place names you look up"
        )
    options = {"user_agent": settings.nominatim_user_agent.strip() or DEFAULT_USER_AGENT}
    if settings.nominatim_url:
        url = urlparse(settings.nominatim_url if "//" in settings.nominatim_url else f"https://{settings.nominatim_url}")
        options.update(domain=url.netloc + url.path.rstrip("/"), scheme=url.scheme or "https")
    nominatim = Nominatim(**options)
    cache = AnswerCache(cache_dir(settings) / "nominatim.sqlite")
    # No retries: a failed request is not cached and is asked again next time, not hammered now.
    geocode = RateLimiter(nominatim.geocode, min_delay_seconds=min_delay_seconds, max_retries=0)
    reverse = RateLimiter(nominatim.reverse, min_delay_seconds=min_delay_seconds, max_retries=0)
    return CachedGeocoder(geocode, reverse, cache, name=options.get("domain", "nominatim.openstreetmap.org"))


# What Nominatim calls a settlement (its "addresstype" or "type"): an answer of these is a
# named place (precision 1); an administrative boundary is a district; anything else (a
# river, a shop, a road) is not where an incident is placed and is refused.
_SETTLEMENT_TYPES = frozenset(
    "city town village hamlet suburb quarter neighbourhood isolated_dwelling locality farm".split())


def online_candidate(geocoder: CachedGeocoder, name: str, country_codes: Iterable[str],
                     region: str | None = None) -> Candidate | None:
    """Nominatim's place for a name the offline geocoders could not place, asked within the
    report's countries (and region, when known); an answer outside them is refused.
    None when there is no acceptable answer, or the service could not be reached."""
    codes = sorted({c.lower() for c in country_codes if c})
    if not codes:
        return None  # without the report's countries no answer could be checked
    # The region narrows a common village name; when the service does not know the
    # region's spelling, the name alone (still within the countries) is asked next.
    for query in ([f"{name}, {region}", name] if region else [name]):
        try:
            answers = geocoder.geocode(query, exactly_one=False, country_codes=codes, addressdetails=True, limit=5)
        except GeopyError as exc:  # offline, refused, timed out: the name stays unplaced this time
            log.warning("Nominatim could not be asked about %r: %s", query, exc)
            return None
        candidate = _first_place(answers or [], name, codes)
        if candidate is not None:
            return candidate
    return None


def _first_place(answers: list, name: str, codes: list[str]) -> Candidate | None:
    """The first answer that is a settlement or boundary inside the report's countries."""
    for answer in answers:
        raw = answer.raw
        country = str((raw.get("address") or {}).get("country_code") or "").upper()
        if country.lower() not in codes:
            continue
        kind = raw.get("addresstype") or raw.get("type")
        if raw.get("class") == "place" or kind in _SETTLEMENT_TYPES:
            feature = kinds.SETTLEMENT
        elif raw.get("class") == "boundary":
            feature = kinds.ADMIN2
        else:
            continue
        return Candidate(name=raw.get("name") or name, lat=round(answer.latitude, 5), lon=round(answer.longitude, 5),
                         country_code=country, feature=feature, score=1.0, source="nominatim")
    return None
