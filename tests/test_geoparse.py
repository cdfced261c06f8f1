"""Recognition and resolution, as tables of small cases.

Most cases run on a tiny in-memory gazetteer (fast, and the expected answer is
obvious from the entries); a few run on the real cache to check the shipped data.
"""

from __future__ import annotations

import pytest

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import WORD_RE, Gazetteer, GazetteerBuilder
from incidents.geo.geoparse import GazetteerGeoparser, get_geoparser
from incidents.geo.recognition import split_words


def tiny_gazetteer() -> Gazetteer:
    b = GazetteerBuilder()
    add = b.add
    add("Azerbaijan", 40.38, 49.89, country="AZ", feature=kinds.COUNTRY, population=10_000_000)
    add("Armenia", 40.18, 44.51, country="AM", feature=kinds.COUNTRY, population=3_000_000)
    add("France", 48.85, 2.35, country="FR", feature=kinds.COUNTRY, population=67_000_000)
    add("Jordan", 31.95, 35.93, country="JO", feature=kinds.COUNTRY, population=10_000_000)
    add("Syria", 33.51, 36.29, country="SY", feature=kinds.COUNTRY, population=20_000_000)
    add("Georgia", 41.69, 44.83, country="GE", feature=kinds.COUNTRY, population=3_700_000)
    add("Georgia", 33.75, -84.39, country="US", admin1="GA", feature=kinds.ADMIN1, population=500_000)
    texas = add("Texas", 30.27, -97.74, country="US", admin1="TX", feature=kinds.ADMIN1, population=2_300_000)
    b.abbreviations["Tex."] = texas
    add("Atlanta", 33.75, -84.39, country="US", admin1="GA", population=500_000)
    add("Paris", 48.85, 2.35, country="FR", admin1="11", population=2_100_000, geonameid=2988507)
    add("Paris", 33.66, -95.56, country="US", admin1="TX", population=25_000, geonameid=4717560)
    add("Tovuz", 40.99, 45.63, country="AZ", population=14_000, geonameid=585156)
    add("Al Bab", 36.37, 37.52, aliases=["al-Bab"], country="SY", population=130_000)
    add("Deir ez-Zor", 35.33, 40.14, country="SY", population=240_000)
    add("Berd", 40.88, 45.39, country="AM", population=8_000)
    add("Akhnūr", 32.9, 74.74, aliases=["Akhnoor"], country="IN", population=20_000)
    add("Stepanakert", 39.82, 46.75, aliases=["Khankendi", "Xankəndi"], country="AZ", population=55_000)
    add("New York City", 40.71, -74.0, aliases=["New York"], country="US", admin1="NY", population=8_000_000)
    add("York", 53.96, -1.08, country="GB", population=150_000)
    add("Idlib", 35.93, 36.63, country="SY", admin1="12", population=128_000)
    add("Idlib", 35.93, 36.63, aliases=["Idlib Governorate"], country="SY", admin1="12",
        feature=kinds.ADMIN1, population=128_000)
    add("Police", 53.55, 14.57, country="PL", population=34_000)
    add("Kyiv", 50.45, 30.52, country="UA", admin1="12", population=2_900_000)
    add("Kyivska oblast", 50.06, 30.77, aliases=["Kyiv", "Kyiv Oblast"], country="UA", admin1="13",
        feature=kinds.ADMIN1, population=2_900_000)
    add("Henderson", 36.04, -114.98, country="US", population=300_000)
    add("Clinton", 41.84, -90.19, country="US", population=26_000)
    add("Washington", 38.9, -77.04, country="US", admin1="DC", population=690_000)
    # Two same-named towns (invented): the larger in one state, the smaller just across a border
    # from another town of the text.
    add("Brookfield", 41.0, -81.0, country="US", admin1="OH", population=60_000)
    add("Brookfield", 37.0, -85.0, country="US", admin1="KY", population=5_000)
    add("Dunmore", 36.75, -85.1, country="US", admin1="TN", population=20_000)
    add("Lagos", 6.45, 3.39, country="NG", population=9_000_000)
    add("Ohio", 40.0, -82.9, country="US", admin1="OH", feature=kinds.ADMIN1, population=900_000)
    add("Missouri", 38.6, -92.2, country="US", admin1="MO", feature=kinds.ADMIN1, population=450_000)
    add("Riverbend", 39.1, -94.4, aliases=["Ohio"], country="US", admin1="MO", population=3_000)  # an odd alias
    add("Fairhaven", 41.6, -70.9, country="US", admin1="MA", population=16_000)
    add("Port Royal", 32.4, -80.7, aliases=["Fairhaven"], country="US", admin1="SC", population=800_000)  # an old name
    add("Patrick", 54.2, -4.7, country="IM", admin1="P", feature=kinds.ADMIN1, population=0)  # a parish
    add("United States", 39.76, -98.5, aliases=["US"], country="US", feature=kinds.COUNTRY, population=300_000_000)
    add("Côte d'Ivoire", 6.82, -5.28, country="CI", feature=kinds.COUNTRY, population=25_000_000)
    add("Clay", 43.2, -76.2, country="US", admin1="NY", population=58_000)
    add("Clay County", 36.6, -85.5, aliases=["Clay"], country="US", admin1="TN", feature=kinds.ADMIN2,
        population=8_000)
    add("Nagorno-Karabakh", 39.82, 46.75, aliases=["Karabakh"], country="AZ", feature=kinds.REGION,
        population=1_000_000)
    return Gazetteer.from_builder(b)


