"""Offline geoparser: find place names in a text and choose a point for each.

:class:`GazetteerGeoparser` joins the two halves, each in its own module:

- :mod:`incidents.geo.recognition`: which words name places (longest gazetteer
  match, then rules against everyday words, people and organisations);
- :mod:`incidents.geo.resolution`: which same-named entry is meant (population
  prior, then the countries and regions the text names and its other places vote for),
  and :mod:`incidents.geo.namesakes`: the text's places taken together (a far namesake
  gives way to one near the others).

This module also keeps the process-wide instance per gazetteer cache file
(:func:`get_geoparser`), so the index is loaded once and reloaded when rebuilt.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from incidents.config import Settings, load_settings
from incidents.geo.gazetteer import Gazetteer, cache_path, load_gazetteer, name_key
from incidents.geo.recognition import MentionFinder, split_words
from incidents.geo.namesakes import Aside, choose_namesakes
from incidents.geo.resolution import PlaceResolver
from incidents.geo.toponyms import Candidate, Toponym
from incidents.geo.user_places import (
    USER_POPULATION,
    country_code_set,
    read_user_places,
    user_candidates,
    user_places_path,
)


class GazetteerGeoparser(MentionFinder, PlaceResolver):
    """Rule-based geoparser over the offline gazetteer (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.name_priors_seen = {}  # see PlaceResolver._name_priors

    def parse(self, text: str, aside: Aside | None = None, strict: bool = False) -> list[Toponym]:
        """Place names in ``text``, in order, each with its best entry and the runners-up.

        ``aside`` says which spans say nothing of where the text's places lie (a dateline,
        a capital standing for its government); ``strict`` says the text is about one area:
        see :mod:`incidents.geo.namesakes`."""
        words, strings = split_words(text)
        vocabulary = set(strings)  # each distinct word once, for the word-list checks
        mentions, weak = self._find_mentions(text, words, strings, vocabulary)
        return choose_namesakes(text, self._resolve(text, words, mentions, weak, vocabulary), aside, strict)


_lock = threading.Lock()
# cache file -> (its stamp when loaded, the geoparser over it)
_instances: dict[str, tuple[tuple[int, int, int] | None, GazetteerGeoparser]] = {}
# (cache file, user places file) -> (the base geoparser, the places merged, the geoparser with them)
_with_places: dict[tuple[str, str], tuple[GazetteerGeoparser, list, GazetteerGeoparser]] = {}
_MAX_WITH_PLACES = 4
_files_known: dict[tuple[str, str, str], tuple[Path, Path]] = {}  # (cache folder, database, cwd) -> _files


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when the cache file is rebuilt (os.replace gives a new file)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def get_geoparser(settings: Settings | None = None) -> GazetteerGeoparser:
    """The process-wide geoparser over ``settings``' gazetteer cache (loaded, or built, on
    first call) and the user's places.

    One geoparser per cache file, reloaded when the file changed since it was
    loaded (another process ran ``gazetteer add-csv`` or ``add-dump``): one
    stat per call. The user's places (:mod:`incidents.geo.user_places`) join a
    copy of it, extended in place as the analyst saves more: a place saved now
    resolves in the next report, with no rebuild.
    """
    cache_file, places_path = _files(settings)
    base = _base_geoparser(settings, cache_file)
    places = read_user_places(path=places_path)
    if not places:
        return base
    key = (str(cache_file), str(places_path))
    with _lock:
        known = _with_places.get(key)
        if known is not None and known[0] is base and known[1] == places[:len(known[1])]:
            parser = known[2]
            if len(places) > len(known[1]):  # saved since: add the new ones only
                parser.gazetteer.add_places(_entries(places[len(known[1]):], USER_POPULATION))
        else:
            parser = GazetteerGeoparser(base.gazetteer.with_places(_entries(places, USER_POPULATION)))
        _with_places.pop(key, None)
        _with_places[key] = (base, list(places), parser)
        while len(_with_places) > _MAX_WITH_PLACES:  # tests give every store its own places
            _with_places.pop(next(iter(_with_places)))
        return parser


def _entries(places: list, population: int) -> list[tuple]:
    return [(p.name, p.aliases, p.latitude, p.longitude, p.country_code, population) for p in places]


def _files(settings: Settings | None) -> tuple[Path, Path]:
    """(gazetteer cache file, user places file), absolute: worked out once per pair of
    folders, as a parse is asked for every report and for single names within it, and
    the path arithmetic (and the cache folder's mkdir) cost more than parsing a name."""
    settings = settings or load_settings()
    key = (settings.cache_dir, settings.db_path, os.getcwd())  # a relative folder depends on it
    files = _files_known.get(key)
    if files is None:
        files = (Path(os.path.abspath(cache_path(settings))), Path(os.path.abspath(user_places_path(settings))))
        _files_known[key] = files
    return files


def _base_geoparser(settings: Settings | None, path: Path) -> GazetteerGeoparser:
    key = str(path)
    with _lock:
        known = _instances.get(key)
        if known is not None and known[0] == _stamp(path):
            return known[1]
        _instances.pop(key, None)  # drop the stale index before loading its successor
        parser = GazetteerGeoparser(load_gazetteer(settings))
        _instances[key] = (_stamp(path), parser)
        return parser


class GeocodingChain:
    """The geocoders a report's places are asked of, in order (issue 9's one chain):

    1. the offline gazetteer and 2. the user's places, both through :meth:`parse`
       (the user's places live in the geoparser's index, see :func:`get_geoparser`);
    3. Nominatim, only when ``online_geocoding`` is on, for names the offline ones
       could not place (:meth:`geocode_unplaced`), within the report's countries.

    Each chosen candidate's ``source`` says which of them placed it (``gazetteer``,
    ``user``, ``nominatim``): the incident's ``geocoder``. The geoparser is looked up
    on every parse, so places an analyst saves meanwhile count from the next report on.
    """

    def __init__(self, settings: Settings | None = None, online: Any = None) -> None:
        self.settings = settings
        self.online = online

    @property
    def gazetteer(self) -> Gazetteer:
        return get_geoparser(self.settings).gazetteer

    def parse(self, text: str, aside: Aside | None = None, strict: bool = False) -> list[Toponym]:
        return get_geoparser(self.settings).parse(text, aside, strict)

    def geocode_unplaced(self, name: str, country_codes: Iterable[str], region: str | None = None) -> Candidate | None:
        """The online answer for a name the offline geocoders could not place; None when
        online geocoding is off (nothing leaves the machine) or no answer fits."""
        if self.online is None:
            return None
        from incidents.geo.geocoders import online_candidate

        return online_candidate(self.online, name, country_codes, region)


def geocoding_chain(settings: Settings | None = None) -> GeocodingChain:
    """The chain for these settings; Nominatim joins it only when the user turned it on."""
    settings = settings or load_settings()
    online = None
    if settings.online_geocoding:
        from incidents.geo.geocoders import online_geocoder

        online = online_geocoder(settings)
    return GeocodingChain(settings, online)


def reset_geoparser() -> None:
    """Forget every loaded geoparser (after the cache was rebuilt with new user entries)."""
    with _lock:
        _instances.clear()
        _with_places.clear()


def search_places(query: str, country_codes: str | Iterable[str] | None = None,
                  settings: Settings | None = None, limit: int = 10) -> list[Candidate]:
    """What the analyst's place search lists: the user's places, then gazetteer entries
    whose name is the query, then those whose name starts with it; largest first.

    Each candidate carries name, country_code, feature (its kind), lat, lon,
    population and source ("user" or "gazetteer").
    """
    text = str(query).strip()
    if not name_key(text.split(",")[0]):
        return []
    wanted = country_code_set(country_codes)
    results = user_candidates(text, wanted, settings)
    gazetteer = get_geoparser(settings).gazetteer
    seen = {(c.name, c.lat, c.lon) for c in results}
    for k in gazetteer.search(name_key(text.split(",")[0]), wanted, limit=limit + len(results)):
        candidate = gazetteer.candidate(k)
        if (candidate.name, candidate.lat, candidate.lon) in seen:
            continue
        seen.add((candidate.name, candidate.lat, candidate.lon))
        results.append(candidate)
    return results[:limit]
