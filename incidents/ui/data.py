"""Data access for the dashboard: the store, the cached frame, first start.

Caching rules (see ../shared/notes/ecosystem.md §1.2): nothing is keyed by
hashing the incident frame. The frame is cached per (database, data_version),
so an ingest or an edit is seen on the next run and nothing else reloads.

It is cached with ``st.cache_resource``, not ``st.cache_data``: cache_data
would unpickle a fresh copy of a million-row frame on every rerun (seconds),
which breaks the 1 s filter budget. The shared frame is treated as read-only:
filters return new frames and no code here mutates one in place.

The frame holds no rejected incidents (left out in Arrow while reading, so
filters never copy a million rows just to drop them) and its text columns are
categoricals read straight from Parquet. A freshly started server reads it
ahead, in a background thread started when this module is first imported,
while the first visitor's script is still importing the pages.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from incidents.views import filters
from incidents.config import SAMPLES_DIR, Settings, load_settings
from incidents.views import conflicts as conflict_table
from incidents.views import map_labels

# What every page needs, kept lean: low-cardinality text becomes categorical
# (filtering and row selection on Arrow strings cost seconds at a million rows).
VIEW_COLUMNS: tuple[str, ...] = (
    "event_date", "event_type", "sub_event_type", "actor1", "actor2", "claimed_by",
    "source_type", "disputed", "n_sources", "corroborated", "country", "country_code", "admin1", "location",
    "latitude", "longitude", "geo_precision", "fatalities", "injured", "violation_count",
    "confidence", "review_status", "source", "fictional",
)
# Heavy, mostly unique text: read only when a page needs it (table, detail,
# free-text search), row-aligned with the view frame. latitude/event_date are
# read again to check the alignment.
EXTRA_COLUMNS: tuple[str, ...] = ("event_id", "report_id", "source_url", "notes", "evidence")
_ALIGNMENT_COLUMNS = ("latitude", "event_date")
SAMPLE_REPORTS = SAMPLES_DIR / "reports"
VIEW_FRAME = "view"  # the name the view frame is kept under beside the snapshot


class _Preloaded:
    """View frames read ahead in a background thread, at most one per database.

    The first visitor of a freshly started server would otherwise wait for
    the Parquet read after every module import; started when this module is
    imported, the read overlaps with the rest of the script's imports and
    set-up. :func:`load_frame` takes the result when its data version matches.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, Future] = {}

    def start(self, settings: Settings) -> bool:
        """Begin reading ``settings.db_path`` unless a read of it is already pending."""
        with self._lock:
            if settings.db_path in self._pending:
                return False
            future: Future = Future()
            self._pending[settings.db_path] = future
        threading.Thread(target=self._read, args=(settings, future), name="incidents-preload",
                         daemon=True).start()
        return True

    @staticmethod
    def _read(settings: Settings, future: Future) -> None:
        try:
            from incidents.store.database import Store

            store = Store(settings.db_path, settings=settings)
            try:
                version = store.data_version()
                future.set_result((version, read_view_frame(settings, store)))
            finally:
                store.close()
        except BaseException as exc:  # noqa: BLE001 - the script run reads again and shows the error
            future.set_exception(exc)

    def take(self, db_path: str, version: str) -> pd.DataFrame | None:
        """The pending frame of ``db_path`` if it is of ``version`` (waits for it); else None."""
        with self._lock:
            future = self._pending.pop(db_path, None)
        if future is None:
            return None
        try:
            read_version, frame = future.result()
        except Exception:  # noqa: BLE001 - read again in the script run, where errors are shown
            return None
        return frame if read_version == version else None


_preloaded = _Preloaded()


def preload(settings: Settings | None = None) -> bool:
    """Start reading the view frame of an existing database in the background.

    Called once when this module is first imported (the first visitor's script
    run); ``INCIDENTS_PRELOAD=0`` turns it off. Returns whether a read started.
    """
    if os.environ.get("INCIDENTS_PRELOAD", "1") == "0":
        return False
    try:
        settings = settings or load_settings()
    except ValueError:
        return False  # the settings page reports a broken settings file
    if not Path(settings.db_path).is_file():
        return False  # first start: nothing to read yet
    return _preloaded.start(settings)


@st.cache_resource(show_spinner=False)
def get_store(db_path: str, _settings: Settings) -> Any:
    """One open store per database file and process (the Store is thread-safe)."""
    from incidents.store.database import Store

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    return Store(db_path, settings=_settings)


def store_for(settings: Settings) -> Any:
    return get_store(settings.db_path, settings)


