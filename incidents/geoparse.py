"""Offline geoparser: find place names in a text and choose a point for each.

Recognition walks the text's words once: a capitalised word starts a
candidate name, the longest run of words whose folded key is in the gazetteer
wins (so "New York" beats "York", "Idlib province" beats "Idlib"). Rules in
:mod:`incidents.gazetteer_rules` then drop the usual traps of gazetteer
matching (everyday capitalised words, people, organisations).

Resolution scores every same-named entry: a population prior, then the text's
own context (countries, regions and demonyms it names, and the countries its
other places vote for), so "Paris" next to "Texas" lands in Texas.
"""

from __future__ import annotations

import math
import re
import threading
from pathlib import Path

from incidents import toponyms as kinds
from incidents.config import Settings
from incidents.gazetteer import (
    MAX_NAME_TOKENS,
    REGION_WORDS,
    WORD_RE,
    Gazetteer,
    cache_path,
    fold_word,
    load_gazetteer,
    word_key,
)
from incidents.gazetteer_rules import (
    CONNECTORS,
    DEMONYMS,
    ARABIC_ARTICLES,
    DIRECTION_WORDS,
    FEATURE_PREFIXES,
    FEATURE_SUFFIXES,
    FIRST_NAMES,
    LOCATIVE_WORDS,
    MEDIA_WORDS,
    NOT_PLACE_WORDS,
    PERSON_TITLES,
    SPEECH_VERBS,
)
from incidents.gazetteer_cues import (
    capitalised_run,
    feature_name,
    is_sentence_start,
    locative_before,
    names_an_institution,
    people_names,
)
from incidents.toponyms import Toponym

# "Ky.", "Calif.", "B.C.", "P.E.I.": how news abbreviates a state or province after a town.
_ABBREVIATION = re.compile(r"(?:[A-Z][a-z]{0,4}\.){1,3}")
# What may separate the words of one name: a space, a hyphen, an apostrophe, "St. Louis".
_JOINER = re.compile(r"(?: |-|'|’|\. ?| - )")
_FEATURE_BONUS = {
    kinds.COUNTRY: 0.35,
    kinds.REGION: 0.4,
    kinds.USER: 0.6,
    kinds.ADMIN1: 0.05,
    kinds.ADMIN2: -0.25,
    kinds.SETTLEMENT: 0.1,
}
_REGION_FEATURES = (kinds.ADMIN1, kinds.ADMIN2, kinds.REGION, kinds.USER)
_STRONG_FEATURES = (kinds.COUNTRY, kinds.REGION, kinds.USER, kinds.ADMIN1)
_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_PERSON_FOLLOWERS = frozenset("administration presidency campaign family era years".split())
_FUNCTION_WORDS = frozenset("The A An In On At For And But Or Of To From By With As It He She They We".split())
# Country or region names that are also everyday words ("turkey", "chad", "georgia" is not).
_EVERYDAY_STRONG = frozenset("turkey chad jersey guinea china reunion niger".split())
MAX_CANDIDATES = 5
ADMIN1_NAME_BONUS = 0.3
OWN_NAME_BONUS = 0.15
CAPITAL_HOMONYM_PENALTY = 1.0


