"""Frames derived from the store, kept per data version beside its snapshot.

The dashboard's view frame (text as categoricals, rejected incidents left out,
edits applied, a place code per row) takes seconds to derive from the Parquet
snapshot at a million incidents, and a fraction of that to read back from an
uncompressed Arrow IPC file (memory-mapped; pandas dtypes travel in its
metadata). So the first server process to derive it for a data version keeps it
in ``<db>.kept/<name>-<version>.arrow``, and every later process and visitor
starts from there. A file of another version is never read (the version is in
its name) and is removed when a newer one is kept; a folder that cannot be
written (a read-only deployment) only means nothing is kept.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

log = logging.getLogger(__name__)


def kept_folder(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(f"{path.name}.kept")


def kept_path(db_path: str | Path, name: str, version: str) -> Path:
    """Where ``name`` of data ``version`` is kept (the version made safe for a file name)."""
    return kept_folder(db_path) / f"{name}-{re.sub(r'[^A-Za-z0-9_-]', '_', version)}.arrow"


def read_kept(db_path: str | Path, name: str, version: str) -> pd.DataFrame | None:
    """The frame kept for ``version``, or None (never kept, or unreadable: derive it again)."""
    path = kept_path(db_path, name, version)
    try:
        with pa.memory_map(str(path)) as source:
            table = ipc.open_file(source).read_all()
        return table.to_pandas()
    except (OSError, pa.ArrowInvalid) as exc:
        if path.exists():
            log.warning("kept frame %s unreadable (%s); deriving it again", path, exc)
        return None


def keep(db_path: str | Path, name: str, version: str, frame: pd.DataFrame) -> bool:
    """Write ``frame`` as ``name`` of ``version`` (atomically) and remove older versions of it.

    Returns whether it was kept; a failure to write is logged, never raised.
    """
    path = kept_path(db_path, name, version)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with pa.OSFile(str(tmp), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, path)
    except (OSError, pa.ArrowException) as exc:
        log.warning("could not keep %s beside the store (%s)", path.name, exc)
        return False
    finally:
        if tmp.exists():
            tmp.unlink()
    for older in path.parent.glob(f"{name}-*.arrow"):
        if older != path:
            older.unlink(missing_ok=True)
    return True
