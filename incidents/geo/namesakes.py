"""Same-named places, the resolver's last pass: a text's places lie together.

:mod:`incidents.geo.resolution` scores each name's entries against the scene the
text's other names set (their countries, regions and nearness). Villages share
names across a country, though (two Opytne in one oblast, a Frunze in every former
Soviet republic), and a name the gazetteer lacks matches a namesake elsewhere. Once
every name has its guess, the text's places are looked at together:

- a town or district hundreds of kilometres from the centre of the text's places (the
  median of their points, so a few wrong guesses do not move it) gives way to a
  same-named entry near it;
- among same-named towns, the one nearest the places named close by in the text wins
  when it is clearly nearer ("near A, B and Opytne": the Opytne by A and B);
- "the village of X" is no city X, "the X direction" is named after a town, not a district
  of that name, and "Zolote-4" is not Zolote.

A city of BIG_PLACE people is what its name means, wherever the other places lie: news
name far cities beside local towns. The caller may say what the text alone cannot tell:
which spans stand apart (``aside``: a dateline's city, a capital standing for its
government, a venue of talks), whose places are resolved but say nothing of where the
text's places lie; and that the text is about one area (``strict``: a report of one front
line, which would rather put a name at the region it names than at a doubtful guess).
Strictly, any far place but a country gives way to a namesake near the others (a name
read alone, "near X", is the larger namesake); a small settlement far from the others
with no namesake near them is the wrong one (a village the gazetteer knows only once is
trusted up to FAR_KM), and so is a city called a village.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from incidents.geo.toponyms import ADMIN1, ADMIN2, COUNTRY, REGION, SETTLEMENT, Candidate, Toponym

# Whether the span [start, end) stands apart from the text's places (see the module docstring).
Aside = Callable[[int, int], bool]
Point = tuple[float, float]

# Nearness to the text's other places in resolution: full within NEAR_KM, none beyond FAR_KM.
NEAR_KM = 25.0
FAR_KM = 400.0
DISTANT_KM = 200.0  # a place this far from the centre of the text's places is suspect
# A village with no namesake in the gazetteer is trusted further (FAR_KM): a roundup may name
# places in two neighbouring theatres (a town in southern Lebanon and one in Gaza lie 230 km apart).
BIG_PLACE = 100_000  # a city this large is what a name means, however far from the other places
NEIGHBOURHOOD_CHARS = 300  # places named this close in the text say which namesake a name is
KM_PER_DEGREE = 111.2
_CONTEXT_FEATURES = (SETTLEMENT, ADMIN2, ADMIN1, REGION)
_POINT_FEATURES = (SETTLEMENT, ADMIN2, ADMIN1)


def km_between(lat: float, lon: float, other_lat: float, other_lon: float) -> float:
    """Kilometres between two points (equirectangular: exact enough within a few hundred km)."""
    dy = other_lat - lat
    dx = (other_lon - lon) * math.cos(math.radians((lat + other_lat) / 2))
    return KM_PER_DEGREE * math.sqrt(dx * dx + dy * dy)


def _km(candidate: Candidate, point: Point) -> float:
    return km_between(candidate.lat, candidate.lon, point[0], point[1])


def centre(toponyms: list[Toponym], aside: Aside | None = None) -> Point | None:
    """Where the text's places lie: the median point of its settlements, districts, provinces
    and conflict regions, each mention counted, the spans set aside left out."""
    points = [t.best for t in toponyms if t.best is not None and t.best.feature in _CONTEXT_FEATURES
              and not (aside and aside(t.start, t.end))]
    if not points:
        return None
    return sorted(p.lat for p in points)[len(points) // 2], sorted(p.lon for p in points)[len(points) // 2]


def is_far(candidate: Candidate, point: Point | None) -> bool:
    """Whether a place lies hundreds of kilometres from the centre of the text's places."""
    return point is not None and _km(candidate, point) >= DISTANT_KM


def cohere(toponym: Toponym, point: Point | None, strict: bool = False) -> Toponym:
    """A far namesake gives way to a same-named entry near the text's places ("Pivdenne" in a
    Donbas report is the Donetsk-oblast village, not the one near Odesa); with none near and
    ``strict``, a far village is the wrong one: the name stays, unplaced. Unless ``strict``
    (a text about one area), only towns and districts under BIG_PLACE give way."""
    best = toponym.best
    if best is None or best.feature == COUNTRY or not is_far(best, point) or not strict and (
            best.feature not in (SETTLEMENT, ADMIN2) or best.population >= BIG_PLACE):
        return toponym
    assert point is not None
    near = sorted((c for c in toponym.candidates if not is_far(c, point)), key=lambda c: _km(c, point))
    if near:
        return Toponym(toponym.start, toponym.end, toponym.text, near[0], toponym.candidates)
    namesakes = len({(c.lat, c.lon) for c in toponym.candidates if c.feature == SETTLEMENT})
    if strict and best.feature == SETTLEMENT and best.population < BIG_PLACE and (
            namesakes > 1 or _km(best, point) >= FAR_KM):
        return Toponym(toponym.start, toponym.end, toponym.text, None, toponym.candidates)
    return toponym


