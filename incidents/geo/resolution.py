"""Resolution: which gazetteer entry each recognised name means, with the runners-up.

Every same-named entry is scored: a population prior and a feature bonus, then the
text's own context (countries, regions and demonyms it names, and the countries its
other places vote for), so "Paris" next to "Texas" lands in Texas. Minor places that
nothing in the text supports are dropped (:meth:`PlaceResolver._confident`).
"""

from __future__ import annotations

import math
from typing import AbstractSet

from incidents.geo import toponyms as kinds
from incidents.geo.gazetteer import Gazetteer, fold_word, folded_name
from incidents.geo.cues import locative_before
from incidents.countries import DEMONYMS
from incidents.geo.recognition import REGION_FEATURES, Mention
from incidents.geo.toponyms import Toponym

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
# Nearness to the text's other places, on a grid of CELL_DEGREES (about 110 km a cell).
NEAR_BONUS = 0.2
CELL_DEGREES = 1.0
_POINT_FEATURES = (kinds.SETTLEMENT, kinds.ADMIN2, kinds.USER)


class PlaceResolver:
    """The resolution half of :class:`incidents.geo.geoparse.GazetteerGeoparser`."""

    gazetteer: Gazetteer

    def _resolve(
        self, text: str, words: list[tuple[int, int, str]], mentions: list[Mention],
        weak: AbstractSet[int] = frozenset(), vocabulary: AbstractSet[str] | None = None,
    ) -> list[Toponym]:
        """A Toponym per mention the text supports, its candidates best first.

        Two passes: each mention's best guess first, then every mention is scored
        again against the scene the *other* mentions' guesses vote for (its own
        votes taken out, so a name cannot support itself).
        """
        g = self.gazetteer
        # A side's nationality ("Russian forces") is evidence of the conflict, not of the
        # place: it breaks ties for its own country but never vetoes a place elsewhere.
        if vocabulary is None:
            vocabulary = {w for _, _, w in words}
        demonyms = frozenset(cc for cc in (DEMONYMS[w] for w in DEMONYMS.keys() & vocabulary) if cc)
        countries: dict[str, float] = {}
        admin1s: dict[str, float] = {}
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
        priors = [self._priors(ids, own_names[m]) for m, (_, _, ids, _) in enumerate(mentions)]
        # First pass: each mention's best guess; the guesses then vote (each for the others).
        best = []
        for m, (_, _, ids, region) in enumerate(mentions):
            if not ids:
                best.append(-1)
                continue
            scores = self._score(ids, priors[m], countries, admin1s, region, qualifiers.get(m), demonyms)
            best.append(ids[max(range(len(ids)), key=scores.__getitem__)])
        # Where the guesses lie: a same-named place near the text's other places wins over a
        # larger one far away ("Paris" beside "Dallas" and "Tyler" is the Texan one).
        near: dict[tuple[int, int], int] = {}
        guessed: dict[int, int] = {}  # entry -> how many mentions guessed it (no place is near itself)
        for k in best:
            if k >= 0 and g.feature[k] in _POINT_FEATURES:
                guessed[k] = guessed.get(k, 0) + 1
                for cell in _neighbourhood(g.lat[k], g.lon[k]):
                    near[cell] = near.get(cell, 0) + 1
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
            others = dict(near)  # the other mentions' guesses: this one's taken out
            if g.feature[own] in _POINT_FEATURES:
                for cell in _neighbourhood(g.lat[own], g.lon[own]):
                    others[cell] -= 1
            scores = self._score(ids, priors[m], cc_votes, a1_votes, region, qualifiers.get(m), demonyms,
                                 others, guessed, own)
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
               near=None, guessed=None, own=-1) -> list[float]:
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
            if near and near.get(_cell(g.lat[k], g.lon[k]), 0) - guessed.get(k, 0) + (k == own and k in guessed) > 0:
                score += NEAR_BONUS  # another place of the text lies within a cell or two
            scores.append(score)
        return scores


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(lat // CELL_DEGREES), int(lon // CELL_DEGREES)


def _neighbourhood(lat: float, lon: float) -> tuple[tuple[int, int], ...]:
    """The cell of a point and the eight around it: places within about 1-2 cells."""
    y, x = _cell(lat, lon)
    return tuple((y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