@st.cache_resource(show_spinner=False)
def _first_start_lock(db_path: str) -> threading.Lock:
    return threading.Lock()


@st.cache_resource(show_spinner="Loading incidents…", max_entries=2)
def load_frame(db_path: str, version: str, _settings: Settings, _store: Any) -> pd.DataFrame:
    """The incidents of one data version, edits applied, rejected ones left out. Read-only.

    Takes the frame :func:`preload` read in the background when it is of this
    version; reads it otherwise. :func:`load_extras` leaves out the same rows,
    so both stay aligned row by row.
    """
    frame = _preloaded.take(db_path, version)
    return frame if frame is not None else read_view_frame(_settings, _store)


def read_view_frame(settings: Settings, store: Any = None) -> pd.DataFrame:
    """VIEW_COLUMNS of every incident not rejected, text as categoricals straight from Parquet,
    and each row's place code (``filters.PLACE_CODE``).

    Derived once per data version and kept beside the snapshot (:mod:`incidents.store.kept`):
    a freshly started server reads it back in a fraction of the time.
    """
    from incidents.store import kept
    from incidents.store.database import Store
    from incidents.store.dataset import load_incidents

    own = store is None
    store = store or Store(settings.db_path, settings=settings)
    try:
        version = store.data_version()
        frame = kept.read_kept(settings.db_path, VIEW_FRAME, version)
        if frame is not None and list(frame.columns) == [*VIEW_COLUMNS, filters.PLACE_CODE]:
            return frame  # (kept by code that read other columns: derived again below)
        frame = categorise(load_incidents(settings, columns=list(VIEW_COLUMNS), store=store, categorical=True))
        # Once per data version, not per view: every filtered view takes its rows' place codes.
        frame[filters.PLACE_CODE] = filters.place_codes(frame)
        if store.data_version() == version:  # unchanged while it was read: it is that version's frame
            kept.keep(settings.db_path, VIEW_FRAME, version, frame)
        return frame  # positions are the join key with load_extras
    finally:
        if own:
            store.close()


