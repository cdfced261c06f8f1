"""Recognition: which words of a text name places in the gazetteer.

A capitalised word whose folded key begins some gazetteer name starts a candidate
name, and the longest run of words whose key is in the gazetteer wins (so "New
York" beats "York", "Idlib province" beats "Idlib"). Only those words are walked in
Python: the words are split, and the ones that may start a name found, by C-level
operations (a regex split, set look-ups mapped over the words, each distinct word
folded once and memoised), so a text costs little more than its candidate names. :meth:`MentionFinder._accept`
then drops the usual traps of gazetteer matching (everyday capitalised words,
people, organisations), using the word lists of :mod:`incidents.geo.name_rules`
and the cues of :mod:`incidents.geo.cues`. Choosing among same-named
entries is :mod:`incidents.geo.resolution`'s job.
"""

from __future__ import annotations

import re
from itertools import accumulate, compress
from typing import AbstractSet

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import (
    MAX_NAME_TOKENS,
    REGION_WORDS,
    WORD_RE,
    Gazetteer,
    fold_word,
    folded_name,
    word_key,
)
from incidents.geo.cues import (
    capitalised_run,
    feature_name,
    is_sentence_start,
    names_an_institution,
    people_names,
)
from incidents.countries import DEMONYMS
from incidents.geo.name_rules import (
    ARABIC_ARTICLES,
    CONNECTORS,
    DIRECTION_WORDS,
    FEATURE_PREFIXES,
    FEATURE_SUFFIXES,
    FIRST_NAMES,
    LOCATIVE_WORDS,
    MEDIA_WORDS,
    NAMESAKE_INSTITUTIONS,
    NOT_PLACE_WORDS,
    PERSON_TITLES,
    SPEECH_VERBS,
)

# "Ky.", "Calif.", "B.C.", "P.E.I.": how news abbreviates a state or province after a town.
_ABBREVIATION = re.compile(r"(?:[A-Z][a-z]{0,4}\.){1,3}")
# What may separate the words of one name: a space, a hyphen, an apostrophe, "St. Louis".
_JOINER = re.compile(r"(?: |-|'|’|\. ?| - )")
# Entries a "province", "region", "county" after the name may mean (also favoured in resolution).
REGION_FEATURES = (kinds.ADMIN1, kinds.ADMIN2, kinds.REGION, kinds.USER)
_STRONG_FEATURES = frozenset((kinds.COUNTRY, kinds.REGION, kinds.USER, kinds.ADMIN1))
_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_PERSON_FOLLOWERS = frozenset("administration presidency campaign family era years".split())
_FUNCTION_WORDS = frozenset("The A An In On At For And But Or Of To From By With As It He She They We".split())
# Country or region names that are also everyday words ("turkey", "chad", "georgia" is not).
_EVERYDAY_STRONG = frozenset("turkey chad jersey guinea china reunion niger".split())

# A mention: (start, end, gazetteer entry ids, whether a region word such as "province" closed it).
Mention = tuple[int, int, tuple[int, ...], bool]
# A text's words as (start, end, word), in order.
Words = list[tuple[int, int, str]]
_WORD_SPLIT = re.compile(f"({WORD_RE.pattern})")
# The same words in a text without underscores, matched twice as fast (sre tests a plain
# category, not a negated class).
_PLAIN_WORD_SPLIT = re.compile(r"(\w+)")


def split_words(text: str) -> tuple[Words, list[str]]:
    """The text's words (WORD_RE's matches) and the words alone, built by one split and
    running sums in C rather than a Python step per word: most words start no name."""
    parts = (_WORD_SPLIT if "_" in text else _PLAIN_WORD_SPLIT).split(text)  # gap, word, gap, ..., gap
    offsets = list(accumulate(map(len, parts)))  # where each part ends
    strings = parts[1::2]
    return list(zip(offsets[0::2], offsets[1::2], strings)), strings


def _before_features(strings: list[str]) -> set[int]:
    """Word positions up to four before a feature word ("Neches River", "Kabul Airport")."""
    return {k for s in compress(range(len(strings)), map(FEATURE_SUFFIXES.__contains__, strings))
            for k in range(max(0, s - 4), s)}


