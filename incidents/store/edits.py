"""The store's edit API: analysts' corrections, kept as rows beside the extracted values.

An edit never overwrites what the extractor produced, so a re-extraction replaces
extracted values and every edit still applies (reading applies them: :mod:`incidents.store.reads`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from incidents.store import writes
from incidents.store.reads import StoreReads
from incidents.store.edit_rules import check_edit, place_edit


class StoreEdits(StoreReads):
    """Recording edits: one field, several fields at once, a review status, another place candidate."""

    def edit(self, event_id: str, field: str, value: Any, editor: str) -> None:
        """Record an analyst's correction beside the extracted value (which is kept)."""
        self.edit_fields(event_id, {field: value}, editor)

    def edit_fields(self, event_id: str, values: dict[str, Any], editor: str) -> None:
        """Several edits of one incident in one transaction (e.g. all place fields)."""
        self.edit_many([event_id], values, editor)

    def edit_many(self, event_ids: Iterable[str], values: dict[str, Any], editor: str) -> None:
        """The same edits of several incidents in one transaction (placing a name fixes all its
        incidents at once); KeyError names an id that is not stored, and then nothing is written."""
        if not editor or not editor.strip():
            raise ValueError("an edit needs the editor's name")
        checked = {name: check_edit(name, value) for name, value in values.items()}
        resolved = []
        for event_id in event_ids:
            found = self._resolve(event_id)
            if found is None:
                raise KeyError(f"no incident {event_id!r}")
            resolved.append(found)
        at = writes.now()
        with self._transaction("edits_version") as conn:
            conn.executemany(
                "INSERT INTO edits(event_id, field, value, editor, at) VALUES (?, ?, ?, ?, ?)",
                [(found, name, json.dumps(value, ensure_ascii=False), editor.strip(), at)
                 for found in dict.fromkeys(resolved) for name, value in checked.items()],
            )

    def set_review_status(self, event_id: str, status: str, editor: str) -> None:
        """confirmed / edited / rejected (or back to auto); rejected hides it from the dataset."""
        self.edit(event_id, "review_status", status, editor)

    def choose_place(self, event_id: str, candidate: dict[str, Any] | int, editor: str) -> None:
        """Switch to another place candidate (a dict, or its rank in place_candidates)."""
        if isinstance(candidate, int):
            candidates = self.place_candidates(event_id)
            if not 0 <= candidate < len(candidates):
                raise ValueError(f"no place candidate {candidate} for {event_id}")
            candidate = candidates[candidate]
        self.edit_fields(event_id, place_edit(candidate), editor)