@pytest.fixture(scope="module")
def parser() -> GazetteerGeoparser:
    return GazetteerGeoparser(tiny_gazetteer())


def found(parser, text):
    return [(t.text, t.best.country_code if t.best else None) for t in parser.parse(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # spans: multi-word names, longest match, possessives, phrases around names
        ("Shelling hit New York overnight.", [("New York", "US")]),
        ("Azerbaijan's ministry said nothing.", [("Azerbaijan", "AZ")]),
        ("Fire was opened at the village of Tovuz in Azerbaijan.", [("Tovuz", "AZ"), ("Azerbaijan", "AZ")]),
        ("Units fired near Berd, Armenia.", [("Berd", "AM"), ("Armenia", "AM")]),
        ("Air strikes hit Idlib province on Monday.", [("Idlib province", "SY")]),
        ("Clashes in Nagorno-Karabakh resumed.", [("Nagorno-Karabakh", "AZ")]),
        ("Rebels shelled al-Bab and Deir ez-Zor.", [("al-Bab", "SY"), ("Deir ez-Zor", "SY")]),
        # spelling variants
        ("Shells fell on Akhnoor.", [("Akhnoor", "IN")]),
        ("Shells fell on Akhnūr.", [("Akhnūr", "IN")]),
        ("A drone was seen over Xankəndi.", [("Xankəndi", "AZ")]),
        ("Shelling in KHANKENDI was heavy.", [("KHANKENDI", "AZ")]),
        # a title-cased headline: the capitalised word before a place is no first name here
        ("Veteran Banker Enters Atlanta Mayor Race", [("Atlanta", "US")]),
    ],
)
def test_recognition(parser, text, expected):
    assert found(parser, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Police said two shells landed.",          # everyday word that is also a town
        "The talks resume in May.",                  # month
        "Mr Jordan said the talks would resume.",    # person with a title
        "Russian forces fired mortars.",             # demonym, not a place
        "Hillary Clinton met officials.",            # surname
        "The Paris Herald Tribune reported it.",      # a newspaper's name
        "Midfielder Jordan Pickfordson scored.",     # a given name that is also a country
        "The police arrested Police Commissioner Wells.",
    ],
)
def test_traps_are_not_places(parser, text):
    names = [t.text for t in parser.parse(text)]
    assert "Police" not in names and "Jordan" not in names and "May" not in names
    assert "Clinton" not in names and "Russian" not in names and "Paris" not in names


@pytest.mark.parametrize(
    "text, name, country",
    [
        ("Storms hit Paris on Friday.", "Paris", "FR"),
        ("Storms hit Paris Sunday, officials said.", "Paris", "FR"),
        ("Storms hit Paris, Texas on Friday.", "Paris", "US"),
        ("Paris police said the Texas storm was over.", "Paris", "US"),
        ("Tbilisi protested; Georgia recalled its envoy.", "Georgia", "GE"),
        ("Georgia's governor spoke in Atlanta.", "Georgia", "US"),
    ],
)
def test_homonyms_resolved_by_context(parser, text, name, country):
    chosen = {t.text: t.best.country_code for t in parser.parse(text)}
    assert chosen[name] == country


@pytest.mark.parametrize(
    "text, region",
    [
        ("Flooding closed roads in Brookfield on Monday.", "OH"),  # nothing else: the larger town
        ("Flooding closed roads in Brookfield and Dunmore.", "KY"),  # near the text's other town
        ("Brookfield crews cleared debris. In Brookfield, schools closed. Dunmore was spared.", "KY"),
    ],
)
def test_same_named_places_chosen_by_distance_before_population(parser, text, region):
    regions = {t.best.admin1 for t in parser.parse(text) if t.text == "Brookfield"}
    assert regions == {region}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cholera spread from Côte d'Ivoire to Lagos.", [("Côte d'Ivoire", "CI"), ("Lagos", "NG")]),  # d' joins
    ],
)
def test_plain_names_in_ordinary_sentences(parser, text, expected):
    assert found(parser, text) == expected


