"""Shared fixtures. Nothing here (or anywhere in the tests) touches the network."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from incidents.config import Settings

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
    """Settings pointing at a fresh database in a temporary folder (cache shared)."""
    s = Settings()
    s.db_path = str(tmp_path / "incidents.db")
    return s
