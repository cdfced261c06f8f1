"""A place named to say where another lies: "Xyz near Ashford", "Xyz, 40 km west of Ashford".

Such a town is no event place of its own; when the place it locates is a name the gazetteer
lacks, that name takes the town's point (as near it) or the point the text measures from it,
marked as a fallback so that the map shows it as approximate and the places page lists it.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from incidents.extract.context import Place
from incidents.geo.toponyms import SETTLEMENT, Candidate, Toponym

# "the village of Xyz near Ashford", "the village of Xyz in Ashford": a town named right after a place,
# near it or around it, says where that place is; no event place of its own. A plain "in" only after a
# place the gazetteer lacks: after a placed one ("the camp in Y") the match may be wrong and Y the place.
_NEAR_GAP = re.compile(r"(?i)^\s*,?\s*(?:near|outside)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$")
_IN_GAP = re.compile(r"(?i)^\s*,?\s*in\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?$")


def locates_previous(sentence: str, previous: Place, offset: int, start: int, best: Candidate | None) -> bool:
    """Whether a settlement named right after the previous place only says where that place is."""
    end = previous.span[1] - offset
    if best is not None and best.feature != SETTLEMENT or not 0 <= end <= start:
        return False
    gap = sentence[end:start]
    unplaced = previous.toponym is None or previous.toponym.best is None
    if best is None:  # "the village of Xyz in Qwerty town": both unknown, the second is the first's context
        return unplaced and bool(_IN_GAP.match(gap))
    return bool(_NEAR_GAP.match(gap) or unplaced and _IN_GAP.match(gap))


REFERENCE_KM = 25  # a reference town this near an unplaced village stands for it, as "near" (precision 2)
OFFSET_KM = 50  # further, a compass bearing ("north", +-22 degrees) leaves the point over 20 km off
_DISTANCE = re.compile(r"(?i)(\d+(?:[.,]\d+)?)\s*(km|kilomet\w*|miles?)\b(?:\s+(?:to\s+the\s+)?"
                       r"(north|south)?[\s-]?(east|west)?(?:ern)?\s+of)?")
_BEARING = {("north", None): 0, ("north", "east"): 45, (None, "east"): 90, ("south", "east"): 135,
            ("south", None): 180, ("south", "west"): 225, (None, "west"): 270, ("north", "west"): 315}


def locate_by_reference(places: list[tuple[Place, int]], reference: Toponym, offset: int, sentence: str) -> None:
    """The unplaced name just before a reference town takes the town's point, as near it, marked as
    a fallback ("Xyz near the town of Y"), or the point the text measures from it ("Xyz, 40 km west of Y")."""
    last = places[-1][0]
    if reference.best is None or reference.best.feature != SETTLEMENT or last.fallback or last.toponym is None \
            or last.toponym.best is not None or reference.start - last.toponym.end > 60:
        return
    at = reference
    distance = _DISTANCE.search(sentence[last.toponym.end - offset:reference.start - offset])
    if distance:
        km = float(distance.group(1).replace(",", ".")) * (1.609 if distance.group(2).lower().startswith("mile") else 1)
        bearing = _BEARING.get((distance.group(3) and distance.group(3).lower(),
                                distance.group(4) and distance.group(4).lower()))
        if km > (REFERENCE_KM if bearing is None else OFFSET_KM):
            return  # "40 km from Y" is not near Y
        if bearing is not None:
            point = _moved(reference.best, km, bearing)
            at = Toponym(reference.start, reference.end, reference.text, point, [point])
    places[-1] = (Place(last.name, at, 2, explicit_target=last.explicit_target, fallback=True,
                        mention=(last.toponym.start, last.toponym.end)), 1)


def _moved(town: Candidate, km: float, bearing: float) -> Candidate:
    """The point ``km`` from a town in a compass direction, named after both ("40 km west of Ashford")."""
    angle = math.radians(bearing)
    lat = town.lat + km * math.cos(angle) / 111.32
    lon = town.lon + km * math.sin(angle) / (111.32 * max(0.1, math.cos(math.radians(town.lat))))
    return replace(town, name=f"{km:g} km {_COMPASS[bearing]} of {town.name}", lat=round(lat, 5),
                   lon=round(lon, 5), geonameid=None, population=0)


_COMPASS = {degrees: "-".join(w for w in words if w) for words, degrees in _BEARING.items()}
