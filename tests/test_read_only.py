"""A read-only deployment (setting read_only / INCIDENTS_READ_ONLY): no page or button writes."""

from __future__ import annotations

import pytest

from incidents.store.database import Store
from incidents.ui.pages import PAGES, visible_pages
from tests.test_app import app, db, no_exception, page  # noqa: F401 - db is a fixture


@pytest.fixture
def read_only(monkeypatch):
    monkeypatch.setenv("INCIDENTS_READ_ONLY", "1")


def test_writing_pages_leave_the_navigation_when_read_only():
    assert {p.title for p in PAGES} - {p.title for p in visible_pages(True)} == {"Add reports", "Review queue", "Places"}
    assert visible_pages(False) == PAGES


@pytest.mark.parametrize("module", ["pages_ingest", "pages_review"])
def test_writing_pages_draw_no_control_when_read_only(db, read_only, module):
    at = page(module)
    no_exception(at)
    assert not at.main.button and not at.main.text_input and not at.main.text_area
    assert any("read-only" in c.value for c in at.caption)


def test_incident_detail_offers_no_place_switch_when_read_only(db, read_only):
    at = page("pages_table", {"data_event_id": "a1"})
    no_exception(at)
    assert not [b for b in at.button if b.label == "Use this place"]
    assert not [t for t in at.text_input if t.key == "data_detail_analyst"]
    assert any("Switching places" in c.value for c in at.caption)


def test_settings_are_shown_not_saved_when_read_only(db, read_only, tmp_path):
    target = tmp_path / "settings.toml"
    at = page("pages_settings", {"settings_file": str(target)})
    no_exception(at)
    assert not at.main.button and not at.main.toggle
    assert not target.exists()


def test_read_only_start_does_not_ingest_the_sample(tmp_path, monkeypatch, read_only):
    path = tmp_path / "first.db"
    monkeypatch.setenv("INCIDENTS_DB_PATH", str(path))
    at = app()
    no_exception(at)
    assert not any(s.value.startswith("First start:") for s in at.success)
    with Store(path) as store:
        assert store.count() == 0
