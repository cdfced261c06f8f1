"""Generate a synthetic incident store for scale tests.

    python bench/make_store.py [N] [PATH] [--seed 4] [--force]

N defaults to 1,000,000 and PATH to ``bench/out/store_<N>.db``. The data is
invented (every row has ``fictional`` true) but shaped like a real archive,
so that the dashboard meets the costs it will meet in use: five theatres of
very different size, 40,000 places with a long tail (hotspots), seven
years with flare-ups, every event type, day/week/month and exact/near/region
precisions, a few unplaced incidents, a few rejected ones. The same N and seed
give the same rows on every machine, so figures from different runs compare.

Loading goes through ``dataset.bulk_load(store, frame)`` (the store's fast path); the
frame has the schema's columns and dtypes, with ``weapons`` ';'-separated.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from incidents import schema
from incidents.store.dataset import bulk_load

DEFAULT_N = 1_000_000
FIRST_DAY = np.datetime64("2019-01-01")
LAST_DAY = np.datetime64("2026-10-31")


@dataclass(frozen=True)
class Region:
    name: str
    lat: float
    lon: float
    country: str
    country_code: str


@dataclass(frozen=True)
class Theatre:
    """A front line: its regions, the two sides, and who reports on it."""

    name: str
    weight: float
    regions: tuple[Region, ...]
    sides: tuple[str, str]
    claimants: tuple[tuple[str, str], ...]  # (claimed_by, source_type)


THEATRES: tuple[Theatre, ...] = (
    Theatre(
        "Armenia-Azerbaijan border", 0.30,
        (
            Region("Syunik", 39.45, 46.20, "Armenia", "AM"),
            Region("Gegharkunik", 40.20, 45.45, "Armenia", "AM"),
            Region("Tavush", 40.95, 45.25, "Armenia", "AM"),
            Region("Tovuz", 40.95, 45.60, "Azerbaijan", "AZ"),
            Region("Kalbajar", 40.10, 46.05, "Azerbaijan", "AZ"),
        ),
        ("Armed Forces of Armenia", "Armed Forces of Azerbaijan"),
        (
            ("Ministry of Defence of Armenia", "belligerent"),
            ("Ministry of Defence of Azerbaijan", "belligerent"),
            ("EU Monitoring Mission", "monitor"),
            ("Regional wire service", "media"),
        ),
    ),
    Theatre(
        "Eastern Ukraine", 0.35,
        (
            Region("Donetsk Oblast", 48.00, 37.80, "Ukraine", "UA"),
            Region("Luhansk Oblast", 48.57, 39.30, "Ukraine", "UA"),
            Region("Zaporizhzhia Oblast", 47.50, 35.60, "Ukraine", "UA"),
            Region("Kharkiv Oblast", 49.80, 36.80, "Ukraine", "UA"),
        ),
        ("Armed Forces of Ukraine", "Armed Forces of Russia"),
        (
            ("General Staff of Ukraine", "belligerent"),
            ("Ministry of Defence of Russia", "belligerent"),
            ("Special Monitoring Mission", "monitor"),
            ("International news agency", "media"),
        ),
    ),
    Theatre(
        "Line of Control", 0.15,
        (
            Region("Jammu and Kashmir", 33.90, 74.60, "India", "IN"),
            Region("Azad Kashmir", 33.85, 73.75, "Pakistan", "PK"),
        ),
        ("Indian Army", "Pakistan Army"),
        (
            ("Indian Army spokesperson", "belligerent"),
            ("Inter-Services Public Relations", "belligerent"),
            ("Subcontinent daily", "media"),
        ),
    ),
    Theatre(
        "Blue Line", 0.10,
        (
            Region("South Governorate", 33.20, 35.35, "Lebanon", "LB"),
            Region("Nabatieh Governorate", 33.38, 35.50, "Lebanon", "LB"),
            Region("Northern District", 33.00, 35.45, "Israel", "IL"),
        ),
        ("Israel Defense Forces", "Hezbollah"),
        (
            ("IDF spokesperson", "belligerent"),
            ("Interim Force monitors", "monitor"),
            ("Levant news service", "media"),
        ),
    ),
    Theatre(
        "Hodeidah front", 0.10,
        (
            Region("Al Hudaydah", 14.80, 42.95, "Yemen", "YE"),
            Region("Taizz", 13.58, 44.02, "Yemen", "YE"),
        ),
        ("Houthi forces", "Government of Yemen forces"),
        (
            ("Houthi media office", "belligerent"),
            ("Coalition spokesperson", "belligerent"),
            ("Redeployment monitoring mission", "monitor"),
        ),
    ),
)

# Sub-event type -> (share of incidents, weapons it is typed by).
SUB_EVENTS: dict[str, tuple[float, tuple[str, ...]]] = {
    schema.SHELLING: (0.42, ("artillery", "mortar", "MLRS", "tank fire")),
    schema.ARMED_CLASH: (0.30, ("small arms", "sniper rifle", "machine gun", "grenade launcher")),
    schema.AIR_DRONE: (0.13, ("drone", "loitering munition", "aircraft")),
    schema.REMOTE_EXPLOSIVE: (0.05, ("landmine", "IED")),
    schema.GRENADE: (0.03, ("hand grenade",)),
    schema.ATTACK: (0.05, ("small arms", "drone")),
    schema.LOOTING: (0.02, ("",)),
}

# 16 regions x 2,500 sites = 40,000 places, as a large real archive has: above
# the map's point limit unfiltered, below it once filtered to a month.
PLACES_PER_REGION = 2_500
INCIDENTS_PER_REPORT = 3


def _choice(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return rng.choice(len(weights), size=n, p=weights / weights.sum())


def _days(rng: np.random.Generator, n: int, theatre_index: np.ndarray) -> np.ndarray:
    """Day offsets: a steady background plus a few flare-ups per theatre."""
    span = int((LAST_DAY - FIRST_DAY).astype(int))
    days = rng.integers(0, span + 1, size=n)
    flare_centres = rng.integers(30, span - 30, size=(len(THEATRES), 6))
    in_flare = rng.random(n) < 0.35
    which = rng.integers(0, 6, size=n)
    centre = flare_centres[theatre_index, which]
    flare = np.rint(centre + rng.normal(0, 12, size=n)).astype(int)
    days = np.where(in_flare, flare, days)
    return np.clip(days, 0, span)


def synthetic_incidents(n: int, seed: int = 4) -> pd.DataFrame:
    """``n`` invented incidents with every schema column, deterministic for a seed."""
    rng = np.random.default_rng(seed)

    # Regions and their places: each region gets a cloud of sites; a Zipf-like
    # popularity makes a few of them hotspots, as real front lines have.
    regions = [(t, r) for t in range(len(THEATRES)) for r in THEATRES[t].regions]
    region_weight = np.array([THEATRES[t].weight / len(THEATRES[t].regions) for t, _ in regions])
    region_idx = _choice(rng, n, region_weight)
    theatre_idx = np.array([t for t, _ in regions])[region_idx]

    popularity = 1.0 / np.arange(1, PLACES_PER_REGION + 1)
    place_rank = _choice(rng, n, popularity)
    site_lat = np.array([r.lat for _, r in regions])[:, None] + rng.normal(
        0, 0.25, size=(len(regions), PLACES_PER_REGION)
    )
    site_lon = np.array([r.lon for _, r in regions])[:, None] + rng.normal(
        0, 0.35, size=(len(regions), PLACES_PER_REGION)
    )

    geo_precision = (_choice(rng, n, [0.60, 0.30, 0.10]) + 1).astype("int8")
    lat = site_lat[region_idx, place_rank]
    lon = site_lon[region_idx, place_rank]
    at_region = geo_precision == 3
    lat = np.where(at_region, np.array([r.lat for _, r in regions])[region_idx], lat)
    lon = np.where(at_region, np.array([r.lon for _, r in regions])[region_idx], lon)
    unplaced = rng.random(n) < 0.02
    lat = np.where(unplaced, np.nan, lat).round(5)
    lon = np.where(unplaced, np.nan, lon).round(5)

    region_names = np.array([r.name for _, r in regions], dtype=object)
    site_names = np.char.add(
        np.repeat(region_names.astype(str), 1)[region_idx].astype(str),
        np.char.add(" site ", (place_rank + 1).astype(str)),
    )
    location = np.where(at_region, region_names[region_idx], site_names)

    # Dates and their precision (ACLED: 1 day, 2 week, 3 month).
    day = FIRST_DAY + _days(rng, n, theatre_idx).astype("timedelta64[D]")
    time_precision = (_choice(rng, n, [0.85, 0.10, 0.05]) + 1).astype("int8")
    half_span = np.select([time_precision == 2, time_precision == 3], [3, 14], 0)
    date_start = day - half_span.astype("timedelta64[D]")
    date_end = day + half_span.astype("timedelta64[D]")

    # Types, weapons, casualties.
    subs = list(SUB_EVENTS)
    sub_idx = _choice(rng, n, [SUB_EVENTS[s][0] for s in subs])
    sub_event = np.array(subs, dtype=object)[sub_idx]
    event_type = np.array([schema.SUB_TO_EVENT[s] for s in subs], dtype=object)[sub_idx]
    weapon_pick = rng.integers(0, 4, size=n)
    weapons = np.array(
        [SUB_EVENTS[s][1][k % len(SUB_EVENTS[s][1])] for s in subs for k in range(4)],
        dtype=object,
    ).reshape(len(subs), 4)[sub_idx, weapon_pick]
    fatalities = rng.poisson(0.12, size=n) + (rng.random(n) < 0.003) * rng.integers(3, 40, size=n)
    injured = rng.poisson(0.3, size=n)
    civilian = (sub_event == schema.ATTACK) | (rng.random(n) < 0.04)

    # Who fired and who says so.
    flip = rng.random(n) < 0.5
    side_a = np.array([t.sides[0] for t in THEATRES], dtype=object)[theatre_idx]
    side_b = np.array([t.sides[1] for t in THEATRES], dtype=object)[theatre_idx]
    actor1 = np.where(flip, side_a, side_b)
    actor2 = np.where(flip, side_b, side_a)
    claim_pick = rng.integers(0, 12, size=n)
    claimed_by = np.empty(n, dtype=object)
    source_type = np.empty(n, dtype=object)
    for t, theatre in enumerate(THEATRES):
        rows = theatre_idx == t
        k = claim_pick[rows] % len(theatre.claimants)
        claimed_by[rows] = np.array([c for c, _ in theatre.claimants], dtype=object)[k]
        source_type[rows] = np.array([s for _, s in theatre.claimants], dtype=object)[k]
    unattributed = source_type == "monitor"
    actor1 = np.where(unattributed, None, actor1)
    actor2 = np.where(unattributed, None, actor2)
    violation_count = np.where(
        unattributed & (rng.random(n) < 0.4), rng.integers(1, 250, size=n), -1
    )

    n_sources = (_choice(rng, n, [0.75, 0.17, 0.06, 0.02]) + 1).astype("int16")
    corroborated = (n_sources > 1) & (rng.random(n) < 0.6)
    disputed = rng.random(n) < 0.08
    review = np.array(schema.REVIEW_STATUSES, dtype=object)[_choice(rng, n, [0.88, 0.08, 0.035, 0.005])]

    ids = np.arange(n)
    report_no = ids // INCIDENTS_PER_REPORT
    report_id = pd.Series(report_no).map("synrep-{:07d}".format)
    date_text = pd.Series(day).dt.strftime("%d %B %Y")
    sub_series = pd.Series(sub_event, dtype="str")
    location_series = pd.Series(location, dtype="str")
    claimant_series = pd.Series(claimed_by, dtype="str")
    evidence = (
        claimant_series + " reported " + sub_series.str.lower() + " near "
        + location_series + " on " + date_text + " (synthetic)."
    )
    notes = sub_series + " near " + location_series + "."

    frame = pd.DataFrame(
        {
            "event_id": pd.Series(ids).map("syn-{:07d}".format),
            "event_date": day,
            "time_precision": time_precision,
            "date_start": date_start,
            "date_end": date_end,
            "event_type": event_type,
            "sub_event_type": sub_event,
            "actor1": actor1,
            "actor2": actor2,
            "claimed_by": claimed_by,
            "source_type": source_type,
            "disputed": disputed,
            "n_sources": n_sources,
            "corroborated": corroborated,
            "country": np.array([r.country for _, r in regions], dtype=object)[region_idx],
            "country_code": np.array([r.country_code for _, r in regions], dtype=object)[region_idx],
            "admin1": region_names[region_idx],
            "admin2": None,
            "location": location,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": np.where(unplaced, -1, geo_precision),
            "geonameid": -1,
            "geocoder": np.where(unplaced, None, "synthetic"),
            "fatalities": fatalities.astype("int64"),
            "injured": injured.astype("int64"),
            "civilian_targeting": civilian,
            "weapons": np.where(weapons == "", None, weapons),
            "violation_count": violation_count,
            "evidence": evidence,
            "notes": notes,
            "confidence": rng.beta(6, 2, size=n).round(3),
            "extractor_version": "synthetic-1",
            "review_status": review,
            "report_id": report_id,
            "report_date": day + rng.integers(0, 3, size=n).astype("timedelta64[D]"),
            "source": claimed_by,
            "source_url": "https://example.org/synthetic/" + report_id,
            "fictional": True,
        }
    )
    # Sentinels -1 stand for "unknown" in the nullable integer columns.
    for name in ("geo_precision", "geonameid", "violation_count"):
        frame[name] = frame[name].where(frame[name] >= 0)
    return frame.astype(schema.DTYPES)[list(schema.COLUMN_NAMES)]


def remove_store(path: Path) -> None:
    """Delete a store file and its SQLite side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_store(n: int, path: Path, *, seed: int = 4) -> dict[str, float]:
    """Generate ``n`` incidents and bulk-load them into a new store at ``path``.

    Returns the seconds spent generating and loading (printed by ``main``).
    """
    from incidents.store.database import Store

    started = time.perf_counter()
    frame = synthetic_incidents(n, seed)
    generated = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(str(path))
    bulk_load(store, frame)
    loaded = time.perf_counter()
    close = getattr(store, "close", None)
    if callable(close):
        close()
    return {"generate_s": generated - started, "load_s": loaded - generated}


def default_path(n: int) -> Path:
    return Path(__file__).resolve().parent / "out" / f"store_{n}.db"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=DEFAULT_N, help="incidents (default 1,000,000)")
    parser.add_argument("path", nargs="?", type=Path, help="store file (default bench/out/store_<N>.db)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--force", action="store_true", help="replace an existing store")
    args = parser.parse_args(argv)
    path = args.path or default_path(args.n)
    if path.exists():
        if not args.force:
            print(f"{path} exists; pass --force to replace it", file=sys.stderr)
            return 2
        remove_store(path)
    timings = build_store(args.n, path, seed=args.seed)
    size_mb = path.stat().st_size / 1e6
    print(f"store: {path}")
    print(f"incidents: {args.n:,} (seed {args.seed})")
    print(f"generate: {timings['generate_s']:.1f} s")
    print(f"bulk_load: {timings['load_s']:.1f} s")
    print(f"file size: {size_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
