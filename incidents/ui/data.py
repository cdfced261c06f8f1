"""Data access for the dashboard: the store, the cached frame, first start.

Caching rules (see ../shared/notes/ecosystem.md §1.2): nothing is keyed by
hashing the incident frame. The frame is cached per (database, data_version),
so an ingest or an edit is seen on the next run and nothing else reloads.

It is cached with ``st.cache_resource``, not ``st.cache_data``: cache_data
would unpickle a fresh copy of a million-row frame on every rerun (seconds),
which breaks the 1 s filter budget. The shared frame is treated as read-only:
filters return new frames and no code here mutates one in place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from incidents import filters
from incidents.config import SAMPLES_DIR, Settings
from incidents.schema import DTYPES

# The columns every page needs; the rest (date_start, extractor_version...) are
# read only when exporting, to keep a million-row frame small.
VIEW_COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "claimed_by",
    "source_type", "disputed", "n_sources", "corroborated", "country", "admin1", "location",
    "latitude", "longitude", "geo_precision", "fatalities", "injured", "violation_count",
    "evidence", "notes", "confidence", "review_status", "report_id", "source", "source_url", "fictional",
)
SAMPLE_REPORTS = SAMPLES_DIR / "reports"


@st.cache_resource(show_spinner=False)
def get_store(db_path: str, _settings: Settings) -> Any:
    """One open store per database file and process (the Store is thread-safe)."""
    from incidents.store import Store

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    return Store(db_path, settings=_settings)


def store_for(settings: Settings) -> Any:
    return get_store(settings.db_path, settings)


@st.cache_resource(show_spinner=False)
def _first_start_lock(db_path: str) -> threading.Lock:
    return threading.Lock()


@st.cache_resource(show_spinner="Loading incidents…", max_entries=2)
def load_frame(db_path: str, version: str, _settings: Settings, _store: Any) -> pd.DataFrame:
    """The incidents of one data version (edits applied, rejected left out). Read-only."""
    from incidents.dataset import load_incidents

    return load_incidents(_settings, columns=list(VIEW_COLUMNS), store=_store)


@st.cache_data(show_spinner=False, max_entries=4)
def known_values(db_path: str, version: str, _frame: pd.DataFrame) -> dict[str, list[str]]:
    """Values each list filter can take (for widgets and URL validation)."""
    known = filters.known_values(_frame)
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


def first_start(settings: Settings, progress: Callable[[float, str], None]) -> Any:
    """Ingest the bundled sample reports into an empty store; None when not empty.

    A lock per database keeps two browser tabs from ingesting at once (the
    store would skip duplicates anyway, but the work would be done twice).
    """
    store = store_for(settings)
    with _first_start_lock(settings.db_path):
        if store.count() > 0 or not SAMPLE_REPORTS.is_dir():
            return None
        from incidents.reports import read_reports

        items = list(read_reports([SAMPLE_REPORTS]))
        done = [0]

        def step(n: int = 1) -> None:
            done[0] += n
            progress(min(done[0] / max(len(items), 1), 1.0), f"Reading sample reports: {done[0]}/{len(items)}")

        progress(0.0, f"Reading sample reports: 0/{len(items)}")
        return store.ingest(items, progress=step)


def export_frame(settings: Settings, store: Any, spec: filters.FilterSpec, newest: Any) -> pd.DataFrame:
    """Every column of exactly the rows the filters select (read on demand, for downloads)."""
    from incidents.dataset import load_incidents

    frame = load_incidents(settings, store=store)
    return filters.apply(frame, spec, newest)


def frame_from_incidents(incidents: list[dict[str, Any]]) -> pd.DataFrame:
    """Schema-typed frame from extracted incident dicts (ingest preview)."""
    columns = [c for c in DTYPES]
    records = []
    for incident in incidents:
        record = {c: incident.get(c) for c in columns}
        weapons = record.get("weapons")
        if isinstance(weapons, (list, tuple)):
            record["weapons"] = ";".join(map(str, weapons))
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name, dtype in DTYPES.items():
        try:
            if dtype in ("int64",):
                frame[name] = pd.to_numeric(frame[name], errors="coerce").fillna(0).astype(dtype)
            elif dtype == "bool":
                frame[name] = frame[name].fillna(False).astype(bool)
            elif dtype.startswith("datetime"):
                frame[name] = pd.to_datetime(frame[name], errors="coerce").astype(dtype)
            else:
                frame[name] = frame[name].astype(dtype)
        except (TypeError, ValueError):
            pass
    return frame
