"""What extraction knows about a report while reading it, and where a candidate happened.

Shared by :mod:`incidents.extract.extractor`, :mod:`incidents.extract.facts` and
:mod:`incidents.extract.places`, so that none of them imports another's internals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from incidents.extract.date_spans import DateSpan
from incidents.reports.model import Report
from incidents.geo.toponyms import Geoparser, Toponym


@dataclass
class Place:
    """Where a candidate happened: a gazetteer toponym, or a name as written."""

    name: str
    toponym: Toponym | None
    precision: int | None  # geo_precision: 1 town, 2 near, 3 region
    firing_position: bool = False
    explicit_target: bool = False  # "at our positions near X"
    between: bool = False  # "between X and Y"
    listed: bool = False  # a district listed with another ("X district and Y district"), not a context
    fallback: bool = False  # an unplaced name put at the district or province named with it
    sector: bool = False  # "the X direction": a sector named after a place
    mention: tuple[int, int] | None = None  # where the text names it (a fallback's toponym is its region's)
    country_code: str | None = None  # unplaced: the one country the report's placed event places lie in

    @property
    def span(self) -> tuple[int, int]:
        """Where the text names the place (0, 0 when it has no mention)."""
        if self.mention is not None:
            return self.mention
        return (self.toponym.start, self.toponym.end) if self.toponym else (0, 0)

    @property
    def key(self) -> str:
        if self.fallback:
            return "n" + re.sub(r"\W+", " ", self.name.casefold()).strip()
        best = self.toponym.best if self.toponym else None
        if best is not None and best.geonameid is not None:
            return f"g{best.geonameid}"
        if best is not None:
            return f"p{best.lat:.3f},{best.lon:.3f}"
        return "n" + re.sub(r"\W+", " ", self.name.casefold()).strip()


@dataclass
class SentenceNote:
    """What extraction made of one sentence and why, in an analyst's words (``extract --explain``,
    and the reasons kept with each incident)."""

    number: int  # 0-based sentence number in the report
    start: int
    end: int
    decision: str  # "an incident at ...", or why it is none
    date: str  # the date read, and where it came from
    incident: bool = False

    def line(self) -> str:
        return f"sentence {self.number + 1}: {self.decision}; date: {self.date}"


@dataclass
class ReportContext:
    """The report being read, who issued it, and what earlier sentences established."""

    report: Report
    published: date
    published_known: bool
    claimant: str | None
    claimant_type: str | None
    claimant_country: str | None
    dateline_end: int
    geoparser: Geoparser | None = None
    theatre: set[str] = field(default_factory=set)
    known_places: dict[str, Toponym] = field(default_factory=dict)  # folded name -> placed toponym
    unplaced_names: set[str] = field(default_factory=set)  # folded names the geoparser could not place
    anchor: tuple[float, float] | None = None  # where the report's unambiguous places lie
    said_on: date | None = None  # the day the text was issued, when before publication (dateline, heading)
    covers: DateSpan | None = None  # the period a periodic report says it covers (its heading)
    regions: list[Toponym] = field(default_factory=list)  # districts and provinces the report names, in order
    # (sentence number, folded names of the places it names): a denial disputes the
    # incidents at the places it names, or every earlier one when it names none.
    denials: list[tuple[int, set[str], DateSpan | None]] = field(default_factory=list)
    notes: list[SentenceNote] = field(default_factory=list)  # one per sentence read, in order
    dateline_start: int = 0  # a title and a lede may come before the dateline

    def in_dateline(self, position: int) -> bool:
        """Whether a position of the text lies in its dateline (never an event's place or date)."""
        return self.dateline_start <= position < self.dateline_end
    heavy_fire: str | None = None  # the type of the last heavy fire named (shelling, air or drone strike)
