"""Month and weekday names as English reports write them, shared by datelines and date phrases."""

from __future__ import annotations

# Keys are the lower-case first letters reports use ("Sept." included); month_number() takes any spelling.
MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}
# A month name in full or abbreviated, with an optional full stop ("Sept.", "Feb.").
MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)


def month_number(name: str) -> int | None:
    """'February', 'Feb.' or 'sept' -> its number; None for a word that is no month."""
    return MONTHS.get(name.rstrip(".").lower()[:3])
