"""The analyst's own places: kept beside the database, a geopy geocoder, live in the geoparser."""

from __future__ import annotations

import dataclasses

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from incidents.config import Settings
from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import CACHE_FILE, Gazetteer, GazetteerBuilder
from incidents.geo.geocoders import UserPlacesGeocoder
from incidents.geo.geoparse import search_places
from incidents.geo.user_places import add_user_place, read_user_places, user_places_path


def small_gazetteer() -> Gazetteer:
    b = GazetteerBuilder()
    b.add("Armenia", 40.18, 44.51, country="AM", feature=kinds.COUNTRY, population=3_000_000)
    b.add("Berdavan", 41.1, 45.0, country="AM", population=3_000)
    b.add("Berd", 40.88, 45.39, country="AM", population=8_000)
    b.add("Berdyansk", 46.76, 36.8, country="UA", population=110_000)
    b.add("Paris", 48.85, 2.35, country="FR", population=2_100_000)
    return Gazetteer.from_builder(b)


@pytest.fixture
def user_settings(tmp_path, monkeypatch) -> Settings:
    """Settings whose gazetteer is the small one above (loads counted) and whose data is fresh."""
    from incidents.geo import geoparse

    loads = []

    def fake_load(settings=None, progress=None):
        loads.append(settings.cache_dir)
        return small_gazetteer()

    monkeypatch.setattr(geoparse, "_instances", {})
    monkeypatch.setattr(geoparse, "_with_places", {})
    monkeypatch.setattr(geoparse, "load_gazetteer", fake_load)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(b"cache")
    settings = dataclasses.replace(Settings(), cache_dir=str(cache), db_path=str(tmp_path / "data" / "incidents.db"))
    settings.loads = loads  # type: ignore[attr-defined]
    return settings


def test_a_place_is_kept_beside_the_database_not_in_the_cache(user_settings, tmp_path):
    add_user_place("Xorvat", 40.51, 45.12, "am", aliases=["Khorvat", " "], settings=user_settings, analyst="ana")
    assert user_places_path(user_settings).parent == tmp_path / "data"
    (place,) = read_user_places(user_settings)
    assert (place.name, place.latitude, place.longitude, place.country_code) == ("Xorvat", 40.51, 45.12, "AM")
    assert place.aliases == ("Khorvat",) and place.analyst == "ana" and place.added


@pytest.mark.parametrize(
    "name, lat, lon, country",
    [("", 40, 45, "AM"), ("--", 40, 45, "AM"), ("Xorvat", 95, 45, "AM"), ("Xorvat", 40, "east", "AM"),
     ("Xorvat", 40, 45, "Armenia"), ("Xorvat", 40, 45, "")],
)
def test_bad_places_are_refused_with_a_reason(user_settings, name, lat, lon, country):
    with pytest.raises(ValueError):
        add_user_place(name, lat, lon, country, settings=user_settings)
    assert read_user_places(user_settings) == []


def test_the_user_places_geocoder_is_a_geopy_geocoder(user_settings):
    add_user_place("Xorvat", 40.51, 45.12, "AM", aliases=["Khorvat"], settings=user_settings)
    add_user_place("Xorvat", 41.0, 44.0, "GE", settings=user_settings)
    geocoder = UserPlacesGeocoder(settings=user_settings)
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("khorvat", country_codes=["AM"])
    assert isinstance(location, Location) and location.point[:2] == (40.51, 45.12)
    assert location.raw["source"] == "user" and location.raw["country_code"] == "AM"
    assert [loc.raw["country_code"] for loc in geocoder.geocode("Xorvat", exactly_one=False)] == ["GE", "AM"]
    assert geocoder.geocode("Xorvat", country_codes="UA") is None
    assert geocoder.geocode("Atlantis") is None


def test_a_saved_place_is_found_in_the_next_report_without_a_rebuild(user_settings):
    from incidents.geo.geoparse import get_geoparser

    text = "Shots were fired at Xorvat and Berd overnight."
    before = get_geoparser(user_settings)
    assert [t.text for t in before.parse(text) if t.best] == ["Berd"]
    add_user_place("Xorvat", 40.51, 45.12, "AM", settings=user_settings, analyst="ana")
    placed = {t.text: t.best for t in get_geoparser(user_settings).parse(text)}
    assert placed["Xorvat"].source == "user" and placed["Xorvat"].country_code == "AM"
    assert (placed["Xorvat"].lat, placed["Xorvat"].lon) == (40.51, 45.12)
    add_user_place("Vardut", 40.6, 45.2, "AM", aliases=["Vardout"], settings=user_settings)
    placed = {t.text: t.best for t in get_geoparser(user_settings).parse("Shelling near Vardout and Xorvat.")}
    assert placed["Vardout"].name == "Vardut" and placed["Xorvat"].name == "Xorvat"
    assert user_settings.loads == [user_settings.cache_dir]  # loaded once: no rebuild, no reload
    assert [t.text for t in before.parse(text) if t.best] == ["Berd"]  # the shared index is untouched


def test_search_places_lists_user_places_then_the_gazetteer(user_settings):
    add_user_place("Berdik", 40.7, 45.3, "AM", settings=user_settings)
    found = search_places("Berd", settings=user_settings)
    assert [(c.name, c.source) for c in found] == [("Berd", "gazetteer"), ("Berdik", "user"),
                                                   ("Berdyansk", "gazetteer"), ("Berdavan", "gazetteer")]
    assert [c.name for c in search_places("Berd", country_codes=["UA"], settings=user_settings)] == ["Berdyansk"]
    (user,) = search_places("berdik", settings=user_settings)
    assert (user.source, user.feature, user.country_code, user.lat, user.lon) == ("user", kinds.USER, "AM", 40.7, 45.3)
    assert search_places("  ", settings=user_settings) == []
    assert len(search_places("Berd", settings=user_settings, limit=2)) == 2
