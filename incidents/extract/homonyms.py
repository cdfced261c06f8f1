"""Same-named places: which of a name's gazetteer entries a report means, judged by where
the report's other places lie.

Villages share names across a country (two Opytne in one oblast, a Frunze in every former
Soviet republic), and the names a ministry or a monitor writes are often villages the
gazetteer lacks, so its best match for them is a namesake elsewhere. The geoparser reads each
name with little context; a report's places lie together, along one front line. The rules:

- a small settlement hundreds of kilometres from the report's other places is a wrong
  namesake: a same-named entry near them is taken, else the name is kept unplaced (and the
  extractor puts it at the smallest region the report names, as a fallback); a village the
  gazetteer knows only once is trusted up to twice that distance;
- a sector or direction named after a place is named after the settlement, not a district,
  and "the village of X" is not the city X;
- among same-named entries, the one nearest the places named next to it in the text wins
  when it is clearly nearer ("near A, B and Opytne": the Opytne by A and B).
"""

from __future__ import annotations

import re

from incidents.extract import rules
from incidents.geo.toponyms import ADMIN1, ADMIN2, COUNTRY, REGION, SETTLEMENT, Candidate, Toponym

FAR_DEGREES = 2.0  # about 200 km: a place this far from the report's other places is suspect
# A village with no namesake in the gazetteer is trusted further: a roundup may name places in
# two neighbouring theatres (a town in southern Lebanon and one in Gaza lie 230 km apart).
LONE_FAR_DEGREES = 4.0
BIG_PLACE = 100_000  # a city this large is what a name means, however far from the other places
NEIGHBOURHOOD_CHARS = 300  # places named this close in the text say which namesake a name is
CLOSE_DEGREES = 0.3  # about 30 km: a namesake this near its neighbours needs no second look

Point = tuple[float, float]


def _distance(candidate: Candidate, point: Point) -> float:
    """Degrees, the larger of latitude and longitude apart: enough to rank nearby places."""
    return max(abs(candidate.lat - point[0]), abs(candidate.lon - point[1]))


_REFERENCE_BEFORE = re.compile(r"(?i)\b\d{3,}\s*(?:km|kilomet(?:er|re)s?|miles)\b[^.;]{0,40}$")


def _side_or_elsewhere(text: str, toponym: Toponym) -> bool:
    """A capital standing for its government ("Kyiv blamed Moscow"), a venue of talks, or a city
    a distance is measured from ("700 km south-east of Kyiv"): it says nothing of where the
    report's events are."""
    before, after = text[max(0, toponym.start - 60):toponym.start], text[toponym.end:toponym.end + 30]
    return bool(_REFERENCE_BEFORE.search(before) or rules.SIDE_BEFORE.search(before)
                or rules.VENUE_BEFORE.search(before) or rules.NOT_EVENT_PLACE_BEFORE.search(before)
                or rules.SPEECH_AFTER.match(after) or rules.GROUP_AFTER.match(after)
                or rules.AGREEMENT_AFTER.match(after))


