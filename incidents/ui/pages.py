"""The page list: title, URL path and render function of each page.

Titles and URL paths are part of the interface (links, browser tests):
change them only together with tests/browser/. A page that writes data is
marked ``writes=True`` and left out of a read-only deployment
(:mod:`incidents.ui.access`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from incidents.ui import (
    pages_claims,
    pages_compare,
    pages_ingest,
    pages_map,
    pages_places,
    pages_review,
    pages_settings,
    pages_table,
    pages_timeline,
)


@dataclass(frozen=True)
class PageInfo:
    render: Callable[[], None]
    title: str
    url_path: str
    default: bool = False
    writes: bool = False


PAGES: tuple[PageInfo, ...] = (
    PageInfo(pages_map.render, "Map", "map", default=True),
    PageInfo(pages_timeline.render, "Timeline", "timeline"),
    PageInfo(pages_table.render, "Incidents", "incidents"),
    PageInfo(pages_compare.render, "Compare periods", "compare"),
    PageInfo(pages_claims.render, "Who blames whom", "claims"),
    PageInfo(pages_ingest.render, "Add reports", "ingest", writes=True),
    PageInfo(pages_review.render, "Review queue", "review", writes=True),
    PageInfo(pages_places.render, "Places", "places", writes=True),
    PageInfo(pages_settings.render, "Settings", "settings"),
)


def visible_pages(read_only: bool) -> tuple[PageInfo, ...]:
    """The pages to offer: all of them, or only those that write nothing."""
    return tuple(p for p in PAGES if not (read_only and p.writes))
