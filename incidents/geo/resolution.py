"""Resolution: which gazetteer entry each recognised name means, with the runners-up.

Every same-named entry is scored: a population prior and a feature bonus, then the
text's own context (countries, regions and demonyms it names, and the countries its
other places vote for), so "Paris" next to "Texas" lands in Texas. Minor places that
nothing in the text supports are dropped (:meth:`PlaceResolver._confident`). The text's
places are then taken together once more (:mod:`incidents.geo.namesakes`).
"""

from __future__ import annotations

import math
from typing import AbstractSet

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import Gazetteer, fold_word, folded_name
from incidents.geo.cues import LIST_GAPS, listed_regions, locative_before
from incidents.countries import DEMONYMS
from incidents.geo.namesakes import FAR_KM, KM_PER_DEGREE, NEAR_KM
from incidents.geo.recognition import REGION_FEATURES, Mention
from incidents.geo.toponyms import Candidate, Toponym

# (lat, lon, weight, the name's entry ids): a point other names are measured against.
Anchor = tuple[float, float, float, tuple[int, ...]]

_FEATURE_BONUS = {
    kinds.COUNTRY: 0.35,
    kinds.REGION: 0.4,
    kinds.USER: 0.6,
    kinds.ADMIN1: 0.05,
    kinds.ADMIN2: -0.25,
    kinds.SETTLEMENT: 0.1,
}
MAX_CANDIDATES = 5
ADMIN1_NAME_BONUS = 0.3
OWN_NAME_BONUS = 0.15
CAPITAL_HOMONYM_PENALTY = 1.0
# Less than a place's own name (OWN_NAME_BONUS): "Armenian forces fired at Tovuz" is the
# Azerbaijani town, not an Armenian one that once bore the name.
DEMONYM_BONUS = 0.1
# Nearness to the text's other places: full within NEAR_KM, none beyond FAR_KM. Worth more
# than a hundredfold population (2/7), so that "Paris" beside "Tyler" is the Texan one.
NEAR_BONUS = 0.5
_LOG_SPAN = math.log(FAR_KM / NEAR_KM)
_FAR_DEGREES = FAR_KM / KM_PER_DEGREE
# What a name's guess adds to the scene, against 1 for a name that settles it alone.
GUESS_VOTE = 0.5
# What the other places must weigh to veto an unsupported name: one name that settles a
# country, or two guesses (a single ambiguous word, often no place at all, is not a scene).
SCENE_WEIGHT = 1.0
_POINT_FEATURES = (kinds.SETTLEMENT, kinds.ADMIN2, kinds.USER)


