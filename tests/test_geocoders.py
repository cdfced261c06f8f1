"""geopy interface: the offline gazetteer geocoder, and Nominatim against a local stub server."""

from __future__ import annotations

import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from incidents.geo import toponyms as kinds
from incidents.config import Settings
from incidents.geo.gazetteer import Gazetteer, GazetteerBuilder
from incidents.geo.geocoders import DEFAULT_USER_AGENT, GazetteerGeocoder, OnlineGeocodingDisabled, online_geocoder


@pytest.fixture(scope="module")
def geocoder() -> GazetteerGeocoder:
    b = GazetteerBuilder()
    b.add("Paris", 48.85, 2.35, country="FR", admin1="11", population=2_100_000, geonameid=2988507)
    b.add("Paris", 33.66, -95.56, country="US", admin1="TX", population=25_000)
    b.add("Texas", 30.27, -97.74, country="US", admin1="TX", feature=kinds.ADMIN1, population=900_000)
    b.add("Donetsk", 48.02, 37.8, country="UA", admin1="05", population=900_000)
    b.add("Donetska oblast", 48.02, 37.8, aliases=["Donetsk"], country="UA", admin1="05",
          feature=kinds.ADMIN1, population=900_000)
    b.add("Akhnūr", 32.9, 74.74, aliases=["Akhnoor"], country="IN", population=20_000)
    return GazetteerGeocoder(Gazetteer.from_builder(b))


def test_is_a_geopy_geocoder(geocoder):
    assert isinstance(geocoder, Geocoder)


@pytest.mark.parametrize(
    "query, name, country",
    [
        ("Paris", "Paris", "FR"),
        ("Paris, Texas", "Paris", "US"),
        ("paris", "Paris", "FR"),
        ("Akhnoor", "Akhnūr", "IN"),
        ("Donetsk", "Donetsk", "UA"),                   # a bare name is the town
        ("Donetsk oblast", "Donetska oblast", "UA"),    # ... unless the region is asked for
    ],
)
def test_geocode_returns_a_location(geocoder, query, name, country):
    location = geocoder.geocode(query)
    assert isinstance(location, Location)
    assert location.raw["name"] == name and location.raw["country_code"] == country
    assert (location.latitude, location.longitude) == (location.raw["lat"], location.raw["lon"])


def test_geocode_unknown_is_none(geocoder):
    assert geocoder.geocode("Atlantis") is None


def test_geocode_all_candidates_and_country_filter(geocoder):
    both = geocoder.geocode("Paris", exactly_one=False)
    assert [loc.raw["country_code"] for loc in both] == ["FR", "US"]
    assert geocoder.geocode("Paris", country_codes="us").raw["country_code"] == "US"


@pytest.mark.parametrize("query", ["33.7, -95.5", (33.7, -95.5)])
def test_reverse_gives_the_nearest_settlement(geocoder, query):
    location = geocoder.reverse(query)
    assert location.raw["name"] == "Paris" and location.raw["country_code"] == "US"


def test_works_under_geopy_rate_limiter_unchanged(geocoder):
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    reverse = RateLimiter(geocoder.reverse, min_delay_seconds=0)
    assert geocode("Paris, Texas").raw["country_code"] == "US"
    assert reverse("48.85, 2.35").raw["name"] == "Paris"


# -- Nominatim through a stub server on 127.0.0.1 (never the network) -----------


def online_settings(tmp_path, url, **changes) -> Settings:
    values = dict(cache_dir=str(tmp_path), online_geocoding=True,
                  nominatim_user_agent="incidents-tests (tests@example.org)", nominatim_url=url)
    values.update(changes)
    return Settings(**values)


def test_nominatim_answers_come_from_the_stub_and_are_cached(tmp_path, stub_server):
    geocoder = online_geocoder(online_settings(tmp_path, stub_server.url), min_delay_seconds=0)
    first = geocoder.geocode("Yerevan")
    again = geocoder.geocode("Yerevan")
    assert first.address == again.address == "Yerevan, Armenia"
    assert (again.latitude, again.longitude) == (40.1811, 44.5136)
    assert len(stub_server.requests) == 1                       # the second answer came from the cache
    path, query, agent = stub_server.requests[0]
    assert path.startswith("/search") and query["q"] == ["Yerevan"]
    assert agent == "incidents-tests (tests@example.org)"
    # A new process (new geocoder) still finds it on disk.
    assert online_geocoder(online_settings(tmp_path, stub_server.url), min_delay_seconds=0).geocode("Yerevan")
    assert len(stub_server.requests) == 1


def test_nominatim_reverse_through_the_stub(tmp_path, stub_server):
    geocoder = online_geocoder(online_settings(tmp_path, stub_server.url), min_delay_seconds=0)
    assert geocoder.reverse("40.18, 44.51").address == "Yerevan, Armenia"
    assert stub_server.requests[0][0].startswith("/reverse")


def test_nominatim_is_rate_limited_to_one_request_per_second_by_default(tmp_path, stub_server):
    geocoder = online_geocoder(online_settings(tmp_path, stub_server.url))
    assert geocoder._geocode.min_delay_seconds == 1.0


def test_nominatim_refused_when_off(tmp_path):
    with pytest.raises(OnlineGeocodingDisabled, match="online_geocoding"):
        online_geocoder(Settings(cache_dir=str(tmp_path)))


def test_nominatim_names_the_application_when_no_user_agent_is_set(tmp_path, stub_server):
    geocoder = online_geocoder(online_settings(tmp_path, stub_server.url, nominatim_user_agent=" "), min_delay_seconds=0)
    geocoder.geocode("Yerevan")
    assert stub_server.requests[0][2] == DEFAULT_USER_AGENT and DEFAULT_USER_AGENT.startswith("ceasefire-incident-tracker/")
