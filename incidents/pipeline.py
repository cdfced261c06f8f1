"""Reports through extraction into the store: ingest and re-extraction.

The store only writes what it is given; choosing the extractor and the
geoparser is this module's job, so that :mod:`incidents.store` never imports
the extraction and geoparsing stages above it. The command line and the
dashboard both come through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from incidents.config import Settings
    from incidents.store.database import IngestSummary, ReextractSummary, Store

Extractor = Callable[[Any, Any], list[dict]]
Progress = Callable[[int], Any]


class LazyGeoparser:
    """The geocoding chain, made on first use, so duplicates and errors cost no start-up."""

    def __init__(self, settings: Settings | None) -> None:
        self._settings = settings
        self._chain: Any = None

    def _get(self) -> Any:
        if self._chain is None:
            from incidents.geo.geoparse import geocoding_chain

            self._chain = geocoding_chain(self._settings)
        return self._chain

    def parse(self, text: str, aside: Any = None, strict: bool = False) -> list:
        return self._get().parse(text, aside, strict)

    def geocode_unplaced(self, name: str, country_codes: Any, region: str | None = None) -> Any:
        return self._get().geocode_unplaced(name, country_codes, region)


def load_extractor(settings: Settings | None, geoparser: Any = None) -> tuple[Extractor, Any]:
    """(extract function, geoparser): the current extractor, with the settings' geoparser
    (loaded on first use) unless one is given."""
    from incidents.extract.extractor import extract

    return extract, geoparser if geoparser is not None else LazyGeoparser(settings)


def ingest(store: Store, reports: Iterable[Any], *, extractor: Extractor | None = None,
           geoparser: Any = None, progress: Progress | None = None) -> IngestSummary:
    """Extract and store each report (see :meth:`Store.ingest`), with the current extractor by default."""
    if extractor is None:
        extractor, geoparser = load_extractor(store.settings, geoparser)
    return store.ingest(reports, extractor=extractor, geoparser=geoparser, progress=progress)


def reextract(store: Store, *, extractor: Extractor | None = None, geoparser: Any = None,
              progress: Progress | None = None) -> ReextractSummary:
    """Re-derive every stored report's incidents (see :meth:`Store.reextract`), keeping edits."""
    if extractor is None:
        extractor, geoparser = load_extractor(store.settings, geoparser)
    return store.reextract(geoparser, extractor=extractor, progress=progress)
