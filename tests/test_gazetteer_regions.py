"""Region names: GeoNames codes become the plain English names a dashboard shows."""

from __future__ import annotations

import pytest

from incidents.geo.regions import english_name, entry_name, read_regions


@pytest.mark.parametrize(
    "name, aliases, expected",
    [
        ("Idlib", ["Idlib Governorate"], "Idlib"),                           # already English
        ("Donetska oblast", ["Donetsk", "Donetsk Oblast"], "Donetsk"),        # local form -> English alias
        ("Ḩalab", ["Aleppo", "Aleppo Governorate", "حلب"], "Aleppo"),         # transliteration -> exonym
        ("Luhanska oblast", ["Luganskaya Oblast’", "Luhansk", "Luhansk Oblast"], "Luhansk"),  # the form listed alone
        ("Zhytomyrska oblast", ["Zhitomirskaya Oblast’", "Zhytomyr Oblast"], "Zhytomyr"),  # else the shortest
        ("Kotayk'", ["Kotayk Province", "Կոտայքի Մարզ"], "Kotayk"),
        ("Tamil Nādu", ["تامل ناڈو"], "Tamil Nadu"),                         # accents folded
        ("Xankəndi", ["Xankəndi Şəhəri"], "Xankendi"),                      # Azerbaijani schwa
        ("Tatarstan, Respublika", ["Tatarstan Republic"], "Tatarstan"),
        ("Poonch District", [], "Poonch"),                                   # kind word dropped
        ("Northern District", [], "Northern District"),                      # a direction keeps it
        ("Al Janūb", ["South Governorate"], "South Governorate"),
        ("Avtonomna Respublika Krym", ["Autonomous Republic of Crimea", "Crimea"], "Crimea"),
        ("Free State", [], "Free State"),                                    # part of the name
        ("State of X", [], "State of X"),
    ],
)
def test_english_name(name, aliases, expected):
    assert english_name(name, aliases) == expected


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")


def test_codes_map_to_names_per_country(tmp_path):
    _write(tmp_path / "countries" / "countries.tsv", [["Armenia", "AM"], ["Ukraine", "UA"]])
    _write(tmp_path / "subdivisions" / "subdivisions.tsv", [
        ["Kotayk'", "AM-KT", "AM.05", "828262", "Region", "Kotayk Province", "1", "", "1"],
        ["Donetska oblast", "UA-14", "UA.05", "709716", "Region", "Donetsk Oblast", "1", "", "2"],
        ["Berd Municipality", "", "AM.09.13156182", "13156182", "", "Berd", "2", "3", "1"],
        ["Donetsk", "", "UA.05.999", "999", "", "", "2", "2", "2"],
        ["Kyivska oblast", "UA-32", "UA.13", "703446", "Region", "Kyiv|Kyiv Oblast", "1", "", "2"],
        ["Kyiv", "UA-30", "UA.12", "703447", "City", "Kyiv City", "1", "", "2"],
    ])
    _write(tmp_path / "cities" / "cities.tsv", [["Berd", "616629", "3", "1", "8000", "40.88", "45.39"]])
    regions = read_regions(tmp_path)
    assert regions.admin1_name("AM", "05") == "Kotayk"
    assert regions.admin1_name("UA", "05") == "Donetsk"  # the same code, another country, another region
    assert regions.admin1_name("UA", "77") == ""  # unknown code: no name rather than a code
    assert regions.city_admin2(616629) == "Berd"
    assert regions.admin2_name("UA", "05", "999") == "Donetsk"  # unique per level, not across levels
    assert (regions.admin1_name("UA", "13"), regions.admin1_name("UA", "12")) == ("Kyiv", "Kyiv City")


@pytest.mark.parametrize(
    "original, aliases, expected",
    [
        ("Walton County", [], "Walton County"),                                  # already English: kept
        ("Gədəbəy", ["Gadabay District"], "Gadabay District"),
        ("Donetska oblast", ["Donetsk", "Donetsk Oblast"], "Donetsk Oblast"),
        ("Luhanska oblast", ["Luganskaya Oblast’", "Luhansk Oblast"], "Luhansk Oblast"),
        ("Xankəndi", [], "Xankendi"),
    ],
)
def test_entry_name(original, aliases, expected):
    assert entry_name(original, english_name(original, aliases), aliases) == expected
