"""Score extracted incidents against a hand-made gold annotation (issue #3).

The matching rule is the issue's: a found incident matches a true one *of the
same report*, one to one, when its date lies within a day of the true date or
span and its point lies within 25 km of the true point (75 km when the true
place is region-level, ``geo_precision`` 3). Where the true place has no
coordinates, the two place names must share a word (case- and accent-folded,
generic words such as "village" ignored). Event type is not part of the match;
it is scored separately over the matches, so that a wrong type shows up as a
type error rather than as one miss plus one false alarm.

Everything here is pure: lists of dicts in, dataclasses out. Loading the
gold files lives at the bottom; running the extractor lives in
``bench/extract_quality.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from incidents.store.merge import haversine_km
from incidents.text.fold import fold

NEAR_KM = 25.0
REGION_KM = 75.0
DATE_SLACK = timedelta(days=1)

# Words that name a kind of place rather than a place: sharing one of them
# ("Alibeyli village" / "Kemerli village") says nothing about the place.
GENERIC_PLACE_WORDS = frozenset(
    """
    a an and the of in at near on to from by area areas border line sector sectors
    village villages town city settlement district districts region regions province
    oblast raion rayon governorate county municipality direction directions north south
    east west northern southern eastern western outskirts
    vicinity positions position front frontline contact zone
    """.split()
)

# Fields compared over matched pairs, besides the event type.
AGREEMENT_FIELDS = ("sub_event_type", "fatalities", "injured", "disputed", "actor1", "actor2",
                    "violation_count")


# ---------------------------------------------------------------------------
# Small pure helpers
# ---------------------------------------------------------------------------


def to_date(value: Any) -> date | None:
    """An ISO string, date, datetime or pandas Timestamp as a date; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp, without importing pandas
        try:
            return value.to_pydatetime().date()
        except ValueError:  # NaT
            return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def to_float(value: Any) -> float | None:
    """A coordinate as float; None for missing values and NaN."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def place_words(name: str | None) -> set[str]:
    """The distinctive words of a place name (generic words like 'village' removed)."""
    if not name:
        return set()
    words = re.findall(r"[^\W_]+", fold(name))
    return {w for w in words if w not in GENERIC_PLACE_WORDS and len(w) > 1}


def names_share_word(a: str | None, b: str | None) -> bool:
    return bool(place_words(a) & place_words(b))


def true_span(truth: Mapping[str, Any]) -> tuple[date, date] | None:
    """The days a true incident may fall on: date_start..date_end, else event_date."""
    event = to_date(truth.get("event_date"))
    start = to_date(truth.get("date_start")) or event
    end = to_date(truth.get("date_end")) or event or start
    if start is None or end is None:
        return None
    return (min(start, end), max(start, end))


def found_date(found: Mapping[str, Any]) -> date | None:
    return to_date(found.get("event_date")) or to_date(found.get("date_start"))


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def pair_cost(found: Mapping[str, Any], truth: Mapping[str, Any]) -> float | None:
    """How far apart a found and a true incident are; None when they do not match.

    The cost is the distance in km (0 for a name match) plus a small amount per
    day off, so that ties in place are broken by date.
    """
    span = true_span(truth)
    day = found_date(found)
    if span is None or day is None:
        return None
    start, end = span
    if day < start - DATE_SLACK or day > end + DATE_SLACK:
        return None
    days_off = (start - day).days if day < start else max(0, (day - end).days)

    t_lat, t_lon = to_float(truth.get("latitude")), to_float(truth.get("longitude"))
    if t_lat is None or t_lon is None:
        if not names_share_word(found.get("location"), truth.get("location")):
            return None
        return days_off * 0.1
    f_lat, f_lon = to_float(found.get("latitude")), to_float(found.get("longitude"))
    if f_lat is None or f_lon is None:
        return None
    limit = REGION_KM if _int_or_none(truth.get("geo_precision")) == 3 else NEAR_KM
    km = haversine_km(f_lat, f_lon, t_lat, t_lon)
    if km > limit:
        return None
    return km + days_off * 0.1


def match_report(found: Sequence[Mapping[str, Any]],
                 truth: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one matches (found index, true index) within one report.

    Greedy by lowest cost first, then augmenting paths so that no pairing is
    lost because a greedy choice took a partner another incident needed (the
    number of matches is the maximum possible; costs are near-minimal).
    """
    options: dict[int, list[tuple[float, int]]] = {}
    for i, f in enumerate(found):
        for j, t in enumerate(truth):
            cost = pair_cost(f, t)
            if cost is not None:
                options.setdefault(i, []).append((cost, j))
    for choices in options.values():
        choices.sort()

    truth_owner: dict[int, int] = {}
    found_partner: dict[int, int] = {}
    ranked = sorted((cost, i, j) for i, choices in options.items() for cost, j in choices)
    for _cost, i, j in ranked:
        if i not in found_partner and j not in truth_owner:
            found_partner[i] = j
            truth_owner[j] = i

    def augment(i: int, seen: set[int]) -> bool:
        for _cost, j in options.get(i, []):
            if j in seen:
                continue
            seen.add(j)
            if j not in truth_owner or augment(truth_owner[j], seen):
                truth_owner[j] = i
                found_partner[i] = j
                return True
        return False

    for i in options:
        if i not in found_partner:
            augment(i, set())
    return sorted(found_partner.items())


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        # Nothing claimed means nothing wrongly claimed.
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Evaluation:
    """The result of scoring a whole set of reports."""

    overall: Counts = field(default_factory=Counts)
    by_kind: dict[str, Counts] = field(default_factory=dict)
    matches: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)  # true, not found
    false_alarms: list[dict[str, Any]] = field(default_factory=list)  # found, not true

    @property
    def type_accuracy(self) -> float | None:
        """Share of matches whose event_type is right; None without matches."""
        return field_agreement(self.matches, "event_type")

    def agreement(self, fields: Iterable[str] = AGREEMENT_FIELDS) -> dict[str, float | None]:
        return {name: field_agreement(self.matches, name) for name in fields}


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _comparable(name: str, value: Any) -> Any:
    if name in ("fatalities", "injured"):
        return _int_or_none(value) or 0  # 0 when none is reported (design notes)
    if name == "violation_count":
        return _int_or_none(value)
    if name == "disputed":
        return bool(value) if value is not None else False
    if isinstance(value, str):
        return fold(value).strip() or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def field_agreement(matches: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
                    name: str) -> float | None:
    """Share of matched (found, true) pairs that agree on one field."""
    if not matches:
        return None
    same = sum(_comparable(name, f.get(name)) == _comparable(name, t.get(name)) for f, t in matches)
    return same / len(matches)


