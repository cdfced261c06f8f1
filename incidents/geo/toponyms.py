"""Value objects passed from the geoparser to extraction and the store.

Kept apart from :mod:`incidents.geo.geoparse` so that code which only consumes
places (extraction, storage, the dashboard, tests with fake geoparsers) does
not load the gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

# Feature kinds of a gazetteer entry.
SETTLEMENT = "settlement"
ADMIN1 = "admin1"
ADMIN2 = "admin2"
COUNTRY = "country"
REGION = "region"  # conflict regions, sectors and lines that GeoNames lacks (data file)
USER = "user"  # the user's own CSV entries


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a mention could refer to, with the resolver's score."""

    name: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geonameid: int | None = None
    feature: str = SETTLEMENT
    population: int = 0
    score: float = 0.0
    source: str = "gazetteer"  # gazetteer / user / nominatim


@dataclass
class Toponym:
    """A place name found in a text: its span and the chosen point (or none).

    ``text[start:end]`` is the name as written. ``geo_precision`` is 1 for a
    settlement, 3 for a region or country; extraction raises it to 2 when the
    text says "near X" or gives a bearing from X.
    """

    start: int
    end: int
    text: str
    best: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)  # best first, runners-up after

    @property
    def placed(self) -> bool:
        return self.best is not None

    @property
    def geo_precision(self) -> int | None:
        if self.best is None:
            return None
        return 1 if self.best.feature in (SETTLEMENT, USER) else 3


class Geoparser(Protocol):
    """What extraction needs from a geoparser: spans and chosen places. ``aside`` tells
    which spans say nothing of where the text's places lie (a dateline, a venue); ``strict``
    says the text is about one area (see :mod:`incidents.geo.namesakes`)."""

    def parse(self, text: str, aside: Callable[[int, int], bool] | None = None,
              strict: bool = False) -> list[Toponym]: ...