class GazetteerGeoparser:
    """Rule-based geoparser over the offline gazetteer (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    # -- recognition -----------------------------------------------------

    def parse(self, text: str) -> list[Toponym]:
        words = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
        mentions, weak = self._find_mentions(text, words)
        return self._resolve(text, words, mentions, weak)

    def _find_mentions(
        self, text: str, words: list[tuple[int, int, str]]
    ) -> tuple[list[tuple[int, int, tuple[int, ...], bool]], set[int]]:
        """(start, end, entry ids, region_span) for every accepted name, and which of them
        are weak (small places opening a sentence: kept only with support from the text)."""
        index = self.gazetteer.index
        lowercase_words = {w for _, _, w in words if w.islower()}
        people = people_names(text, words)
        out = []
        weak: set[int] = set()
        n = len(words)
        keys: list[str | None] = [None] * n  # each word folded at most once per document
        i = 0
        while i < n:
            start, end, word = words[i]
            if not word[0].isupper() and not (
                word in ARABIC_ARTICLES and i + 1 < n and words[i + 1][2][0].isupper()
                and text[end:words[i + 1][0]] in ("-", " ")
            ):  # a place name starts capitalised, or with "al-", "el-", "ad-" (al-Bab, el-Fasher)
                i += 1
                continue
            abbreviation = self._abbreviation(text, words, i)
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
                    if not _JOINER.fullmatch(gap):
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
            if word in FEATURE_PREFIXES or any(w[2] in FEATURE_SUFFIXES for w in words[i + 1:i + 5]):
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
                regional = tuple(k for k in ids if self.gazetteer.feature[k] in _REGION_FEATURES)
                if regional:
                    ids, span_end, region_span, nxt = regional, words[nxt][1], True, nxt + 1
            verdict = self._accept(text, words, i, best_j, ids, lowercase_words, people)
            if verdict is None:
                weak.add(len(out))
            if verdict is not False:
                out.append((start, span_end, ids, region_span))
            i = nxt
        return out, weak

    def _names_a_place(self, word: str) -> bool:
        """Is the word some place's own name ("Israel" in "Israel-Gaza"), not only an
        alias or a folded spelling of one ("Wal" in "Wal-Mart")?"""
        g = self.gazetteer
        folded = fold_word(word)
        return any("".join(fold_word(w) for w in WORD_RE.findall(g.names[k])) == folded
                   for k in g.lookup(word_key(word))[:10])

    def _own_key(self, k: int) -> str:
        return " ".join(word_key(w) for w in WORD_RE.findall(self.gazetteer.names[k]))

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
        strong = any(g.feature[k] in _STRONG_FEATURES for k in ids)
        big = max(g.population[k] for k in ids)
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
        # A country or conflict region under its own name ("Georgia") may still be a place
        # after a first name; one that carries the word as an odd alias ("Morris") may not.
        key = word_key(word) if i == j else " ".join(word_key(w[2]) for w in words[i:j + 1])
        named_region = any(g.feature[k] in (kinds.COUNTRY, kinds.REGION, kinds.USER) and self._own_key(k) == key
                           for k in ids)
        if text[words[i][0]:words[j][1]] in people and not named_region:
            return False  # "Matthew D. Flores" makes every "Flores" in the text a person
        if prev_word in FIRST_NAMES and gap_before == " " and prev_word not in LOCATIVE_WORDS and not named_region:
            people.add(text[words[i][0]:words[j][1]])
            return False  # "Robert Douglas", "Helen Morris": a surname, here and later in the text
        lower = word.lower()
        sentence_start = is_sentence_start(text, words[i][0])
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
            if prev_word not in DIRECTION_WORDS and prev_word not in NOT_PLACE_WORDS:
                people.add(word)
                return False
        if word_key(word) in g.common:
            # An everyday word or a first name: only with a locative cue ("in Nice", "near Hope").
            return prev_word in LOCATIVE_WORDS and gap_before == " "
        if sentence_start and big < 5_000:
            return None  # "Krymske came under fire": kept only if the text's scene supports it
        return True

    # -- resolution ------------------------------------------------------

    def _resolve(self, text, words, mentions, weak=frozenset()) -> list[Toponym]:
        g = self.gazetteer
        countries: dict[str, float] = {}
        admin1s: dict[str, float] = {}
        for _, _, w in words:
            cc = DEMONYMS.get(w)
            if cc:
                countries[cc] = countries.get(cc, 0.0) + 0.5
        own_scene: list[tuple[str, str]] = []  # what each unambiguous mention adds to the scene
        for _, _, ids, _ in mentions:
            cc = a1 = ""
            if ids and len({g.country[k] for k in ids}) == 1:
                first = ids[0]
                cc = g.country[first]
                countries[cc] = countries.get(cc, 0.0) + 1.0
                if g.admin1[first] and len({g.admin1[k] for k in ids}) == 1:
                    a1 = f"{cc}.{g.admin1[first]}"
                    admin1s[a1] = admin1s.get(a1, 0.0) + 1.0
            own_scene.append((cc, a1))
        qualifiers = self._qualifiers(text, mentions)
        own_names = [self._own_names(text[start:end], ids) for start, end, ids, _ in mentions]
        # First pass: each mention's best guess; the guesses then vote (each for the others).
        best = []
        for m, (_, _, ids, region) in enumerate(mentions):
            if not ids:
                best.append(-1)
                continue
            scores = self._score(ids, countries, admin1s, region, qualifiers.get(m), own_names[m])
            best.append(ids[max(range(len(ids)), key=scores.__getitem__)])
        country_votes = dict(countries)
        admin1_votes = dict(admin1s)
        for k in best:
            if k < 0:
                continue
            country_votes[g.country[k]] = country_votes.get(g.country[k], 0.0) + 0.5
            if g.admin1[k]:
                key = f"{g.country[k]}.{g.admin1[k]}"
                admin1_votes[key] = admin1_votes.get(key, 0.0) + 0.5
        # A locative cue carries along a list: "near Sotk and Zod", "in Tovuz, Berd and Ijevan".
        cues: list[bool] = []
        for m, (start, _, _, _) in enumerate(mentions):
            cue = locative_before(text, start)
            if not cue and m and cues[-1]:
                cue = text[mentions[m - 1][1]:start].strip() in (",", "and", ", and", "or", ", or", "&")
            cues.append(cue)
        result = []
        for m, (start, end, ids, region) in enumerate(mentions):
            # The scene as the rest of the text sets it: this mention's own votes taken out.
            own, (own_cc, own_a1) = best[m], own_scene[m]
            if own < 0:  # a feature such as a street or river that the gazetteer cannot place
                result.append(Toponym(start, end, text[start:end], None, []))
                continue
            cc_votes = dict(country_votes)
            cc_votes[g.country[own]] -= 0.5
            if own_cc:
                cc_votes[own_cc] -= 1.0
            a1_votes = dict(admin1_votes)
            if g.admin1[own]:
                a1_votes[f"{g.country[own]}.{g.admin1[own]}"] -= 0.5
            if own_a1:
                a1_votes[own_a1] -= 1.0
            scores = self._score(ids, cc_votes, a1_votes, region, qualifiers.get(m), own_names[m])
            order = sorted(range(len(ids)), key=lambda k: -scores[k])[:MAX_CANDIDATES]
            best_k = ids[order[0]]
            if not self._confident(text, start, end, best_k, scores[order[0]], cc_votes, cues[m],
                                   self._name_bonus(best_k, ids, own_names[m])):
                continue
            if m in weak and not (cc_votes.get(g.country[best_k], 0.0) > 0
                                  and a1_votes.get(f"{g.country[best_k]}.{g.admin1[best_k]}", 0.0) > 0):
                continue  # a village opening a sentence, in a country or region nothing else names
            candidates = [g.candidate(ids[k], scores[k]) for k in order]
            result.append(Toponym(start, end, text[start:end], candidates[0], candidates))
        return result

    def _confident(self, text: str, start: int, end: int, k: int, score: float, scene: dict[str, float],
                   cue: bool, name_bonus: float) -> bool:
        """Drop one-word names of minor places that nothing else in the text supports.

        Measured on the development corpora: a one-word town name whose country
        no other part of the text mentions is right about a third of the time
        (people, brands, everyday words), and hamlets under 1,000 people named
        without "in", "near", "village of"... even less often.
        """
        g = self.gazetteer
        feature = g.feature[k]
        if feature not in (kinds.SETTLEMENT, kinds.ADMIN2, kinds.ADMIN1):
            return True
        name = text[start:end]
        if " " in name or "-" in name:
            return True
        population = g.population[k]
        # The name's own weight is no support from the text.
        prior = math.log10(population + 10) / 7 + _FEATURE_BONUS.get(feature, 0.0) + name_bonus
        supported = score - prior > 0.05
        if feature == kinds.SETTLEMENT and population < 1_000 and not cue:
            return False
        if (feature == kinds.SETTLEMENT and population < 100_000 and not cue
                and fold_word(name) != "".join(fold_word(w) for w in WORD_RE.findall(g.names[k]))):
            return False  # a village matched only through a variant spelling or an alternate name
        has_scene = any(v > 0 for v in scene.values())
        if has_scene and not supported and (population < 100_000 or not cue):
            return False
        return True

    def _qualifiers(self, text, mentions) -> dict[int, set[str]]:
        """"Paris, Texas", "Akhnoor, India": a place followed by its region or country (and the
        same name elsewhere in the text)."""
        g = self.gazetteer
        out: dict[int, set[str]] = {}
        for m in range(len(mentions) - 1):
            if text[mentions[m][1]:mentions[m + 1][0]].strip() != ",":
                continue
            codes = set()
            for k in mentions[m + 1][2]:
                if g.feature[k] == kinds.COUNTRY:
                    codes.add(g.country[k])
                elif g.feature[k] == kinds.ADMIN1:
                    codes.add(f"{g.country[k]}.{g.admin1[k]}")
            if codes:
                out[m] = codes
        # One name, one place per text: "Paris, Texas" once qualifies every later "Paris".
        by_ids: dict[tuple[int, ...], set[str]] = {}
        for m, codes in out.items():
            by_ids.setdefault(mentions[m][2], set()).update(codes)
        if by_ids:
            for m, mention in enumerate(mentions):
                if m not in out and mention[2] in by_ids:
                    out[m] = by_ids[mention[2]]
        return out

    def _own_names(self, written: str, ids: tuple[int, ...]) -> set[int]:
        """Entries (among the 10 largest) whose own name is the one written: "Islamabad"
        is the capital's name and only an old alternate name of Anantnag."""
        g = self.gazetteer
        folded = "".join(fold_word(w) for w in WORD_RE.findall(written))
        return {k for k in ids[:10] if "".join(fold_word(w) for w in WORD_RE.findall(g.names[k])) == folded}

    def _name_bonus(self, k: int, ids: tuple[int, ...], own_names: set[int]) -> float:
        """What the written name alone says for entry k, before any context."""
        if k not in own_names:
            return 0.0
        g = self.gazetteer
        if g.feature[k] == kinds.ADMIN1 and not any(
            g.feature[t] == kinds.SETTLEMENT and (g.lat[t], g.lon[t]) == (g.lat[k], g.lon[k]) for t in ids
        ):
            # A state's own name ("Florida") means the state, not a village of that name;
            # a region named after its capital ("Idlib") means the city unless "province" follows.
            return OWN_NAME_BONUS + ADMIN1_NAME_BONUS
        return OWN_NAME_BONUS

    def _score(self, ids, countries, admin1s, region_span, qualifier=None, own_names=frozenset()) -> list[float]:
        g = self.gazetteer
        total = sum(countries.values()) or 1.0
        capital_named = not own_names.isdisjoint(g.capitals)
        scores = []
        for k in ids:
            feature = g.feature[k]
            score = math.log10(g.population[k] + 10) / 7 + _FEATURE_BONUS.get(feature, 0.0)
            score += self._name_bonus(k, ids, own_names)
            if capital_named and k not in own_names:
                score -= CAPITAL_HOMONYM_PENALTY  # "Islamabad" is the capital, not Anantnag's old name
            cc = g.country[k]
            if countries.get(cc, 0.0) > 0:
                score += 0.6 * min(1.0, countries[cc] / total) + 0.2
            a1 = f"{cc}.{g.admin1[k]}" if g.admin1[k] else ""
            if a1 and admin1s.get(a1, 0.0) > 0:
                score += 0.35
            if qualifier and (cc in qualifier or a1 in qualifier):
                score += 1.5
            if region_span and feature in _REGION_FEATURES:
                score += 0.5
            scores.append(score)
        return scores


_lock = threading.Lock()
# cache file -> (its stamp when loaded, the geoparser over it)
_instances: dict[str, tuple[tuple[int, int, int] | None, GazetteerGeoparser]] = {}


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when the cache file is rebuilt (os.replace gives a new file)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def get_geoparser(settings: Settings | None = None) -> GazetteerGeoparser:
    """The process-wide geoparser over ``settings``' gazetteer cache (loaded, or built, on first call).

    One geoparser per cache file, reloaded when the file changed since it was
    loaded (another process ran ``gazetteer add-csv`` or ``add-dump``): one
    stat per call.
    """
    path = cache_path(settings)
    key = str(path.resolve())
    with _lock:
        known = _instances.get(key)
        if known is not None and known[0] == _stamp(path):
            return known[1]
        _instances.pop(key, None)  # drop the stale index before loading its successor
        parser = GazetteerGeoparser(load_gazetteer(settings))
        _instances[key] = (_stamp(path), parser)
        return parser


def reset_geoparser() -> None:
    """Forget every loaded geoparser (after the cache was rebuilt with new user entries)."""
    with _lock:
        _instances.clear()