def evaluate(found: Iterable[Mapping[str, Any]], truth: Iterable[Mapping[str, Any]],
             report_kinds: Mapping[str, str] | None = None) -> Evaluation:
    """Score found incidents against true ones, grouped by ``report_id``.

    ``report_kinds`` maps every report id of the set to its kind (ministry,
    monitor, wire, ...); reports absent from it count under "other". Found
    incidents of reports without any true incident are false alarms.
    """
    kinds = dict(report_kinds or {})
    found_by_report = _group(found)
    truth_by_report = _group(truth)
    result = Evaluation()
    for report_id in sorted(set(found_by_report) | set(truth_by_report)):
        f_list, t_list = found_by_report.get(report_id, []), truth_by_report.get(report_id, [])
        pairs = match_report(f_list, t_list)
        counts = Counts(tp=len(pairs), fp=len(f_list) - len(pairs), fn=len(t_list) - len(pairs))
        kind = kinds.get(report_id, "other")
        result.by_kind.setdefault(kind, Counts()).add(counts)
        result.overall.add(counts)
        matched_f = {i for i, _ in pairs}
        matched_t = {j for _, j in pairs}
        result.matches.extend((f_list[i], t_list[j]) for i, j in pairs)
        result.false_alarms.extend(f for i, f in enumerate(f_list) if i not in matched_f)
        result.misses.extend(t for j, t in enumerate(t_list) if j not in matched_t)
    for kind in set(kinds.values()):  # kinds with no incidents at all still show up
        result.by_kind.setdefault(kind, Counts())
    return result


