"""Settings section: add a GeoNames country dump (``XX.txt`` or ``XX.zip``) to the gazetteer.

cities500 lacks most villages under 500 inhabitants; a country's full dump
(download.geonames.org/export/dump/) has them. The upload runs the same
command as ``python -m incidents gazetteer add-dump``, in a child process:
building the gazetteer parses ~600 MB of GeoNames JSON, which the dashboard's
process must not keep. Its progress lines are shown as they come; the running
geoparser picks up the rebuilt cache by itself (it checks the file).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import streamlit as st

from incidents.config import PROJECT_ROOT, Settings
from incidents.ui.text import md_escape

# Progress lines of the command, in order, and how far along each one is.
STAGES = (
    ("read ", 0.1), ("kept ", 0.25), ("region names", 0.3), ("cities500", 0.4),
    ("countries and regions", 0.7), ("user entries", 0.8), ("GeoNames dump", 0.85), ("places,", 1.0),
)


# Country dumps are larger than reports (UA.txt is about 60 MB, its zip 12 MB); larger ones
# go through `python -m incidents gazetteer add-dump`.
MAX_DUMP_MB = 400


def command_for(path: Path) -> list[str]:
    """The command that adds one dump (tests replace it with one that skips the long rebuild)."""
    return [sys.executable, "-m", "incidents", "gazetteer", "add-dump", str(path)]


def _share(line: str, current: float) -> float:
    for marker, share in STAGES:
        if marker in line:
            return max(current, share)
    return current


def section(settings: Settings) -> None:
    """The uploader and, once a file is given, the button that adds it with progress."""
    st.subheader("Villages the gazetteer lacks")
    st.caption("Add a GeoNames country dump (e.g. UA.zip or UA.txt from download.geonames.org/export/dump/) to "
               "find villages under 500 inhabitants. The gazetteer is rebuilt afterwards (a minute or more).")
    upload = st.file_uploader("GeoNames country dump", type=["zip", "txt", "gz"], key="settings_dump",
                              max_upload_size=MAX_DUMP_MB)
    if upload is None or not st.button("Add to the gazetteer", key="settings_add_dump"):
        return
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(upload.name).name) or "dump.txt"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(upload.getvalue())
        ok, lines = _run(command_for(path), settings)
    if ok:
        st.success(f"Added {md_escape(upload.name)}: {md_escape(lines[-1] if lines else 'done')}")
    else:
        st.error(f"Could not add {md_escape(upload.name)}: {md_escape(lines[-1] if lines else 'no message')}")


def _run(command: list[str], settings: Settings) -> tuple[bool, list[str]]:
    """Run the command, showing each progress line; (succeeded, lines)."""
    env = dict(os.environ, INCIDENTS_CACHE_DIR=str(settings.cache_dir), INCIDENTS_DB_PATH=str(settings.db_path))
    bar = st.progress(0.0, text="Starting…")
    lines: list[str] = []
    share = 0.0
    with subprocess.Popen(command, cwd=str(PROJECT_ROOT), env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace") as process:
        assert process.stderr is not None
        for line in process.stderr:
            line = line.strip()
            if not line:
                continue
            lines.append(line)
            share = _share(line, share)
            bar.progress(share, text=md_escape(line[:200]))
        code = process.wait()
    bar.progress(1.0, text="Done." if code == 0 else "Failed.")
    return code == 0, lines
