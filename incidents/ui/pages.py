"""The page list: title, URL path and render function of each page.

Titles and URL paths are part of the interface (links, browser tests):
change them only together with tests/browser/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from incidents.ui import (
    pages_compare,
    pages_ingest,
    pages_map,
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
    icon: str
    default: bool = False


PAGES: tuple[PageInfo, ...] = (
    PageInfo(pages_map.render, "Map", "map", ":material/map:", default=True),
    PageInfo(pages_timeline.render, "Timeline", "timeline", ":material/timeline:"),
    PageInfo(pages_table.render, "Incidents", "incidents", ":material/table:"),
    PageInfo(pages_compare.render, "Compare periods", "compare", ":material/compare_arrows:"),
    PageInfo(pages_ingest.render, "Add reports", "ingest", ":material/upload_file:"),
    PageInfo(pages_review.render, "Review queue", "review", ":material/fact_check:"),
    PageInfo(pages_settings.render, "Settings", "settings", ":material/settings:"),
)
