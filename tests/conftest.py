"""Shared fixtures. Nothing here (or anywhere in the tests) touches the network."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from incidents.config import Settings, load_settings

# Set before any test module imports the dashboard: no background read of a developer's
# database at import time, and no local proxy between tests and their 127.0.0.1 servers.
os.environ.setdefault("INCIDENTS_PRELOAD", "0")
# The scorer lives beside the benches (bench/scoring.py), outside the runtime package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


@pytest.fixture(autouse=True)
def _isolated_settings_file(tmp_path_factory, monkeypatch):
    """A developer's saved data/settings.toml (online tiles, another cache) must not change results."""
    path = tmp_path_factory.getbasetemp() / "settings.toml"
    monkeypatch.setenv("INCIDENTS_SETTINGS_FILE", str(path))


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings pointing at a fresh database in a temporary folder (the cache shared, as the
    environment sets it: ``INCIDENTS_CACHE_DIR`` or the user cache folder)."""
    s = load_settings()
    s.db_path = str(tmp_path / "incidents.db")
    return s


class _NominatimStub(BaseHTTPRequestHandler):
    """Answers like Nominatim: ``answers`` maps a query to its /search body (Yerevan by default)."""

    requests: list[tuple[str, dict, str]] = []
    answers: dict[str, list] = {}

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        query = parse_qs(url.query)
        _NominatimStub.requests.append((url.path, query, self.headers.get("User-Agent", "")))
        if url.path.startswith("/search"):
            body = _NominatimStub.answers.get(query.get("q", [""])[0], [
                {"lat": "40.1811", "lon": "44.5136", "display_name": "Yerevan, Armenia",
                 "place_id": 1, "osm_type": "node", "osm_id": 1}])
        else:
            body = {"lat": "40.1811", "lon": "44.5136", "display_name": "Yerevan, Armenia",
                    "place_id": 1, "address": {"city": "Yerevan"}}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class StubServer:
    def __init__(self, url: str) -> None:
        self.url = url
        self.requests = _NominatimStub.requests
        self.answers = _NominatimStub.answers


@pytest.fixture
def stub_server():
    """A Nominatim stand-in on 127.0.0.1 (tests never reach the network)."""
    server = HTTPServer(("127.0.0.1", 0), _NominatimStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _NominatimStub.requests = []
    _NominatimStub.answers = {}
    yield StubServer(f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()