def choose_namesakes(text: str, toponyms: list[Toponym], aside: Aside | None = None,
                     strict: bool = False) -> list[Toponym]:
    """The text's toponyms with their namesakes chosen together (the module docstring's rules);
    ``strict``: the text is about one area, a doubtful guess is left unplaced."""
    toponyms = [_numbered(_village_not_city(_sector_town(t, text), text, strict), text) for t in toponyms]
    point = centre(toponyms, aside)
    toponyms = [cohere(t, point, strict) for t in toponyms]
    placed = [t for t in toponyms if t.best is not None and t.best.feature in _POINT_FEATURES
              and not is_far(t.best, point) and not (aside and aside(t.start, t.end))]
    return [_by_neighbours(t, placed) for t in toponyms]


# "in the X direction", "X sector": a sector named after a place (the extractor reads it too).
SECTOR_AFTER = r"^\s*(?:sector|direction|axis|track|front|operational\s+zone)\b"
_SECTOR_AFTER = re.compile(SECTOR_AFTER, re.IGNORECASE)


def _sector_town(toponym: Toponym, text: str) -> Toponym:
    """A sector or direction named after a place is named after a village or town ("the Tovuz
    direction"), not after a same-named district or province: take the settlement, when the
    gazetteer has one in that country."""
    best = toponym.best
    if best is None or best.feature not in (ADMIN1, ADMIN2) \
            or not _SECTOR_AFTER.match(text[toponym.end:toponym.end + 30]):
        return toponym
    towns = sorted((c for c in toponym.candidates if c.feature == SETTLEMENT and c.country_code == best.country_code),
                   key=lambda c: _km(c, (best.lat, best.lon)))
    return Toponym(toponym.start, toponym.end, toponym.text, towns[0], toponym.candidates) if towns else toponym


_NUMBER_AFTER = re.compile(r"-\d{1,2}\b")


def _numbered(toponym: Toponym, text: str) -> Toponym:
    """"Zolote-4" is a settlement of its own, not Zolote: the name as written, unplaced unless the
    gazetteer has it under that name."""
    number = _NUMBER_AFTER.match(text, toponym.end)
    if number is None:
        return toponym
    name = text[toponym.start:number.end()]
    own = [c for c in toponym.candidates if c.name.replace(" ", "-").casefold() == name.casefold()]
    return Toponym(toponym.start, number.end(), name, own[0] if own else None, own or toponym.candidates)


_VILLAGE_BEFORE = re.compile(r"(?i)\b(?:villages?|hamlets?)\s+(?:of\s+)?$")


def _village_not_city(toponym: Toponym, text: str, strict: bool) -> Toponym:
    """"The village of X" where X is a city's name is a same-named village: a small namesake
    when the gazetteer has one, else (``strict``) the name kept unplaced."""
    best = toponym.best
    if best is None or best.feature != SETTLEMENT or best.population < BIG_PLACE \
            or not _VILLAGE_BEFORE.search(text[max(0, toponym.start - 20):toponym.start]):
        return toponym
    small = [c for c in toponym.candidates if c.feature == SETTLEMENT and c.population < BIG_PLACE
             and c.country_code == best.country_code]
    if not small and not strict:
        return toponym
    return Toponym(toponym.start, toponym.end, toponym.text, small[0] if small else None, toponym.candidates)


def _by_neighbours(toponym: Toponym, placed: list[Toponym]) -> Toponym:
    """Among a name's same-named entries, the one nearest the places named close to it in the text."""
    best = toponym.best
    if best is None or best.feature != SETTLEMENT or best.population >= BIG_PLACE:
        return toponym
    namesakes = [c for c in toponym.candidates if c.feature == SETTLEMENT and c.name == best.name]
    if len({(c.lat, c.lon) for c in namesakes}) < 2:
        return toponym
    points = [(t.best.lat, t.best.lon) for t in placed if t.best is not None  # placed: never None
              and abs(t.start - toponym.start) <= NEIGHBOURHOOD_CHARS and t.best.name != best.name]
    if not points:
        return toponym

    def closeness(candidate: Candidate) -> float:
        return min(_km(candidate, p) for p in points)

    nearest = min(namesakes, key=closeness)
    if closeness(best) > NEAR_KM and closeness(best) > 2 * closeness(nearest):
        return Toponym(toponym.start, toponym.end, toponym.text, nearest, toponym.candidates)
    return toponym
