"""Shared fixtures. Nothing here (or anywhere in the tests) touches the network."""

from __future__ import annotations

import pytest

from incidents.config import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings pointing at a fresh database in a temporary folder (cache shared)."""
    s = Settings()
    s.db_path = str(tmp_path / "incidents.db")
    return s