def _median(points: list[Candidate]) -> Point | None:
    """Where the report's places lie: the median point of its settlements, districts, provinces and
    conflict regions, each mention counted (a few wrong matches do not move it)."""
    if not points:
        return None
    return sorted(p.lat for p in points)[len(points) // 2], sorted(p.lon for p in points)[len(points) // 2]


_CONTEXT_FEATURES = (SETTLEMENT, ADMIN2, ADMIN1, REGION)


def _telling(toponyms: list[Toponym], dateline: tuple[int, int], text: str) -> list[bool]:
    """Per toponym, whether it tells where the report's events are: not the dateline's city (where
    the story was filed), nor a place that stands for a side or lies elsewhere."""
    return [not dateline[0] <= t.start < dateline[1] and not _side_or_elsewhere(text, t) for t in toponyms]


def is_far(candidate: Candidate, anchor: Point | None) -> bool:
    """Whether a place lies hundreds of kilometres from the report's other places."""
    return anchor is not None and _distance(candidate, anchor) >= FAR_DEGREES


def cohere(toponym: Toponym, anchor: Point | None) -> Toponym:
    """A far namesake gives way to a same-named entry near the report's other places
    ("Pivdenne" in a Donbas report is the Donetsk-oblast village, not the one near Odesa);
    with none near, a far village is the wrong one: the name stays, unplaced."""
    best = toponym.best
    if best is None or best.feature == COUNTRY or not is_far(best, anchor):
        return toponym
    assert anchor is not None
    near = sorted((c for c in toponym.candidates if not is_far(c, anchor)), key=lambda c: _distance(c, anchor))
    if near:
        return Toponym(toponym.start, toponym.end, toponym.text, near[0], toponym.candidates)
    namesakes = len({(c.lat, c.lon) for c in toponym.candidates if c.feature == SETTLEMENT})
    if best.feature == SETTLEMENT and best.population < BIG_PLACE and (
            namesakes > 1 or _distance(best, anchor) >= LONE_FAR_DEGREES):
        return Toponym(toponym.start, toponym.end, toponym.text, None, toponym.candidates)
    return toponym


def cohere_report(toponyms: list[Toponym], dateline: tuple[int, int],
                  text: str) -> tuple[list[Toponym], Point | None]:
    """The report's toponyms with namesakes chosen, and its anchor."""
    toponyms = [_numbered(_village_not_city(_sector_village(t, text), text), text) for t in toponyms]
    telling = _telling(toponyms, dateline, text)
    anchor = _median([t.best for t, here in zip(toponyms, telling)
                      if here and t.best is not None and t.best.feature in _CONTEXT_FEATURES])
    toponyms = [cohere(t, anchor) for t in toponyms]
    placed = [t for t, here in zip(toponyms, telling) if here and t.best is not None
              and t.best.feature in (SETTLEMENT, ADMIN2, ADMIN1) and not is_far(t.best, anchor)]
    return [_by_neighbours(t, placed) for t in toponyms], anchor


def _sector_village(toponym: Toponym, text: str) -> Toponym:
    """A sector or direction named after a place is named after a village or town ("the Tovuz
    direction"), not after a same-named district or province: take the settlement, when the
    gazetteer has one in that country."""
    best = toponym.best
    if best is None or best.feature not in (ADMIN1, ADMIN2) \
            or not rules.SECTOR_AFTER.match(text[toponym.end:toponym.end + 30]):
        return toponym
    villages = sorted((c for c in toponym.candidates
                       if c.feature == SETTLEMENT and c.country_code == best.country_code),
                      key=lambda c: _distance(c, (best.lat, best.lon)))
    return Toponym(toponym.start, toponym.end, toponym.text, villages[0], toponym.candidates) if villages else toponym


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


def _village_not_city(toponym: Toponym, text: str) -> Toponym:
    """"The village of X" where X is a city's name is a same-named village: a small namesake
    when the gazetteer has one, else the name kept unplaced."""
    best = toponym.best
    if best is None or best.feature != SETTLEMENT or best.population < BIG_PLACE \
            or not _VILLAGE_BEFORE.search(text[max(0, toponym.start - 20):toponym.start]):
        return toponym
    small = [c for c in toponym.candidates if c.feature == SETTLEMENT and c.population < BIG_PLACE
             and c.country_code == best.country_code]
    return Toponym(toponym.start, toponym.end, toponym.text, small[0] if small else None, toponym.candidates)


def _by_neighbours(toponym: Toponym, placed: list[Toponym]) -> Toponym:
    """Among a name's same-named entries, the one nearest the places named close to it in the text."""
    best = toponym.best
    if best is None or best.feature != SETTLEMENT:
        return toponym
    namesakes = [c for c in toponym.candidates if c.feature == SETTLEMENT and c.name == best.name]
    if len({(c.lat, c.lon) for c in namesakes}) < 2:
        return toponym
    points = [(t.best.lat, t.best.lon) for t in placed if t.best is not None  # placed: never None
              and abs(t.start - toponym.start) <= NEIGHBOURHOOD_CHARS and t.best.name != best.name]
    if not points:
        return toponym

    def closeness(candidate: Candidate) -> float:
        return min(_distance(candidate, p) for p in points)

    nearest = min(namesakes, key=closeness)
    if closeness(best) > CLOSE_DEGREES and closeness(best) > 2 * closeness(nearest):
        return Toponym(toponym.start, toponym.end, toponym.text, nearest, toponym.candidates)
    return toponym
