"""One accent fold for place names, shared by the gazetteer, the store and the scorer.

Unidecode transliterates almost every Latin letter the way English writes
it, but not all: it turns the Azerbaijani schwa into "@" (so "Tərtər" lost
its vowels and never met "Terter") and modifier-letter apostrophes into
quote marks that later split or end a word. Those letters are mapped first,
the way English-language reports spell them, and Unidecode does the rest.
Kept apart from :mod:`incidents.geo.gazetteer` so that the store and the scorer
fold names without importing the geoparsing modules.
"""

from __future__ import annotations

from unidecode import unidecode

# Letters unidecode mangles, as English spells them: schwa ("Ağdərə" -> "Agdere"), dotless i
# (unidecode agrees; listed so the fold does not depend on it), and apostrophe-like letters
# inside words ("Xoʻjaobod", "Kelʼbadzhar", "Shaʿban"), which are dropped so the word stays
# whole. Right and left quotes (’ ‘) also serve as apostrophes in names ("Bat’umi").
_LETTERS = str.maketrans({
    "ə": "e", "Ə": "E", "ǝ": "e", "ɚ": "e", "ı": "i",
    "ʼ": None, "ʻ": None, "ʽ": None, "ʹ": None, "ʿ": None, "ʾ": None, "’": None, "‘": None,
})


def ascii_fold(text: str) -> str:
    """``text`` in ASCII, case kept: accents dropped, schwa as e, in-word apostrophes gone."""
    if text.isascii():
        return text
    return unidecode(text.translate(_LETTERS))


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text`` for comparing names ("Şuşa" == "Susa", "Tərtər" == "Terter")."""
    return ascii_fold(text).lower()