def categorise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas categoricals: integer codes make masks and takes fast."""
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("category")
    return frame


@st.cache_resource(show_spinner="Loading report text…", max_entries=2)
def load_extras(db_path: str, version: str, _settings: Settings, _store: Any, _frame: pd.DataFrame) -> pd.DataFrame:
    """Ids, links, notes and evidence, row-aligned with ``load_frame`` of the same version."""
    from incidents.store.dataset import load_incidents

    extras = load_incidents(_settings, columns=[*EXTRA_COLUMNS, *_ALIGNMENT_COLUMNS], store=_store)
    if not aligned(_frame, extras):
        raise StaleFrame("the incident store changed between two reads")
    return extras[list(EXTRA_COLUMNS)].reset_index(drop=True)


class StaleFrame(RuntimeError):
    """The cached view frame no longer matches the snapshot on disk."""


def aligned(frame: pd.DataFrame, extras: pd.DataFrame) -> bool:
    """Same rows in the same order (a snapshot rebuilt between two reads would break this)."""
    if len(frame) != len(extras):
        return False
    for column in _ALIGNMENT_COLUMNS:
        left = frame[column].to_numpy()
        right = extras[column].to_numpy()
        if column == "latitude":
            if not np.array_equal(left.astype(float), right.astype(float), equal_nan=True):
                return False
        elif not (pd.Series(left).fillna(pd.Timestamp(0)) == pd.Series(right).fillna(pd.Timestamp(0))).all():
            return False
    return True


def conflicts_stamp() -> int:
    """When the conflicts table last changed (part of the widget values' cache key)."""
    try:
        return conflict_table.CONFLICTS_FILE.stat().st_mtime_ns
    except OSError:
        return -1


@st.cache_data(show_spinner=False, max_entries=4)
def known_values(db_path: str, version: str, conflicts_stamp: int, _frame: pd.DataFrame) -> dict[str, list[str]]:
    """Values each list filter can take (for widgets and URL validation)."""
    known = filters.known_values(_frame)
    known["conflicts"] = [c.name for c in conflict_table.load_conflicts()[0]]
    known["_region_countries"] = filters.region_countries(_frame)  # type: ignore[assignment]
    return known


@dataclass
class View:
    """What every page of one script run works on."""

    settings: Settings
    store: Any
    version: str
    frame: pd.DataFrame  # all incidents (read-only, shared)
    filtered: pd.DataFrame  # the rows the sidebar filters select
    spec: filters.FilterSpec
    newest: Any
    problems: list[str] = field(default_factory=list)

    @property
    def query_string(self) -> str:
        return filters.query_string(self.spec)

    def extras(self) -> pd.DataFrame:
        """event_id, report_id, source_url, notes, evidence of every row of ``frame`` (same index)."""
        try:
            return load_extras(self.settings.db_path, self.version, self.settings, self.store, self.frame)
        except StaleFrame:  # data changed under us: drop the cached frame and draw again
            load_frame.clear()
            st.rerun()
            raise

    def text_source(self, spec: filters.FilterSpec | None = None) -> pd.DataFrame | None:
        """The notes/evidence side frame when a free-text filter needs it (else None: not loaded)."""
        return self.extras() if (spec or self.spec).text else None

    def with_extras(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``frame`` (or of a selection from it) joined with their heavy columns."""
        extras = self.extras().iloc[rows.index.to_numpy()]
        return pd.concat([rows, extras.set_axis(rows.index)], axis=1)


def current_view() -> View:
    """The View that app.py built for this run (pages call this)."""
    view = st.session_state.get("_view")
    if view is None:  # a page run without app.py (should not happen)
        st.error("The dashboard must be started with `streamlit run app.py`.")
        st.stop()
    return view


def load(settings: Settings) -> tuple[Any, str, pd.DataFrame]:
    """(store, data_version, frame) for the configured database."""
    store = store_for(settings)
    version = store.data_version()
    frame = load_frame(settings.db_path, version, settings, store)
    return store, version, frame


# Shares of the first-start progress bar: the gazetteer build takes nearly all the time
# (4 min measured on a busy 2-core machine; its length is unknown in advance, so the bar
# creeps towards BUILD_SHARE as the seconds pass).
BUILD_SHARE, BUILD_TYPICAL_SECONDS = 0.6, 90.0


def first_start(settings: Settings, progress: Callable[[float, str], None]) -> Any:
    """Ingest the bundled sample reports into an empty store; None when not empty.

    Each slow step says what it does in the page: building the place-name index
    (once per machine, the longest step), loading it, reading each report,
    preparing the map's place names. A lock per database keeps two browser tabs
    from ingesting at once (the store would skip duplicates anyway, but the work
    would be done twice).
    """
    store = store_for(settings)
    with _first_start_lock(settings.db_path):
        if store.count() > 0 or not SAMPLE_REPORTS.is_dir():
            return None
        from incidents.geo.geoparse import get_geoparser
        from incidents import pipeline
        from incidents.reports.reading import read_reports

        _build_gazetteer(settings, progress)
        progress(BUILD_SHARE, "Loading the place-name index…")
        geoparser = get_geoparser(settings)
        items = list(read_reports([SAMPLE_REPORTS]))
        done = [0]
        reports_share = 0.95 - BUILD_SHARE

        def step(n: int = 1) -> None:
            done[0] += n
            progress(BUILD_SHARE + reports_share * min(done[0] / max(len(items), 1), 1.0),
                     f"Reading the sample reports: {done[0]} of {len(items)}")

        progress(BUILD_SHARE, f"Reading the sample reports: 0 of {len(items)}")
        summary = pipeline.ingest(store, items, geoparser=geoparser, progress=step)
        progress(0.97, "Preparing the map's place names…")
        map_labels.load_towns(settings)
        return summary


def _build_gazetteer(settings: Settings, progress: Callable[[float, str], None]) -> None:
    """Build the gazetteer cache when missing, in a child process, telling the page every second."""
    from incidents.geo.gazetteer import build_in_child_process, cache_path

    if cache_path(settings).is_file():
        return
    worker = threading.Thread(target=build_in_child_process, args=(settings,), name="incidents-gazetteer-build",
                              daemon=True)
    started = time.monotonic()
    worker.start()
    while worker.is_alive():
        elapsed = time.monotonic() - started
        share = BUILD_SHARE * elapsed / (elapsed + BUILD_TYPICAL_SECONDS)
        progress(share, f"Building the place-name index from GeoNames: once on this machine, one to a few "
                        f"minutes on 2 cores ({elapsed:.0f} s so far)…")
        worker.join(timeout=1.0)


def export_frame(settings: Settings, store: Any, spec: filters.FilterSpec, newest: Any) -> pd.DataFrame:
    """Every column of exactly the rows the filters select (read on demand, for downloads)."""
    from incidents.store.dataset import load_incidents

    frame = load_incidents(settings, store=store)
    return filters.apply(frame, spec, newest)


def frame_from_incidents(incidents: list[dict[str, Any]]) -> pd.DataFrame:
    """Schema-typed frame from extracted incident dicts (ingest preview)."""
    from incidents.store.frames import frame_from_records

    return frame_from_records(incidents)


preload()
