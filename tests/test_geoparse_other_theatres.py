"""Well-known towns of theatres the project was not tuned on, in ordinary phrasing (issue 8,
issue 9 item 3), on the real gazetteer. Every sentence is invented; the towns are cities500
places a reader of that conflict's news would know.
"""

from __future__ import annotations

import pytest

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import name_key
from incidents.geo.geoparse import get_geoparser
from incidents.geo.sources import city_aliases, is_code_alias


@pytest.fixture(scope="module")
def real_parser():
    return get_geoparser()


@pytest.mark.parametrize(
    "text, name, country",
    [
        # Yemen: a city known by a spelling GeoNames gives only with its article ("El-Hodeidah")
        ("Clashes erupted in Hodeidah on Tuesday.", "Hodeidah", "YE"),
        ("Shelling hit Hodeidah, a port city on the coast.", "Hodeidah", "YE"),
        ("Fighters attacked positions near Taiz overnight.", "Taiz", "YE"),
        ("An air strike hit a market in Marib.", "Marib", "YE"),
        # South Sudan: a three-letter town whose spelling folds short; another town's airport code
        ("Soldiers looted shops in Yei on Monday.", "Yei", "SS"),
        ("Fighting was reported in Yei, Central Equatoria.", "Yei", "SS"),
        ("Clashes erupted in Malakal after dawn.", "Malakal", "SS"),
        # Sudan
        ("Fighters stormed the government-held town of Nyala.", "Nyala", "SD"),
        ("Shelling hit El Fasher, the capital of North Darfur.", "El Fasher", "SD"),
        ("Clashes erupted in Omdurman on Saturday.", "Omdurman", "SD"),
        # Myanmar
        ("The army shelled villages around Myawaddy.", "Myawaddy", "MM"),
        ("Clashes erupted in Lashio, Shan State.", "Lashio", "MM"),
        # Libya
        ("Shelling hit Misrata, a port city.", "Misrata", "LY"),
        ("Rockets fell on the government-held town of Gharyan.", "Gharyan", "LY"),
        # Syria
        ("Clashes erupted in Raqqa on Friday.", "Raqqa", "SY"),
        ("Shelling hit the government-held town of Saraqib.", "Saraqib", "SY"),
        # Philippines
        ("Soldiers clashed with militants in Patikul, Sulu province.", "Patikul", "PH"),
        ("Clashes erupted in Marawi on Sunday.", "Marawi", "PH"),
        # Kashmir, along the Line of Control
        ("Troops shelled villages in Poonch.", "Poonch", "IN"),
        ("Shelling hit Kupwara on Wednesday.", "Kupwara", "IN"),
        # DR Congo
        ("Clashes erupted in Beni, North Kivu.", "Beni", "CD"),
        ("Rebels seized the government-held town of Rutshuru.", "Rutshuru", "CD"),
        # Lebanon
        ("A strike hit Nabatieh on Tuesday.", "Nabatieh", "LB"),
        ("Shelling hit Tyre, a port city in the south.", "Tyre", "LB"),
        ("Clashes erupted in Bint Jbeil overnight.", "Bint Jbeil", "LB"),
    ],
)
def test_well_known_towns_of_other_theatres(real_parser, text, name, country):
    chosen = {t.text: t.best.country_code for t in real_parser.parse(text) if t.best}
    assert chosen.get(name) == country


def test_a_short_name_keeps_its_letters_when_folding_would_shrink_it():
    # "Yei" would fold to the one-letter key of "Yi" and "I"; too short to index
    assert name_key("Yei") == "yei"
    assert name_key("Yey") == "yey"
    assert name_key("Ye") == "i"  # short as written: folded as before


def test_an_arabic_article_joined_by_a_hyphen_is_also_an_alias_without_it():
    aliases = city_aliases("Al Qaryah", ["El-Qaryatayn", "al-Bab", "Ad Dali", "QRY"])
    assert aliases == ["El-Qaryatayn", "al-Bab", "Ad Dali", "Qaryatayn"]  # "Bab": too short; "Dali": no hyphen


@pytest.mark.parametrize(
    "alias, name, is_code",
    [("YEI", "Bursa", True), ("HYS", "Hays", True), ("NYC", "New York City", False),
     ("Yei", "Yei", False), ("UAE", "Abu Dhabi", True)],
)
def test_airport_codes_among_aliases_are_not_names(alias, name, is_code):
    assert is_code_alias(alias, name) is is_code


@pytest.mark.parametrize(
    "text, name, feature",
    [
        # after a town and a comma, a name that is also the town's province means the province
        ("Soldiers clashed with militants in Patikul, Sulu, killing five.", "Sulu", kinds.ADMIN2),
        ("Fighting was reported in Yei, Central Equatoria.", "Central Equatoria", kinds.ADMIN1),
        # a list is no such pair
        ("Shelling hit Tovuz, Berd and Ijevan.", "Berd", kinds.SETTLEMENT),
    ],
)
def test_a_region_after_a_town_and_a_comma_is_the_region(real_parser, text, name, feature):
    chosen = {t.text: t.best.feature for t in real_parser.parse(text) if t.best}
    assert chosen.get(name) == feature
