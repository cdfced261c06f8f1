"""incidents.ui.data: the dashboard's frame (categoricals, rejected left out) and its read-ahead."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from incidents.schema import BATTLES
from incidents.store import open_store
from incidents.ui import data


@pytest.fixture
def db(settings):
    frame = pd.DataFrame({
        "event_id": ["a", "b", "c"], "event_date": ["2024-01-01", "2024-01-02", "2024-01-03"],
        "event_type": [BATTLES] * 3, "location": ["Sotk", "Zod", "Tegh"], "latitude": [40.2, 40.1, 39.5],
        "notes": ["one", "two", "three"], "review_status": ["auto", "rejected", "auto"],
    })
    with open_store(settings) as s:
        s.bulk_load(frame)
        version = s.data_version()
    return settings, version


def test_view_frame_has_categorical_text_and_no_rejected_rows(db):
    settings, _ = db
    frame = data.read_view_frame(settings)
    assert list(frame.columns) == list(data.VIEW_COLUMNS)
    assert frame["location"].astype(object).tolist() == ["Sotk", "Tegh"]
    text = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    assert "event_type" in text and "location" in text and "review_status" in text


def test_extras_stay_aligned_with_the_view_frame(db):
    settings, version = db
    from incidents.store import Store

    store = Store(settings.db_path, settings=settings)
    try:
        frame = data.read_view_frame(settings, store)
        extras = data.load_extras.__wrapped__(settings.db_path, version, settings, store, frame)
    finally:
        store.close()
    assert extras["event_id"].tolist() == ["a", "c"] and extras["notes"].tolist() == ["one", "three"]


@pytest.mark.parametrize("asked_version, found", [("same", True), ("other", False)])
def test_a_preloaded_frame_is_taken_only_for_its_version(db, asked_version, found):
    settings, version = db
    preloaded = data._Preloaded()
    assert preloaded.start(settings)
    assert not preloaded.start(settings)  # one pending read per database
    frame = preloaded.take(settings.db_path, version if asked_version == "same" else "stale")
    assert (frame is not None) == found
    if found:
        assert frame["location"].astype(object).tolist() == ["Sotk", "Tegh"]
    assert preloaded.take(settings.db_path, version) is None  # taken once


def test_a_failed_preload_gives_none_so_the_script_reads_again(settings, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database")
    preloaded = data._Preloaded()
    preloaded.start(type(settings)(db_path=str(broken)))
    assert preloaded.take(str(broken), "any") is None


@pytest.mark.parametrize("env, exists, started", [("1", True, True), ("0", True, False), ("1", False, False)])
def test_preload_only_for_an_existing_database_unless_turned_off(db, tmp_path, monkeypatch, env, exists, started):
    settings, _ = db
    monkeypatch.setenv("INCIDENTS_PRELOAD", env)
    monkeypatch.setattr(data, "_preloaded", data._Preloaded())
    target = settings if exists else type(settings)(db_path=str(tmp_path / "missing.db"))
    assert data.preload(target) is started
    data._preloaded.take(target.db_path, "")  # let the thread finish before the store goes away


@pytest.mark.parametrize("spec", [
    dict(),
    dict(countries=("Armenia",)),
    dict(actors=("Side A",)),
    dict(regions=("Syunik",), event_types=(BATTLES,)),
    dict(since=dt.date(2024, 1, 2)),
    dict(precision=(1,)),
])
def test_filters_select_the_same_rows_on_the_categorical_frame(settings, spec):
    from incidents import filters
    from incidents.dataset import load_incidents

    frame = pd.DataFrame({
        "event_id": list("abcd"), "event_date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
        "event_type": [BATTLES, "Explosions/Remote violence", BATTLES, BATTLES],
        "country": ["Armenia", "Azerbaijan", "Armenia", None], "admin1": ["Syunik", "Lachin", "Tavush", None],
        "actor1": ["Side A", "Side B", None, "Side B"], "actor2": [None, "Side A", None, None],
        "geo_precision": pd.array([1, 2, 1, None], dtype="Int8"), "review_status": ["auto"] * 3 + ["rejected"],
    })
    with open_store(settings) as s:
        s.bulk_load(frame)
    chosen = filters.FilterSpec(**spec)
    coded = filters.apply(data.read_view_frame(settings), chosen)
    plain = filters.apply(load_incidents(settings, columns=list(data.VIEW_COLUMNS), include_rejected=True), chosen)
    assert coded["event_date"].tolist() == plain["event_date"].tolist()