def _group(incidents: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for incident in incidents:
        grouped.setdefault(str(incident.get("report_id")), []).append(dict(incident))
    return grouped


# ---------------------------------------------------------------------------
# Gold files: <set>/gold.jsonl (one line per true incident) and
# <set>/gold_reports.jsonl (one line per report: report_id, kind, file)
# ---------------------------------------------------------------------------


@dataclass
class GoldSet:
    """A scored set: where its reports are, which reports exist, and the truth."""

    root: Path
    reports_dir: Path
    report_kinds: dict[str, str]
    report_files: dict[str, str]  # file name -> report id, for reports read without an id
    incidents: list[dict[str, Any]]

    def report_id_for(self, report_id: str, origin: str = "") -> str:
        """The gold id of a report read from disk (files without an id get a content hash)."""
        if report_id in self.report_kinds:
            return report_id
        file_part = re.split(r":\d+$", origin)[0] if origin else ""
        return self.report_files.get(Path(file_part).name, report_id)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: {exc.msg}") from exc
    return rows


def load_gold(root: str | Path) -> GoldSet:
    """Read a set folder holding ``reports/``, ``gold.jsonl`` and ``gold_reports.jsonl``."""
    root = Path(root)
    listing = _read_jsonl(root / "gold_reports.jsonl")
    kinds = {str(row["report_id"]): str(row.get("kind") or "other") for row in listing}
    # Only a file holding one report identifies it (a JSON Lines file holds many, each with its id).
    per_file: dict[str, list[str]] = {}
    for row in listing:
        if row.get("file"):
            per_file.setdefault(Path(row["file"]).name, []).append(str(row["report_id"]))
    files = {name: ids[0] for name, ids in per_file.items() if len(ids) == 1}
    incidents = _read_jsonl(root / "gold.jsonl")
    unknown = sorted({str(i["report_id"]) for i in incidents} - set(kinds))
    if unknown:
        raise ValueError(f"{root / 'gold.jsonl'}: report ids not in gold_reports.jsonl: {unknown}")
    return GoldSet(root=root, reports_dir=root / "reports", report_kinds=kinds,
                   report_files=files, incidents=incidents)


# ---------------------------------------------------------------------------
# Running the extractor over a set (I/O; imported lazily so that scoring stays
# usable without the extractor, e.g. on predictions read from a file)
# ---------------------------------------------------------------------------


@dataclass
class SetRun:
    """What the extractor found over a set, and what could not be read."""

    found: list[dict[str, Any]]
    errors: list[str]  # "origin: reason" of reports that could not be read or extracted
    unread: list[str]  # gold report ids the reader never produced


def extract_set(gold: GoldSet, geoparser: Any = None,
                extract_fn: Callable[[Any, Any], list[dict[str, Any]]] | None = None) -> SetRun:
    """Read every report of ``gold.reports_dir``, extract it, and relabel to gold ids.

    ``extract_fn(report, geoparser)`` defaults to :func:`incidents.extract.extract`
    and ``geoparser`` to the process-wide offline one; tests pass small fakes.
    """
    from incidents.reports.model import Report
    from incidents.reports.reading import read_reports

    if extract_fn is None:
        from incidents.extract.extractor import extract as extract_fn

        if geoparser is None:
            from incidents.geo.geoparse import get_geoparser

            geoparser = get_geoparser()
    found: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for item in read_reports([gold.reports_dir]):
        if not isinstance(item, Report):
            errors.append(str(item))
            continue
        report_id = gold.report_id_for(item.id, item.origin)
        seen.add(report_id)
        try:
            incidents = extract_fn(item, geoparser)
        except Exception as exc:  # a crash on one report is a finding, not the end of the run
            errors.append(f"{item.origin or item.id}: extractor raised {type(exc).__name__}: {exc}")
            continue
        for incident in incidents:
            found.append({**incident, "report_id": report_id})
    unread = sorted(set(gold.report_kinds) - seen)
    return SetRun(found=found, errors=errors, unread=unread)
