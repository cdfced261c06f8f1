"""The geocoding chain: gazetteer, the user's places, then Nominatim only when turned on.

Nominatim is a stub on 127.0.0.1 (``stub_server`` in conftest); no test reaches the network.
"""

from __future__ import annotations

import json

import pytest

from incidents.cli.main import main as cli_main
from incidents.config import Settings
from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import CACHE_FILE, cache_path
from incidents.geo.geocoders import online_candidate, online_geocoder
from incidents.geo.geoparse import GeocodingChain, geocoding_chain

AGENT = "incidents-tests (tests@example.org)"
# An invented village: no gazetteer has it.
VILLAGE = "Zarnovka"
REPORT = (f"The Defence Ministry of Armenia said on 4 March 2026 that Azerbaijani forces fired mortars "
          f"at the village of {VILLAGE} overnight, damaging two houses.\n")


def answer(name: str, country: str = "am", cls: str = "place", kind: str = "village",
           lat: str = "40.9712", lon: str = "45.159") -> dict:
    return {"lat": lat, "lon": lon, "name": name, "display_name": f"{name}, somewhere", "class": cls,
            "type": kind, "addresstype": kind, "place_id": 7, "osm_type": "node", "osm_id": 7,
            "address": {"country_code": country}}


def online_settings(tmp_path, url: str, **changes) -> Settings:
    values = dict(cache_dir=str(tmp_path), online_geocoding=True, nominatim_user_agent=AGENT, nominatim_url=url)
    values.update(changes)
    return Settings(**values)


@pytest.mark.parametrize(
    "answers, expected",
    [
        ([answer(VILLAGE)], (kinds.SETTLEMENT, "AM", 40.9712)),
        ([answer(VILLAGE, country="tr")], None),                                 # outside the report's countries
        ([answer(VILLAGE, cls="waterway", kind="river")], None),                 # not where incidents happen
        ([answer(VILLAGE, country="tr"), answer(VILLAGE, lat="41.0")], (kinds.SETTLEMENT, "AM", 41.0)),
        ([answer(VILLAGE, cls="boundary", kind="administrative")], (kinds.ADMIN2, "AM", 40.9712)),
        ([], None),
    ],
)
def test_online_answers_are_checked_against_the_report(tmp_path, stub_server, answers, expected):
    stub_server.answers[VILLAGE] = answers
    geocoder = online_geocoder(online_settings(tmp_path, stub_server.url), min_delay_seconds=0)
    found = online_candidate(geocoder, VILLAGE, ["AZ", "AM"])
    assert (None if found is None else (found.feature, found.country_code, found.lat)) == expected
    (_, query, agent), = stub_server.requests
    assert query["countrycodes"] == ["am,az"] and agent == AGENT
    if found is not None:
        assert found.source == "nominatim"


@pytest.mark.parametrize(
    "known, queries",
    [
        (f"{VILLAGE}, Tavush", [f"{VILLAGE}, Tavush"]),        # the region narrows the name
        (VILLAGE, [f"{VILLAGE}, Tavush", VILLAGE]),            # region unknown there: the name alone next
    ],
)
def test_online_is_asked_with_the_reports_region_first(tmp_path, stub_server, known, queries):
    stub_server.answers[known] = [answer(VILLAGE)]
    stub_server.answers.setdefault(f"{VILLAGE}, Tavush", [])
    geocoder = online_geocoder(online_settings(tmp_path, stub_server.url), min_delay_seconds=0)
    found = online_candidate(geocoder, VILLAGE, ["AM"], region="Tavush")
    assert found is not None and found.country_code == "AM"
    assert [query["q"][0] for _, query, _ in stub_server.requests] == queries


def test_online_is_not_asked_without_the_reports_countries_or_when_unreachable(tmp_path, stub_server):
    geocoder = online_geocoder(online_settings(tmp_path, stub_server.url), min_delay_seconds=0)
    assert online_candidate(geocoder, VILLAGE, []) is None
    assert stub_server.requests == []
    closed = online_geocoder(online_settings(tmp_path / "other", "http://127.0.0.1:9"), min_delay_seconds=0)
    assert online_candidate(closed, VILLAGE, ["AM"]) is None  # refused connection: unplaced, no crash


def test_the_chain_has_no_online_link_by_default(tmp_path):
    chain = geocoding_chain(Settings(cache_dir=str(tmp_path)))
    assert isinstance(chain, GeocodingChain) and chain.online is None
    assert chain.geocode_unplaced(VILLAGE, ["AM"]) is None


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """The CLI's settings through the environment, with the session's gazetteer cache linked in."""
    real = cache_path(Settings())
    if not real.is_file():
        pytest.skip("no gazetteer cache built")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).symlink_to(real)
    monkeypatch.setenv("INCIDENTS_CACHE_DIR", str(cache))
    monkeypatch.setenv("INCIDENTS_DB_PATH", str(tmp_path / "incidents.db"))
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    return report


def _extract(report, capsys) -> list[dict]:
    assert cli_main(["extract", str(report)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_extract_asks_nominatim_once_for_a_village_the_gazetteer_lacks(cli_env, stub_server, monkeypatch, capsys):
    stub_server.answers[VILLAGE] = [answer(VILLAGE)]
    monkeypatch.setenv("INCIDENTS_ONLINE_GEOCODING", "1")
    monkeypatch.setenv("INCIDENTS_NOMINATIM_URL", stub_server.url)
    monkeypatch.setenv("INCIDENTS_NOMINATIM_USER_AGENT", AGENT)
    (incident,) = _extract(cli_env, capsys)
    assert (incident["location"], incident["latitude"], incident["longitude"]) == (VILLAGE, 40.9712, 45.159)
    assert incident["geocoder"] == "nominatim" and incident["geo_precision"] == 1
    assert incident["country_code"] == "AM"
    (path, query, agent), = stub_server.requests
    assert path.startswith("/search") and query["q"] == [VILLAGE] and agent == AGENT
    (again,) = _extract(cli_env, capsys)  # a second run: the answer comes from the disk cache
    assert (again["latitude"], again["longitude"], again["geocoder"]) == (40.9712, 45.159, "nominatim")
    assert len(stub_server.requests) == 1


def test_extract_sends_nothing_when_online_geocoding_is_off(cli_env, stub_server, monkeypatch, capsys):
    monkeypatch.setenv("INCIDENTS_NOMINATIM_URL", stub_server.url)
    (incident,) = _extract(cli_env, capsys)
    assert incident["location"] == VILLAGE and incident["latitude"] is None and incident["geocoder"] is None
    assert stub_server.requests == []


def test_extract_asks_nominatim_within_the_region_the_report_names(cli_env, stub_server, monkeypatch, capsys):
    cli_env.write_text(REPORT.replace(f"{VILLAGE} overnight", f"{VILLAGE} in Tavush province overnight"),
                       encoding="utf-8")
    stub_server.answers[VILLAGE] = [answer(VILLAGE)]
    monkeypatch.setenv("INCIDENTS_ONLINE_GEOCODING", "1")
    monkeypatch.setenv("INCIDENTS_NOMINATIM_URL", stub_server.url)
    monkeypatch.setenv("INCIDENTS_NOMINATIM_USER_AGENT", AGENT)
    incidents = _extract(cli_env, capsys)
    assert [i["geocoder"] for i in incidents if i["location"] == VILLAGE] == ["nominatim"]
    first = stub_server.requests[0][1]["q"][0]
    assert first.startswith(f"{VILLAGE}, Tavush"), first
