"""incidents.countries: one name per country, wherever it is written."""

from __future__ import annotations

import pytest

from incidents.countries import country_code, country_name, demonym_country, iso_numeric
from incidents.extract.actor_rules import ADJECTIVE_TO_COUNTRY, COUNTRY_CODES
from incidents.store.edit_rules import place_edit


@pytest.mark.parametrize("code, name", [
    ("RU", "Russia"), ("UA", "Ukraine"), ("AM", "Armenia"), ("SY", "Syria"), ("IR", "Iran"),
    ("PS", "Palestine"), ("CD", "DR Congo"), ("KP", "North Korea"), ("TR", "Turkey"), ("XK", "Kosovo"),
    ("ru", "Russia"), ("", None), (None, None), ("QQ", None),
])
def test_country_names_are_the_short_names_users_expect(code, name):
    assert country_name(code) == name


@pytest.mark.parametrize("name, code", [
    ("Russia", "RU"), ("Russian Federation", "RU"), ("russia", "RU"), ("Türkiye", "TR"), ("Turkey", "TR"),
    ("DR Congo", "CD"), ("Syrian Arab Republic", "SY"), ("the Ukraine", "UA"), ("Kosovo", "XK"),
    ("Atlantis", None), ("", None),
])
def test_every_spelling_of_a_country_finds_its_code(name, code):
    assert country_code(name) == code


def test_a_corrected_place_and_an_extracted_one_name_the_country_alike():
    corrected = place_edit({"name": "Avdiivka", "lat": 48.14, "lon": 37.74, "country_code": "RU"})
    assert corrected["country"] == country_name("RU") == ADJECTIVE_TO_COUNTRY["russian"] == "Russia"


def test_actor_countries_round_trip_through_their_codes():
    for name, code in COUNTRY_CODES.items():
        assert code and country_name(code) == name


def test_demonyms_and_numeric_codes():
    assert demonym_country("Azeri") == demonym_country("azeri") == "AZ"
    assert demonym_country("Kosovan") == "XK"
    assert demonym_country("Martian") is None
    assert iso_numeric("AM") == 51 and iso_numeric(None) is None and iso_numeric("QQ") is None
