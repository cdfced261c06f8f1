"""Impossible dates: publication and event dates outside 1900..tomorrow are refused by name,
and the "last N days" presets count back from the newest incident not after today."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from incidents import schema
from incidents.extract import dates
from incidents.extract.date_spans import publication_day
from incidents.views import filters
from incidents.reports.model import parse_published
from incidents.store.database import Store
from tests.test_report_commands import fake_pipeline, run  # noqa: F401 - autouse fixture

TODAY = dt.date.today()


@pytest.mark.parametrize("value,words", [
    ("9999-12-31", "published 9999-12-31 is in the future"),
    ("0001-01-01", "published 0001-01-01 is before 1900"),
    ("0001-01-01T00:00:00", "published 0001-01-01 is before 1900"),
    ("1899-12-31", "before 1900"),
    ((TODAY + dt.timedelta(days=2)).isoformat(), "in the future"),
])
def test_implausible_publication_dates_are_refused_by_name(value, words):
    with pytest.raises(ValueError, match=words):
        parse_published(value)
    with pytest.raises(ValueError, match="check the date"):
        publication_day(value)


@pytest.mark.parametrize("value", ["1900-01-01", TODAY.isoformat(), (TODAY + dt.timedelta(days=1)).isoformat()])
def test_the_window_includes_1900_and_tomorrow(value):
    assert parse_published(value) == value and publication_day(value).isoformat() == value


def test_ingest_names_each_impossible_date_and_stores_the_rest(tmp_path, capsys, settings):
    src = tmp_path / "dated.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in (
        {"id": "future", "text": "Sotk was shelled.", "published": "9999-12-31"},
        {"id": "ancient", "text": "Tegh was shelled.", "published": "0001-01-01"},
        {"id": "fine", "text": "Kut was shelled.", "published": "2024-03-10"},
    )) + "\n", encoding="utf-8")
    assert run("ingest", str(src)) == 1
    captured = capsys.readouterr()
    assert "dated.jsonl:1: published 9999-12-31 is in the future" in captured.err
    assert "dated.jsonl:2: published 0001-01-01 is before 1900" in captured.err
    assert "Traceback" not in captured.err and "OverflowError" not in captured.err
    with Store(settings.db_path) as store:
        assert store.report("fine") is not None and store.report("future") is None


def test_a_default_publication_date_out_of_the_window_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Sotk was shelled.", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        run("extract", str(tmp_path / "a.txt"), "--published", "9999-12-31")
    assert exit_.value.code == 2 and "in the future" in capsys.readouterr().err


@pytest.mark.parametrize("sentence", ["It happened 40000 days ago.", "It happened 3000000 days ago.",
                                      "It happened 99999999 weeks ago."])
def test_relative_dates_beyond_the_window_resolve_to_nothing(sentence):
    assert dates.find_dates(sentence, dt.date(2024, 3, 10)) == []


def test_presets_count_back_from_the_newest_incident_not_after_today():
    frame = pd.DataFrame({"event_date": pd.to_datetime(["2024-03-01", "2024-03-05", "2999-12-26"])})
    assert filters.newest_date(frame) == dt.date(2024, 3, 5)
    assert filters.newest_date(frame.iloc[2:]) is None


def test_an_edit_to_an_impossible_date_is_refused(settings):
    from tests.test_store import ingest, incident, report

    with Store(settings.db_path) as store:
        ingest(store, report("r1", incident()))
        with pytest.raises(ValueError, match="date 9999-12-31 is in the future"):
            store.edit("r1-0", "event_date", "9999-12-31", "ana")
        store.edit("r1-0", "event_date", "2024-03-09", "ana")


def test_plausible_date_names_the_field():
    with pytest.raises(ValueError, match="event date 1800-01-01 is before 1900"):
        schema.plausible_date(dt.date(1800, 1, 1), "event date")
