"""A ``reextract`` overlapping an ``ingest`` in another process loses nothing.

Two real processes share one database. The re-extraction pauses after reading
its first report until the other process has stored new reports, so the
overlap that once deleted the new reports' incidents happens every run.
"""

from __future__ import annotations

import subprocess
import sys

from incidents.config import PROJECT_ROOT
from incidents.reports.model import Report
from incidents.store.database import Store

COMMON = """
import json, sys, time
from pathlib import Path
from incidents.reports.model import Report
from incidents.store.database import Store

def extract(report, geoparser):
    return [{"event_id": report.id + "-0", "event_type": "Battles", "event_date": "2024-03-10",
             "location": report.id, "latitude": float(report.text), "longitude": 20.0}]
"""

REEXTRACT = COMMON + """
db_path, started, resume = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
calls = []

def paused(report, geoparser):
    calls.append(report.id)
    if len(calls) == 1:  # after the report set was read: let the other process ingest now
        started.touch()
        deadline = time.monotonic() + 60
        while not resume.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return extract(report, geoparser)

with Store(db_path) as store:
    summary = store.reextract(extractor=paused)
print(json.dumps({"applied": summary.applied, "failed": summary.failed, "reports": summary.reports}))
"""

INGEST = COMMON + """
db_path, started, resume = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
deadline = time.monotonic() + 60
while not started.exists() and time.monotonic() < deadline:
    time.sleep(0.05)
reports = [Report(id=f"new{i}", text=str(50.0 + i)) for i in range(3)]
with Store(db_path) as store:
    summary = store.ingest(reports, extractor=extract)
resume.touch()
sys.exit(1 if summary.failed or summary.incidents_added != 3 else 0)
"""


def test_reextract_overlapping_an_ingest_keeps_every_new_report_s_incidents(tmp_path):
    db = tmp_path / "incidents.db"
    first = {"event_type": "Battles", "event_date": "2024-03-10", "longitude": 20.0}
    with Store(db) as store:
        for i in range(3):
            store.add_report(Report(id=f"old{i}", text=str(30.0 + i)),
                             [{**first, "event_id": f"old{i}-0", "location": f"old{i}", "latitude": 30.0 + i}])
    started, resume = tmp_path / "started", tmp_path / "resume"
    args = [str(db), str(started), str(resume)]
    reextract = subprocess.Popen([sys.executable, "-c", REEXTRACT, *args], cwd=PROJECT_ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ingest = subprocess.Popen([sys.executable, "-c", INGEST, *args], cwd=PROJECT_ROOT,
                              stderr=subprocess.PIPE, text=True)
    ingest_err = ingest.communicate(timeout=120)[1]
    out, err = reextract.communicate(timeout=120)
    assert ingest.returncode == 0, ingest_err
    assert reextract.returncode == 0, err
    assert '"applied": true' in out and '"failed": []' in out, out
    with Store(db) as store:
        for report_id in [f"old{i}" for i in range(3)] + [f"new{i}" for i in range(3)]:
            assert store.report(report_id) is not None
            assert store.incident(f"{report_id}-0") is not None, f"{report_id} lost its incident"
        assert store.count() == 6
