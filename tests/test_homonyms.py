"""Same-named places: the namesake near the report's other places, never one hundreds of
kilometres away (invented names and points, a fake geoparser: the rules, not the gazetteer)."""

from __future__ import annotations

import re

import pytest

from incidents.extract.extractor import extract
from incidents.reports.model import Report
from incidents.geo.toponyms import ADMIN1, SETTLEMENT, Candidate, Toponym


def _place(name, lat, lon, geonameid, feature=SETTLEMENT, population=1000):
    return Candidate(name=name, lat=lat, lon=lon, country_code="UA", feature=feature, geonameid=geonameid,
                     admin1="Eastern" if lon > 36 else "Western", population=population, score=1.0)


# A front line around (48, 38); namesakes elsewhere in the country, the geoparser's first pick first.
PLACES = {
    "Ashford": [_place("Ashford", 48.10, 37.80, 1)],
    "Birchvale": [_place("Birchvale", 48.20, 37.90, 2)],
    "Cedarholm": [_place("Cedarholm", 48.00, 38.00, 3)],
    "Dunmore": [_place("Dunmore", 48.60, 38.40, 4), _place("Dunmore", 48.12, 37.85, 5)],  # two on the line
    "Elmstead": [_place("Elmstead", 45.00, 33.60, 6), _place("Elmstead", 48.30, 38.10, 7)],  # far first
    "Fernley": [_place("Fernley", 49.80, 24.00, 8)],  # only a far namesake
    "Gullhaven": [_place("Gullhaven", 45.90, 37.00, 13)],  # the only one of its name, 250 km away
    "Greyport": [_place("Greyport", 50.45, 30.52, 9, population=2_900_000)],  # a capital, far away
    "Eastern region": [_place("Eastern Oblast", 48.02, 37.80, 10, ADMIN1)],
    "Hollin": [_place("Hollin", 51.48, 31.67, 11), _place("Hollin", 48.14, 37.75, 12)],
}


class FakeGeoparser:
    def parse(self, text):
        pattern = r"\b(" + "|".join(sorted(map(re.escape, PLACES), key=len, reverse=True)) + r")\b"
        return [Toponym(m.start(), m.end(), m.group(0), PLACES[m.group(0)][0], list(PLACES[m.group(0)]))
                for m in re.finditer(pattern, text)]


def _places(text: str) -> dict[str, tuple]:
    found = extract(Report(id="h", text=text, published="2024-03-12"), FakeGeoparser())
    return {i["location"]: (i["geonameid"], i["geo_precision"], i["geocoder"]) for i in found}


@pytest.mark.parametrize("text, location, geonameid", [
    # a far namesake gives way to the one near the report's other places
    ("On 10 March, mortars hit Ashford, Birchvale and Cedarholm. On 11 March, fire was opened near Elmstead.",
     "Elmstead", 7),
    # among namesakes on the same line, the one by the places named next to it
    ("On 10 March, units opened fire near Ashford and Dunmore. Cedarholm was shelled on 11 March.",
     "Dunmore", 5),
    # a city a distance is measured from is elsewhere: it says nothing of which namesake is meant
    ("On 10 March, a sniper opened fire near Hollin, a town 700 km south-east of Greyport. "
     "Mortars hit Ashford and Birchvale on 11 March.", "Hollin", 12),
    # a large city is what its name means, however far from the other places
    ("On 10 March, mortars hit Ashford and Birchvale. On 11 March, a drone hit Greyport.", "Greyport", 9),
])
def test_the_namesake_near_the_reports_other_places(text, location, geonameid):
    assert _places(text)[location][0] == geonameid


def test_a_far_village_without_a_near_namesake_keeps_its_name_at_the_region_named():
    text = ("On 10 March, the enemy shelled Ashford, Birchvale and Cedarholm in Eastern region. "
            "On 11 March, mortars hit Fernley.")
    assert _places(text)["Fernley"] == (10, 3, "region-fallback")


def test_a_far_village_is_unplaced_when_no_region_is_named():
    text = "On 10 March, the enemy shelled Ashford, Birchvale and Cedarholm. On 11 March, mortars hit Fernley."
    assert _places(text)["Fernley"] == (None, None, None)


def test_the_village_of_a_citys_name_is_a_village_the_gazetteer_lacks():
    found = _places("On 10 March, mortars hit Ashford, Birchvale and the village of Greyport.")
    assert found["Greyport"] == (None, None, None) and found["Ashford"][0] == 1


@pytest.mark.parametrize("text", [
    "On 10 March, the enemy shelled the village of Zzyzx near the town of Ashford.",
    "On 10 March, a sniper fired at positions near Zzyzx, 5 km north of Ashford.",
])
def test_a_village_the_gazetteer_lacks_is_put_near_the_town_it_is_located_by(text):
    # one incident, near the town (precision 2), marked as a fallback; the town is no incident of its own
    assert _places(text) == {"Zzyzx": (1, 2, "region-fallback")}


def test_a_town_far_from_the_village_does_not_stand_for_it():
    assert _places("On 10 March, a sniper fired at positions near Zzyzx, 60 km north of Ashford.") == {
        "Zzyzx": (None, None, None)}


def test_initials_are_no_place_names():
    assert _places("On 10 March, the enemy opened fire in the JFO sector near Ashford.") == {"Ashford": (1, 2, "gazetteer")}


def test_the_explanation_says_where_a_fallback_was_put_and_why_a_name_is_unplaced():
    text = "On 10 March, the enemy shelled the village of Zzyzx near the town of Ashford. Mortars hit Fernley."
    found = extract(Report(id="h", text=text, published="2024-03-12"), FakeGeoparser())
    reasons = {i["location"]: i["explanation"] for i in found}
    assert "put at Ashford, the town it is located by" in reasons["Zzyzx"]
    assert "only same-named places elsewhere" in reasons["Fernley"]


def test_a_numbered_settlement_is_not_the_one_it_is_numbered_after():
    assert _places("On 10 March, mortars hit Birchvale and Ashford-4.")["Ashford-4"] == (None, None, None)


def test_a_village_the_gazetteer_knows_once_may_lie_in_the_next_theatre():
    # a roundup of two neighbouring fronts: 250 km apart, the only place of that name is the one
    text = "On 10 March, mortars hit Ashford and Birchvale. On 11 March, a drone struck Gullhaven."
    assert _places(text)["Gullhaven"][0] == 13
