"""Conflicts (theatres) from a table analysts edit: ``data/conflicts.csv``.

Analysts think in conflicts, not in countries: "the Blue Line", "Armenia–Azerbaijan".
Each row of the table names a conflict, the countries it covers (ISO 3166-1
alpha-2 codes), optionally the first-level regions that limit a country to
part of it, and its sides::

    name,countries,regions,sides,notes
    Israel–Lebanon,IL|LB,IL:Northern District,Israel|Hezbollah,Blue Line

An incident belongs to a conflict when its ``country_code`` is one of the
conflict's countries and, if the table lists regions of that country, its
``admin1`` is one of them. Conflicts may overlap. Everything here is pure
except :func:`load_conflicts`, which reads the file (once per modification).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from incidents.config import DATA_DIR

CONFLICTS_FILE = DATA_DIR / "conflicts.csv"
COLUMNS = ("name", "countries", "regions", "sides", "notes")


@dataclass(frozen=True)
class Conflict:
    """One row of the conflicts table."""

    name: str
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2, upper case
    regions: tuple[tuple[str, str], ...] = ()  # (country code, admin1 name) limiting that country
    sides: tuple[str, ...] = ()
    notes: str = ""

    def regions_of(self, code: str) -> tuple[str, ...]:
        """The admin1 names limiting ``code`` (empty: the whole country counts)."""
        return tuple(region for country, region in self.regions if country == code)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def parse_conflicts(rows: Iterable[dict[str, str]]) -> tuple[list[Conflict], list[str]]:
    """Conflicts from CSV rows, and one message per row or value skipped (never raises)."""
    conflicts: list[Conflict] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        name = (row.get("name") or "").strip()
        if not name:
            problems.append(f"conflicts.csv line {number}: no name, row skipped.")
            continue
        if name in seen:
            problems.append(f"conflicts.csv line {number}: {name!r} appears twice, row skipped.")
            continue
        countries = []
        for code in _split(row.get("countries")):
            if len(code) == 2 and code.isalpha():
                countries.append(code.upper())
            else:
                problems.append(f"conflicts.csv line {number}: {code!r} is not a two-letter country code.")
        regions = []
        for item in _split(row.get("regions")):
            code, sep, region = item.partition(":")
            code = code.strip().upper()
            if not sep or code not in countries or not region.strip():
                problems.append(f"conflicts.csv line {number}: region {item!r} must be CC:Region with CC "
                                "among the row's countries.")
                continue
            regions.append((code, region.strip()))
        if not countries:
            problems.append(f"conflicts.csv line {number}: {name!r} has no country, row skipped.")
            continue
        seen.add(name)
        conflicts.append(Conflict(name=name, countries=tuple(countries), regions=tuple(regions),
                                  sides=tuple(_split(row.get("sides"))), notes=(row.get("notes") or "").strip()))
    return conflicts, problems


def read_conflicts(path: Path | None = None) -> tuple[list[Conflict], list[str]]:
    """The table at ``path`` (``CONFLICTS_FILE`` by default; no file: no conflicts, no problem)."""
    path = path or CONFLICTS_FILE
    if not path.is_file():
        return [], []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return parse_conflicts(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], [f"conflicts.csv could not be read: {exc}"]


@lru_cache(maxsize=4)
def _read_cached(path: Path, stamp: int) -> tuple[tuple[Conflict, ...], tuple[str, ...]]:
    conflicts, problems = read_conflicts(path)
    return tuple(conflicts), tuple(problems)


def load_conflicts(path: Path | None = None) -> tuple[tuple[Conflict, ...], tuple[str, ...]]:
    """The table (``CONFLICTS_FILE`` by default), read again only when the file changes
    (an analyst edits it while the app runs)."""
    path = path or CONFLICTS_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    return _read_cached(path, stamp)


def named(conflicts: Sequence[Conflict], names: Iterable[str]) -> list[Conflict]:
    """The conflicts called ``names`` (unknown names are left out)."""
    wanted = set(names)
    return [c for c in conflicts if c.name in wanted]


def conflict_countries(conflicts: Sequence[Conflict], names: Iterable[str] | None = None) -> set[str]:
    """Country codes the conflicts called ``names`` cover (all conflicts when None)."""
    chosen = conflicts if names is None else named(conflicts, names)
    return {code for conflict in chosen for code in conflict.countries}


def _codes(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a text column and its categories (-1: missing), without copying text."""
    if column not in frame:
        return np.full(len(frame), -1, dtype=np.int64), []
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), [str(v) for v in values.cat.categories]
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    return codes.astype(np.int64), [str(v) for v in uniques]


def _pairs(frame: pd.DataFrame) -> tuple[np.ndarray, dict[int, tuple[str, str | None]]]:
    """A code per row for its (country code, admin1) pair, and the pairs present.

    Conflicts are decided on the distinct pairs, not row by row: a million
    incidents hold a few hundred pairs.
    """
    country_codes, countries = _codes(frame, "country_code")
    region_codes, regions = _codes(frame, "admin1")
    width = len(regions) + 1
    pair = country_codes * width + (region_codes + 1)  # negative when the country is missing
    seen = np.flatnonzero(np.bincount(pair[pair >= 0], minlength=1))  # codes are small: a count, not a sort
    present = {p: (countries[p // width].upper(), regions[p % width - 1] if p % width else None)
               for p in seen.tolist()}
    return pair, present


def conflict_mask(frame: pd.DataFrame, conflicts: Sequence[Conflict]) -> np.ndarray:
    """Rows of ``frame`` that belong to any of ``conflicts``."""
    if not conflicts or not len(frame):
        return np.zeros(len(frame), dtype=bool)
    pair, present = _pairs(frame)
    wanted = [p for p, (code, region) in present.items() if _pair_in(code, region, conflicts)]
    return np.isin(pair, np.asarray(wanted, dtype=np.int64))


def _pair_in(code: str, region: str | None, conflicts: Sequence[Conflict]) -> bool:
    for conflict in conflicts:
        if code in conflict.countries:
            limit = conflict.regions_of(code)
            if not limit or region in limit:
                return True
    return False


def conflicts_in_view(frame: pd.DataFrame, conflicts: Sequence[Conflict],
                      chosen: Iterable[str] = ()) -> list[str]:
    """Names of the conflicts a view shows: those ``chosen`` in the filter, else every
    conflict with at least one incident in ``frame`` (in table order).

    The timeline uses it to show only the key dates of these conflicts.
    """
    chosen = list(chosen)
    if chosen:
        return [c.name for c in named(conflicts, chosen)]
    if not len(frame):
        return []
    present = _pairs(frame)[1].values()
    return [c.name for c in conflicts if any(_pair_in(code, region, [c]) for code, region in present)]
