"""The incident record: one place that names every column, its type and meaning.

Column names follow ACLED where the meaning is the same, so that analysts
recognise them and import/export are mappings rather than translations.
Every other module (extraction, store, dataset, exports, dashboard) takes
its column list from here instead of spelling it again.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Plausible dates: publication and event dates outside this window are refused
# ---------------------------------------------------------------------------

EARLIEST_DATE = dt.date(1900, 1, 1)


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def latest_date() -> dt.date:
    """Tomorrow (UTC): a report dated in UTC may tell of the next local day; later is a typo.
    (Counted from the epoch: asked for every sentence, ``datetime.now`` cost 1% of extraction.)"""
    return dt.date.fromordinal(_EPOCH_ORDINAL + int(time.time() // 86_400) + 1)


def plausible_date(day: dt.date, what: str) -> dt.date:
    """``day`` itself when it lies in 1900-01-01..tomorrow; else ValueError naming it and the fix.

    A report "published" 9999-12-31 once dated its incidents in year 9999 and
    moved every "last 30 days" view past all real data.
    """
    if day < EARLIEST_DATE:
        raise ValueError(f"{what} {day.isoformat()} is before {EARLIEST_DATE.year}; check the date "
                         "(YYYY-MM-DD)")
    if day > latest_date():
        raise ValueError(f"{what} {day.isoformat()} is in the future (after {latest_date().isoformat()}); "
                         "check the date (YYYY-MM-DD)")
    return day

# ---------------------------------------------------------------------------
# Event taxonomy (ACLED event_type -> sub_event_types used by this tool)
# ---------------------------------------------------------------------------

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
STRATEGIC = "Strategic developments"

ARMED_CLASH = "Armed clash"
SHELLING = "Shelling/artillery/missile attack"
AIR_DRONE = "Air/drone strike"
REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
GRENADE = "Grenade"
ATTACK = "Attack"
LOOTING = "Looting/property destruction"

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    BATTLES: (ARMED_CLASH,),
    EXPLOSIONS: (SHELLING, AIR_DRONE, REMOTE_EXPLOSIVE, GRENADE),
    VIOLENCE_AGAINST_CIVILIANS: (ATTACK,),
    STRATEGIC: (LOOTING,),
}
SUB_TO_EVENT: dict[str, str] = {sub: ev for ev, subs in EVENT_TYPES.items() for sub in subs}

SOURCE_TYPES = ("belligerent", "monitor", "media", "other")
REVIEW_STATUSES = ("auto", "confirmed", "edited", "rejected")

# time_precision (ACLED): 1 day, 2 week, 3 month
TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
# geo_precision (ACLED): 1 the town itself, 2 near a town or a sector,
# 3 only a region or country (placed at its capital).
GEO_PRECISION = {1: "exact", 2: "near", 3: "region"}


# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # pandas dtype name used by load_incidents()
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("event_id", "str", "Stable id of the incident (hash of report id and the place as written)."),
    Column("event_date", "datetime64[s]", "Date of the event; the middle of date_start..date_end."),
    Column("time_precision", "Int8", "1 day, 2 week, 3 month (ACLED)."),
    Column("date_start", "datetime64[s]", "First day the text allows."),
    Column("date_end", "datetime64[s]", "Last day the text allows."),
    Column("event_type", "str", "ACLED event type."),
    Column("sub_event_type", "str", "ACLED sub-event type."),
    Column("actor1", "str", "Side said to have fired (null when unattributed)."),
    Column("actor2", "str", "Side said to have been targeted."),
    Column("claimed_by", "str", "Who states it: a ministry, a monitoring mission, an outlet."),
    Column("source_type", "str", "belligerent / monitor / media / other."),
    Column("disputed", "bool", "The other side denies or counter-claims."),
    Column("n_sources", "Int16", "Number of reports linked to this incident."),
    Column("corroborated", "bool", "Reported by more than one independent source type."),
    Column("country", "str", "Country name."),
    Column("country_code", "str", "ISO 3166-1 alpha-2."),
    Column("admin1", "str", "First-level region."),
    Column("admin2", "str", "Second-level region."),
    Column("location", "str", "Place name: the gazetteer's, then the report's spelling in parentheses when it "
                               "differs; as written when it could not be placed."),
    Column("latitude", "float64", "WGS84 latitude; null when the place was not found."),
    Column("longitude", "float64", "WGS84 longitude; null when the place was not found."),
    Column("geo_precision", "Int8", "1 the town, 2 near a town or sector, 3 region or country."),
    Column("geonameid", "Int64", "GeoNames id of the place, when it has one."),
    Column("geocoder", "str", "Which backend placed it (gazetteer, user, nominatim, analyst); "
                              "'region-fallback' when a region stands in for a place it could not find."),
    Column("fatalities", "int64", "Deaths reported (0 when none)."),
    Column("injured", "int64", "Injured reported (0 when none)."),
    Column("civilian_targeting", "bool", "Civilians were hit (ACLED flag)."),
    Column("weapons", "str", "Weapons mentioned, ';'-separated in tables, a list in JSON."),
    Column("violation_count", "Int64", "Violations as stated in the report ('14 times')."),
    Column("evidence", "str", "The exact sentence(s) the incident comes from."),
    Column("notes", "str", "Short description (ACLED notes)."),
    Column("explanation", "str", "Why the extractor made it: per sentence, what was found, the date's source, the type."),
    Column("confidence", "float64", "0..1, how sure the extractor is."),
    Column("extractor_version", "str", "Version of the extractor that produced it."),
    Column("review_status", "str", "auto / confirmed / edited / rejected."),
    Column("report_id", "str", "Id of the first report that states it."),
    Column("report_date", "datetime64[s]", "Publication date of that report."),
    Column("date_inferred", "bool", "The report gave no date: report_date was inferred from its text "
                                    "(a dateline, its own dates), so relative dates rest on that inference."),
    Column("source", "str", "Outlet or issuing body of the first report."),
    Column("source_url", "str", "http(s) link to the first report, else null."),
    Column("fictional", "bool", "True for the bundled sample: invented events."),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
DTYPES: dict[str, str] = {c.name: c.dtype for c in COLUMNS}

# The fields `python -m incidents extract` writes, in this order (issue #3).
EXTRACT_FIELDS: tuple[str, ...] = (
    "report_id", "event_date", "date_start", "date_end", "time_precision",
    "event_type", "sub_event_type", "actor1", "actor2", "claimed_by", "source_type",
    "disputed", "location", "admin1", "country_code", "latitude", "longitude",
    "geo_precision", "geonameid", "fatalities", "injured", "civilian_targeting",
    "weapons", "violation_count", "evidence", "confidence",
)
