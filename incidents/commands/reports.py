"""``extract``, ``ingest`` and ``reextract`` commands (placeholder until the store lands)."""

from __future__ import annotations


def add_parsers(sub) -> None:
    """Register the report pipeline's commands."""