class MentionFinder:
    """The recognition half of :class:`incidents.geo.geoparse.GazetteerGeoparser`."""

    gazetteer: Gazetteer

    def _find_mentions(
        self, text: str, words: Words, strings: list[str], vocabulary: AbstractSet[str]
    ) -> tuple[list[Mention], set[int]]:
        """(start, end, entry ids, region_span) for every accepted name, and which of them
        are weak (small places opening a sentence: kept only with support from the text).

        ``strings`` are the words alone and ``vocabulary`` their set (:func:`split_words`).
        """
        index = self.gazetteer.index
        n = len(words)
        lowercase_words = set(filter(str.islower, vocabulary))
        people = people_names(text, words, strings, vocabulary)
        out = []
        weak: set[int] = set()
        keys: list[str | None] = [None] * n  # each word folded at most once per document
        # Where a name may start: the places of the text's distinct words that may open one
        # (:meth:`_openers`), and capitalised words up to four before "River", "Street"...
        # Found by set look-ups mapped over the word list in C; no other word is looked at.
        before_feature = _before_features(strings)
        openers = self._openers(vocabulary, lowercase_words)
        starts = sorted({k for k in before_feature if strings[k][0].isupper()}
                        .union(compress(range(n), map(openers.__contains__, strings))))
        i = 0  # the first word no accepted name has taken
        for candidate_start in starts:
            if candidate_start < i:
                continue
            i = candidate_start
            start, end, word = words[i]
            if not word[0].isupper() and not (
                i + 1 < n and words[i + 1][2][0].isupper() and text[end:words[i + 1][0]] in ("-", " ")
            ):
                i += 1
                continue
            abbreviation = self._abbreviation(text, words, i) if word in self.gazetteer.abbreviation_words else None
            if abbreviation is not None:  # "Columbia, Ky.", "Barrie, Ont.": a state written the AP way
                span_end, entry = abbreviation
                out.append((start, span_end, (entry,), False))
                while i < n and words[i][0] < span_end:
                    i += 1
                continue
            best_j, best_key = -1, ""
            parts: list[str] = []
            for j in range(i, min(n, i + MAX_NAME_TOKENS)):
                wj = words[j][2]
                if j > i:
                    gap = text[words[j - 1][1]:words[j][0]]
                    if gap != " " and not _JOINER.fullmatch(gap):
                        break
                    if (not wj[0].isupper() and not wj[0].isdigit() and wj not in CONNECTORS
                            and not (gap in "'’" and wj != "s")):
                        break
                key_j = keys[j]
                if key_j is None:
                    key_j = keys[j] = word_key(wj)
                parts.append(key_j)
                if wj[0].isupper() or wj.isdigit() or j == i:
                    key = " ".join(parts)
                    if key in index:
                        best_j, best_key = j, key
            feature_span = None
            if word in FEATURE_PREFIXES or i in before_feature:
                feature_span = feature_name(self.gazetteer, text, words, i)
            if feature_span is not None and feature_span[2] > best_j + 1:
                span_end, ids, i = feature_span  # "Neches River" rather than the town of Neches
                out.append((start, span_end, ids, False))
                continue
            if best_j < 0:
                i += 1
                continue
            ids = self.gazetteer.lookup(best_key)
            span_end = words[best_j][1]
            region_span = False
            nxt = best_j + 1
            if nxt < n and text[span_end:words[nxt][0]] == " " and words[nxt][2].lower() in REGION_WORDS:
                regional = tuple(k for k in ids if self.gazetteer.feature[k] in REGION_FEATURES)
                if regional:
                    ids, span_end, region_span, nxt = regional, words[nxt][1], True, nxt + 1
            verdict = self._accept(text, words, i, best_j, ids, lowercase_words, people)
            if verdict is None:
                weak.add(len(out))
            if verdict is not False:
                out.append((start, span_end, ids, region_span))
            i = nxt
        return out, weak

    def _openers(self, vocabulary: AbstractSet[str], lowercase_words: AbstractSet[str]) -> set[str]:
        """The text's distinct words that may start a name: a capitalised word that begins some
        gazetteer name, a feature's ("Lake X") or a state's abbreviation ("Ky."), and "al-",
        "el-", "ad-" (al-Bab, el-Fasher). Each is folded once (memoised across texts)."""
        g = self.gazetteer
        distinct = list(vocabulary.difference(lowercase_words))
        firsts = compress(distinct, map(g.first_words.__contains__, map(word_key, distinct)))
        return ({w for w in firsts if w[0].isupper()} | (vocabulary & FEATURE_PREFIXES)
                | (vocabulary & g.abbreviation_words) | (vocabulary & ARABIC_ARTICLES))

    def _names_a_place(self, word: str) -> bool:
        """Is the word some place's own name ("Israel" in "Israel-Gaza"), not only an
        alias or a folded spelling of one ("Wal" in "Wal-Mart")?"""
        g = self.gazetteer
        folded = fold_word(word)
        return any(folded_name(g.names[k]) == folded
                   for k in g.lookup(word_key(word))[:10])

    def _own_town_size(self, word: str, ids: tuple[int, ...]) -> int:
        """The population of the largest town bearing the word as its own name (not as an old
        or alternate name of a city: "Franklin" was once Columbus's)."""
        g = self.gazetteer
        folded = fold_word(word)
        return max((g.population[k] for k in ids[:10]
                    if g.feature[k] == kinds.SETTLEMENT and folded_name(g.names[k]) == folded), default=0)

    def _own_key(self, k: int) -> str:
        return " ".join(word_key(w) for w in WORD_RE.findall(self.gazetteer.names[k]))

    def _names_a_region(self, words: Words, i: int, j: int, ids: tuple[int, ...]) -> bool:
        """Are words i..j a country's or conflict region's own name, not an odd alias of one
        ("Georgia" is a country's name; "Morris" only an alias somewhere)?"""
        g = self.gazetteer
        key = " ".join(word_key(w[2]) for w in words[i:j + 1])
        return any(g.feature[k] in (kinds.COUNTRY, kinds.REGION, kinds.USER) and self._own_key(k) == key for k in ids)

    def _abbreviation(self, text: str, words: list[tuple[int, int, str]], i: int) -> tuple[int, int] | None:
        """(span end, entry) of a state's abbreviation with its periods after a place and a
        comma ("Paris, Mo.", "Kelowna, B.C."); None otherwise."""
        start, end, word = words[i]
        if text[end:end + 1] != "." or i == 0 or text[words[i - 1][1]:start] != ", ":
            return None
        match = _ABBREVIATION.match(text, start)
        entry = self.gazetteer.abbreviations.get(match.group()) if match else None
        return None if entry is None else (match.end(), entry)

    def _accept(self, text, words, i, j, ids, lowercase_words, people) -> bool | None:
        """Reject everyday words, people and organisations that share a place's name
        (False); None for a name to keep only if the rest of the text supports it."""
        g = self.gazetteer
        word = words[i][2]
        # "O’Connor", "D’Angelo": one word for the rules below, however the letters split.
        single = i == j or (j == i + 1 and len(word) == 1 and text[words[i][1]:words[j][0]] in ("'", "’"))
        # A country's, a region's or a province's name; not a parish of a few hundred people
        # that the gazetteer lists as a province ("Patrick", "Andreas" on the Isle of Man).
        strong = not _STRONG_FEATURES.isdisjoint(map(g.feature.__getitem__, ids)) and any(
            g.feature[k] in _STRONG_FEATURES and (g.population[k] or g.feature[k] != kinds.ADMIN1) for k in ids)
        prev_word = words[i - 1][2] if i > 0 else ""
        gap_before = text[words[i - 1][1]:words[i][0]] if i > 0 else "\n"
        if prev_word[:1].isupper() and prev_word.lower() in LOCATIVE_WORDS and is_sentence_start(text, words[i - 1][0]):
            prev_word = prev_word.lower()  # "Near Krymske, ...": the cue opens the sentence
        nxt = j + 1
        next_word = words[nxt][2] if nxt < len(words) else ""
        gap_after = text[words[j][1]:words[nxt][0]] if nxt < len(words) else "\n"
        if prev_word in PERSON_TITLES and gap_before in (" ", ". "):
            return False  # "Mr. Lincoln", "Gen. Clair"
        if next_word in SPEECH_VERBS and gap_after == " " and not strong and prev_word not in LOCATIVE_WORDS:
            return False  # "Flores said": a person ("Moscow said" stays a place, if metonymic)
        if gap_after.startswith("$") or gap_before.endswith("$"):
            return False  # "US$40", "$US 2 billion": a currency, not a place
        if gap_after == " " and next_word in MEDIA_WORDS:
            return False  # "New York Times", "China Daily": an outlet, not where anything happened
        if gap_after == " " and next_word.lower() == "news" and (
                next_word == "News" or (nxt + 1 < len(words) and words[nxt + 1][2].lower() == "agency")):
            return False  # "Xinhua news agency", "Kyodo News": an outlet
        if prev_word in ("St", "Saint", "San", "Santa") and gap_before in (" ", ". "):
            return False  # "St. Patrick's Day": the saint's name, the place would have matched whole
        # Hyphenated compounds: "Wal-Mart", "Arab-Israeli", "Tri-State" (but "Kabul-based" is fine).
        if not strong:
            county = nxt + 1 < len(words) and words[nxt + 1][2].lower() in REGION_WORDS  # "Paris-Henry County"
            if gap_after == "-" and next_word[:1].isupper() and not county and not (
                    self._names_a_place(next_word) and self._names_a_place(text[words[i][0]:words[j][1]])):
                return False
            if (gap_before == "-" and prev_word[:1].isupper() and len(prev_word) > 1  # "D-Columbus" is fine
                    and not self._names_a_place(prev_word)):
                return False
        if not single:
            return True
        if word in NOT_PLACE_WORDS or word in PERSON_TITLES or word in DEMONYMS:
            return False
        # "Matthew D. Flores" makes every "Flores" in the text a person; "Robert Douglas",
        # "Helen Morris": a surname, here and later in the text. A country or conflict region
        # under its own name ("Georgia") may still be a place after a first name.
        written = text[words[i][0]:words[j][1]]
        if ((written in people or (prev_word in FIRST_NAMES and gap_before == " " and prev_word not in LOCATIVE_WORDS))
                and not self._names_a_region(words, i, j, ids)):
            people.add(written)
            return False
        lower = word.lower()
        sentence_start = is_sentence_start(text, words[i][0])
        big = max(map(g.population.__getitem__, ids))
        if lower in lowercase_words and big < 1_000_000 and not (strong and lower not in _EVERYDAY_STRONG):
            return False  # "police", "mobile", "reading" used as ordinary words in this text
        if (word in FIRST_NAMES and gap_after == " " and next_word[:1].isupper() and not next_word.isupper()
                and not names_an_institution(next_word) and next_word not in _FUNCTION_WORDS):
            follower = g.lookup(word_key(next_word))
            if not any(g.feature[k] in (kinds.COUNTRY, kinds.ADMIN1, kinds.REGION) for k in follower):
                return False  # "Georgia Stevens", "Chad Walker", "Mary Wheeler"
        if gap_after == " " and next_word in _PERSON_FOLLOWERS:
            return False  # "the Bush administration", "the Clinton campaign"
        if strong:
            return True
        if word in FIRST_NAMES and big < 100_000 and not (prev_word in LOCATIVE_WORDS and gap_before == " "):
            return False  # "Ian", "Bobby" alone; cities such as Dallas or Madison stay
        if gap_after == " " and next_word in NAMESAKE_INSTITUTIONS and self._own_town_size(word, ids) < 100_000:
            return False  # "Franklin Elementary", "Lipscomb University": more often a person's name
        if (gap_after == " & " and next_word[:1].isupper()) or (gap_before == " & " and prev_word[:1].isupper()):
            return False  # "Stevens & Wilkinson": a firm of partners' surnames
        if (gap_after == " " and len(next_word) == 1 and next_word.isupper() and nxt + 1 < len(words)
                and text[words[nxt][1]:words[nxt + 1][0]] == ". " and words[nxt + 1][2][:1].isupper()):
            return False  # "Milton J. Little": a first name before a middle initial
        # Part of a longer proper name: "Jordan Henderson", "Hillary Clinton"; but
        # "Athens Police Department", "Dublin Historical Society" keep their place.
        if gap_after == " " and next_word[:1].isupper() and next_word not in _CALENDAR:
            if (not next_word.isupper() and next_word not in _FUNCTION_WORDS and next_word.lower() not in lowercase_words
                    and not any(names_an_institution(w) for w in capitalised_run(text, words, nxt))):
                # (kept: "Calgary MLA", "Paris High School", "Springfield Stars Club", "Dublin Veterans ...")
                return False
        dateline = gap_before.endswith("\n") or (sentence_start and gap_after.startswith((",", " —", " -", " (")))
        if (word.isupper() and len(word) > 1 and (len(word) <= 4 or big < 100_000) and not dateline
                and (prev_word not in LOCATIVE_WORDS or len(word) <= 4)):
            return False  # acronyms ("SWAT", "AMEL"); datelines ("BEIRUT (AP)") start a line
        if gap_before == " " and not sentence_start and prev_word[:1].isupper() and not prev_word.isupper():
            # A surname after a first name ("Jane Sochi"), unless an institution follows: in a
            # title-cased headline "Joins Sochi Mayor Race" names the town's mayor.
            if (prev_word not in DIRECTION_WORDS and prev_word not in NOT_PLACE_WORDS
                    and not (gap_after == " " and names_an_institution(next_word))):
                people.add(word)
                return False
        if word_key(word) in g.common:
            # An everyday word or a first name: only with a locative cue ("in Nice", "near Hope").
            return prev_word in LOCATIVE_WORDS and gap_before == " "
        if sentence_start and big < 5_000:
            return None  # "Krymske came under fire": kept only if the text's scene supports it
        return True
