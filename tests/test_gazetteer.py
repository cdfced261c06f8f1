"""Gazetteer: name folding, the in-memory index, and the user's importers (tiny files)."""

from __future__ import annotations

import marshal

import pytest

from incidents.geo import gazetteer as gz
from incidents.geo import sources, user_sources
from incidents.geo import toponyms as kinds
from incidents.config import Settings
from incidents.geo.gazetteer import Gazetteer, GazetteerBuilder, name_key


@pytest.mark.parametrize(
    "written, other",
    [
        ("Akhnūr", "Akhnoor"),          # macron, oo/u
        ("Rājauri", "Rajauri"),         # accent
        ("Kharkiv", "Harkiv"),          # kh/h
        ("Dzhankoy", "Jankoi"),         # dzh/j, y/i
        ("Zaporizhzhia", "Zaporizhia"), # doubled letters
        ("Kyiv", "KYIV"),               # case
        ("Nagorno-Karabakh", "Nagorno Karabakh"),  # hyphen or space
        ("Sumqayıt", "Sumqayit"),       # Turkic dotless i
        ("Shusha", "Shoosha"),          # oo/u
        ("Nowshehra", "Nowshera"),      # silent h before r
        ("Tərtər", "Terter"),           # Azerbaijani schwa is e (unidecode alone gave "trtr")
        ("Ağdərə", "Agdere"),
        ("XANKƏNDİ", "Xankendi"),
        ("Xoʻjaobod", "Xojaobod"),      # modifier-letter apostrophe inside a word
    ],
)
def test_spelling_variants_share_a_key(written, other):
    assert name_key(written) == name_key(other)


