"""incidents.ui.data: the dashboard's frame (categoricals, rejected left out) and its read-ahead."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from incidents.config import Settings, load_settings
from incidents.schema import BATTLES
from incidents.store import kept
from incidents.store.database import open_store
from incidents.store.dataset import bulk_load
from incidents.views import filters
from incidents.ui import data


@pytest.fixture
def db(settings):
    frame = pd.DataFrame({
        "event_id": ["a", "b", "c"], "event_date": ["2024-01-01", "2024-01-02", "2024-01-03"],
        "event_type": [BATTLES] * 3, "location": ["Sotk", "Zod", "Tegh"], "latitude": [40.2, 40.1, 39.5],
        "notes": ["one", "two", "three"], "review_status": ["auto", "rejected", "auto"],
    })
    with open_store(settings) as s:
        bulk_load(s, frame)
        version = s.data_version()
    return settings, version


def test_view_frame_has_categorical_text_and_no_rejected_rows(db):
    settings, _ = db
    frame = data.read_view_frame(settings)
    assert list(frame.columns) == [*data.VIEW_COLUMNS, filters.PLACE_CODE]
    assert frame["location"].astype(object).tolist() == ["Sotk", "Tegh"]
    text = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    assert "event_type" in text and "location" in text and "review_status" in text


def test_the_view_frame_is_kept_per_data_version_and_read_back_as_derived(db):
    settings, version = db
    derived = data.read_view_frame(settings)
    assert kept.kept_path(settings.db_path, data.VIEW_FRAME, version).is_file()
    again = data.read_view_frame(settings)
    pd.testing.assert_frame_equal(again, derived)
    with open_store(settings) as store:  # an edit is a new data version: derived afresh, the old file goes
        store.edit("a", "location", "Elsewhere", "test")
        new_version = store.data_version()
    assert data.read_view_frame(settings)["location"].astype(object).tolist() == ["Elsewhere", "Tegh"]
    assert [p.name for p in kept.kept_folder(settings.db_path).iterdir()] == [
        kept.kept_path(settings.db_path, data.VIEW_FRAME, new_version).name]


def test_extras_stay_aligned_with_the_view_frame(db):
    settings, version = db
    from incidents.store.database import Store

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
    from incidents.store.dataset import load_incidents

    frame = pd.DataFrame({
        "event_id": list("abcd"), "event_date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
        "event_type": [BATTLES, "Explosions/Remote violence", BATTLES, BATTLES],
        "country": ["Armenia", "Azerbaijan", "Armenia", None], "admin1": ["Syunik", "Lachin", "Tavush", None],
        "actor1": ["Side A", "Side B", None, "Side B"], "actor2": [None, "Side A", None, None],
        "geo_precision": pd.array([1, 2, 1, None], dtype="Int8"), "review_status": ["auto"] * 3 + ["rejected"],
    })
    with open_store(settings) as s:
        bulk_load(s, frame)
    chosen = filters.FilterSpec(**spec)
    coded = filters.apply(data.read_view_frame(settings), chosen)
    plain = filters.apply(load_incidents(settings, columns=list(data.VIEW_COLUMNS), include_rejected=True), chosen)
    assert coded["event_date"].tolist() == plain["event_date"].tolist()


# ---------------------------------------------------------------------------
# incidents.ui.ingest_save: keep/reject and corrections of an ingest preview
# ---------------------------------------------------------------------------

from incidents.reports.model import Report  # noqa: E402
from incidents.store.database import Store  # noqa: E402
from incidents.ui.ingest_save import save_checked_report, with_unique_ids  # noqa: E402


def preview_incident(event_id: str, **values) -> dict:
    base = {"event_id": event_id, "event_type": BATTLES, "sub_event_type": "Armed clash", "event_date": "2024-03-01",
            "date_start": "2024-03-01", "date_end": "2024-03-01", "country": "Armenia", "location": "Sotk",
            "latitude": 40.2, "longitude": 45.9, "geo_precision": 1, "fatalities": 0, "injured": 0,
            "confidence": 0.9, "review_status": "auto", "weapons": [], "actor1": "Side A"}
    return base | values


@pytest.fixture
def earlier(tmp_path) -> Store:
    """A store holding incident a1 (Sotk, 1 March) of an earlier report r1."""
    store = Store(tmp_path / "ingest.db")
    store.add_report(Report(id="r1", text="Fire at Sotk on 1 March.", source_type="belligerent",
                            published="2024-03-02"), [preview_incident("a1")])
    yield store
    store.close()


NEW_REPORT = Report(id="r2", text="Shelling at Sotk on 1 March; clash at Zod.", source_type="monitor",
                    published="2024-03-02")
# x1 repeats a1 (the store merges it), x2 is new.
PREVIEW = [preview_incident("x1"), preview_incident("x2", location="Zod", latitude=40.6, longitude=46.6)]
CORRECTION = {"actor1": "Side B"}


@pytest.mark.parametrize(
    "keep, changes, a1_actor, x2_actor, a1_reports, x2_saved, not_applied",
    [
        # a correction of the merged preview must not change the earlier report's incident
        ([True, True], [CORRECTION, {}], "Side A", "Side A", ["r1", "r2"], True, [("x1", "a1")]),
        # a correction of a new incident is an edit on it
        ([True, True], [{}, CORRECTION], "Side A", "Side B", ["r1", "r2"], True, []),
        # rejecting the merged preview leaves a1 alone (no new source) instead of rejecting it
        ([False, True], [{}, {}], "Side A", "Side A", ["r1"], True, []),
        # a rejected new incident is not saved at all
        ([True, False], [{}, CORRECTION], "Side A", None, ["r1", "r2"], False, []),
    ],
)
def test_ingest_save_applies_choices_only_to_this_reports_new_incidents(
        earlier, keep, changes, a1_actor, x2_actor, a1_reports, x2_saved, not_applied):
    outcome = save_checked_report(earlier, NEW_REPORT, PREVIEW, keep, changes, "Ana")
    a1 = earlier.incident("a1")
    assert a1["event_id"] == "a1" and a1["actor1"] == a1_actor and a1["review_status"] != "rejected"
    assert [e["event_id"] for e in earlier.edits()] == (["x2"] if x2_actor == "Side B" else [])
    assert sorted({s["report_id"] for s in earlier.sources("a1")}) == a1_reports
    x2 = earlier.incident("x2")
    assert (x2 is not None) == x2_saved
    if x2_saved:
        assert x2["actor1"] == x2_actor
    assert outcome.not_applied == not_applied
    assert outcome.left_out == keep.count(False)


def test_ingest_save_of_a_report_already_stored_changes_nothing(earlier):
    save_checked_report(earlier, NEW_REPORT, PREVIEW, [True, True], [{}, {}], "Ana")
    again = save_checked_report(earlier, NEW_REPORT, PREVIEW, [True, False], [{}, CORRECTION], "Ana")
    assert again.already_stored and (again.added, again.merged, again.edited) == (0, 0, 0)
    assert earlier.edits() == [] and earlier.incident("x2")["review_status"] != "rejected"


def test_edits_carry_the_analyst_name(earlier):
    save_checked_report(earlier, NEW_REPORT, PREVIEW, [True, True], [{}, CORRECTION], "Ana")
    assert [(e["field"], e["editor"]) for e in earlier.edits("x2")] == [("actor1", "Ana")]


@pytest.mark.parametrize(
    "ids, expected",
    [(["a", "b"], ["a", "b"]), (["a", "a", "a"], ["a", "a-2", "a-3"]), ([None, "a"], [None, "a"])],
)
def test_preview_ids_are_made_unique_before_saving(ids, expected):
    assert [i["event_id"] for i in with_unique_ids([{"event_id": x} for x in ids])] == expected


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://example.org/a", "https://example.org/a"),
        ("  http://example.org  ", "http://example.org"),
        ("javascript:alert(1)", None),
        ("https://exa mple.org", None),  # whitespace: not one link
        ("https://", None),  # no host
        (None, None),
    ],
)
def test_table_links_follow_the_report_url_rule(url, shown):
    from incidents.ui import components

    assert components._safe_links(pd.Series([url], dtype=object)).tolist() == [shown]


def test_first_start_tells_each_step_while_the_gazetteer_builds(tmp_path, monkeypatch):
    """The page hears from the first start every second while the place-name index builds
    (here a stand-in build that copies a ready cache), then per report, then the map's names."""
    import shutil
    import time

    from incidents.geo import gazetteer
    from incidents.store.database import Store
    from incidents.views import map_labels

    ready = gazetteer.cache_path(load_settings())
    gazetteer.load_gazetteer(load_settings())  # the real cache, built once if this machine lacks it
    settings = Settings(db_path=str(tmp_path / "first.db"), cache_dir=str(tmp_path / "cache"))

    def stand_in_build(chosen: Settings) -> None:
        time.sleep(2.5)
        target = gazetteer.cache_path(chosen)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ready, target)

    monkeypatch.setattr(gazetteer, "build_in_child_process", stand_in_build)
    monkeypatch.setattr(data, "store_for", lambda s: Store(s.db_path, settings=s))
    seen: list[tuple[float, str]] = []
    summary = data.first_start(settings, lambda share, text: seen.append((share, text)))
    assert summary is not None and summary.incidents_added > 0
    building = [share for share, text in seen if text.startswith("Building the place-name index")]
    assert len(building) >= 2 and building == sorted(building) and building[-1] < data.BUILD_SHARE
    texts = [text for _, text in seen]
    assert "Loading the place-name index…" in texts
    assert any(text.startswith("Reading the sample reports: 1 of") for text in texts)
    assert texts[-1] == "Preparing the map's place names…"
    assert [share for share, _ in seen] == sorted(share for share, _ in seen)
    assert (gazetteer.cache_path(settings).parent / map_labels.LABELS_FILE).is_file()


def test_view_frame_carries_place_codes_that_filtered_views_reuse(db):
    """Computed once per data version: a filtered view counts and groups places from its rows' codes."""
    from incidents.views import map_chart

    settings, _ = db
    frame = data.read_view_frame(settings).assign(longitude=[45.9, 45.9])
    frame[filters.PLACE_CODE] = filters.place_codes(frame.drop(columns=[filters.PLACE_CODE]))
    part = frame.iloc[[1]]
    assert part[filters.PLACE_CODE].tolist() == [1]  # the code of the whole version, not renumbered
    assert filters.count_places(filters.place_codes(part)) == 1
    bare = part.drop(columns=[filters.PLACE_CODE])
    assert map_chart.places(part)[["name", "count"]].equals(map_chart.places(bare)[["name", "count"]])
