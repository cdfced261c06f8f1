"""``gazetteer`` and ``geoparse`` commands (placeholder until the geoparser lands)."""

from __future__ import annotations


def add_parsers(sub) -> None:
    """Register the geoparser's commands."""