@pytest.mark.parametrize("a, b", [("Paris", "Perm"), ("Gori", "Goris"), ("Berd", "Bard"), ("Ahli", "Ali"), ("Rafah", "Rafa")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize("name, latin", [("Stepanakert", True), ("Kraków", True), ("Ереван", False), ("يريفان", False)])
def test_only_latin_names_are_indexed(name, latin):
    assert gz.is_latin(name) is latin


def tiny() -> Gazetteer:
    b = GazetteerBuilder()
    b.add("Paris", 48.85, 2.35, country="FR", population=2_100_000, geonameid=2988507)
    b.add("Paris", 33.66, -95.56, country="US", admin1="TX", population=25_000, geonameid=4717560)
    b.add("France", 48.85, 2.35, aliases=["French Republic"], country="FR", feature=kinds.COUNTRY)
    b.add("Akhnūr", 32.9, 74.7, aliases=["Akhnoor"], country="IN", population=20_000)
    return Gazetteer.from_builder(b)


def test_lookup_orders_same_named_places_by_population():
    g = tiny()
    ids = g.find("paris")
    assert [g.country[i] for i in ids] == ["FR", "US"]
    assert g.find("French Republic") and g.feature[g.find("French Republic")[0]] == kinds.COUNTRY
    assert g.find("Akhnoor") == g.find("Akhnūr")
    assert g.find("Atlantis") == ()


def test_candidate_carries_the_entry():
    g = tiny()
    c = g.candidate(g.find("Paris")[0], score=0.5)
    assert (c.name, c.country_code, c.geonameid, c.feature, c.score) == ("Paris", "FR", 2988507, kinds.SETTLEMENT, 0.5)


def test_nearest_settlement():
    g = tiny()
    assert g.names[g.nearest(33.0, -95.0)] == "Paris" and g.country[g.nearest(33.0, -95.0)] == "US"


def test_cache_round_trip(tmp_path):
    settings = Settings(cache_dir=str(tmp_path))
    b = GazetteerBuilder()
    b.add("Tovuz", 40.99, 45.63, country="AZ", population=14_000)
    (tmp_path / gz.CACHE_FILE).write_bytes(marshal.dumps(b.columns()))
    g = gz.load_gazetteer(settings, progress=None)
    assert g.names == ["Tovuz"]


def test_stale_cache_is_rebuilt(tmp_path, monkeypatch):
    settings = Settings(cache_dir=str(tmp_path))
    (tmp_path / gz.CACHE_FILE).write_bytes(marshal.dumps({"version": -1}))
    built = []

    def fake_build(settings):
        b = GazetteerBuilder()
        b.add("Berd", 40.88, 45.39, country="AM")
        (tmp_path / gz.CACHE_FILE).write_bytes(marshal.dumps(b.columns()))
        built.append(True)

    monkeypatch.setattr(gz, "build_in_child_process", fake_build)
    messages = []
    g = gz.load_gazetteer(settings, progress=messages.append)
    assert built and g.names == ["Berd"] and "building" in messages[0]


# -- importers ---------------------------------------------------------------

CSV_TEXT = (
    "name,aliases,latitude,longitude,country,feature\n"
    "Sector North,Northern sector|N sector,40.10,45.20,AM,user\n"
    "Hill 402,,39.90,46.00,az,\n"
)


def test_csv_entries_become_user_places(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    b = GazetteerBuilder()
    assert user_sources.add_csv_entries(b, path) == 2
    g = Gazetteer.from_builder(b)
    (i,) = g.find("Northern sector")
    assert (g.names[i], g.feature[i], g.country[i]) == ("Sector North", kinds.USER, "AM")
    (j,) = g.find("Hill 402")
    assert g.country[j] == "AZ" and g.feature[j] == kinds.USER


@pytest.mark.parametrize(
    "text, message",
    [
        ("name,latitude\nX,1\n", "missing column"),
        ("name,aliases,latitude,longitude\nX,,north,2\n", "must be numbers"),
        ("name,aliases,latitude,longitude\nX,,95,2\n", "-90..90"),
        ("name,aliases,latitude,longitude,country,feature\nX,,1,2,AM,castle\n", "feature"),
    ],
)
def test_bad_csv_is_refused_with_its_line(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        user_sources.import_csv(path, tmp_path / "user")


def test_import_csv_keeps_a_copy_for_rebuilds(tmp_path):
    src = tmp_path / "mine.csv"
    src.write_text(CSV_TEXT, encoding="utf-8")
    folder = tmp_path / "user"
    folder.mkdir()
    stored, count = user_sources.import_csv(src, folder)
    assert count == 2 and stored.parent == folder and stored.read_text(encoding="utf-8") == CSV_TEXT


def dump_line(gid, name, alts, lat, lon, fclass, fcode, cc, admin1, pop):
    return "\t".join([str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, cc, "", admin1, "", "", "",
                      str(pop), "", "1000", "Asia/Yerevan", "2024-01-01"]) + "\n"


DUMP = (
    dump_line(9000001, "Verin Shorzha", "Yukhari Shorzha,Verkhnyaya Shorzha", 40.47, 45.25, "P", "PPL", "AM", "05", 0)
    + dump_line(9000002, "Sotk", "Zod,Zot", 40.2, 45.9, "P", "PPL", "AM", "05", 300)
    + dump_line(9000003, "Sevan Pass", "", 40.5, 45.0, "T", "PASS", "AM", "05", 0)
)


def test_dump_import_keeps_populated_places_only(tmp_path):
    src = tmp_path / "AM.txt"
    src.write_text(DUMP, encoding="utf-8")
    folder = tmp_path / "user"
    folder.mkdir()
    stored, count = user_sources.import_dump(src, folder)
    assert count == 2 and stored.name == "dump-AM.tsv"
    b = GazetteerBuilder()
    b.add("Sotk", 40.2, 45.9, country="AM", geonameid=9000002)  # already known: not added twice
    assert user_sources.add_dump_entries(b, stored) == 1
    g = Gazetteer.from_builder(b)
    assert g.names[g.find("Yukhari Shorzha")[0]] == "Verin Shorzha"
    assert len(g.find("Sotk")) == 1 and g.find("Zod") == ()
    assert g.find("Sevan Pass") == ()


def test_dump_import_reads_geonames_zip(tmp_path):
    """GeoNames serves XX.zip holding XX.txt and a readme: the zip is read as is."""
    import zipfile

    src = tmp_path / "AM.zip"
    with zipfile.ZipFile(src, "w") as archive:
        archive.writestr("readme.txt", "not a dump line\n")
        archive.writestr("AM.txt", DUMP)
    folder = tmp_path / "user"
    folder.mkdir()
    stored, count = user_sources.import_dump(src, folder)
    assert count == 2 and stored.name == "dump-AM.tsv"
    assert stored.read_text(encoding="utf-8").startswith("9000001\tVerin Shorzha")


def test_zip_without_a_dump_is_refused(tmp_path):
    import zipfile

    src = tmp_path / "AM.zip"
    with zipfile.ZipFile(src, "w") as archive:
        archive.writestr("readme.txt", "nothing\n")
    with pytest.raises(ValueError, match="one XX.txt inside the zip"):
        user_sources.import_dump(src, tmp_path)


def test_malformed_dump_is_refused(tmp_path):
    src = tmp_path / "XX.txt"
    src.write_text("1\tonly\tthree\n", encoding="utf-8")
    with pytest.raises(ValueError, match="GeoNames dump"):
        user_sources.import_dump(src, tmp_path)


def test_user_additions_are_merged_into_every_build(tmp_path, monkeypatch):
    folder = tmp_path / gz.USER_DIR
    folder.mkdir()
    (folder / "user-mine.csv").write_text(CSV_TEXT, encoding="utf-8")
    (folder / "dump-AM.tsv").write_text(DUMP, encoding="utf-8")
    for slow in ("add_cities500", "add_countries", "add_subdivisions"):
        monkeypatch.setattr(sources, slow, lambda *a, **k: {})
    settings = Settings(cache_dir=str(tmp_path / "cache"), db_path=str(tmp_path / "incidents.db"))
    path = sources.build_gazetteer(settings, progress=None)
    g = Gazetteer(marshal.loads(path.read_bytes()))
    assert g.find("Sector North") and g.find("Verin Shorzha") and g.find("Nagorno-Karabakh")


def test_user_additions_live_beside_the_database_and_move_out_of_an_old_cache(tmp_path):
    """Deleting the cache must never lose what the user added; older versions kept it there."""
    settings = Settings(cache_dir=str(tmp_path / "cache"), db_path=str(tmp_path / "data" / "incidents.db"))
    old = tmp_path / "cache" / gz.USER_DIR
    old.mkdir(parents=True)
    (old / "dump-AM.tsv").write_text(DUMP, encoding="utf-8")
    folder = gz.user_dir(settings)
    assert folder == tmp_path / "data" / gz.USER_DIR
    assert (folder / "dump-AM.tsv").read_text(encoding="utf-8") == DUMP
    assert not (old / "dump-AM.tsv").exists()


def test_conflict_regions_file_names_a_source_for_every_fact():
    import csv

    with gz.CONFLICT_REGIONS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(row["source"].strip() for row in rows)
    assert {"Nagorno-Karabakh", "Donbas", "Line of Control", "Idlib province"} <= {r["name"] for r in rows}


def test_demonym_keys_find_no_settlement():
    b = GazetteerBuilder()
    b.add("Yindian", 30.0, 114.0, country="CN", population=0)  # folds to "indian"
    b.add("Somali", 8.0, 44.0, country="ET", admin1="Somali", feature=kinds.ADMIN1, population=1_000)
    sources.drop_demonym_keys(b)
    g = Gazetteer.from_builder(b)
    assert g.find("Indian") == ()
    assert g.find("Yindian") == ()  # the same key: demonyms win, the hamlet is lost
    assert g.feature[g.find("Somali")[0]] == kinds.ADMIN1


@pytest.mark.parametrize(
    "places, chosen",
    [
        # the place nearest the middle of the span, not the largest city on its edge
        ([(2_000_000, 29.8, -95.4, "Big Port"), (9_000, 31.3, -99.2, "Midtown"), (80_000, 35.2, -101.8, "North End"),
          (60_000, 25.9, -97.5, "South End"), (70_000, 31.8, -106.4, "West End")], "Midtown"),
        # across the 180th meridian, the middle lies on the island chain, not on the far side of the earth
        ([(5_000, 65.0, 177.5, "West Cape"), (900, 66.0, 179.5, "West Isle"), (1_200, 65.5, -178.6, "Mid Isle"),
          (2_000, 64.8, -172.0, "Far East")], "Mid Isle"),
    ],
)
def test_a_region_without_a_named_capital_sits_near_its_middle(places, chosen):
    assert sources._region_point(places)[3] == chosen