@pytest.mark.parametrize(
    "text, feature",
    [
        ("Storms closed roads in Clay on Monday.", kinds.SETTLEMENT),
        ("Storms closed roads in Clay, Dunmore and Brookfield counties.", kinds.ADMIN2),
        ("Storms closed roads in Clay or Dunmore districts.", kinds.ADMIN2),
    ],
)
def test_a_plural_region_word_closing_a_list_makes_each_name_a_region(parser, text, feature):
    assert {t.best.feature for t in parser.parse(text) if t.text == "Clay"} == {feature}


@pytest.fixture(scope="module")
def front_parser() -> GazetteerGeoparser:
    """Two front lines, with a town of one side once named like a town of the other."""
    b = GazetteerBuilder()
    b.add("Ukraine", 50.45, 30.52, country="UA", feature=kinds.COUNTRY, population=40_000_000)
    b.add("Russia", 55.75, 37.62, country="RU", feature=kinds.COUNTRY, population=140_000_000)
    b.add("Avdiivka", 48.14, 37.74, country="UA", admin1="05", population=35_000)
    b.add("Krasnohorivka", 48.0, 37.5, country="UA", admin1="05", population=16_000)
    b.add("Sotk", 40.2, 45.93, country="AM", population=930)
    b.add("Tovuz", 40.99, 45.63, country="AZ", population=14_000)
    b.add("Berd", 40.88, 45.39, aliases=["Tovuz"], country="AM", population=8_000)
    return GazetteerGeoparser(Gazetteer.from_builder(b))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russian forces shelled Avdiivka.", [("Avdiivka", "UA")]),
        ("Russian artillery hit Avdiivka and Krasnohorivka overnight.", [("Avdiivka", "UA"), ("Krasnohorivka", "UA")]),
        ("Azerbaijani forces fired mortars at Sotk.", [("Sotk", "AM")]),
        ("Armenian units opened fire at Tovuz on Monday.", [("Tovuz", "AZ")]),
        ("Ukrainian drones struck Avdiivka, the Russian ministry said.", [("Avdiivka", "UA")]),
    ],
)
def test_a_sides_nationality_never_vetoes_a_place_in_another_country(front_parser, text, expected):
    assert found(front_parser, text) == expected


@pytest.mark.parametrize("text, feature", [
    ("Cases were reported in Texas, Ohio, Missouri and Georgia.", kinds.ADMIN1),  # a list of states
    ("The family moved to Ohio, Missouri last year.", kinds.SETTLEMENT),  # a town and its state
])
def test_a_state_in_a_list_of_states_is_not_qualified_by_the_next(parser, text, feature):
    ohio = next(t for t in parser.parse(text) if t.text == "Ohio")
    assert ohio.best.feature == feature


def test_one_ambiguous_name_is_no_scene_that_vetoes_a_city(parser):
    # a single guess ("Paris", in two countries) is too weak to drop a large city named without a cue
    names = [t.text for t in parser.parse("Shoppers crowded downtown Lagos before the Paris fair.")]
    assert "Lagos" in names


