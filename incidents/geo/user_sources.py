"""The user's additions to the gazetteer: a CSV of their own entries, GeoNames country dumps.

Importing copies the user's file (a dump as ``XX.txt`` or ``XX.zip``, a CSV of
name, aliases, latitude, longitude, country, feature) into the user folder
beside the cache, checked row by row, so that every rebuild
(:func:`incidents.geo.sources.build_gazetteer`) merges it again.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import GazetteerBuilder, Progress
from incidents.geo.regions import Regions

FEATURES = {kinds.SETTLEMENT, kinds.ADMIN1, kinds.ADMIN2, kinds.COUNTRY, kinds.REGION, kinds.USER}
CSV_COLUMNS = ("name", "aliases", "latitude", "longitude", "country", "feature")

def read_entry_csv(path: Path, default_feature: str = kinds.USER) -> Iterator[dict]:
    """Rows of name, aliases ('|'-separated), latitude, longitude, country, feature; ValueError on bad rows."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CSV_COLUMNS[:4] if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}")
        for line_no, row in enumerate(reader, start=2):
            name = (row.get("name") or "").strip()
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except (TypeError, ValueError):
                raise ValueError(f"{path}:{line_no}: latitude/longitude must be numbers") from None
            if not name or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"{path}:{line_no}: needs a name and a point inside -90..90, -180..180")
            feature = (row.get("feature") or "").strip().lower() or default_feature
            if feature not in FEATURES:
                raise ValueError(f"{path}:{line_no}: feature {feature!r} not one of {sorted(FEATURES)}")
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            yield {"name": name, "aliases": aliases, "lat": lat, "lon": lon,
                   "country": (row.get("country") or "").strip().upper()[:2], "feature": feature}


def add_csv_entries(builder: GazetteerBuilder, path: Path, default_feature: str = kinds.USER) -> int:
    n = 0
    for entry in read_entry_csv(path, default_feature):
        # User and conflict-region entries outrank same-named towns: a large nominal population.
        builder.add(entry["name"], entry["lat"], entry["lon"], aliases=entry["aliases"],
                    country=entry["country"], feature=entry["feature"], population=1_000_000,
                    min_key_len=2, allow_digits=True)
        n += 1
    return n


@contextmanager
def _open_dump(path: Path) -> Iterator[IO[str]]:
    """The dump's text, from ``XX.txt``, ``XX.txt.gz`` or GeoNames' own ``XX.zip`` (its ``XX.txt``)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            texts = [n for n in archive.namelist() if n.lower().endswith(".txt") and "readme" not in n.lower()]
            if len(texts) != 1:
                raise ValueError(f"{path.name}: expected one XX.txt inside the zip, found "
                                 f"{', '.join(texts) or 'none'}")
            with archive.open(texts[0]) as raw, io.TextIOWrapper(raw, encoding="utf-8") as fh:
                yield fh
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        yield fh


def _dump_rows(path: Path) -> Iterator[list[str]]:
    with _open_dump(path) as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            row = line.rstrip("\n").split("\t")
            if len(row) < 15:
                raise ValueError(f"{path.name}:{line_no}: not a GeoNames dump line (expected 19 tab-separated fields)")
            yield row


def add_dump_entries(builder: GazetteerBuilder, path: Path, regions: Regions | None = None) -> int:
    """Populated places (class P) from a stored dump extract, skipping ones already known."""
    regions = regions or Regions()
    n = 0
    for row in _dump_rows(path):
        gid = int(row[0])
        if row[6] != "P" or gid in builder.known_gids:
            continue
        builder.add(row[1], float(row[4]), float(row[5]),
                    aliases=[row[2], *row[3].split(",")], country=row[8],
                    admin1=regions.admin1_name(row[8], row[10]),
                    admin2=regions.admin2_name(row[8], row[10], row[11]), geonameid=gid, feature=kinds.SETTLEMENT,
                    population=int(row[14] or 0))
        n += 1
    return n


def import_dump(source: Path, user_folder: Path, progress: Progress | None = None) -> tuple[Path, int]:
    """Keep the populated places of a GeoNames dump in the user folder; returns (stored file, count).

    ``source`` is ``XX.txt``, ``XX.txt.gz`` or ``XX.zip`` as GeoNames serves it;
    ``progress`` hears how many lines were read, every 50,000.
    """
    kept = []
    for n, row in enumerate(_dump_rows(source), start=1):
        if row[6] == "P":
            float(row[4]), float(row[5]), int(row[0])  # fail early on a malformed dump
            kept.append(row)
        if progress and n % 50_000 == 0:
            progress(f"read {n:,} lines of {source.name}, {len(kept):,} populated places so far")
    stem = source.name.split(".")[0]
    target = user_folder / f"dump-{stem}.tsv"
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in kept:
            fh.write("\t".join(row) + "\n")
    tmp.replace(target)
    return target, len(kept)


def import_csv(source: Path, user_folder: Path) -> tuple[Path, int]:
    """Validate a CSV of own entries and keep a copy in the user folder; returns (stored file, count)."""
    count = sum(1 for _ in read_entry_csv(source))
    target = user_folder / f"user-{source.stem}.csv"
    shutil.copyfile(source, target)
    return target, count


