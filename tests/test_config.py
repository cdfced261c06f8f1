import pytest

from incidents.config import Settings, load_settings, save_settings


@pytest.mark.parametrize(
    "env, name, expected",
    [
        ({}, "online_tiles", False),
        ({"INCIDENTS_ONLINE_TILES": "true"}, "online_tiles", True),
        ({"INCIDENTS_ONLINE_GEOCODING": "0"}, "online_geocoding", False),
        ({"INCIDENTS_DB_PATH": "/tmp/x.db"}, "db_path", "/tmp/x.db"),
    ],
)
def test_environment_overrides(tmp_path, env, name, expected):
    s = load_settings(tmp_path / "missing.toml", env)
    assert getattr(s, name) == expected


def test_round_trip(tmp_path):
    path = tmp_path / "settings.toml"
    s = Settings(map_style="open-street-map", online_tiles=True, nominatim_user_agent='a "b"')
    save_settings(s, path)
    assert load_settings(path, {}) == s


def test_defaults_keep_requests_local():
    s = Settings()
    assert not s.online_tiles and not s.online_geocoding and s.map_style == "white-bg"


def test_settings_file_comes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    monkeypatch.setenv("INCIDENTS_SETTINGS_FILE", str(path))
    save_settings(Settings(online_tiles=True))
    assert path.is_file() and load_settings(environ={}).online_tiles is True
