"""The store's connection: one SQLite file, its pragmas, write transactions and version tokens.

:class:`StoreBase` is the bottom of :class:`incidents.store.Store`; the reasons for
each pragma are in :mod:`incidents.store.database`'s docstring. Everything above it reaches
SQLite only through ``_query`` (reads) and ``_transaction`` (writes).
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Self

from incidents.store.tables import migrate, write_transaction

if TYPE_CHECKING:
    from incidents.config import Settings

BUSY_TIMEOUT_S = 30.0


def snapshot_versions_of(meta: dict[str, str]) -> dict[str, str]:
    """The two columnar snapshots' keys from the meta table (see :meth:`StoreBase.snapshot_versions`)."""
    return {"imported": f"{meta['store_id']}-i{meta.get('imported_version', '0')}",
            "extracted": f"{meta['store_id']}-{meta['incidents_version']}"}


class StoreBase:
    """One SQLite database file; safe to share between threads of one process."""

    def __init__(self, path: str | Path, *, settings: Settings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings
        self._lock = threading.RLock()
        self._conn = self._connect()

    # -- connection and transactions -------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, *bump: str) -> Iterator[sqlite3.Connection]:
        """A write transaction; ``bump`` names the version counters it changes."""
        with self._lock, write_transaction(self._conn) as conn:
            yield conn
            for key in bump:  # an upsert: counters added after a database was made start at 1
                conn.execute("INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key)"
                             " DO UPDATE SET value = CAST(value AS INTEGER) + 1", (key,))

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def _meta(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self._query("SELECT key, value FROM meta")}

    def data_version(self) -> str:
        """A cheap token that changes whenever reports, incidents or edits change."""
        meta = self._meta()
        return f"{meta['store_id']}-{meta['incidents_version']}-{meta['edits_version']}"

    def snapshot_versions(self) -> dict[str, str]:
        """Keys of the two columnar snapshots (see :mod:`incidents.store.dataset`); blind to edits.

        ``imported`` changes only with bulk loads, ``extracted`` with any change of incidents.
        """
        return snapshot_versions_of(self._meta())

    def count(self) -> int:
        """Number of stored incidents (rejected ones included)."""
        return self._query("SELECT count(*) FROM incidents")[0][0]

    def has_report(self, report_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM reports WHERE id = ?", (report_id,)))