class PlaceResolver:
    """The resolution half of :class:`incidents.geo.geoparse.GazetteerGeoparser`."""

    gazetteer: Gazetteer
    name_priors_seen: dict[tuple[str, tuple[int, ...]], tuple[set[int], list[float]]]

    def _resolve(
        self, text: str, words: object, mentions: list[Mention],
        weak: AbstractSet[int] = frozenset(), vocabulary: AbstractSet[str] | None = None,
    ) -> list[Toponym]:
        """A Toponym per mention the text supports, its candidates best first.

        Each mention's best guess first (population, feature, the countries and regions
        the text names), then every name is scored again against the scene the text's
        *other* names set: the countries and regions their guesses lie in, and how
        near each same-named entry lies to their places. A name votes once however
        often it is written, and never for itself.
        """
        g = self.gazetteer
        # A side's nationality ("Russian forces") is evidence of the conflict, not of the
        # place: it breaks ties for its own country but never vetoes a place elsewhere.
        if vocabulary is None:
            vocabulary = {w for _, _, w in words}
        demonyms = frozenset(cc for cc in (DEMONYMS[w] for w in DEMONYMS.keys() & vocabulary) if cc)
        listed = listed_regions(text, [(start, end) for start, end, _, _ in mentions])
        listed |= self._enclosing(text, mentions)
        if listed:  # "Clay and Becker counties": each name closed by a region word, as "Clay County" is
            mentions = [(s, e, ids, region or m in listed) for m, (s, e, ids, region) in enumerate(mentions)]
        names = list(dict.fromkeys(ids for _, _, ids, _ in mentions if ids))  # each name once
        # What a name settles by itself: the country (and region) all its entries share.
        settled = {ids: self._settled(ids) for ids in names}
        countries: dict[str, float] = {}
        admin1s: dict[str, float] = {}
        for cc, a1 in settled.values():
            if cc:
                countries[cc] = countries.get(cc, 0.0) + 1.0
            if a1:
                admin1s[a1] = admin1s.get(a1, 0.0) + 1.0
        qualifiers = self._qualifiers(text, mentions)
        # Mentions of one name written alike, with the same region word and qualifier, score
        # alike: each such spelling is scored once per pass (a text repeats its places).
        spellings = [(text[start:end], ids, region, frozenset(qualifiers.get(m, ())))
                     for m, (start, end, ids, region) in enumerate(mentions)]
        named = {s: self._name_priors(s[0], s[1]) for s in spellings}  # (own names, priors)
        # First pass: each name's best guess, from the names that settle a country or region.
        guesses: dict[tuple[int, ...], int] = {}
        for spelling in named:
            _, ids, region, qualifier = spelling
            if ids and ids not in guesses:
                scores = self._score(ids, named[spelling][1], countries, admin1s, region, qualifier, demonyms)
                guesses[ids] = ids[max(range(len(ids)), key=scores.__getitem__)]
        country_votes, admin1_votes, anchors = self._scene(guesses, countries, admin1s)
        # A locative cue carries along a list: "near Sotk and Zod", "in Tovuz, Berd and Ijevan".
        cues: list[bool] = []
        for m, (start, _, _, _) in enumerate(mentions):
            cue = locative_before(text, start)
            if not cue and m and cues[-1]:
                cue = text[mentions[m - 1][1]:start].strip() in LIST_GAPS
            cues.append(cue)
        result = []
        rescored: dict[tuple, tuple[list[float], list[int], dict[str, float], dict[str, float]]] = {}
        kept: dict[tuple, list[Candidate]] = {}
        for m, (start, end, ids, region) in enumerate(mentions):
            if not ids:  # a feature such as a street or river that the gazetteer cannot place
                result.append(Toponym(start, end, text[start:end], None, []))
                continue
            spelling = spellings[m]
            if spelling not in rescored:
                # The scene as the rest of the text sets it: this name's own votes taken out.
                own, (own_cc, own_a1) = guesses[ids], settled[ids]
                cc_votes = dict(country_votes)
                cc_votes[g.country[own]] -= GUESS_VOTE
                if own_cc:
                    cc_votes[own_cc] -= 1.0
                a1_votes = dict(admin1_votes)
                if g.admin1[own]:
                    a1_votes[f"{g.country[own]}.{g.admin1[own]}"] -= GUESS_VOTE
                if own_a1:
                    a1_votes[own_a1] -= 1.0
                others = [a for a in anchors if a[3] is not ids]
                scores = self._score(ids, named[spelling][1], cc_votes, a1_votes, region, spelling[3], demonyms, others)
                order = sorted(range(len(ids)), key=lambda k: -scores[k])[:MAX_CANDIDATES]
                rescored[spelling] = scores, order, cc_votes, a1_votes
            scores, order, cc_votes, a1_votes = rescored[spelling]
            best_k = ids[order[0]]
            if not self._confident(text, start, end, best_k, scores[order[0]], cc_votes, cues[m],
                                   self._name_bonus(best_k, ids, named[spelling][0])):
                continue
            if m in weak and not (cc_votes.get(g.country[best_k], 0.0) > 0
                                  and a1_votes.get(f"{g.country[best_k]}.{g.admin1[best_k]}", 0.0) > 0):
                continue  # a village opening a sentence, in a country or region nothing else names
            if spelling not in kept:
                kept[spelling] = [g.candidate(ids[k], scores[k]) for k in order]
            candidates = kept[spelling]
            result.append(Toponym(start, end, text[start:end], candidates[0], list(candidates)))
        return result

    def _settled(self, ids: tuple[int, ...]) -> tuple[str, str]:
        """The country and the "CC.region" every entry of a name lies in ("" where they differ)."""
        g = self.gazetteer
        first = ids[0]
        cc = g.country[first]
        if any(g.country[k] != cc for k in ids):
            return "", ""
        a1 = g.admin1[first]
        if not a1 or any(g.admin1[k] != a1 for k in ids):
            return cc, ""
        return cc, f"{cc}.{a1}"

    def _scene(self, guesses: dict[tuple[int, ...], int], countries: dict[str, float],
               admin1s: dict[str, float]) -> tuple[dict[str, float], dict[str, float], list[Anchor]]:
        """What the names' guesses say together: country and region votes, and the points
        other names are measured against (a name settled by one entry counts in full)."""
        g = self.gazetteer
        country_votes = dict(countries)
        admin1_votes = dict(admin1s)
        anchors: list[Anchor] = []
        for ids, k in guesses.items():
            country_votes[g.country[k]] = country_votes.get(g.country[k], 0.0) + GUESS_VOTE
            if g.admin1[k]:
                key = f"{g.country[k]}.{g.admin1[k]}"
                admin1_votes[key] = admin1_votes.get(key, 0.0) + GUESS_VOTE
            if g.feature[k] in _POINT_FEATURES:
                anchors.append((g.lat[k], g.lon[k], 1.0 if len(ids) == 1 else GUESS_VOTE, ids))
        return country_votes, admin1_votes, anchors

    def _confident(self, text: str, start: int, end: int, k: int, score: float, scene: dict[str, float],
                   cue: bool, name_bonus: float) -> bool:
        """Drop one-word names of minor places that nothing else in the text supports.

        ``scene`` holds the countries the text's other places vote for. Measured on
        the development corpora: a one-word town name whose country no other place
        in the text is in is right about a third of the time
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
                and fold_word(name) != folded_name(g.names[k])):
            return False  # a village matched only through a variant spelling or an alternate name
        has_scene = sum(v for v in scene.values() if v > 0) >= SCENE_WEIGHT
        if has_scene and not supported and (population < 100_000 or not cue):
            return False
        return True

    def _enclosing(self, text: str, mentions: list[Mention]) -> set[int]:
        """Indexes of names that follow a place and a comma and may be a region holding it
        ("Patikul, Sulu": the province, not the town that carries Sulu as an alias), unless
        they open a list ("Tovuz, Berd and Ijevan")."""
        g = self.gazetteer
        out = set()
        for m in range(1, len(mentions)):
            if text[mentions[m - 1][1]:mentions[m][0]] != ", " or (
                    m + 1 < len(mentions) and text[mentions[m][1]:mentions[m + 1][0]].strip() in LIST_GAPS):
                continue
            held = {(g.country[p], g.admin1[p]) for p in mentions[m - 1][2][:10]}
            if any(g.feature[k] in REGION_FEATURES and (g.country[k], g.admin1[k]) in held for k in mentions[m][2]):
                out.add(m)
        return out

    def _qualifiers(self, text, mentions) -> dict[int, set[str]]:
        """"Paris, Texas", "Akhnoor, India": a place followed by its region or country (and the
        same name elsewhere in the text)."""
        g = self.gazetteer
        out: dict[int, set[str]] = {}
        for m in range(len(mentions) - 1):
            if text[mentions[m][1]:mentions[m + 1][0]].strip() != ",":
                continue
            if m and text[mentions[m - 1][1]:mentions[m][0]].strip() == "," and m + 2 < len(mentions) \
                    and text[mentions[m + 1][1]:mentions[m + 2][0]].strip() in LIST_GAPS \
                    and any(g.feature[k] in (kinds.ADMIN1, kinds.COUNTRY) for k in mentions[m][2][:10]):
                continue  # "Arizona, Illinois, Missouri and Ohio": a list of states, not "Riverside, Missouri"
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

    def _name_priors(self, written: str, ids: tuple[int, ...]) -> tuple[set[int], list[float]]:
        """:meth:`_own_names` and :meth:`_priors` of a name as written: they depend on the
        gazetteer alone, so they are memoised across texts (news repeat their places)."""
        memo = self.name_priors_seen
        found = memo.get((written, ids))
        if found is None:
            if len(memo) >= 1 << 14:
                memo.clear()
            own = self._own_names(written, ids)
            found = memo[written, ids] = own, self._priors(ids, own)
        return found

    def _own_names(self, written: str, ids: tuple[int, ...]) -> set[int]:
        """Entries (among the 10 largest) whose own name is the one written: "Islamabad"
        is the capital's name and only an old alternate name of Anantnag."""
        g = self.gazetteer
        folded = folded_name(written)
        return {k for k in ids[:10] if folded_name(g.names[k]) == folded}

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

    def _priors(self, ids: tuple[int, ...], own_names: set[int]) -> list[float]:
        """What each entry has before any context: population, feature and the written name."""
        g = self.gazetteer
        capital_named = not own_names.isdisjoint(g.capitals)
        priors = []
        for k in ids:
            prior = math.log10(g.population[k] + 10) / 7 + _FEATURE_BONUS.get(g.feature[k], 0.0)
            prior += self._name_bonus(k, ids, own_names)
            if capital_named and k not in own_names:
                prior -= CAPITAL_HOMONYM_PENALTY  # "Islamabad" is the capital, not Anantnag's old name
            priors.append(prior)
        return priors

    def _score(self, ids, priors, countries, admin1s, region_span, qualifier=None, demonyms=frozenset(),
               anchors=()) -> list[float]:
        """Each entry's score: its prior, then the scene's votes and the other places' nearness."""
        g = self.gazetteer
        total = sum(countries.values()) or 1.0
        scores = []
        for k, score in zip(ids, priors):
            cc = g.country[k]
            if countries.get(cc, 0.0) > 0:
                score += 0.6 * min(1.0, countries[cc] / total) + 0.2
            elif cc in demonyms:
                score += DEMONYM_BONUS
            a1 = f"{cc}.{g.admin1[k]}" if g.admin1[k] else ""
            if a1 and admin1s.get(a1, 0.0) > 0:
                score += 0.35
            if qualifier and (cc in qualifier or a1 in qualifier):
                score += 1.5
            if region_span and g.feature[k] in REGION_FEATURES:
                score += 0.5
            if anchors:
                score += NEAR_BONUS * _nearness(g.lat[k], g.lon[k], anchors)
            scores.append(score)
        return scores


def _nearness(lat: float, lon: float, anchors: list[Anchor]) -> float:
    """How near a point lies to the text's other places, 0 to 1: each anchor counts in full
    within NEAR_KM, less and less out to FAR_KM (on a log scale), by its weight. A place is
    not near itself: an anchor on the very point is the same place under another name
    ("Islamabad" is also an old name of Anantnag), no support for it."""
    total = 0.0
    shrink = math.cos(math.radians(lat))
    for a_lat, a_lon, weight, _ in anchors:
        dy = a_lat - lat
        dx = (a_lon - lon) * shrink
        if (dy or dx) and -_FAR_DEGREES < dy < _FAR_DEGREES and -_FAR_DEGREES < dx < _FAR_DEGREES:
            km = KM_PER_DEGREE * math.sqrt(dx * dx + dy * dy)
            total += weight if km <= NEAR_KM else weight * max(0.0, 1.0 - math.log(km / NEAR_KM) / _LOG_SPAN)
            if total >= 1.0:
                return 1.0
    return total
