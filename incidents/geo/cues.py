"""Text cues the geoparser's recognition rules read around a candidate name.

Pure functions over the text and its word list (``(start, end, word)`` tuples):
is this a sentence start, does a locative word precede, which words does the
text use as people's names, does a capitalised word begin an institution's name,
and named features (streets, rivers, airports) the gazetteer of towns lacks.
"""

from __future__ import annotations

import re
from itertools import compress
from typing import AbstractSet

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import REGION_WORDS, Gazetteer, word_key
from incidents.geo.name_rules import (
    ANCHORED_FEATURES,
    FEATURE_PREFIXES,
    FEATURE_SUFFIXES,
    LOCATIVE_WORDS,
    NOT_PLACE_WORDS,
    ORGANISATION_WORDS,
    PERSON_TITLES,
)

_SENTENCE_END = set(".!?:;\n\"“”(")

_COMMON_NOUN_ENDINGS = (
    "al", "ic", "ics", "ion", "ions", "ment", "ments", "ity", "ive", "ives", "ers", "ors", "ing",
    "ary", "ory", "ure", "ance", "ence", "ism", "ist", "ists", "ship", "ness", "ous", "ful", "able",
    "less",
)


def names_an_institution(word: str) -> bool:
    """Is a capitalised word after a place part of an institution's name rather than a surname?

    Institutions continue with common nouns and adjectives ("Police", "Historical",
    "Coalition", "Educators"); surnames rarely end like those words do.
    """
    if word in ORGANISATION_WORDS or word in PERSON_TITLES or word.lower() in REGION_WORDS:
        return True
    return len(word) > 4 and word.lower().endswith(_COMMON_NOUN_ENDINGS)


def capitalised_run(text: str, words: list[tuple[int, int, str]], k: int, limit: int = 4) -> list[str]:
    """The capitalised words from position k on, joined by single spaces (at most ``limit``)."""
    run = []
    while k < len(words) and len(run) < limit and words[k][2][0].isupper():
        run.append(words[k][2])
        k += 1
        if k < len(words) and text[words[k - 1][1]:words[k][0]] != " ":
            break
    return run


def people_names(text: str, words: list[tuple[int, int, str]], strings: list[str],
                 vocabulary: AbstractSet[str]) -> set[str]:
    """Words the text uses as people's names: after a title ("Gen. Ahmad Ali"), or
    after a first name and a middle initial ("Matthew D. Flores"), anywhere in it.

    Only the words after a title or a single capital letter are looked at (``strings``
    are the words alone, ``vocabulary`` their set; the positions are found by set look-ups
    mapped in C)."""
    people: set[str] = set()
    initials = {w for w in vocabulary if len(w) == 1 and w.isupper()}
    n = len(words)
    cued = compress(range(1, n), map(PERSON_TITLES.union(initials).__contains__, strings))
    for i in cued:
        word = words[i][2]
        if not word[0].isupper():
            continue
        prev = words[i - 1][2]
        gap = text[words[i - 1][1]:words[i][0]]
        if prev in PERSON_TITLES and gap in (" ", ". "):
            people.add(word)
            if i + 1 < n and words[i + 1][2][0].isupper() and text[words[i][1]:words[i + 1][0]] == " ":
                people.add(words[i + 1][2])
        elif (prev in initials and gap == ". " and i > 1 and words[i - 2][2][0].isupper()
              and text[words[i - 2][1]:words[i - 1][0]] == " "):
            people.add(word)
    return people


_LOCATIVE_BEFORE = re.compile(r"(\w+)\W{0,3}$")
# What joins the names of a list: "Sotk and Zod", "Tovuz, Berd and Ijevan".
LIST_GAPS = frozenset((",", "and", ", and", "or", ", or", "&"))
_PLURAL_REGION_WORD = re.compile(
    r" (?:counties|provinces|regions|districts|oblasts|governorates|parishes|raions|rayons|prefectures)\b", re.I)


def listed_regions(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of the names in a list that a plural region word closes: "Clay and Becker
    counties", "in Donetsk and Luhansk oblasts" name regions, not the towns of those names."""
    listed: set[int] = set()
    for m in range(len(spans) - 1, -1, -1):
        if (m + 1 in listed and text[spans[m][1]:spans[m + 1][0]].strip() in LIST_GAPS) or \
                _PLURAL_REGION_WORD.match(text, spans[m][1]):
            listed.add(m)
    return listed


def locative_before(text: str, start: int) -> bool:
    match = _LOCATIVE_BEFORE.search(text, max(0, start - 20), start)
    return bool(match) and match.group(1).lower() in LOCATIVE_WORDS


def is_sentence_start(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"'“‘(":
        if text[k] in "\"“(":
            return True
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END


def feature_name(
    g: Gazetteer, text: str, words: list[tuple[int, int, str]], i: int
) -> tuple[int, tuple[int, ...], int] | None:
    """Streets, rivers, airports...: "Neches River", "Lake Sevan", "Kabul Airport".

    Returns (span end, entry ids, next word index). Airports, ports and bases
    are placed at the town they are named after; streets, rivers and the like
    stay unplaced unless the gazetteer knows the whole name.
    """
    n = len(words)
    run = [i]
    while len(run) < 5 and run[-1] + 1 < n:
        k = run[-1] + 1
        w = words[k][2]
        if text[words[k - 1][1]:words[k][0]] not in (" ", ". ") or not (w[0].isupper() or w in ("of", "de")):
            break
        run.append(k)
    if len(run) < 2:
        return None
    first = words[i][2]
    if first in NOT_PLACE_WORDS and first not in FEATURE_PREFIXES:
        return None  # "A Minnesota Highway": the name starts at the next word
    if first in FEATURE_PREFIXES:
        last = run[-1] if words[run[-1]][2][0].isupper() else run[-2]
        names = run[1:run.index(last) + 1]
    else:
        last = next((k for k in run[1:] if words[k][2] in FEATURE_SUFFIXES), None)
        if last is None:
            return None
        names = run[:run.index(last)]
    if not names or all(words[k][2] in NOT_PLACE_WORDS or not words[k][2][0].isupper() for k in names):
        return None
    whole = g.lookup(" ".join(word_key(words[k][2]) for k in range(i, last + 1)))
    if whole:
        return words[last][1], whole, last + 1
    ids = g.lookup(" ".join(word_key(words[k][2]) for k in names))
    if words[last][2] not in ANCHORED_FEATURES:
        # "Florida Highway" lies in Florida; "Washington Street" is not in Washington.
        ids = tuple(k for k in ids if g.feature[k] in (kinds.COUNTRY, kinds.ADMIN1, kinds.ADMIN2))
    return words[last][1], ids, last + 1
