"""Same-named places: the namesake near the report's other places, never one hundreds of
kilometres away (invented names and points in a tiny gazetteer: the rules, not the shipped data).

The geoparser chooses (:mod:`incidents.geo.namesakes`); the extractor only tells it which spans
stand apart (the dateline, a city a distance is measured from) and that a doubtful guess is
worse than the region the report names."""

from __future__ import annotations

import pytest

from incidents.extract.extractor import extract
from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import Gazetteer, GazetteerBuilder
from incidents.geo.geoparse import GazetteerGeoparser
from incidents.geo.namesakes import centre, cohere
from incidents.geo.toponyms import Candidate, Toponym
from incidents.reports.model import Report

# A front line around (48, 38); namesakes elsewhere in the country.
PLACES = [
    ("Ashford", 48.10, 37.80, 1), ("Birchvale", 48.20, 37.90, 2), ("Cedarholm", 48.00, 38.00, 3),
    ("Dunmore", 48.60, 38.40, 4), ("Dunmore", 48.12, 37.85, 5),  # two on the line
    ("Elmstead", 45.00, 33.60, 6), ("Elmstead", 48.30, 38.10, 7),  # one far, one on the line
    ("Fernley", 49.80, 24.00, 8),  # only a far namesake
    ("Gullhaven", 45.90, 37.00, 13),  # the only one of its name, 250 km away
    ("Hollin", 51.48, 31.67, 11), ("Hollin", 48.14, 37.75, 12),
]


def _gazetteer() -> Gazetteer:
    b = GazetteerBuilder()
    b.add("Ukraine", 49.0, 32.0, country="UA", feature=kinds.COUNTRY, population=40_000_000)
    for name, lat, lon, geonameid in PLACES:
        b.add(name, lat, lon, country="UA", admin1="E" if lon > 36 else "W", geonameid=geonameid, population=1_000)
    b.add("Greyport", 50.45, 30.52, country="UA", admin1="W", geonameid=9, population=2_900_000)  # a far city
    b.add("Brackmoor", 48.02, 37.80, country="UA", admin1="E", geonameid=10, feature=kinds.ADMIN1, population=1_000)
    return Gazetteer.from_builder(b)


GEOPARSER = GazetteerGeoparser(_gazetteer())


def _places(text: str) -> dict[str, tuple]:
    found = extract(Report(id="h", text=text, published="2024-03-12"), GEOPARSER)
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
    text = ("On 10 March, the enemy shelled Ashford, Birchvale and Cedarholm in Brackmoor region. "
            "On 11 March, mortars hit Fernley.")
    assert _places(text)["Fernley"] == (10, 3, "region-fallback")


def test_a_far_village_is_unplaced_when_no_region_is_named():
    text = "On 10 March, the enemy shelled Ashford, Birchvale and Cedarholm. On 11 March, mortars hit Fernley."
    assert _places(text)["Fernley"] == (None, None, None)


def test_the_village_of_a_citys_name_is_a_village_the_gazetteer_lacks():
    found = _places("On 10 March, mortars hit Ashford, Birchvale and the village of Greyport.")
    assert found["Greyport"] == (None, None, None) and found["Ashford"][0] == 1


@pytest.mark.parametrize("text, geonameid", [
    ("On 10 March, the enemy shelled the village of Zzyzx near the town of Ashford.", 1),
    ("On 10 March, a sniper fired at positions near Zzyzx, 5 km north of Ashford.", None),  # 5 km north of it
])
def test_a_village_the_gazetteer_lacks_is_put_near_the_town_it_is_located_by(text, geonameid):
    # one incident, near the town (precision 2), marked as a fallback; the town is no incident of its own
    assert _places(text) == {"Zzyzx": (geonameid, 2, "region-fallback")}
    if geonameid is None:
        (incident,) = extract(Report(id="h", text=text, published="2024-03-12"), GEOPARSER)
        assert (incident["latitude"], incident["longitude"]) == (pytest.approx(48.145, abs=0.001), 37.8)


def test_a_town_far_from_the_village_does_not_stand_for_it():
    assert _places("On 10 March, a sniper fired at positions near Zzyzx, 60 km north of Ashford.") == {
        "Zzyzx": (None, None, None)}


def test_initials_are_no_place_names():
    assert _places("On 10 March, the enemy opened fire in the JFO sector near Ashford.") == {"Ashford": (1, 2, "gazetteer")}


def test_the_explanation_says_where_a_fallback_was_put_and_why_a_name_is_unplaced():
    text = "On 10 March, the enemy shelled the village of Zzyzx near the town of Ashford. Mortars hit Fernley."
    found = extract(Report(id="h", text=text, published="2024-03-12"), GEOPARSER)
    reasons = {i["location"]: i["explanation"] for i in found}
    assert "put at Ashford, the town it is located by" in reasons["Zzyzx"]
    assert "only same-named places elsewhere" in reasons["Fernley"]


def test_a_numbered_settlement_is_not_the_one_it_is_numbered_after():
    assert _places("On 10 March, mortars hit Birchvale and Ashford-4.")["Ashford-4"] == (None, None, None)


def test_a_village_the_gazetteer_knows_once_may_lie_in_the_next_theatre():
    # a roundup of two neighbouring fronts: 250 km apart, the only place of that name is the one
    text = "On 10 March, mortars hit Ashford and Birchvale. On 11 March, a drone struck Gullhaven."
    assert _places(text)["Gullhaven"][0] == 13


def _best(text: str, name: str, **options) -> int | None:
    found = {t.text: t.best for t in GEOPARSER.parse(text, **options)}
    return found[name].geonameid if found[name] is not None else None


def test_the_geoparser_keeps_a_far_guess_unless_asked_to_be_strict():
    # news name far towns beside local ones; a report of one front line would rather not place it
    text = "Mortars hit Ashford, Birchvale and Cedarholm. Later a drone hit Fernley."
    assert _best(text, "Fernley") == 8
    assert _best(text, "Fernley", strict=True) is None


def test_places_set_aside_say_nothing_of_where_the_texts_places_lie():
    text = "Mortars hit Fernley. Delegates from Ashford and Birchvale met in Cedarholm."
    toponyms = GEOPARSER.parse(text)
    assert centre(toponyms) == (48.20, 37.90)
    assert centre(toponyms, aside=lambda start, end: start > text.index("Delegates")) == (49.80, 24.00)
    # and with the front line set aside, the far village is no longer far from anything
    assert _best(text, "Fernley", aside=lambda start, end: start > text.index("Delegates"), strict=True) == 8


def test_a_far_city_gives_way_to_a_namesake_near_the_others_only_in_a_text_about_one_area():
    # "near Kestrel" read alone is the large city; a report of one front line means its village
    city = Candidate("Kestrel", 45.0, 30.0, "UA", feature=kinds.SETTLEMENT, population=300_000)
    village = Candidate("Kestrel", 48.05, 37.95, "UA", feature=kinds.SETTLEMENT, population=800)
    alone = Toponym(0, 7, "Kestrel", city, [city, village])
    assert cohere(alone, (48.1, 37.9), strict=True).best == village
    assert cohere(alone, (48.1, 37.9)).best == city  # news name far cities beside local towns