def test_a_qualified_name_qualifies_its_other_mentions(parser):
    text = "The Paris, Texas council met on Monday. Paris police closed two roads near Paris."
    found_places = [t.best.country_code for t in parser.parse(text) if t.text == "Paris"]
    assert found_places == ["US", "US", "US"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Talks were held in Kyiv.", "Kyiv"),                         # the city bears the name itself
        ("Shelling in Kyiv Oblast continued.", "Kyivska oblast"),      # the region asked for
        ("Officials in Texas said so.", "Texas"),                     # a state's own name: the state
    ],
)
def test_own_name_and_region_words_choose_the_entry(parser, text, name):
    (toponym,) = parser.parse(text)
    assert toponym.best.name == name


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Storms hit Paris, Tex., on Monday.", [("Paris", "US"), ("Tex.", "US")]),  # AP-style state
        ("Tex. was the name of the dog.", []),  # the abbreviation alone is no place
    ],
)
def test_state_abbreviations_after_a_place(parser, text, expected):
    assert found(parser, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Chief Robert Henderson said the road was closed. Henderson added nothing.",  # surname, then alone
        "Officials met Sam Clinton on Monday. Clinton declined to comment.",
    ],
)
def test_a_surname_after_a_first_name_stays_a_person_in_the_whole_text(parser, text):
    assert found(parser, text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Shoppers queued at the Paris-Mart store.", []),             # a brand: "Mart" names no place
        ("The Paris news agency reported it.", []),                    # an outlet
        ("Kyiv News reported shelling.", []),
    ],
)
def test_compounds_and_outlets(parser, text, expected):
    assert found(parser, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a small town's name before a school or a university is more often a person's
        ("Pupils of Brookfield Elementary planted trees.", []),
        ("She studied at Dunmore University for a year.", []),
        ("Mourners gathered at the Dunmore Funeral Home.", []),
        ("Pupils of Fairhaven Elementary planted trees.", []),  # a large city's old name is no town's
        # a large city's stays, and so do institutions that carry their town's name
        ("She studied at Paris University for a year.", [("Paris", "FR")]),
        ("The Dunmore Police Department said nothing.", [("Dunmore", "US")]),
        # partners' surnames name a firm, and a middle initial follows a first name
        ("The board hired Dunmore & Wilkes as consultants.", []),
        ("The board hired Wilkes & Dunmore as consultants.", []),
        ("The award went to Dunmore R. Wallace on Friday.", []),
        ("Storms hit Dunmore and Brookfield on Friday.", [("Dunmore", "US"), ("Brookfield", "US")]),
        # a parish listed as a province is no country: its name is a person's here
        ("Patrick worked with the council for a year.", []),
        ("A letter from Patrick J. Wallace arrived.", []),
        # a currency is no place
        ("The fund needs US$40 million.", []),
        ("Crops worth $US 2 billion were lost in the United States.", [("United States", "US")]),
    ],
)
def test_institutions_firms_people_and_currencies(parser, text, expected):
    assert found(parser, text) == expected


def test_runner_up_candidates_are_kept_with_scores(parser):
    (paris,) = parser.parse("Storms hit Paris.")
    assert [c.country_code for c in paris.candidates] == ["FR", "US"]
    assert paris.candidates[0].score > paris.candidates[1].score
    assert paris.best == paris.candidates[0] and paris.best.geonameid == 2988507


@pytest.mark.parametrize(
    "text, precision",
    [("Shells fell on Tovuz.", 1), ("Shells fell in Azerbaijan.", 3), ("Air strikes hit Idlib province.", 3)],
)
def test_geo_precision(parser, text, precision):
    (toponym,) = parser.parse(text)
    assert toponym.geo_precision == precision


