"""Saving a checked ingest preview: the analyst's keep/reject and corrections.

Why this is careful: the store merges an incident that repeats one of an
earlier report into that incident, and afterwards resolves the preview's
event_id to the earlier incident. Rejecting or correcting "by the preview's
id" after saving would then change another report's incident. So:

* an unticked incident is left out before saving: it is not stored and cannot
  merge into (and so add a source to) anyone else's incident;
* the kept incidents are saved with their extracted values, and a correction
  is recorded as an edit (with the analyst's name) only on an incident this
  save created. A correction of an incident that merged is not applied; it is
  listed so the analyst can open the incident it joined and correct it there.

No Streamlit here: the page calls :func:`save_checked_report` and shows the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SaveOutcome:
    """What one save did, for the page's summary."""

    added: int = 0
    merged: int = 0
    edited: int = 0
    left_out: int = 0  # unticked: not saved
    already_stored: bool = False
    # (preview event id, id of the stored incident it merged into) whose corrections were not applied
    not_applied: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, other: SaveOutcome) -> None:
        self.added += other.added
        self.merged += other.merged
        self.edited += other.edited
        self.left_out += other.left_out
        self.not_applied += other.not_applied
        self.errors += other.errors


def with_unique_ids(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies whose event_ids are distinct, so each id names exactly one saved incident.

    (The store would otherwise suffix a repeated id itself, and the preview
    could no longer tell which stored incident is which.)
    """
    seen: set[str] = set()
    unique = []
    for incident in incidents:
        copy = dict(incident)
        base = copy.get("event_id")
        if base:
            event_id, suffix = base, 1
            while event_id in seen:
                suffix += 1
                event_id = f"{base}-{suffix}"
            copy["event_id"] = event_id
            seen.add(event_id)
        unique.append(copy)
    return unique


def save_checked_report(
    store: Any, report: Any, incidents: list[dict[str, Any]], keep: list[bool],
    changes: list[dict[str, Any]], analyst: str,
) -> SaveOutcome:
    """Save one report with the incidents the analyst kept; corrections become edits on new incidents only.

    ``keep`` and ``changes`` are aligned with ``incidents`` ({field: new value} per incident).
    """
    outcome = SaveOutcome()
    kept = [(incident, changes[i] if i < len(changes) else {})
            for i, incident in enumerate(with_unique_ids(incidents)) if i >= len(keep) or keep[i]]
    outcome.left_out = len(incidents) - len(kept)
    ids = [incident.get("event_id") for incident, _ in kept]
    existed = {event_id for event_id in ids if event_id and store.incident(event_id) is not None}
    added, merged = store.add_report(report, [incident for incident, _ in kept])
    outcome.added, outcome.merged = added, merged
    if existed and added == merged == 0:  # saved before: these ids name that earlier save's incidents
        outcome.already_stored = True
        return outcome
    for (incident, change), event_id in zip(kept, ids):
        if not change:
            continue
        stored = store.incident(event_id, apply_edits=False) if event_id else None
        is_new = stored is not None and stored["event_id"] == event_id and event_id not in existed
        if not is_new:
            outcome.not_applied.append((str(event_id or "?"), str(stored["event_id"]) if stored else "?"))
            continue
        try:
            store.edit_fields(event_id, change, analyst)
            outcome.edited += 1
        except (KeyError, ValueError) as exc:
            outcome.errors.append(f"Correction of {event_id} not saved: {exc}")
    return outcome