def test_spans_index_the_text(parser):
    text = "«Tovuz» — and then Berd, near Armenia's border."
    for t in parser.parse(text):
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Tovuz", "Shelling near Tovuz, Azerbaijan.", "snake_case_word and Berd_2 ",
     "Tərtər’s şəhər — «Ağdam» 12km/h!", "__init__", "a_b c\nd\t_e_ f", "İstanbul ǅemal ﬁne ²3"],
)
def test_words_split_as_the_word_pattern_finds_them(text):
    words, strings = split_words(text)
    assert words == [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
    assert strings == [w for _, _, w in words]

@pytest.mark.parametrize(
    "text, span, country",
    [
        ("Shells hit the Tovuz Checkpoint at dawn.", "Tovuz Checkpoint", "AZ"),   # placed at its town
        ("Patrols crossed the Akhera River twice.", "Akhera River", None),         # found, not placed
        ("Boats sank in Lake Berdzor overnight.", "Lake Berdzor", None),
        ("Traffic on Texas Highway 21 stopped.", "Texas Highway", "US"),           # lies in its state
    ],
)
def test_named_features_are_found_and_placed_when_possible(parser, text, span, country):
    chosen = {t.text: t for t in parser.parse(text)}
    assert span in chosen
    best = chosen[span].best
    assert (best.country_code if best else None) == country


def test_empty_and_placeless_texts(parser):
    assert parser.parse("") == []
    assert parser.parse("nothing to see here, all lower case.") == []


# -- the real cache (built once if missing) -------------------------------------


@pytest.fixture(scope="session")
def real_parser():
    return get_geoparser()


@pytest.mark.parametrize(
    "text, name, country",
    [
        ("Azerbaijani positions near Tovuz came under fire.", "Tovuz", "AZ"),
        ("Shelling was reported in Rajouri and Akhnoor sectors.", "Akhnoor", "IN"),
        ("Explosions were heard in Donetsk.", "Donetsk", "UA"),
        ("Air strikes hit Idlib province.", "Idlib province", "SY"),
        ("Fighting flared in Nagorno-Karabakh.", "Nagorno-Karabakh", "AZ"),
        ("Azerbaijani forces shelled Stepanakert overnight.", "Stepanakert", "AZ"),  # other name of Khankendi
        ("Shelling was reported near Sotk and Zod in Armenia.", "Zod", "AM"),        # a cue carries along a list
        ("Rockets flew across the Israel-Gaza border.", "Gaza", "PS"),              # a compound of two places
        ("Snow hit Kelowna, B.C., on Monday.", "B.C.", "CA"),                        # a province, Canadian Press style
        ("She moved from Gatineau, Que., last year.", "Que.", "CA"),
    ],
)
def test_real_gazetteer_places(real_parser, text, name, country):
    chosen = {t.text: t for t in real_parser.parse(text)}
    assert chosen[name].best.country_code == country


@pytest.mark.parametrize(
    "text, name, place, admin1",
    [
        # a capital named by its own name beats a town that carries the name as an old alias
        ("Officials in Islamabad and New Delhi traded accusations over Anantnag.", "Islamabad", "Islamabad",
         "Islamabad"),
        ("Officials in Islamabad and New Delhi traded accusations over Anantnag.", "New Delhi", "New Delhi", "Delhi"),
        # transliteration: Nowshera / Nowshehra (Nāushahra, Jammu and Kashmir)
        ("Shelling near Nowshera sector in Rajouri.", "Nowshera", "Nāushahra", "Jammu and Kashmir"),
        # a locative cue opening the sentence; admin1 is the region's name, not a GeoNames code
        ("Near Krymske, shelling was reported.", "Krymske", "Krymske", "Luhansk"),
        # a village opening a sentence, in the region the text is about
        ("Krymske came under fire. Shelling hit Popasna in Luhansk Oblast.", "Krymske", "Krymske", "Luhansk"),
    ],
)
def test_real_gazetteer_resolution(real_parser, text, name, place, admin1):
    chosen = {t.text: t for t in real_parser.parse(text)}
    assert (chosen[name].best.name, chosen[name].best.admin1) == (place, admin1)


@pytest.mark.parametrize("text", ["Krymske came under fire.", "near Indian positions", "Indian.", "near Iraqi"])
def test_real_gazetteer_rejects(real_parser, text):
    assert real_parser.parse(text) == []


def test_get_geoparser_is_a_singleton(real_parser):
    assert get_geoparser() is real_parser


# -- one geoparser per cache file, reloaded when the file changes -----------------


@pytest.fixture
def counted_loads(monkeypatch):
    """get_geoparser with a fake loader: counts loads, never touches the real cache."""
    from incidents.geo import geoparse

    loads = []

    def fake_load(settings=None, progress=None):
        loads.append(settings.cache_dir)
        return tiny_gazetteer()

    monkeypatch.setattr(geoparse, "_instances", {})  # the session's real parser is restored after
    monkeypatch.setattr(geoparse, "load_gazetteer", fake_load)
    return loads


def _settings_with_cache(tmp_path, name):
    import dataclasses

    from incidents.config import Settings
    from incidents.geo.gazetteer import CACHE_FILE

    folder = tmp_path / name
    folder.mkdir()
    (folder / CACHE_FILE).write_bytes(b"cache")
    return dataclasses.replace(Settings(), cache_dir=str(folder), db_path=str(tmp_path / "db.sqlite"))


def test_get_geoparser_keeps_one_parser_per_cache_folder(tmp_path, counted_loads):
    first, second = _settings_with_cache(tmp_path, "a"), _settings_with_cache(tmp_path, "b")
    parser_a = get_geoparser(first)
    assert get_geoparser(first) is parser_a
    parser_b = get_geoparser(second)
    assert parser_b is not parser_a
    assert get_geoparser(first) is parser_a and get_geoparser(second) is parser_b
    assert counted_loads == [first.cache_dir, second.cache_dir]


def test_get_geoparser_reloads_when_the_cache_file_changes(tmp_path, counted_loads):
    import os

    from incidents.geo.gazetteer import CACHE_FILE

    settings = _settings_with_cache(tmp_path, "a")
    before = get_geoparser(settings)
    cache = tmp_path / "a" / CACHE_FILE
    cache.write_bytes(b"rebuilt by another process")
    stat = cache.stat()
    os.utime(cache, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = get_geoparser(settings)
    assert after is not before and get_geoparser(settings) is after
    assert len(counted_loads) == 2
